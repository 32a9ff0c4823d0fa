"""Pages of case handling (办案) under /enforcement/ (included by enforcement/urls.py, in its namespace)."""

from django.urls import path

from . import views_cases as views

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/file/", views.case_file, name="case-file-step"),
    path("cases/<int:pk>/act/<slug:name>/", views.case_act, name="case-act"),
    path("cases/<int:pk>/party/reveal/", views.party_reveal_on_case, name="case-party-reveal"),
    path("cases/<int:pk>/evidence/", views.evidence_add, name="case-evidence-add"),
    path("cases/<int:pk>/payments/", views.payment_add, name="case-payment-add"),
    path("cases/<int:pk>/penalty/", views.penalty_propose, name="case-penalty"),
    path("cases/<int:pk>/statement/", views.statement_record, name="case-statement"),
    path("cases/<int:pk>/hearing-record/", views.hearing_record, name="case-hearing-record"),
    path("cases/<int:pk>/documents/", views.document_generate, name="case-document-generate"),
    path("cases/<int:pk>/files/<int:attachment_id>/", views.document_download, name="case-file"),
    path("parties/", views.party_list, name="parties"),
    path("parties/<int:pk>/", views.party_detail, name="party-detail"),
    path("parties/<int:pk>/reveal/", views.party_reveal, name="party-reveal"),
]
