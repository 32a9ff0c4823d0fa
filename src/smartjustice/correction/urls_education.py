"""Pages of 社区矫正 — education and identity checks (officer pages; the subject's own are in the app, helper H)."""

from django.urls import path

from . import views_education as views

urlpatterns: list = [
    path("education/tasks/", views.task_list, name="education-task-list"),
    path("education/tasks/new/", views.task_create, name="education-task-create"),
    path("education/tasks/<int:pk>/", views.task_detail, name="education-task-detail"),
    path("education/assignments/", views.assignment_list, name="education-assignment-list"),
    path("education/assignments/new/", views.assignment_create, name="education-assignment-create"),
    path("education/subjects/<int:pk>/", views.subject_record, name="education-subject-record"),
    path("identity-checks/", views.identity_check_list, name="identity-check-list"),
    path("identity-checks/<int:pk>/", views.identity_check_detail, name="identity-check-detail"),
    path("identity-checks/<int:pk>/review/", views.identity_check_review, name="identity-check-review"),
    path("identity-checks/<int:pk>/photo/", views.identity_check_photo, name="identity-check-photo"),
    path(
        "identity-checks/<int:pk>/reference/", views.identity_check_reference, name="identity-check-reference"
    ),
]
