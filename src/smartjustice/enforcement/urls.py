"""Pages of 行政执法 at /enforcement/."""

from django.urls import include, path

from . import mobile, views, views_officers

app_name = "enforcement"
urlpatterns = [
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/manage/", views.manage_list, name="item-manage"),
    path("items/manage/new/", views.manage_create, name="item-create"),
    path("items/manage/propose/", views.proposals, name="item-proposals"),
    path("items/manage/<int:pk>/", views.manage_edit, name="item-edit"),
    path("items/manage/<int:pk>/benchmarks/", views.benchmark_add, name="item-benchmark-add"),
    path("items/manage/<int:pk>/act/<slug:name>/", views.act, name="item-act"),
    path("officers/", views_officers.officer_list, name="officers"),
    path("officers/me/", views_officers.my_certificate, name="officer-me"),
    path("officers/new/", views_officers.officer_register, name="officer-register"),
    path("officers/<int:pk>/", views_officers.officer_detail, name="officer-detail"),
    path("inspections/", include("smartjustice.enforcement.urls_inspections")),  # 双随机、一公开 (H4)
    path("", include("smartjustice.enforcement.urls_cases")),  # 办案: cases/, parties/ (helper H2)
    path("officers/<int:pk>/certificate/", views_officers.certificate_issue, name="officer-certificate"),
    path("officers/<int:pk>/training/", views_officers.training_record, name="officer-training"),
]
urlpatterns += mobile.urlpatterns  # 移动执法 /enforcement/m/ (helper H3)
