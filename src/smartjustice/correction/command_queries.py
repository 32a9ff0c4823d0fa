"""Every read of the command dashboard, the risk pages and the 脱管 incidents, already restricted (pages and API
share these)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.models import Jurisdiction

from .choices import UNDER_CORRECTION, AlertStatus
from .models import (
    AbscondingIncident,
    CorrectionAlert,
    CorrectionSubject,
    IncidentStatus,
    RiskLevel,
    RiskScore,
)
from .risk import latest_scores

OPEN_ALERTS = (AlertStatus.OPEN, AlertStatus.CONTACTED)
OPEN_INCIDENTS = (IncidentStatus.SEARCHING, IncidentStatus.ESCALATED, IncidentStatus.REPORTED)
FEED_LIMIT = 50


def alert_url(alert_id: int) -> str:
    """The alert's handling page (helper D's), or "" while it is not installed."""
    try:
        return reverse("correction:alert-detail", args=[alert_id])
    except NoReverseMatch:
        return ""


def _region(qs, region: str, field: str = "jurisdiction_id"):
    """Records in division `region` and below."""
    if not region:
        return qs
    place = Jurisdiction.objects.filter(code=region).first()
    if place is None:
        return qs.none()
    low, high = place.bounds()
    return qs.filter(**{f"{field}__gte": low, f"{field}__lte": high})


# --- the dashboard ---------------------------------------------------------------------------------------------------


def live_counts(user, *, now: datetime | None = None) -> dict:
    """The figures at the top of the dashboard (each one COUNT over the user's scope)."""
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    subjects = CorrectionSubject.objects.restrict(user, "view").filter(status__in=UNDER_CORRECTION)
    alerts = CorrectionAlert.objects.restrict(user, "view")
    open_alerts = alerts.filter(status__in=OPEN_ALERTS)
    alert_figures = open_alerts.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(handle_by__lt=now)))
    incidents = AbscondingIncident.objects.restrict(user, "view").filter(status__in=OPEN_INCIDENTS)
    incident_figures = incidents.aggregate(
        open=Count("pk"),
        overdue=Count(
            "pk",
            filter=Q(status=IncidentStatus.SEARCHING, escalate_by__lt=now)
            | Q(status__in=(IncidentStatus.SEARCHING, IncidentStatus.ESCALATED), report_by__lt=now),
        ),
    )
    high = latest_scores(RiskScore.objects.restrict(user, "view")).filter(
        subject__status__in=UNDER_CORRECTION, level=RiskLevel.HIGH
    )
    return {
        "subjects": subjects.count(),
        "open_alerts": alert_figures["open"],
        "overdue_alerts": alert_figures["overdue"],
        "alerts_today": alerts.filter(started_at__gte=today_start).count(),
        "open_incidents": incident_figures["open"],
        "overdue_incidents": incident_figures["overdue"],
        "high_risk": high.count(),
        "as_of": now,
    }


def _alerts(user):
    return CorrectionAlert.objects.restrict(user, "view").select_related("subject", "jurisdiction")


def alert_feed(user, *, after: int = 0, limit: int = FEED_LIMIT) -> list[CorrectionAlert]:
    """Alerts raised after alert `after` (by id), oldest first, at most `limit`: the dashboard polls with the last
    id it shows, so each alert reaches it once and none is skipped."""
    limit = max(1, min(limit, FEED_LIMIT))
    rows = list(_alerts(user).filter(pk__gt=after).order_by("pk")[:limit])
    for alert in rows:
        alert.url = alert_url(alert.pk)
    return rows


def latest_alerts(user, *, limit: int = 20) -> list[CorrectionAlert]:
    """The newest alerts, newest first (the feed when the page opens)."""
    rows = list(_alerts(user).order_by("-pk")[:limit])
    for alert in rows:
        alert.url = alert_url(alert.pk)
    return rows


def open_alerts_by_code(user) -> dict[str, int]:
    """Open alerts per jurisdiction code (the map)."""
    qs = CorrectionAlert.objects.restrict(user, "view").filter(status__in=OPEN_ALERTS)
    return dict(qs.order_by().values_list("jurisdiction_id").annotate(n=Count("pk")))


# --- risk ---------------------------------------------------------------------------------------------------------


def list_risk(user, *, level: str = "", region: str = "", q: str = ""):
    """Each visible subject under correction's latest score, highest first."""
    qs = latest_scores(RiskScore.objects.restrict(user, "view")).filter(subject__status__in=UNDER_CORRECTION)
    if level:
        qs = qs.filter(level=level)
    qs = _region(qs, region, "subject__jurisdiction_id")
    if q:
        q = q.strip()
        qs = qs.filter(Q(subject__name__contains=q) | Q(subject__number__contains=q))
    return qs.select_related("subject", "subject__jurisdiction").order_by("-score", "subject_id")


def list_scores(user, *, subject: int | None = None, level: str = ""):
    qs = RiskScore.objects.restrict(user, "view").select_related("subject")
    if subject:
        qs = qs.filter(subject_id=subject)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-computed_at", "-pk")


def get_score_for(user, pk) -> RiskScore:
    return access.get_for(user, RiskScore.objects.select_related("subject", "alert"), pk)


def get_subject_for_risk(user, subject_id, *, action: str = "view") -> CorrectionSubject:
    """The subject whose risk page `user` opens: they must read risk scores and see the subject (NotFound else)."""
    access.require(user, "view", RiskScore)
    return access.get_for(
        user, CorrectionSubject.objects.select_related("jurisdiction", "agency"), subject_id, action
    )


def score_history(subject: CorrectionSubject):
    return RiskScore.objects.filter(subject=subject).order_by("-computed_at", "-pk")


# --- incidents ----------------------------------------------------------------------------------------------------


def list_incidents(user, *, status: str = "", region: str = "", subject: int | None = None, q: str = ""):
    qs = AbscondingIncident.objects.restrict(user, "view").select_related("subject", "jurisdiction", "agency")
    if status == "open":
        qs = qs.filter(status__in=OPEN_INCIDENTS)
    elif status:
        qs = qs.filter(status=status)
    qs = _region(qs, region)
    if subject:
        qs = qs.filter(subject_id=subject)
    if q:
        q = q.strip()
        qs = qs.filter(Q(number__contains=q) | Q(subject__name__contains=q) | Q(subject__number__contains=q))
    return qs.order_by("-opened_at", "-pk")


def get_incident_for(user, pk, *, action: str = "view") -> AbscondingIncident:
    qs = AbscondingIncident.objects.select_related("subject", "jurisdiction", "agency", "alert", "opened_by")
    return access.get_for(user, qs, pk, action)


def get_subject_for_incident(user, subject_id) -> CorrectionSubject:
    """The subject an incident is opened for: one the user may change (NotFound else)."""
    access.require(user, "add", AbscondingIncident)
    return access.get_for(user, CorrectionSubject, subject_id, "change")


def get_alert_for(user, alert_id) -> CorrectionAlert:
    return access.get_for(user, CorrectionAlert.objects.select_related("subject"), alert_id, "change")


def incident_tile(user):
    """The workbench tile: open 脱管查找, the nearest deadline first."""
    from smartjustice.correction.module import TileContent, TodoItem

    qs = list_incidents(user, status="open")
    items = []
    for incident in qs.order_by("escalate_by", "pk")[:8]:
        due = incident.escalate_by if incident.status == IncidentStatus.SEARCHING else incident.report_by
        items.append(
            TodoItem(
                title=f"{incident.subject.name}（{incident.number}）",
                href=reverse("correction:incident-detail", args=[incident.pk]),
                due_on=timezone.localdate(due),
                due_label="提请协助期限" if incident.status == IncidentStatus.SEARCHING else "报告期限",
                status=incident.status_label,
                detail=incident.jurisdiction.name,
            )
        )
    return TileContent(
        count=qs.count(),
        items=tuple(items),
        href=reverse("correction:incident-list"),
        empty="没有在办的脱管查找",
    )
