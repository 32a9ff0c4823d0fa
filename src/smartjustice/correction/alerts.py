"""Alerts about subjects (every kind: location breaches, missed reports, lost signal, risk) — one way to raise one,
so the command feed, the officer's to-do list and the statistics see them all. `raise_alert` is the integrator's
foundation; handling them (contact, confirm, dismiss, escalate) follows below."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from ninja import Field, Schema

from smartjustice.core import audit, workflow
from smartjustice.core.errors import TransitionNotAllowed

from . import rules
from .choices import AlertKind, AlertStatus, CorrectionAuditEvent
from .models import ALERT_WORKFLOW, CorrectionAlert, CorrectionSubject, Geofence
from .models.monitoring import HANDLE_ALERT

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
        extend_alerts(
            [(existing, dict(last_seen_at=last_seen_at, ended_at=ended_at, point_count=point_count,
                             max_distance_m=max_distance_m, evidence=evidence))]
        )  # fmt: skip
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
        if alert.kind in BREACH_KINDS:
            anchor_breach(alert, "breach_raised")
        _notify_officers(alert)
    return alert, True


EXTENDED_FIELDS = ["last_seen_at", "ended_at", "point_count", "max_distance_m", "evidence", "updated_at"]


def open_alerts_of(subject_ids) -> dict[tuple, CorrectionAlert]:
    """The open alerts of these subjects by (subject id, kind, fence id) — the latest where several are open —
    locked for extending (one query for a whole GPS batch)."""
    rows = CorrectionAlert.objects.select_for_update().filter(
        subject_id__in=list(subject_ids), status__in=OPEN_STATES
    )
    found: dict[tuple, CorrectionAlert] = {}
    for alert in rows.order_by("started_at", "pk"):
        found[(alert.subject_id, alert.kind, alert.fence_id)] = alert
    return found


def extend_alerts(extensions) -> list[CorrectionAlert]:
    """Extend open alerts with what new points added: (alert, {last_seen_at, ended_at, point_count, max_distance_m,
    evidence}) pairs, several per alert allowed (applied in order). Each alert is written once, with one
    ALERT_EXTENDED entry in the trail. The alerts must be locked (open_alerts_of, or raise_alert's own lock)."""
    touched: dict[int, CorrectionAlert] = {}
    for alert, change in extensions:
        touched[alert.pk] = alert
        last_seen_at = change.get("last_seen_at")
        if last_seen_at is not None:
            alert.last_seen_at = max(alert.last_seen_at, last_seen_at)
        alert.ended_at = change.get("ended_at")
        alert.point_count += change.get("point_count") or 0
        if change.get("max_distance_m") is not None:
            alert.max_distance_m = max(alert.max_distance_m or 0.0, change["max_distance_m"])
        if change.get("evidence"):
            alert.evidence = {**alert.evidence, **change["evidence"]}
    now = timezone.now()
    for alert in touched.values():
        with audit.operation(CorrectionAuditEvent.ALERT_EXTENDED, obj=alert, actor=None):
            alert.updated_at = now
            alert.save(update_fields=EXTENDED_FIELDS)
    return list(touched.values())


# Location breaches are anchored in the ledger when raised and when an officer gives the verdict, so the evidence an
# officer (or a court, on a revocation proposal) relied on can be shown unaltered later.
BREACH_KINDS = (AlertKind.GEOFENCE_EXIT, AlertKind.FORBIDDEN_ZONE, AlertKind.CURFEW)
LEDGER_LOG = "correction-breaches"


def anchor_breach(alert: CorrectionAlert, event: str, *, actor=None) -> None:
    """Append the breach's facts and the SHA-256 of its evidence (canonical JSON) to the ledger log."""
    import hashlib

    import rfc8785

    from smartjustice.ledger.services import append_entry

    payload = {
        "event": event,
        "alert": alert.pk,
        "subject": alert.subject.number,
        "kind": alert.kind,
        "fence": alert.fence_id,
        "started_at": alert.started_at.isoformat(),
        "last_seen_at": alert.last_seen_at.isoformat(),
        "point_count": alert.point_count,
        "status": alert.status,
        "evidence_sha256": hashlib.sha256(rfc8785.dumps(alert.evidence)).hexdigest(),
    }
    append_entry(LEDGER_LOG, rfc8785.dumps(payload), kind=f"correction.{event}", actor=actor)


def _notify_officers(alert: CorrectionAlert) -> None:
    """Tell the staff who handle the subject (the 司法所 and the county agency) that a new alert waits, by when."""
    from django.contrib.auth import get_user_model

    from smartjustice.core import access, notifications

    subject = alert.subject
    organisations = [pk for pk in (subject.agency_id, subject.station_id) if pk]
    staff = access.holders_of(
        HANDLE_ALERT, get_user_model().objects.filter(organisation_id__in=organisations)
    )
    due = timezone.localtime(alert.handle_by).strftime("%m-%d %H:%M")
    for officer in staff:
        notifications.notify(
            officer,
            title=f"{alert.get_kind_display()}：{subject.name}",
            body=f"{alert.why}（请于 {due} 前核实处置）",
            link=alert.get_absolute_url(),
            category="correction.alert",
        )


# --- alert handling (helper B) -------------------------------------------------------------------------------------

# Handling: contact (记录联系情况), confirm (确有违规), dismiss (误报), escalate (无法联系：转脱管处置, 第三十条) — each a
# step of ALERT_WORKFLOW, with the officer's note appended to the alert's handling record.

HANDLING_EVENTS = {
    "contact": CorrectionAuditEvent.ALERT_CONTACTED,
    "confirm": CorrectionAuditEvent.ALERT_CONFIRMED,
    "dismiss": CorrectionAuditEvent.ALERT_DISMISSED,
    "escalate": CorrectionAuditEvent.ALERT_ESCALATED,
}
MAX_NOTE = 2000


class AlertHandlingIn(Schema):
    """The input of every handling step: what the officer did and found."""

    note: str = Field(..., min_length=2, max_length=MAX_NOTE, description="处置情况")


ALERT_TRANSITION_INPUTS = {name: AlertHandlingIn for name in HANDLING_EVENTS}


def _open_incident(alert: CorrectionAlert, *, actor, note: str):
    """Helper G's 脱管 emergency (command.open_incident), when that part is installed."""
    try:
        from . import command
    except ImportError:
        return None
    opener = getattr(command, "open_incident", None)
    return opener(alert.subject, actor=actor, alert=alert, note=note) if opener is not None else None


@transaction.atomic
def handle_alert(alert: CorrectionAlert, name: str, *, actor, note: str) -> CorrectionAlert:
    """Take handling step `name` on `alert` with the officer's `note` (the workflow checks state, permission and
    jurisdiction); escalating opens the 脱管 search (rules.ABSCONDING_SEARCH) when helper G's command is there."""
    if name not in HANDLING_EVENTS:
        raise TransitionNotAllowed("未知的处置操作")
    note = (note or "").strip()[:MAX_NOTE]
    step = ALERT_WORKFLOW.get(name)
    with audit.operation(HANDLING_EVENTS[name], obj=alert, actor=actor, detail=note[:200]):
        workflow.transition(alert, name, actor=actor, payload={"note": note}, comment=note[:200])
        now = timezone.now()
        who = getattr(actor, "display_name", "") or actor.get_username()
        line = f"{timezone.localtime(now):%Y-%m-%d %H:%M} {who} {step.label}：{note}"
        alert.handling_note = f"{alert.handling_note}\n{line}".strip()
        alert.handled_at = now
        alert.handled_by = actor
        alert.save(update_fields=["handling_note", "handled_at", "handled_by", "updated_at"])
        if name == "escalate":
            _open_incident(alert, actor=actor, note=note)
        if name in ("confirm", "dismiss") and alert.kind in BREACH_KINDS:
            anchor_breach(alert, f"breach_{name}ed", actor=actor)
    return alert


def contact_alert(alert: CorrectionAlert, *, actor, note: str) -> CorrectionAlert:
    """记录联系情况: the officer reached (or tried to reach) the subject; the alert stays open for a verdict."""
    return handle_alert(alert, "contact", actor=actor, note=note)


def confirm_alert(alert: CorrectionAlert, *, actor, note: str) -> CorrectionAlert:
    """核实：确有违规 (a warning or other sanction may follow, 第二十八条)."""
    return handle_alert(alert, "confirm", actor=actor, note=note)


def dismiss_alert(alert: CorrectionAlert, *, actor, note: str) -> CorrectionAlert:
    """核实：误报 (e.g. GPS drift near the county line, a report made at the station)."""
    return handle_alert(alert, "dismiss", actor=actor, note=note)


def escalate_alert(alert: CorrectionAlert, *, actor, note: str) -> CorrectionAlert:
    """无法联系，转脱管处置 (第三十条: search at once)."""
    return handle_alert(alert, "escalate", actor=actor, note=note)


TRANSITION_SERVICES = {
    "contact": contact_alert,
    "confirm": confirm_alert,
    "dismiss": dismiss_alert,
    "escalate": escalate_alert,
}
