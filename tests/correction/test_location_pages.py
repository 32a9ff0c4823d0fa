"""Handling an alert through the API and the pages; the alert list (filters, overdue highlighted, empty state),
why an alert fired on its map, track replay (audited, isolated), the fence editor and the 电子定位装置 pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, COUNTY_B, ApiClient, Place, assert_audited, organisation_in
from smartjustice.correction.choices import AlertStatus, CorrectionAuditEvent
from smartjustice.correction.models import CorrectionAlert, Geofence
from tests.correction import makers
from tests.correction.location_makers import HOME, alert, fence, monitoring, officer, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def own():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def peer():
    return Place(COUNTY_B, organisation_in(COUNTY_B))


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_handles_an_alert_through_the_api(own, peer):
    record = alert(own)
    user = officer(own)
    client = ApiClient(user)
    steps = {s["name"] for s in client.get(f"correction/alerts/{record.pk}/transitions").json()}
    assert steps == {"contact", "confirm", "dismiss", "escalate"}
    no_note = client.post(f"correction/alerts/{record.pk}/transitions/contact", {"note": ""})
    assert no_note.status_code == 422
    contacted = client.post(
        f"correction/alerts/{record.pk}/transitions/contact", {"note": "电话联系本人，称在亲戚家"}
    )
    assert contacted.status_code == 200 and contacted.json()["status"] == AlertStatus.CONTACTED
    confirmed = client.post(
        f"correction/alerts/{record.pk}/transitions/confirm", {"note": "未经批准离开本县，拟给予警告"}
    )
    assert confirmed.status_code == 200, confirmed.content
    body = confirmed.json()
    assert body["status"] == AlertStatus.CONFIRMED and "拟给予警告" in body["handling_note"]
    assert len(body["history"]) == 2
    # Another county's officer neither lists nor opens nor handles it.
    outsider = ApiClient(officer(peer))
    assert record.pk not in {a["id"] for a in outsider.get("correction/alerts").json()["items"]}
    assert outsider.get(f"correction/alerts/{record.pk}").status_code == 404
    assert (
        outsider.post(f"correction/alerts/{record.pk}/transitions/dismiss", {"note": "误报"}).status_code
        == 404
    )


def test_an_officer_handles_an_alert_on_its_page(own):
    record = alert(own)
    browser = _browser(officer(own))
    page = browser.get(reverse("correction:alert-detail", args=[record.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert record.why in html and "为什么产生这条预警" in html and "4800" in html  # the evidence's distance
    assert reverse("correction:alert-act", args=[record.pk, "dismiss"]) in html
    done = browser.post(
        reverse("correction:alert-act", args=[record.pk, "dismiss"]),
        {"note": "定位漂移，本人在家"},
        follow=True,
    )
    assert done.status_code == 200
    record.refresh_from_db()
    assert record.status == AlertStatus.DISMISSED and record.handled_at is not None


def test_the_alert_list_filters_and_marks_overdue_alerts(own):
    late = alert(own, handle_by=timezone.now() - timedelta(hours=1), why="MXLATE 越界")
    on_time = alert(own, handle_by=timezone.now() + timedelta(hours=1), why="MXONTIME 越界")
    done = alert(
        own, status=AlertStatus.DISMISSED, handle_by=timezone.now() - timedelta(hours=5), why="MXDONE 越界"
    )
    browser = _browser(officer(own))
    html = browser.get(reverse("correction:alert-list")).content.decode()
    assert "MXLATE" in html and "MXONTIME" in html and "MXDONE" in html
    assert html.count("已超期</span>") == 1  # only the open one past its deadline
    overdue = browser.get(reverse("correction:alert-list"), {"overdue": "1"}).content.decode()
    assert "MXLATE" in overdue and "MXONTIME" not in overdue and "MXDONE" not in overdue
    api = ApiClient(officer(own)).get("correction/alerts", {"overdue": "true"}).json()
    assert {a["id"] for a in api["items"]} == {late.pk}
    assert api["items"][0]["overdue"] is True
    assert on_time.pk and done.pk
    empty = browser.get(reverse("correction:alert-list"), {"q": "没有这样的对象"}).content.decode()
    assert "没有符合条件的预警" in empty


def test_track_replay_shows_the_points_and_records_the_look(own, peer):
    from smartjustice.correction.models import GpsPoint

    subject = makers.subject(own)
    fence(subject)
    now = timezone.now()
    GpsPoint.objects.bulk_create(
        GpsPoint(
            subject=subject,
            recorded_at=now - timedelta(minutes=i * 5),
            received_at=now,
            longitude=HOME[0] + i * 0.001,
            latitude=HOME[1],
            accuracy_m=10,
        )
        for i in range(6)
    )
    user = officer(own)
    page = _browser(user).get(reverse("correction:track", args=[subject.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "6 个定位点" in html and "data-location-map" in html and "replay-slider" in html
    assert_audited(CorrectionAuditEvent.TRACK_VIEWED, obj=subject, actor=user)
    track = ApiClient(user).get(
        f"correction/gps/tracks/{subject.pk}",
        {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()},
    )
    assert track.status_code == 200, track.content
    kinds = [f["properties"]["kind"] for f in track.json()["features"]]
    assert kinds.count("fix") == 6 and kinds.count("track") == 1 and kinds.count("fence") == 1
    assert _browser(officer(peer)).get(reverse("correction:track", args=[subject.pk])).status_code == 404
    assert (
        ApiClient(officer(peer))
        .get(
            f"correction/gps/tracks/{subject.pk}",
            {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()},
        )
        .status_code
        == 404
    )


def test_the_fence_editor_saves_a_drawn_polygon(own):
    subject = makers.subject(own)
    browser = _browser(officer(own))
    form = browser.get(reverse("correction:fence-new"), {"subject": subject.pk})
    assert form.status_code == 200 and "闭合并填入范围" in form.content.decode()
    import json

    saved = browser.post(
        reverse("correction:fence-new"),
        {
            "subject": subject.pk,
            "kind": "curfew",
            "name": "宵禁：居住地",
            "geometry": json.dumps(square()),
            "window_start": "22:00",
            "window_end": "06:00",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    created = Geofence.objects.get(subject=subject, name="宵禁：居住地")
    assert created.window_start.hour == 22
    bad = browser.post(
        reverse("correction:fence-new"),
        {"subject": subject.pk, "kind": "forbidden", "name": "坏", "geometry": '{"type": "Point"}'},
    )
    assert bad.status_code == 400 and "Polygon" in bad.content.decode()
    edit = browser.get(reverse("correction:fence-edit", args=[created.pk]))
    assert edit.status_code == 200


def test_the_head_approves_a_device_on_its_page(own):
    record = monitoring(own)
    head = officer(own, "correction_head")
    browser = _browser(head)
    page = browser.get(reverse("correction:monitoring-detail", args=[record.pk]))
    assert page.status_code == 200 and "第二十九条" in page.content.decode()
    browser.post(reverse("correction:monitoring-act", args=[record.pk, "approve"]), {"note": "同意"})
    record.refresh_from_db()
    assert record.status == "active" and record.approved_by == head
    listed = browser.get(reverse("correction:monitoring-list")).content.decode()
    assert record.subject.name in listed
    new = browser.get(reverse("correction:monitoring-new"))
    assert new.status_code == 200


def test_alerts_pages_need_the_role(own):
    record = alert(own)
    nobody = _browser(officer(own, "correction_gps_feed"))
    assert nobody.get(reverse("correction:alert-list")).status_code == 403
    assert nobody.get(reverse("correction:alert-detail", args=[record.pk])).status_code == 404
    assert CorrectionAlert.objects.filter(pk=record.pk, status=AlertStatus.OPEN).exists()
