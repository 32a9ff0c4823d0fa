"""Pages of 社区矫正 — part: reporting (check-ins, visits and talks, a subject's supervision timeline)."""

from django.urls import path

from . import views_reporting as views

urlpatterns = [
    path("check-ins/", views.check_in_list, name="check-in-list"),
    path("check-ins/<int:pk>/", views.check_in_detail, name="check-in-detail"),
    path("check-ins/<int:pk>/receipt/", views.check_in_receipt, name="check-in-receipt"),
    path("check-ins/<int:pk>/photo/", views.check_in_photo, name="check-in-photo"),
    path("receipts/verify/", views.receipt_help, name="receipt-help"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("supervision/<int:subject_pk>/", views.subject_supervision, name="subject-supervision"),
    path("supervision/<int:subject_pk>/check-in/", views.subject_check_in, name="subject-check-in"),
    path("supervision/<int:subject_pk>/visit/", views.subject_visit, name="subject-visit"),
]
