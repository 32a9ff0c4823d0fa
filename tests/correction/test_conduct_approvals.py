"""审批事项 (helper E): routing by kind and duration, the station's review, deadlines, refusals with reasons, the
decider not the submitter, the subject's own requests only, notifications and the return report (销假)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core.models import Notification
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    Place,
    api_client,
    assert_api_error,
    assert_audited,
    items_of,
    organisation_in,
)
from smartjustice.correction import approvals, rules
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models.conduct import ApprovalRoute, ApprovalStatus
from tests.correction import conduct_makers, makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _days(n):
    return timezone.localdate() + timedelta(days=n)


def _submit(subject, actor, *, kind="leave", start=3, days=3, **extra):
    return approvals.submit_request(
        subject,
        actor=actor,
        kind=kind,
        destination=extra.pop("destination", "深圳市福田区"),
        reason=extra.pop("reason", "探望住院的母亲"),
        starts_on=_days(start),
        ends_on=_days(start + days - 1),
    )


def test_short_leave_of_an_entrusted_subject_goes_to_the_station(county):
    subject = conduct_makers.entrusted_subject(county)
    account = makers.subject_account(subject)
    request = _submit(subject, account, days=rules.LEAVE_STATION_DAYS.value)
    assert request.route == ApprovalRoute.STATION
    assert_audited(CorrectionAuditEvent.APPROVAL_SUBMITTED, obj=request, actor=account)


def test_leave_over_seven_days_and_residence_change_go_to_the_county_head(county):
    subject = conduct_makers.entrusted_subject(county)
    account = makers.subject_account(subject)
    long_leave = _submit(subject, account, days=8)
    residence = _submit(subject, account, kind="residence_change", start=20, days=1)
    assert long_leave.route == ApprovalRoute.COUNTY
    assert residence.route == ApprovalRoute.COUNTY


def test_subject_without_a_station_is_decided_by_the_county(county):
    subject = makers.subject(county)
    request = _submit(subject, makers.subject_account(subject), days=2)
    assert request.route == ApprovalRoute.COUNTY


def test_leave_over_thirty_days_is_refused_at_submission(county):
    subject = makers.subject(county)
    response = api_client(makers.subject_account(subject)).post(
        "correction/approvals",
        {
            "subject_id": subject.pk,
            "kind": "leave",
            "destination": "北京市",
            "reason": "务工",
            "starts_on": _days(3).isoformat(),
            "ends_on": _days(3 + 31).isoformat(),
        },
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["ends_on"])
    assert "30日" in body["message"]


def test_start_in_the_past_is_refused_in_chinese(county):
    subject = makers.subject(county)
    response = api_client(conduct_makers.officer(county)).post(
        "correction/approvals",
        {
            "subject_id": subject.pk,
            "kind": "meet_person",
            "destination": "张某",
            "reason": "商谈",
            "starts_on": _days(-1).isoformat(),
            "ends_on": _days(1).isoformat(),
        },
    )
    body = assert_api_error(response, 422, "validation_failed", fields=["starts_on"])
    assert body["message"] == "开始日期不能早于今天"


def test_deadline_is_three_days_but_not_after_the_start(county):
    subject = makers.subject(county)
    account = makers.subject_account(subject)
    later = _submit(subject, account, start=10, days=2)
    tomorrow = _submit(subject, account, kind="special_place", start=1, days=1)
    assert later.decide_by == rules.APPROVAL_DECISION_PERIOD.ends(timezone.localdate())
    assert tomorrow.decide_by == _days(1)
    residence = _submit(subject, account, kind="residence_change", start=40, days=1)
    assert residence.decide_by == rules.RESIDENCE_DECISION_PERIOD.ends(timezone.localdate())


def test_overdue_requests_are_flagged_and_filtered(county):
    officer = conduct_makers.officer(county)
    late = conduct_makers.approval(county, decide_by=_days(-1), starts_on=_days(1), ends_on=_days(2))
    on_time = conduct_makers.approval(county)
    assert approvals.overdue(late) and not approvals.overdue(on_time)
    listed = {
        row["id"] for row in items_of(api_client(officer).get("correction/approvals", {"overdue": "true"}))
    }
    assert listed == {late.pk}


def test_station_decides_its_request_and_the_subject_is_told(county):
    subject = conduct_makers.entrusted_subject(county)
    account = makers.subject_account(subject)
    request = _submit(subject, account, days=2)
    station_officer = conduct_makers.officer(Place(subject.jurisdiction_id, subject.station))
    response = api_client(station_officer).post(
        f"correction/approvals/{request.pk}/transitions/approve", {"note": "同意"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ApprovalStatus.APPROVED
    assert response.json()["document_number"].startswith("天矫审〔")
    assert Notification.objects.filter(recipient=account, title__contains="已获批准").exists()


def test_county_request_needs_the_station_opinion_then_the_head(county):
    subject = conduct_makers.entrusted_subject(county)
    request = _submit(subject, makers.subject_account(subject), days=10)
    station_officer = conduct_makers.officer(Place(subject.jurisdiction_id, subject.station))
    head = conduct_makers.head(county)
    plain_officer = conduct_makers.officer(county)

    early = api_client(head).post(f"correction/approvals/{request.pk}/transitions/approve", {})
    assert_api_error(early, 409, "transition_not_allowed")
    assert api_client(station_officer).post(
        f"correction/approvals/{request.pk}/transitions/approve", {}
    ).status_code in (403, 409)
    reviewed = api_client(station_officer).post(
        f"correction/approvals/{request.pk}/transitions/review", {"opinion": "情况属实，建议批准"}
    )
    assert reviewed.status_code == 200, reviewed.content
    refused_officer = api_client(plain_officer).post(
        f"correction/approvals/{request.pk}/transitions/approve", {}
    )
    assert refused_officer.status_code in (403, 409)
    approved = api_client(head).post(
        f"correction/approvals/{request.pk}/transitions/approve", {"note": "同意"}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == ApprovalStatus.APPROVED


def test_refusal_needs_a_reason(county):
    subject = makers.subject(county)
    request = _submit(subject, makers.subject_account(subject), days=10)
    head = conduct_makers.head(county)
    blank = api_client(head).post(f"correction/approvals/{request.pk}/transitions/refuse", {"reason": " "})
    assert blank.status_code in (400, 409, 422)
    refused = api_client(head).post(
        f"correction/approvals/{request.pk}/transitions/refuse", {"reason": "近期有未按时报告记录"}
    )
    assert refused.status_code == 200
    assert refused.json()["decision_note"] == "近期有未按时报告记录"
    assert Notification.objects.filter(
        recipient=subject.account, body__contains="近期有未按时报告记录"
    ).exists()


def test_officer_who_submitted_cannot_decide(county):
    subject = makers.subject(county)
    head = conduct_makers.head(county)
    request = _submit(subject, head, days=10)
    response = api_client(head).post(f"correction/approvals/{request.pk}/transitions/approve", {})
    body = assert_api_error(response, 409, "transition_not_allowed")
    assert "代为提交" in body["message"]


def test_subject_sees_only_their_own_requests(county):
    mine = makers.subject(county)
    other = makers.subject(county)
    account = makers.subject_account(mine)
    own = _submit(mine, account, days=2)
    theirs = _submit(other, makers.subject_account(other), days=2)
    client = api_client(account)
    assert {row["id"] for row in items_of(client.get("correction/approvals"))} == {own.pk}
    assert client.get(f"correction/approvals/{theirs.pk}").status_code == 404
    assert client.get(f"correction/approvals/{own.pk}").status_code == 200
    # nor can they file a request in another subject's name
    response = client.post(
        "correction/approvals",
        {
            "subject_id": other.pk,
            "kind": "leave",
            "destination": "珠海",
            "reason": "旅游",
            "starts_on": _days(5).isoformat(),
            "ends_on": _days(6).isoformat(),
        },
    )
    assert response.status_code == 404
    page = _browser(account).get(f"/correction/approvals/{own.pk}/")
    assert page.status_code == 200 and "办理进度" in page.content.decode()


def test_subject_withdraws_and_reports_return(county):
    subject = makers.subject(county)
    account = makers.subject_account(subject)
    client = api_client(account)
    first = _submit(subject, account, days=2)
    assert (
        client.post(f"correction/approvals/{first.pk}/transitions/withdraw", {}).json()["status"]
        == "withdrawn"
    )
    leave = conduct_makers.approval(
        county,
        subject=subject,
        status=ApprovalStatus.APPROVED,
        starts_on=timezone.localdate(),
        ends_on=_days(1),
    )
    back = client.post(f"correction/approvals/{leave.pk}/transitions/report_return", {"note": "已按时返回"})
    assert back.status_code == 200, back.content
    assert back.json()["status"] == ApprovalStatus.RETURNED
    assert back.json()["returned_on"] == timezone.localdate().isoformat()


def test_peer_county_cannot_see_or_decide(county):
    subject = makers.subject(county)
    request = _submit(subject, makers.subject_account(subject), days=10)
    peer_head = conduct_makers.head(Place(COUNTY_B, organisation_in(COUNTY_B)))
    assert api_client(peer_head).get(f"correction/approvals/{request.pk}").status_code == 404
    assert (
        api_client(peer_head).post(f"correction/approvals/{request.pk}/transitions/approve", {}).status_code
        == 404
    )


def test_town_account_sees_only_its_own_street(county):
    entrusted = conduct_makers.entrusted_subject(county)
    elsewhere = makers.subject(county)
    in_town = _submit(entrusted, makers.subject_account(entrusted), days=2)
    in_county = _submit(elsewhere, makers.subject_account(elsewhere), days=2)
    station_officer = conduct_makers.officer(Place(entrusted.jurisdiction_id, entrusted.station))
    listed = {row["id"] for row in items_of(api_client(station_officer).get("correction/approvals"))}
    assert in_town.pk in listed and in_county.pk not in listed


def test_pages_list_and_submit_on_behalf(county):
    officer = conduct_makers.officer(county)
    subject = makers.subject(county)
    client = _browser(officer)
    empty = client.get("/correction/approvals/")
    assert "暂无审批事项" in empty.content.decode()
    response = client.post(
        "/correction/approvals/new/",
        {
            "subject": subject.pk,
            "kind": "leave",
            "destination": "",
            "reason": "探亲",
            "starts_on": _days(2).isoformat(),
            "ends_on": _days(1).isoformat(),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "请填写目的地" in text and "结束日期不能早于开始日期" in text
    response = client.post(
        "/correction/approvals/new/",
        {
            "subject": subject.pk,
            "kind": "leave",
            "destination": "江门",
            "reason": "探亲",
            "starts_on": _days(2).isoformat(),
            "ends_on": _days(3).isoformat(),
        },
    )
    assert response.status_code == 302
    listed = client.get("/correction/approvals/")
    assert subject.name in listed.content.decode()


def test_pending_tile_and_buttons_for_the_head(county):
    from smartjustice.correction import conduct_queries

    subject = makers.subject(county)
    request = _submit(subject, makers.subject_account(subject), days=10)
    head = conduct_makers.head(county)
    tile = conduct_queries.pending_tile(head)
    assert tile.count == 1 and tile.items[0].due_on == request.decide_by
    assert conduct_queries.pending_tile(conduct_makers.officer(county)).count == 0
    page = _browser(head).get(f"/correction/approvals/{request.pk}/").content.decode()
    assert "不予批准的理由" in page and f"/correction/approvals/{request.pk}/act/approve/" in page
    refused = _browser(head).post(
        f"/correction/approvals/{request.pk}/act/refuse/", {"reason": ""}, follow=True
    )
    assert "不予批准的理由" in refused.content.decode()
    request.refresh_from_db()
    assert request.status == ApprovalStatus.SUBMITTED
