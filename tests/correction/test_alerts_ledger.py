"""Tamper evidence of location breaches (issue 12 item 11): a breach is anchored in the ledger when raised and when
an officer gives the verdict, with the SHA-256 of the evidence the officer saw; other alert kinds are not."""

from __future__ import annotations

import hashlib
import json

import pytest
import rfc8785
from django.utils import timezone

from smartjustice.core.models import Notification
from smartjustice.core.testing import COUNTY_A, Place, organisation_in
from smartjustice.correction import alerts
from smartjustice.correction.choices import AlertKind
from smartjustice.ledger.models import LedgerEntry
from tests.correction import makers
from tests.correction.location_makers import fence, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def own():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


def _entries():
    return [
        json.loads(bytes(entry.payload))
        for entry in LedgerEntry.objects.filter(log__name=alerts.LEDGER_LOG).order_by("index")
    ]


def test_a_breach_is_anchored_when_raised_and_when_confirmed(own):
    handler = officer(own, "correction_officer")
    subject = makers.subject(own)
    area = fence(subject)
    evidence = {"points": [{"lon": 113.5, "lat": 23.3, "distance_m": 820.0}]}
    alert, created = alerts.raise_alert(
        subject,
        kind=AlertKind.GEOFENCE_EXIT,
        why="离开活动区域 820 米",
        evidence=evidence,
        fence=area,
        point_count=3,
    )
    assert created
    raised = _entries()
    assert [e["event"] for e in raised] == ["breach_raised"]
    assert raised[0]["alert"] == alert.pk and raised[0]["subject"] == subject.number
    assert raised[0]["evidence_sha256"] == hashlib.sha256(rfc8785.dumps(evidence)).hexdigest()
    assert subject.name not in json.dumps(raised[0], ensure_ascii=False)  # the ledger is public: no names

    alerts.confirm_alert(alert, actor=handler, note="电话核实，本人承认未经批准外出")
    assert [e["event"] for e in _entries()] == ["breach_raised", "breach_confirmed"]


def test_extending_an_open_breach_adds_no_ledger_entry_and_a_missed_report_none_at_all(own):
    subject = makers.subject(own)
    area = fence(subject)
    now = timezone.now()
    alerts.raise_alert(subject, kind=AlertKind.GEOFENCE_EXIT, why="越界", fence=area, started_at=now)
    _, created = alerts.raise_alert(
        subject, kind=AlertKind.GEOFENCE_EXIT, why="越界", fence=area, started_at=now
    )
    assert not created
    alerts.raise_alert(subject, kind=AlertKind.MISSED_REPORT, why="未按时报告")
    assert [e["event"] for e in _entries()] == ["breach_raised"]


def test_the_subjects_officers_are_told_of_a_new_alert_with_its_deadline(own):
    handler = officer(own, "correction_officer")
    subject = makers.subject(own)
    alert, _ = alerts.raise_alert(subject, kind=AlertKind.MISSED_REPORT, why="超过报告期限未报到")
    message = Notification.objects.get(recipient=handler)
    assert subject.name in message.title and "前核实处置" in message.body
    assert message.link == alert.get_absolute_url()
