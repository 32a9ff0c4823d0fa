"""Pages of 社区矫正 — part: assessments and sanctions (helper E)."""

from django.urls import path

from . import views_assessments as views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("sanctions/", views.sanction_list, name="sanction-list"),
    path("sanctions/new/", views.sanction_create, name="sanction-create"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction-detail"),
    path("sanctions/<int:pk>/act/<slug:name>/", views.sanction_act, name="sanction-act"),
    path("sanctions/<int:pk>/files/<int:attachment_id>/", views.sanction_document, name="sanction-file"),
]
