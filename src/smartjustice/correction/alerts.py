"""Alerts about subjects (every kind: location breaches, missed reports, lost signal, risk) — one way to raise one,
so the command feed, the officer's to-do list and the statistics see them all. `raise_alert` is the integrator's
foundation; the handling services below it belong to helper B (see /work/correction-plan.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from smartjustice.core import audit

from . import rules
from .choices import AlertStatus, CorrectionAuditEvent
from .models import CorrectionAlert, CorrectionSubject, Geofence

OPEN_STATES = (AlertStatus.OPEN, AlertStatus.CONTACTED)


def handling_deadline(kind: str, started_at: datetime) -> datetime:
    """When an alert of `kind` raised at `started_at` must be handled (rules.ALERT_HANDLING_HOURS)."""
    return started_at + timedelta(hours=rules.ALERT_HANDLING_HOURS.value[str(kind)])


@transaction.atomic
def raise_alert(
    subject: CorrectionSubject,
    *,
    kind: str,
    why: str,
    evidence: dict | None = None,
    started_at: datetime | None = None,
    last_seen_at: datetime | None = None,
    ended_at: datetime | None = None,
    fence: Geofence | None = None,
    point_count: int = 0,
    max_distance_m: float | None = None,
) -> tuple[CorrectionAlert, bool]:
    """Raise an alert, or extend the open one of the same subject, kind and fence (a burst is one alert).

    Machine-raised: the actor is the system (audit entry without a person). Returns (alert, created).
    """
    started_at = started_at or timezone.now()
    last_seen_at = last_seen_at or started_at
    existing = (
        CorrectionAlert.objects.select_for_update()
        .filter(subject=subject, kind=kind, fence=fence, status__in=OPEN_STATES)
        .order_by("-started_at")
        .first()
    )
    if existing is not None:
        with audit.operation(CorrectionAuditEvent.ALERT_EXTENDED, obj=existing, actor=None):
            existing.last_seen_at = max(existing.last_seen_at, last_seen_at)
            existing.ended_at = ended_at
            existing.point_count += point_count
            if max_distance_m is not None:
                existing.max_distance_m = max(existing.max_distance_m or 0.0, max_distance_m)
            if evidence:
                merged = dict(existing.evidence)
                merged.update(evidence)
                existing.evidence = merged
            existing.save()
        return existing, False
    alert = CorrectionAlert(
        subject=subject,
        kind=kind,
        fence=fence,
        why=why[:500],
        evidence=evidence or {},
        started_at=started_at,
        last_seen_at=last_seen_at,
        ended_at=ended_at,
        point_count=point_count,
        max_distance_m=max_distance_m,
        handle_by=handling_deadline(kind, started_at),
        jurisdiction_id=subject.jurisdiction_id,
        agency_id=subject.agency_id,
    )
    with audit.operation(CorrectionAuditEvent.ALERT_RAISED, obj=audit.NEW, actor=None):
        alert.save()
    return alert, True


# --- alert handling (helper B) -------------------------------------------------------------------------------------
