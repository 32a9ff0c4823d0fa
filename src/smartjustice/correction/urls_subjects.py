"""Pages of 社区矫正 — part: subjects, transfers, archives (helper A)."""

from django.urls import path

from . import views_subjects as views

urlpatterns = [
    path("subjects/", views.subject_list, name="subject-list"),
    path("subjects/new/", views.subject_intake, name="subject-intake"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject-detail"),
    path("subjects/<int:pk>/reveal/", views.subject_reveal, name="subject-reveal"),
    path("subjects/<int:pk>/edit/", views.subject_update, name="subject-update"),
    path("subjects/<int:pk>/contacts/", views.subject_contact_add, name="subject-contact-add"),
    path("subjects/<int:pk>/group/", views.subject_member_add, name="subject-member-add"),
    path("subjects/<int:pk>/plan/", views.subject_plan, name="subject-plan"),
    path("subjects/<int:pk>/account/", views.subject_account, name="subject-account"),
    path("subjects/<int:pk>/release/", views.subject_release, name="subject-release"),
    path("subjects/<int:pk>/terminate/", views.subject_terminate, name="subject-terminate"),
    path("subjects/<int:pk>/transfer/", views.subject_transfer, name="subject-transfer"),
    path("subjects/<int:pk>/archive/", views.subject_archive, name="subject-archive"),
    path("subjects/<int:pk>/archive/items/", views.subject_archive_file, name="subject-archive-file"),
    path("subjects/<int:pk>/archive/zip/", views.subject_archive_zip, name="subject-archive-zip"),
    path("subjects/<int:pk>/archive/pdf/", views.subject_archive_pdf, name="subject-archive-pdf"),
    path("subjects/<int:pk>/files/<int:attachment_id>/", views.subject_file, name="subject-file"),
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer-detail"),
    path("transfers/<int:pk>/act/<slug:name>/", views.transfer_act, name="transfer-act"),
]
