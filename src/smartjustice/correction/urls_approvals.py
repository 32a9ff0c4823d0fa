"""Pages of 社区矫正 — part: approvals (helper E)."""

from django.urls import path

from . import views_approvals as views

urlpatterns = [
    path("approvals/", views.approval_list, name="approval-list"),
    path("approvals/new/", views.approval_create, name="approval-create"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval-detail"),
    path("approvals/<int:pk>/act/<slug:name>/", views.approval_act, name="approval-act"),
    path("approvals/<int:pk>/files/<int:attachment_id>/", views.approval_document, name="approval-file"),
]
