"""电子定位装置 under 《社区矫正法》第二十九条 (only the five grounds, approval by the county head, at most three months
each period, extensions approved again, the end enforced), and fences with their GeoJSON checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, COUNTY_B, ApiClient, Place, assert_audited, organisation_in
from smartjustice.correction import location
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models import ElectronicMonitoring, MonitoringStatus
from tests.correction import makers
from tests.correction.location_makers import fence, monitoring, officer, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def own():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


def _propose(user, subject, **fields):
    today = timezone.localdate()
    body = {
        "subject_id": subject.pk,
        "ground": "1",
        "facts": "违反人民法院禁止令，进入禁止进入的娱乐场所",
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=60)),
        "device_number": "DEV-0001",
        **fields,
    }
    return ApiClient(user).post("correction/monitoring", body)


def test_three_months_is_the_limit_of_one_period():
    assert location.monitoring_limit(date(2026, 1, 15)) == date(2026, 4, 14)
    assert location.monitoring_limit(date(2026, 11, 30)) == date(
        2027, 2, 27
    )  # no 30 February: the 28th, less a day


def test_only_the_five_grounds_of_article_29_allow_a_device(own):
    subject = makers.subject(own)
    response = _propose(officer(own), subject, ground="6")
    assert response.status_code == 422


def test_a_period_longer_than_three_months_is_refused(own):
    subject = makers.subject(own)
    today = timezone.localdate()
    response = _propose(
        officer(own), subject, ends_on=str(location.monitoring_limit(today) + timedelta(days=1))
    )
    assert response.status_code == 422
    assert "三个月" in response.json()["message"]
    assert _propose(officer(own), subject, ends_on=str(location.monitoring_limit(today))).status_code == 201


def test_an_officer_proposes_and_only_the_head_approves(own):
    subject = makers.subject(own)
    proposer = officer(own)
    created = _propose(proposer, subject)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == MonitoringStatus.PROPOSED
    refused = ApiClient(proposer).post(f"correction/monitoring/{pk}/transitions/approve", {"note": ""})
    assert refused.status_code == 403
    head = officer(own, "correction_head")
    approved = ApiClient(head).post(f"correction/monitoring/{pk}/transitions/approve", {"note": "同意"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == MonitoringStatus.ACTIVE
    record = ElectronicMonitoring.objects.get(pk=pk)
    assert record.approved_by == head and record.approved_on == timezone.localdate()
    assert_audited(CorrectionAuditEvent.MONITORING_APPROVED, obj=record, actor=head)
    # Another county's head cannot approve it (not found, like a missing record).
    peer_head = officer(Place(COUNTY_B, organisation_in(COUNTY_B)), "correction_head")
    assert ApiClient(peer_head).get(f"correction/monitoring/{pk}").status_code == 404


def test_the_end_is_enforced_when_the_period_is_over(own):
    today = timezone.localdate()
    expired = monitoring(
        own, status="active", starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=1)
    )
    running = monitoring(own, status="active", starts_on=today, ends_on=today + timedelta(days=10))
    assert location.end_expired_monitoring() == 1
    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.status == MonitoringStatus.ENDED and expired.ended_on == today
    assert running.status == MonitoringStatus.ACTIVE
    assert location.end_expired_monitoring() == 0  # a second run changes nothing
    assert_audited(CorrectionAuditEvent.MONITORING_ENDED, obj=expired, actor=None)


def test_an_extension_starts_the_day_after_and_is_approved_again(own):
    today = timezone.localdate()
    first = monitoring(
        own, status="active", starts_on=today - timedelta(days=80), ends_on=today + timedelta(days=5)
    )
    user = officer(own)
    wrong = _propose(
        user,
        first.subject,
        extension_of=first.pk,
        starts_on=str(today),
        ends_on=str(today + timedelta(days=30)),
    )
    assert wrong.status_code == 422
    start = first.ends_on + timedelta(days=1)
    too_long = _propose(
        user,
        first.subject,
        extension_of=first.pk,
        starts_on=str(start),
        ends_on=str(start + timedelta(days=120)),
    )
    assert too_long.status_code == 422
    ok = _propose(
        user,
        first.subject,
        extension_of=first.pk,
        starts_on=str(start),
        ends_on=str(location.monitoring_limit(start)),
        facts="经评估仍有必要继续使用：期间再次违反禁止令",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["extension_of_id"] == first.pk and ok.json()["status"] == MonitoringStatus.PROPOSED


def test_an_officer_ends_a_device_no_longer_needed(own):
    today = timezone.localdate()
    record = monitoring(own, status="active", starts_on=today, ends_on=today + timedelta(days=30))
    response = ApiClient(officer(own)).post(
        f"correction/monitoring/{record.pk}/transitions/end", {"reason": "经评估不需要继续使用"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == MonitoringStatus.ENDED


# --- fences --------------------------------------------------------------------------------------------------------


def _fence_body(subject, **fields):
    return {
        "subject_id": subject.pk,
        "kind": "forbidden",
        "name": "禁止令：某酒吧",
        "geometry": square(),
        **fields,
    }


def test_an_officer_sets_a_forbidden_zone_and_a_curfew(own):
    subject = makers.subject(own)
    user = officer(own)
    client = ApiClient(user)
    response = client.post("correction/fences", _fence_body(subject, basis="（2026）粤0106刑初1号禁止令"))
    assert response.status_code == 201, response.content
    curfew = client.post(
        "correction/fences",
        _fence_body(subject, kind="curfew", name="宵禁：居住地", window_start="22:00", window_end="06:00"),
    )
    assert curfew.status_code == 201, curfew.content
    assert curfew.json()["window_start"] == "22:00:00"
    listed = client.get("correction/fences", {"subject": subject.pk}).json()
    assert {f["kind"] for f in listed["items"]} == {"forbidden", "curfew"}


@pytest.mark.parametrize(
    "geometry, message",
    [
        ({"type": "Point", "coordinates": [113.3, 23.1]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[[113.3, 23.1], [113.4, 23.1], [113.4, 23.2]]]}, "4 个坐标"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[113.3, 23.1], [113.4, 23.1], [113.4, 23.2], [113.3, 23.25]]],
            },
            "闭合",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[113.3, 23.1], [113.4, 23.2], [113.4, 23.1], [113.3, 23.2], [113.3, 23.1]]],
            },
            "自相交",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[213.3, 23.1], [113.4, 23.1], [113.4, 23.2], [213.3, 23.1]]],
            },
            "超出",
        ),
    ],
)
def test_a_fence_that_is_not_a_valid_area_is_refused(own, geometry, message):
    subject = makers.subject(own)
    response = ApiClient(officer(own)).post("correction/fences", _fence_body(subject, geometry=geometry))
    assert response.status_code == 422
    assert message in response.json()["message"]


def test_a_curfew_needs_its_daily_window(own):
    subject = makers.subject(own)
    response = ApiClient(officer(own)).post("correction/fences", _fence_body(subject, kind="curfew"))
    assert response.status_code == 422 and "时段" in response.json()["message"]


def test_a_fence_is_changed_and_deactivated_with_audit(own):
    area = fence(makers.subject(own))
    user = officer(own)
    client = ApiClient(user)
    changed = client.patch(
        f"correction/fences/{area.pk}", {"name": "居住小区", "geometry": square(half=0.02)}
    )
    assert changed.status_code == 200, changed.content
    assert_audited(CorrectionAuditEvent.FENCE_UPDATED, obj=area, actor=user)
    gone = client.post(f"correction/fences/{area.pk}/deactivate", {"reason": "禁止令期满"})
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    assert client.patch(f"correction/fences/{area.pk}", {"name": "再改"}).status_code == 409
