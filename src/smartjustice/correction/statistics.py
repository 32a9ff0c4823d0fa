"""统计分析 of 社区矫正: counts and trends by category, level, offence, region and risk, over what the user may see
(restricted reads; a town account counts only its 街道). Every figure is one aggregate query (GROUP BY in SQL)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from smartjustice.core import maps
from smartjustice.core.divisions import SIGNIFICANT_DIGITS
from smartjustice.core.models import Jurisdiction

from .choices import (
    UNDER_CORRECTION,
    AlertKind,
    AlertStatus,
    CorrectionCategory,
    OffenceType,
    SubjectStatus,
    SupervisionLevel,
)
from .models import CorrectionAlert, CorrectionSubject, RiskLevel, RiskScore

OPEN_ALERTS = (AlertStatus.OPEN, AlertStatus.CONTACTED)
TREND_MONTHS = 12


def subjects(user):
    return CorrectionSubject.objects.restrict(user, "view")


def _rows(counts: dict, choices) -> list[dict]:
    """[{code, name, value}] in the choices' order, zeros included (a chart keeps its categories)."""
    return [{"code": c, "name": choices(c).label, "value": counts.get(c, 0)} for c in choices.values]


def _grouped(qs, field: str) -> dict:
    return dict(qs.order_by().values_list(field).annotate(n=Count("pk")))


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    found = []
    for _ in range(months):
        found.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(found))


def _by_month(qs, field: str, since: date) -> dict[str, int]:
    rows = (
        qs.filter(**{f"{field}__gte": since})
        .order_by()
        .annotate(month=TruncMonth(field))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    found: dict[str, int] = {}
    for month, n in rows:
        if month is None:
            continue
        key = f"{month:%Y-%m}"
        found[key] = found.get(key, 0) + n
    return found


def monthly_trend(user, *, months: int = TREND_MONTHS, today: date | None = None) -> dict:
    """入矫 and 解矫（含终止） per month, and alerts raised per month, over the last `months` months."""
    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    qs = subjects(user)
    intake = _by_month(qs, "intake_on", starts[0])
    released = _by_month(qs.filter(released_on__isnull=False), "released_on", starts[0])
    alerts = _by_month(
        CorrectionAlert.objects.restrict(user, "view"),
        "started_at",
        timezone.make_aware(datetime(starts[0].year, starts[0].month, 1)),
    )
    labels = [f"{m:%Y-%m}" for m in starts]
    return {
        "months": labels,
        "intake": [intake.get(m, 0) for m in labels],
        "released": [released.get(m, 0) for m in labels],
        "alerts": [alerts.get(m, 0) for m in labels],
    }


def _level_below(user) -> int:
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    return min((own.level + 1) if own is not None else 2, 5)


def roll_up(user, by_code: dict[str, int]) -> list[dict]:
    """Counts per division one level below the user's own (the province's cities, a city's counties, a county's
    towns), largest first."""
    digits = SIGNIFICANT_DIGITS[_level_below(user)]
    totals: dict[str, int] = {}
    for code, n in by_code.items():
        key = code[:digits].ljust(12, "0")
        totals[key] = totals.get(key, 0) + n
    names = dict(Jurisdiction.objects.filter(code__in=totals).values_list("code", "name"))
    return [
        {"code": code, "name": names.get(code, code), "value": n}
        for code, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def map_level(user) -> str:
    """Cities for the province (and users without a place), county-level units below."""
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    return maps.CITY if own is None or own.level <= 1 else maps.DISTRICT


def overview(user, *, today: date | None = None) -> dict:
    """The statistics page and API: subjects under correction by category, level, offence type, region and risk
    level; every status; open alerts by kind; the monthly trend."""
    qs = subjects(user)
    active = qs.filter(status__in=UNDER_CORRECTION)
    by_category = _grouped(active, "category")
    by_level = _grouped(active, "level")
    by_offence = _grouped(active, "offence_type")
    by_status = _grouped(qs, "status")
    by_code = _grouped(active, "jurisdiction_id")
    from .risk import latest_scores

    scores = latest_scores(RiskScore.objects.restrict(user, "view")).filter(
        subject__status__in=UNDER_CORRECTION
    )
    by_risk = _grouped(scores, "level")
    open_alerts = CorrectionAlert.objects.restrict(user, "view").filter(status__in=OPEN_ALERTS)
    by_alert_kind = _grouped(open_alerts, "kind")
    minors = active.filter(is_minor=True).count()
    return {
        "active": sum(by_category.values()),
        "minors": minors,
        "total": sum(by_status.values()),
        "by_category": _rows(by_category, CorrectionCategory),
        "by_level": _rows(by_level, SupervisionLevel),
        "by_offence": _rows(by_offence, OffenceType),
        "by_status": _rows(by_status, SubjectStatus),
        "by_risk": _rows(by_risk, RiskLevel),
        "unscored": sum(by_category.values()) - sum(by_risk.values()),
        "by_alert_kind": _rows(by_alert_kind, AlertKind),
        "by_region": roll_up(user, by_code),
        "by_code": by_code,
        "trend": monthly_trend(user, today=today),
    }
