"""Pages of 法宝宝 at /qa/ and of the FAQ at /qa/faq/ (staff authoring under /qa/faq/manage/)."""

from django.urls import path

from . import views

app_name = "qa"
urlpatterns = [
    path("", views.ask, name="ask"),
    path("faq/", views.faq_list, name="faq"),
    path("faq/<int:pk>/", views.faq_detail, name="faq-detail"),
    path("faq/<int:pk>/feedback/", views.faq_feedback, name="faq-feedback"),
    path("faq/manage/", views.manage_list, name="manage"),
    path("faq/manage/new/", views.manage_create, name="manage-create"),
    path("faq/manage/<int:pk>/", views.manage_edit, name="manage-edit"),
    path("faq/manage/<int:pk>/act/<slug:name>/", views.act, name="act"),
]
