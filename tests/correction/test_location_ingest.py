"""GPS ingest through POST /api/v1/correction/gps/batches: per-point refusal with reasons, duplicates stored once,
who may send points for whom, and breaches becoming one alert an officer handles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, COUNTY_B, ApiClient, Place, assert_audited, organisation_in
from smartjustice.correction import location
from smartjustice.correction.choices import (
    AlertKind,
    AlertStatus,
    CorrectionAuditEvent,
    FenceKind,
    SubjectStatus,
)
from smartjustice.correction.models import CorrectionAlert, GpsPoint
from tests.correction import makers
from tests.correction.location_makers import HOME, fence, monitoring, officer, point

pytestmark = pytest.mark.django_db
BATCH = "correction/gps/batches"


@pytest.fixture
def own():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def peer():
    return Place(COUNTY_B, organisation_in(COUNTY_B))


@pytest.fixture
def feed(own):
    return officer(own, "correction_gps_feed")


def _send(user, points):
    response = ApiClient(user).post(BATCH, {"points": points})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_bad_points_are_refused_one_by_one_with_their_reason_and_the_rest_stored(own, peer, feed):
    subject = makers.subject(own)
    released = makers.subject(own, status=SubjectStatus.RELEASED)
    elsewhere = makers.subject(peer)
    future = timezone.now() + timedelta(hours=2)
    body = _send(
        feed,
        [
            point(subject.pk, 10),  # 0 fine
            point(subject.pk, 9, lon=200.0),  # 1 impossible longitude
            point(subject.pk, 8, lat=-95.0),  # 2 impossible latitude
            point(subject.pk, 7, lon=0.0, lat=0.0),  # 3 null island
            {**point(subject.pk, 0), "recorded_at": future.isoformat()},  # 4 future
            {**point(subject.pk, 0), "recorded_at": "yesterday"},  # 5 unreadable time
            point(released.pk, 5),  # 6 no longer under correction
            point(elsewhere.pk, 5),  # 7 another county's subject: not this feed's
            point(2_000_000_000, 5),  # 8 no such subject: the same answer
            point(subject.pk, 4, source="device"),  # 9 device without an approved period
            "not a point",  # 10
            point(subject.pk, 3, accuracy_m=-1),  # 11
        ],
    )
    assert body["received"] == 12
    assert body["accepted"] == 1
    reasons = {r["index"]: r["reason"] for r in body["refused"]}
    assert set(reasons) == set(range(1, 12))
    assert "经纬度" in reasons[1] and "经纬度" in reasons[2] and "经纬度" in reasons[3]
    assert reasons[4] == location.R_FUTURE
    assert reasons[5] == location.R_TIME
    assert reasons[6] == location.R_NOT_UNDER_CORRECTION
    assert reasons[7] == reasons[8] == location.R_SUBJECT  # out of reach and missing look alike
    assert reasons[9] == location.R_DEVICE
    assert GpsPoint.objects.filter(subject=subject).count() == 1
    assert not GpsPoint.objects.filter(subject__in=[released, elsewhere]).exists()
    assert_audited(CorrectionAuditEvent.GPS_BATCH_INGESTED, actor=feed)


def test_a_clock_a_few_minutes_ahead_is_not_the_future(own, feed):
    subject = makers.subject(own)
    body = _send(feed, [point(subject.pk, -3)])
    assert body["accepted"] == 1 and body["refused"] == []


def test_a_point_before_the_term_is_refused(own, feed):
    subject = makers.subject(own, starts_on=timezone.localdate())
    body = _send(feed, [point(subject.pk, 60 * 24 * 3)])
    assert body["refused"] == [{"index": 0, "reason": location.R_BEFORE_TERM}]


def test_duplicates_are_stored_once(own, feed):
    subject = makers.subject(own)
    points = [point(subject.pk, minutes) for minutes in (30, 20, 10)]
    first = _send(feed, points + [dict(points[0])])  # the same point twice in one batch
    assert (first["accepted"], first["duplicates"]) == (3, 1)
    again = _send(feed, points)  # the whole batch again (a retry after a lost answer)
    assert (again["accepted"], again["duplicates"]) == (0, 3)
    assert GpsPoint.objects.filter(subject=subject).count() == 3


def test_a_batch_too_large_is_refused_as_a_whole_with_a_reason(own, feed):
    subject = makers.subject(own)
    response = ApiClient(feed).post(BATCH, {"points": [point(subject.pk, 1)] * 5001})
    assert response.status_code == 422


def test_a_subject_sends_their_own_app_points_only(own):
    subject = makers.subject(own)
    other = makers.subject(own)
    account = makers.subject_account(subject)
    body = _send(
        account,
        [
            {k: v for k, v in point(subject.pk, 5).items() if k != "subject_id"},  # own, id left out
            point(other.pk, 4),  # someone else's
            point(subject.pk, 3, source="device"),  # a device point from the phone
        ],
    )
    assert body["accepted"] == 1
    assert {r["index"]: r["reason"] for r in body["refused"]} == {
        1: location.R_SUBJECT,
        2: location.R_APP_ONLY,
    }


def test_staff_without_the_feed_role_cannot_send_points(own):
    subject = makers.subject(own)
    response = ApiClient(officer(own)).post(BATCH, {"points": [point(subject.pk, 5)]})
    assert response.status_code == 403
    assert ApiClient(None).post(BATCH, {"points": [point(subject.pk, 5)]}).status_code == 401


def test_a_town_feed_reaches_only_its_town(own):
    town = "440106008000"  # 五山街道
    station = organisation_in(town)
    inside = makers.subject(Place(town, station))
    county_only = makers.subject(own)
    feed = officer(Place(town, station), "correction_gps_feed")
    body = _send(feed, [point(inside.pk, 5), point(county_only.pk, 5)])
    assert body["accepted"] == 1 and body["refused"] == [{"index": 1, "reason": location.R_SUBJECT}]


# --- breaches become alerts --------------------------------------------------------------------------------------


def _departure(subject_id, *, start_minutes: int = 40, count: int = 8, step: int = 3):
    """Points about 5 km east of home, every `step` minutes."""
    return [point(subject_id, start_minutes - i * step, lon=HOME[0] + 0.05) for i in range(count)]


def test_a_departure_through_the_api_becomes_one_alert_with_its_evidence(own, feed):
    subject = makers.subject(own)
    area = fence(subject)
    home = [point(subject.pk, 60 - i * 3) for i in range(6)]
    body = _send(feed, home + _departure(subject.pk))
    alerts = CorrectionAlert.objects.filter(subject=subject)
    assert alerts.count() == 1, body
    alert = alerts.get()
    assert body["alert_ids"] == [alert.pk]
    assert alert.kind == AlertKind.GEOFENCE_EXIT and alert.fence == area and alert.status == AlertStatus.OPEN
    assert alert.max_distance_m > 4000
    assert alert.evidence["points"] and alert.evidence["fence"]["id"] == area.pk
    assert alert.handle_by > alert.started_at
    # The same outing continuing in the next batch extends the alert instead of raising another.
    count, last_seen, farthest = alert.point_count, alert.last_seen_at, alert.max_distance_m
    _send(feed, [point(subject.pk, 10 - i * 3, lon=HOME[0] + 0.06) for i in range(3)])
    assert CorrectionAlert.objects.filter(subject=subject).count() == 1
    alert.refresh_from_db()
    assert alert.point_count > count and alert.last_seen_at > last_seen and alert.max_distance_m > farthest
    assert_audited(CorrectionAuditEvent.ALERT_EXTENDED, obj=alert, actor=None)


def test_a_single_stray_point_or_a_fuzzy_one_raises_nothing(own, feed):
    subject = makers.subject(own)
    fence(subject)
    points = [point(subject.pk, 60 - i * 3) for i in range(12)]
    points[4] = point(subject.pk, 48, lon=HOME[0] + 0.05)  # one outlier
    points[6] = point(subject.pk, 42, lon=HOME[0] + 0.0105, accuracy_m=500)  # accuracy straddles the line
    _send(feed, points)
    assert not CorrectionAlert.objects.filter(subject=subject).exists()


def test_entering_a_forbidden_zone_raises_a_forbidden_zone_alert(own, feed):
    subject = makers.subject(own)
    from tests.correction.location_makers import square

    fence(subject, kind=FenceKind.FORBIDDEN, geometry=square(HOME[0] + 0.05, HOME[1], 0.005), name="某酒吧")
    _send(feed, _departure(subject.pk))
    assert CorrectionAlert.objects.get(subject=subject).kind == AlertKind.FORBIDDEN_ZONE


def test_device_points_are_taken_only_inside_an_approved_period(own, feed):
    subject = makers.subject(own)
    today = timezone.localdate()
    monitoring(own, subject=subject, status="active", starts_on=today, ends_on=today + timedelta(days=30))
    inside = point(subject.pk, 5, source="device")
    before = {
        **point(subject.pk, 0, source="device"),
        "recorded_at": (timezone.now() - timedelta(days=2)).isoformat(),
    }
    body = _send(feed, [inside, before])
    assert body["accepted"] == 1 and body["refused"] == [{"index": 1, "reason": location.R_DEVICE}]
