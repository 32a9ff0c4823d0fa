"""Pages of 行政执法 at /enforcement/."""

from django.urls import path

from . import views, views_officers

app_name = "enforcement"
urlpatterns = [
    path("items/", views.item_list, name="items"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/manage/", views.manage_list, name="item-manage"),
    path("items/manage/new/", views.manage_create, name="item-create"),
    path("items/manage/<int:pk>/", views.manage_edit, name="item-edit"),
    path("items/manage/<int:pk>/benchmarks/", views.benchmark_add, name="item-benchmark-add"),
    path("items/manage/<int:pk>/act/<slug:name>/", views.act, name="item-act"),
    path("officers/", views_officers.officer_list, name="officers"),
    path("officers/<int:pk>/", views_officers.officer_detail, name="officer-detail"),
]
