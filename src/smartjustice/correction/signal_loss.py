"""定位信号中断: an approved 电子定位装置 (第二十九条) that has sent no point for rules.SIGNAL_LOST_AFTER_HOURS raises a
signal_lost alert, so a flat battery or a removed device is noticed by an officer rather than read as "no breach"."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from smartjustice.core.models import TransitionRecord

from . import alerts, rules
from .choices import UNDER_CORRECTION, AlertKind
from .models import (
    CorrectionAlert,
    CorrectionSubject,
    ElectronicMonitoring,
    GpsPoint,
    GpsSource,
    MonitoringStatus,
)


def silence_threshold() -> datetime.timedelta:
    return datetime.timedelta(hours=rules.SIGNAL_LOST_AFTER_HOURS.value)


def flag_signal_lost(now: datetime.datetime | None = None) -> int:
    """Raise one signal_lost alert per silence of each device in use (the periodic job). The silence starts at the
    device's last point or, when it has sent none, when it came into use (the later of the period's start and its
    approval).

    Idempotent (an alert is found by the silence's start) and safe in two workers (each subject's row locked with
    SKIP LOCKED, in its own transaction). Returns the alerts raised."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    in_use = {
        subject_id: (pk, starts_on)
        for pk, subject_id, starts_on in ElectronicMonitoring.objects.filter(
            status=MonitoringStatus.ACTIVE,
            starts_on__lte=today,
            ends_on__gte=today,
            subject__status__in=UNDER_CORRECTION,
        )
        .order_by("subject_id", "starts_on")
        .values_list("pk", "subject_id", "starts_on")
    }
    if not in_use:
        return 0
    last_points = dict(
        GpsPoint.objects.filter(subject_id__in=list(in_use), source=GpsSource.DEVICE)
        .values("subject_id")
        .annotate(last=Max("recorded_at"))
        .values_list("subject_id", "last")
    )
    # When each use was approved: a device approved at 10:00 is not "silent since midnight".
    approved = dict(
        TransitionRecord.objects.filter(
            object_type=ElectronicMonitoring._meta.label_lower,
            object_id__in=[str(pk) for pk, _ in in_use.values()],
            to_state=MonitoringStatus.ACTIVE,
        )
        .values("object_id")
        .annotate(at=Max("at"))
        .values_list("object_id", "at")
    )
    raised = 0
    for subject_id, (pk, starts_on) in in_use.items():
        since = last_points.get(subject_id)
        if since is None:  # never reported: silent since the device came into use
            since = timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time.min))
            if approved.get(str(pk)):
                since = max(since, approved[str(pk)])
        if now - since >= silence_threshold() and _flag_one(subject_id, since, now):
            raised += 1
    return raised


def _flag_one(subject_id: int, since: datetime.datetime, now: datetime.datetime) -> bool:
    with transaction.atomic():
        subject = CorrectionSubject.objects.select_for_update(skip_locked=True).filter(pk=subject_id).first()
        if subject is None:
            return False
        # One alert per silence: its start, or (when an alert of an earlier silence is still open and took this one
        # in) its evidence names it.
        flagged = Q(started_at=since) | Q(evidence__silent_since=since.isoformat())
        if CorrectionAlert.objects.filter(flagged, subject=subject, kind=AlertKind.SIGNAL_LOST).exists():
            return False
        hours = (now - since).total_seconds() / 3600
        why = (
            f"电子定位装置自 {timezone.localtime(since):%Y-%m-%d %H:%M} 起未上报定位（已 {hours:.0f} 小时，"
            f"超过 {rules.SIGNAL_LOST_AFTER_HOURS.value} 小时）：请核实装置电量、佩戴情况及对象下落"
        )
        alerts.raise_alert(
            subject,
            kind=AlertKind.SIGNAL_LOST,
            why=why,
            evidence={"silent_since": since.isoformat(), "rule": rules.SIGNAL_LOST_AFTER_HOURS.key},
            started_at=since,
            last_seen_at=now,
        )
    return True
