"""奖惩和考核 (helper E): the kind must fit the category, the approver is never the drafter, documents with 文号,
proposals to the court with its thirty days, and a court revocation ending the term; assessments once per period."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core.models import Attachment, Notification
from smartjustice.core.testing import (
    COUNTY_A,
    Place,
    api_client,
    assert_api_error,
    assert_audited,
    organisation_in,
)
from smartjustice.correction import assessments, rules, sanctions
from smartjustice.correction.choices import CorrectionAuditEvent, CorrectionCategory, SubjectStatus
from smartjustice.correction.models.conduct import SanctionStatus
from tests.correction import conduct_makers, makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


def _step(user, sanction, name, data=None):
    return api_client(user).post(f"correction/sanctions/{sanction.pk}/transitions/{name}", data or {})


def test_probation_revocation_does_not_fit_a_parolee(county):
    parolee = makers.subject(county, category=CorrectionCategory.PAROLE)
    response = api_client(conduct_makers.officer(county)).post(
        "correction/sanctions",
        {
            "subject_id": parolee.pk,
            "kind": "probation_revocation",
            "facts": "多次违反监督管理规定",
            "evidence": "警告决定书两份",
        },
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["kind"])
    assert "撤销缓刑建议不适用于假释" in body["message"]
    committal = api_client(conduct_makers.officer(county)).post(
        "correction/sanctions",
        {"subject_id": parolee.pk, "kind": "committal", "facts": "严重违反规定", "evidence": "笔录"},
    )
    assert_api_error(committal, 422, "validation_failed", fields=["kind"])


def test_proposal_requires_evidence(county):
    subject = makers.subject(county)
    response = api_client(conduct_makers.officer(county)).post(
        "correction/sanctions",
        {"subject_id": subject.pk, "kind": "probation_revocation", "facts": "多次违反规定"},
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["evidence"])
    assert "第四十六条" in body["message"]


def test_drafter_cannot_approve_even_as_head(county):
    head = conduct_makers.head(county)
    subject = makers.subject(county)
    sanction = sanctions.draft_sanction(subject, actor=head, kind="warning", facts="未经批准外出")
    sanctions.submit_sanction(sanction, actor=head)
    body = assert_api_error(_step(head, sanction, "approve"), 409, "transition_not_allowed")
    assert "拟办人不能审批" in body["message"]


def test_officer_without_approve_sanction_cannot_approve(county):
    drafter = conduct_makers.officer(county)
    other_officer = conduct_makers.officer(county)
    sanction = sanctions.draft_sanction(
        makers.subject(county), actor=drafter, kind="admonition", facts="未按时报告"
    )
    sanctions.submit_sanction(sanction, actor=drafter)
    assert_api_error(_step(other_officer, sanction, "approve"), 403, "permission_denied")


def test_warning_is_approved_issued_with_a_number_and_the_subject_told(county):
    drafter = conduct_makers.officer(county)
    head = conduct_makers.head(county)
    subject = makers.subject(county)
    account = makers.subject_account(subject)
    sanction = sanctions.draft_sanction(subject, actor=drafter, kind="warning", facts="无正当理由未按时报告")
    assert "第二十八条" in sanction.legal_basis
    assert _step(drafter, sanction, "submit").status_code == 200
    approved = _step(head, sanction, "approve", {"opinion": "同意"})
    assert approved.status_code == 200, approved.content
    issued = _step(drafter, sanction, "issue")
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["status"] == SanctionStatus.ISSUED
    assert body["document_number"].startswith("天矫警〔")
    sanction.refresh_from_db()
    assert Attachment.objects.filter(document_number=sanction.document_number).exists()
    assert_audited(CorrectionAuditEvent.SANCTION_ISSUED, obj=sanction, actor=drafter)
    assert Notification.objects.filter(recipient=account, title__contains="警告决定书").exists()
    # the subject reads their own sanction and its document
    own = api_client(account).get(f"correction/sanctions/{sanction.pk}/documents")
    assert own.status_code == 200 and len(own.json()) == 1


def _sent_proposal(county, subject):
    drafter = conduct_makers.officer(county)
    head = conduct_makers.head(county)
    sanction = sanctions.draft_sanction(
        subject,
        actor=drafter,
        kind="probation_revocation",
        facts="受到两次警告后仍不改正",
        evidence="警告决定书二份",
    )
    sanctions.submit_sanction(sanction, actor=drafter)
    sanctions.approve_sanction(sanction, actor=head)
    assert _step(drafter, sanction, "issue").status_code == 409  # a proposal goes to the court, not issued
    response = _step(head, sanction, "send_to_court", {"court": "广州市天河区人民法院"})
    assert response.status_code == 200, response.content
    return sanction, head, response.json()


def test_revocation_proposal_gives_the_court_thirty_days(county):
    subject = makers.subject(county)
    sanction, head, body = _sent_proposal(county, subject)
    today = timezone.localdate()
    assert body["status"] == SanctionStatus.SENT_TO_COURT
    assert body["court_due_on"] == rules.COURT_DECISION_PERIOD.ends(today).isoformat()
    assert body["clock"]["due_on"] == body["court_due_on"]
    assert body["document_number"].startswith("天矫撤缓建〔")
    sanction.refresh_from_db()
    assert not sanctions.court_overdue(sanction)
    assert sanctions.court_overdue(sanction, today=today + timedelta(days=45))


def test_court_revocation_ends_the_term(county):
    subject = makers.subject(county)
    sanction, head, _ = _sent_proposal(county, subject)
    response = _step(
        head,
        sanction,
        "record_court_decision",
        {"outcome": "accepted", "decision_number": "（2026）粤0106刑更1号"},
    )
    assert response.status_code == 200, response.content
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.TERMINATED
    assert subject.termination_reason == "probation_revoked"


def test_court_refusal_keeps_the_term(county):
    subject = makers.subject(county)
    sanction, head, _ = _sent_proposal(county, subject)
    response = _step(
        head,
        sanction,
        "record_court_decision",
        {"outcome": "rejected", "decision_number": "（2026）粤0106刑更2号"},
    )
    assert response.status_code == 200
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.ACTIVE


def test_committal_proposal_for_temporary_outside(county):
    subject = makers.subject(county, category=CorrectionCategory.TEMPORARY_OUTSIDE)
    drafter = conduct_makers.officer(county)
    sanction = sanctions.draft_sanction(
        subject,
        actor=drafter,
        kind="committal",
        facts="暂予监外执行的情形消失，刑期未满",
        evidence="病情复查报告",
    )
    assert "第二百六十八条" in sanction.legal_basis and "第四十九条" in sanction.legal_basis


def test_sanction_pages(county):
    officer = conduct_makers.officer(county)
    subject = makers.subject(county)
    client = Client()
    client.force_login(officer)
    assert "暂无奖惩事项" in client.get("/correction/sanctions/").content.decode()
    refused = client.post("/correction/sanctions/new/", {"subject": subject.pk, "kind": "", "facts": ""})
    text = refused.content.decode()
    assert "请选择奖惩种类" in text and "请填写事实和理由" in text
    created = client.post(
        "/correction/sanctions/new/", {"subject": subject.pk, "kind": "admonition", "facts": "未按时报告"}
    )
    assert created.status_code == 302
    detail = client.get(created["Location"])
    assert "提交审批" in detail.content.decode()


# --- assessments ---------------------------------------------------------------------------------------------------


def test_assessment_scores_items_and_is_once_per_period(county):
    officer = conduct_makers.officer(county)
    subject = makers.subject(county)
    period = timezone.localdate().strftime("%Y-%m")
    assessment = assessments.record_assessment(
        subject, actor=officer, kind="monthly", period=period, items=conduct_makers.ITEMS
    )
    assert assessment.points == 90 and assessment.grade == "good"
    again = api_client(officer).post(
        "correction/assessments",
        {"subject_id": subject.pk, "kind": "monthly", "period": period, "items": conduct_makers.ITEMS},
    )
    body = assert_api_error(again, 422, "validation_failed", fields=["period"])
    assert "已经记录" in body["message"]
    quarter = api_client(officer).post(
        "correction/assessments",
        {"subject_id": subject.pk, "kind": "quarterly", "period": period, "items": conduct_makers.ITEMS},
    )
    assert_api_error(quarter, 422, "validation_failed", fields=["period"])


def test_assessment_refuses_a_future_period_and_too_many_points(county):
    officer = conduct_makers.officer(county)
    subject = makers.subject(county)
    future = (timezone.localdate().replace(day=1) + timedelta(days=40)).strftime("%Y-%m")
    response = api_client(officer).post(
        "correction/assessments",
        {"subject_id": subject.pk, "kind": "monthly", "period": future, "items": conduct_makers.ITEMS},
    )
    assert_api_error(response, 422, "validation_failed", fields=["period"])
    too_many = [dict(item) for item in conduct_makers.ITEMS]
    too_many[2]["points"] = 25
    response = api_client(officer).post(
        "correction/assessments",
        {
            "subject_id": subject.pk,
            "kind": "monthly",
            "period": timezone.localdate().strftime("%Y-%m"),
            "items": too_many,
        },
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["items"])
    assert "0至20分" in body["message"]


def test_subject_sees_own_assessments_only(county):
    mine = conduct_makers.assessment(county)
    other = conduct_makers.assessment(county)
    account = makers.subject_account(mine.subject)
    client = api_client(account)
    rows = client.get("correction/assessments").json()
    ids = {row["id"] for row in rows.get("items", rows) if isinstance(row, dict)}
    assert ids == {mine.pk}
    assert client.get(f"correction/assessments/{other.pk}").status_code == 404
