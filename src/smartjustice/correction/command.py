"""脱管 (a subject who cannot be reached): open the search at once (第三十条 立即组织查找), escalate to the police,
report, close with the outcome; notes record the search as it goes. Every write here, one audit operation each.

`open_incident(subject, *, actor, alert=None)` is also called by the alert service (helper B) when an officer
escalates an alert: it reuses the subject's open incident instead of opening a second one.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from smartjustice.core import access, audit, notifications, workflow
from smartjustice.core.documents import issue_number
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import User

from . import rules
from .choices import CorrectionAuditEvent
from .models import AbscondingIncident, CorrectionAlert, CorrectionSubject, IncidentOutcome, IncidentStatus

NUMBER_PREFIX = "脱管查找"
NOTE_MAX = 2000
NOTIFY_AT_MOST = 20
OPEN_STATES = (IncidentStatus.SEARCHING, IncidentStatus.ESCALATED, IncidentStatus.REPORTED)


def _text(value, field: str, message: str, *, max_length: int = NOTE_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    if len(value) > max_length:
        raise ValidationFailed(f"内容过长（最多{max_length}字）", fields={field: [f"最多{max_length}字"]})
    return value


def _note(incident: AbscondingIncident, actor, text: str, *, kind: str = "note", at=None) -> None:
    incident.notes = [
        *incident.notes,
        {
            "at": (at or timezone.now()).isoformat(),
            "by": (getattr(actor, "display_name", "") or getattr(actor, "username", "") or "系统")[:64],
            "kind": kind,
            "text": text,
        },
    ]


def _link(incident: AbscondingIncident) -> str:
    try:
        return reverse("correction:incident-detail", args=[incident.pk])
    except NoReverseMatch:
        return ""


def _officers(incident: AbscondingIncident):
    """Who handles the subject: staff of the agency and of the station holding the incident permission."""
    ids = [pk for pk in (incident.agency_id, incident.subject.station_id) if pk]
    staff = User.objects.filter(organisation_id__in=ids, is_active=True)
    return access.holders_of("correction.change_abscondingincident", staff).order_by("pk")[:NOTIFY_AT_MOST]


def open_incident_for(subject: CorrectionSubject) -> AbscondingIncident | None:
    return AbscondingIncident.objects.filter(subject=subject, status__in=OPEN_STATES).first()


@transaction.atomic
def open_incident(
    subject: CorrectionSubject,
    *,
    actor,
    alert: CorrectionAlert | None = None,
    note: str = "",
    opened_at=None,
) -> AbscondingIncident:
    """启动脱管查找 for `subject` (第三十条): the search starts now, with deadlines to escalate and to report
    (rules.ABSCONDING_DEADLINES). A subject has one open incident: a second call adds a note to it instead."""
    if not access.has_permission(actor, "correction.add_abscondingincident") or not access.may_act_in(
        actor, subject.jurisdiction_id
    ):
        raise PermissionDenied("您不能对本辖区以外或无权处置的社区矫正对象启动脱管查找")
    if not subject.under_correction:
        raise ValidationFailed(
            "该社区矫正对象不在矫正期内", fields={"subject_id": ["该社区矫正对象已解矫或终止"]}
        )
    if alert is not None and alert.subject_id != subject.pk:
        raise ValidationFailed(
            "该预警不属于这名社区矫正对象", fields={"alert_id": ["该预警不属于这名社区矫正对象"]}
        )
    note = (note or "").strip()[:NOTE_MAX]
    existing = (
        AbscondingIncident.objects.select_for_update().filter(subject=subject, status__in=OPEN_STATES).first()
    )
    if existing is not None:
        with audit.operation(CorrectionAuditEvent.INCIDENT_NOTE_ADDED, obj=existing, actor=actor):
            text = f"预警“{alert.why[:100]}”转入本次查找" if alert is not None else "再次报告失去联系"
            _note(existing, actor, f"{text}{'：' + note if note else ''}", kind="alert" if alert else "note")
            existing.save(update_fields=["notes", "updated_at"])
        return existing
    now = opened_at or timezone.now()
    hours = rules.ABSCONDING_DEADLINES.value
    incident = AbscondingIncident(
        number=issue_number(NUMBER_PREFIX),
        subject=subject,
        alert=alert,
        opened_at=now,
        opened_by=actor,
        escalate_by=now + timedelta(hours=hours["escalate_hours"]),
        report_by=now + timedelta(hours=hours["report_hours"]),
        jurisdiction_id=subject.jurisdiction_id,
        agency_id=subject.agency_id,
    )
    source = f"由预警转入：{alert.why[:200]}" if alert is not None else "工作人员报告失去联系"
    _note(
        incident,
        actor,
        f"启动查找（{rules.ABSCONDING_SEARCH.citation}）。{source}" + (f"。{note}" if note else ""),
        kind="opened",
        at=now,
    )
    with audit.operation(CorrectionAuditEvent.INCIDENT_OPENED, obj=audit.NEW, actor=actor):
        incident.save()
    for person in _officers(incident):
        if person.pk != getattr(actor, "pk", None):
            notifications.notify(
                person,
                title=f"脱管查找：{subject.name}",
                body=f"{subject.name}（{subject.number}）失去联系，已启动查找。"
                f"请于 {timezone.localtime(incident.escalate_by):%m月%d日 %H:%M} 前找到或提请公安机关协助。",
                link=_link(incident),
                category="correction",
            )
    return incident


@transaction.atomic
def add_note(incident: AbscondingIncident, *, actor, text: str, found: bool = False) -> AbscondingIncident:
    """记录查找情况 (calls made, places visited, people asked); `found` records when the subject was found."""
    text = _text(text, "text", "请填写查找情况")
    if incident.status == IncidentStatus.CLOSED:
        raise TransitionNotAllowed("脱管处置已办结，不能再记录")
    with audit.operation(CorrectionAuditEvent.INCIDENT_NOTE_ADDED, obj=incident, actor=actor):
        _note(incident, actor, text, kind="found" if found else "note")
        fields = ["notes", "updated_at"]
        if found and incident.found_at is None:
            incident.found_at = timezone.now()
            fields.append("found_at")
        incident.save(update_fields=fields)
    return incident


@transaction.atomic
def escalate_incident(
    incident: AbscondingIncident, *, actor, police_unit: str, note: str = ""
) -> AbscondingIncident:
    """提请公安机关协助查找并上报 (第三十条: 公安机关等有关单位和人员应当予以配合协助)."""
    police_unit = _text(police_unit, "police_unit", "请填写协助查找的公安机关", max_length=100)
    with audit.operation(CorrectionAuditEvent.INCIDENT_ESCALATED, obj=incident, actor=actor):
        workflow.transition(incident, "escalate", actor=actor, payload={"police_unit": police_unit})
        incident.police_unit = police_unit
        incident.escalated_at = timezone.now()
        _note(
            incident,
            actor,
            f"提请{police_unit}协助查找" + (f"：{note.strip()}" if (note or "").strip() else ""),
            kind="escalated",
        )
        incident.save(update_fields=["police_unit", "escalated_at", "notes", "updated_at"])
    return incident


@transaction.atomic
def report_incident(incident: AbscondingIncident, *, actor, report: str) -> AbscondingIncident:
    """报告查找情况: the written report of the search (what was done, where the subject is, if found)."""
    report = _text(report, "report", "请填写查找情况报告", max_length=5000)
    with audit.operation(CorrectionAuditEvent.INCIDENT_REPORTED, obj=incident, actor=actor):
        workflow.transition(incident, "report", actor=actor, payload={"report": report})
        incident.report = report
        incident.reported_at = timezone.now()
        _note(incident, actor, "报告查找情况", kind="reported")
        incident.save(update_fields=["report", "reported_at", "notes", "updated_at"])
    return incident


@transaction.atomic
def close_incident(
    incident: AbscondingIncident, *, actor, outcome: str, note: str = ""
) -> AbscondingIncident:
    """办结 with the outcome (第三十条: 查找到后区别情形依法作出处理 — rules.ABSCONDING_FOUND)."""
    outcome = str(outcome or "")
    if outcome not in IncidentOutcome.values:
        raise ValidationFailed("请选择处置结果", fields={"outcome": ["请选择处置结果"]})
    with audit.operation(CorrectionAuditEvent.INCIDENT_CLOSED, obj=incident, actor=actor):
        workflow.transition(incident, "close", actor=actor, payload={"outcome": outcome})
        incident.outcome = outcome
        incident.closed_at = timezone.now()
        fields = ["outcome", "closed_at", "notes", "updated_at"]
        if outcome == IncidentOutcome.FOUND and incident.found_at is None:
            incident.found_at = incident.closed_at
            fields.append("found_at")
        text = f"办结：{IncidentOutcome(outcome).label}" + (
            f"。{note.strip()}" if (note or "").strip() else ""
        )
        _note(incident, actor, text, kind="closed")
        incident.save(update_fields=fields)
    return incident


TRANSITION_SERVICES = {
    "escalate": escalate_incident,
    "report": report_incident,
    "close": close_incident,
}
