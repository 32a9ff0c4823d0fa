"""定位信号中断: a device approved under 第二十九条 that stops reporting raises one alert per silence."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, Place, assert_audited, organisation_in
from smartjustice.correction import location, rules, signal_loss
from smartjustice.correction.choices import AlertKind, CorrectionAuditEvent
from smartjustice.correction.models import CorrectionAlert, MonitoringStatus
from tests.correction.location_makers import monitoring, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def own():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def feed(own):
    from tests.correction.location_makers import officer

    return officer(own, "correction_gps_feed")


def _device_points(feed, subject, *minutes_ago):
    result = location.ingest_points([point(subject.pk, m, source="device") for m in minutes_ago], actor=feed)
    assert result.accepted == len(minutes_ago), result.refused


def test_a_silent_device_raises_one_alert_per_silence(own, feed):
    used = monitoring(own, status=MonitoringStatus.ACTIVE, starts_on=timezone.localdate() - timedelta(days=3))
    subject = used.subject
    hours = rules.SIGNAL_LOST_AFTER_HOURS.value
    _device_points(feed, subject, hours * 60 + 30, hours * 60 + 20)  # last fix more than the limit ago

    assert signal_loss.flag_signal_lost() == 1
    assert signal_loss.flag_signal_lost() == 0  # the job runs every 15 minutes: still one alert
    alert = CorrectionAlert.objects.get(subject=subject, kind=AlertKind.SIGNAL_LOST)
    assert "未上报定位" in alert.why and f"超过 {hours} 小时" in alert.why
    assert abs((timezone.now() - alert.started_at) - timedelta(minutes=hours * 60 + 20)) < timedelta(
        minutes=1
    )
    assert alert.handle_by == alert.started_at + timedelta(
        hours=rules.ALERT_HANDLING_HOURS.value["signal_lost"]
    )
    assert_audited(CorrectionAuditEvent.ALERT_RAISED, obj=alert, actor=None)

    # The device comes back, then falls silent again later: a second silence is a second alert (or, while the
    # first is still open, the same alert taking it in) — not one per run.
    _device_points(feed, subject, 0)
    assert signal_loss.flag_signal_lost() == 0
    later = timezone.now() + timedelta(hours=hours, minutes=5)
    assert signal_loss.flag_signal_lost(later) == 1
    assert signal_loss.flag_signal_lost(later) == 0
    alert.refresh_from_db()  # still open: the second silence is taken into it, and named in its evidence
    assert CorrectionAlert.objects.filter(subject=subject, kind=AlertKind.SIGNAL_LOST).count() == 1
    assert alert.evidence["silent_since"] > alert.started_at.isoformat()


def test_a_device_reporting_in_time_or_not_in_use_raises_nothing(own, feed):
    recent = monitoring(
        own, status=MonitoringStatus.ACTIVE, starts_on=timezone.localdate() - timedelta(days=3)
    )
    _device_points(feed, recent.subject, 30, 10)
    proposed = monitoring(
        own, starts_on=timezone.localdate() - timedelta(days=3)
    )  # not approved: no device yet
    ended = monitoring(
        own,
        status=MonitoringStatus.ENDED,
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    assert proposed.status != MonitoringStatus.ACTIVE and ended.subject_id != recent.subject_id
    assert signal_loss.flag_signal_lost() == 0
    assert not CorrectionAlert.objects.filter(kind=AlertKind.SIGNAL_LOST).exists()


def test_a_device_that_never_reported_counts_from_the_start_of_its_period(own):
    used = monitoring(own, status=MonitoringStatus.ACTIVE, starts_on=timezone.localdate() - timedelta(days=1))
    assert signal_loss.flag_signal_lost() == 1
    alert = CorrectionAlert.objects.get(subject=used.subject, kind=AlertKind.SIGNAL_LOST)
    assert timezone.localtime(alert.started_at).date() == used.starts_on


def test_the_officer_sees_the_silence_on_the_alert_page(own):
    from django.test import Client
    from django.urls import reverse

    from tests.correction.location_makers import officer

    used = monitoring(own, status=MonitoringStatus.ACTIVE, starts_on=timezone.localdate() - timedelta(days=1))
    signal_loss.flag_signal_lost()
    alert = CorrectionAlert.objects.get(subject=used.subject, kind=AlertKind.SIGNAL_LOST)
    browser = Client()
    browser.force_login(officer(own))
    page = browser.get(reverse("correction:alert-detail", args=[alert.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "定位信号中断" in html and "未上报定位" in html
    listed = browser.get(reverse("correction:alert-list"), {"kind": AlertKind.SIGNAL_LOST})
    assert listed.status_code == 200 and used.subject.name in listed.content.decode()


def test_the_signal_lost_job_is_registered_with_the_worker():
    from smartjustice.core import scheduler
    from smartjustice.correction import tasks_location

    job = scheduler.JOBS["correction.signal_lost"]
    assert job.func is tasks_location.flag_signal_lost and job.every <= 3600


def test_a_device_approved_today_counts_from_its_approval_not_from_midnight(own):
    from tests.correction.location_makers import officer

    afternoon = timezone.make_aware(datetime.combine(timezone.localdate(), time(15, 0)))
    with time_machine.travel(afternoon, tick=False):  # hours after midnight, well past the limit
        proposed = monitoring(own, starts_on=timezone.localdate())
        location.approve_electronic_monitoring(proposed, actor=officer(own, "correction_head"), note="同意")
        hours = rules.SIGNAL_LOST_AFTER_HOURS.value
        assert signal_loss.flag_signal_lost() == 0  # just fitted: not silent yet
        assert signal_loss.flag_signal_lost(afternoon + timedelta(hours=hours, minutes=1)) == 1
