"""Every write of 执法公示: opening, computing, filling in, submitting, returning and accepting annual reports.
Each service is one transaction and one audit entry; the workflow steps go through core.workflow."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, audit, workflow
from smartjustice.core.choices import JurisdictionLevel
from smartjustice.core.errors import TransitionNotAllowed, ValidationFailed

from . import metrics
from .choices import DisclosureAuditEvent, FigureSource, ReportStatus
from .models import AnnualReport, ReportFigure

SCHEDULE_FILE = Path(__file__).parent / "data" / "schedule.json"
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
MAX_VALUE = Decimal("9999999999999999.99")


@lru_cache(maxsize=1)
def _schedule() -> dict:
    return json.loads(SCHEDULE_FILE.read_text(encoding="utf-8"))["due"]


def due_on(level: int, year: int) -> date | None:
    """The configured filing date for a report of `level` for `year` (in the following year; data/schedule.json)."""
    month_day = _schedule().get(str(level))
    if not month_day:
        return None
    month, day = (int(part) for part in month_day.split("-"))
    return date(year + 1, month, day)


@transaction.atomic
def open_report(*, organisation, year: int, actor) -> AnnualReport:
    """Open the annual report of the organisation's jurisdiction for `year` and compute its figures."""
    access.require(actor, "add", AnnualReport)
    if (
        organisation is None
        or getattr(actor, "organisation_id", None) != organisation.pk
        and not actor.is_superuser
    ):
        raise ValidationFailed(
            "只能为本单位所在区划填报", fields={"organisation": ["只能为本单位所在区划填报"]}
        )
    place = organisation.jurisdiction
    if place.level > JurisdictionLevel.COUNTY:
        raise ValidationFailed(
            "年度行政执法数据由县级以上司法行政部门填报", fields={"organisation": ["乡镇（街道）不单独填报"]}
        )
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 2000 <= year < this_year:
        message = f"只能填报已经结束的年度（2000 至 {this_year - 1} 年）"
        raise ValidationFailed(message, fields={"year": [message]})
    if AnnualReport.objects.filter(jurisdiction=place, year=year).exists():
        message = f"{place.name}{year} 年度的报告已经存在"
        raise ValidationFailed(message, fields={"year": [message]})
    with audit.operation(DisclosureAuditEvent.REPORT_OPENED, obj=audit.NEW, actor=actor):
        report = AnnualReport.objects.create(
            organisation=organisation,
            jurisdiction=place,
            level=place.level,
            year=year,
            due_on=due_on(place.level, year),
        )
        _compute(report)
    return report


@transaction.atomic
def compute_report(report: AnnualReport, *, actor) -> AnnualReport:
    """Recompute every computed figure from the cases (draft or returned reports only)."""
    _editable(report)
    with audit.operation(DisclosureAuditEvent.REPORT_COMPUTED, obj=report, actor=actor):
        _compute(report)
    return report


def _compute(report: AnnualReport) -> None:
    from . import queries

    now = timezone.now()
    values = metrics.evaluate(queries.cases_in(report), report.year)
    existing = {f.metric: f for f in report.figures.all()}
    for metric in metrics.computed_metrics():
        figure = existing.get(metric.code) or ReportFigure(report=report, metric=metric.code)
        figure.value = values[metric.code]
        figure.source = FigureSource.COMPUTED
        figure.computed_at = now
        figure.save()
    report.computed_at = now
    report.save(update_fields=["computed_at", "updated_at"])


@transaction.atomic
def enter_figure(report: AnnualReport, *, metric: str, value, note: str = "", actor) -> ReportFigure:
    """Enter a manual metric's value (the system does not hold the data behind it)."""
    _editable(report)
    definition = metrics.get(metric)
    if definition is None or not definition.manual:
        raise ValidationFailed(
            "只有人工填报的数据项可以填写，其余由系统统计", fields={"metric": ["该数据项由系统统计"]}
        )
    try:
        number = Decimal(str(value)).quantize(metrics.CENT)
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite() or number < 0 or number > MAX_VALUE:
        raise ValidationFailed("请填写不小于 0 的数值", fields={"value": ["请填写不小于 0 的数值"]})
    with audit.operation(
        DisclosureAuditEvent.FIGURE_ENTERED, obj=report, actor=actor, detail=definition.name
    ):
        figure, _ = ReportFigure.objects.get_or_create(
            report=report, metric=metric, defaults={"source": FigureSource.MANUAL}
        )
        figure.value = number
        figure.source = FigureSource.MANUAL
        figure.note = (note or "").strip()[:300]
        figure.computed_at = timezone.now()
        figure.save()
        report.save(update_fields=["updated_at"])
    return figure


@transaction.atomic
def submit_report(report: AnnualReport, *, actor) -> AnnualReport:
    """报送: the filing office sends the report to the level above (the figures are frozen from now on)."""
    with audit.operation(DisclosureAuditEvent.REPORT_SUBMITTED, obj=report, actor=actor):
        workflow.transition(report, "submit", actor=actor)
        report.submitted_at = timezone.now()
        report.return_reason = ""
        report.save(update_fields=["submitted_at", "return_reason", "updated_at"])
    return report


@transaction.atomic
def return_report(report: AnnualReport, *, reason: str, actor) -> AnnualReport:
    """退回: the level above sends the report back with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写退回理由", fields={"reason": ["请填写退回理由"]})
    with audit.operation(DisclosureAuditEvent.REPORT_RETURNED, obj=report, actor=actor, detail=reason[:200]):
        workflow.transition(
            report, "return_report", actor=actor, payload={"reason": reason}, comment=reason[:200]
        )
        report.return_reason = reason[:500]
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.save(update_fields=["return_reason", "reviewed_at", "reviewed_by", "updated_at"])
    return report


@transaction.atomic
def accept_report(report: AnnualReport, *, actor) -> AnnualReport:
    """审核通过: the level above accepts the report; its figures are then public."""
    with audit.operation(DisclosureAuditEvent.REPORT_ACCEPTED, obj=report, actor=actor):
        workflow.transition(report, "accept", actor=actor)
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        report.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])
    return report


def _editable(report: AnnualReport) -> None:
    if report.status not in EDITABLE:
        raise TransitionNotAllowed(f"报告{report.status_label}，不能再修改数据")


TRANSITION_SERVICES = {"submit": submit_report, "return_report": return_report, "accept": accept_report}
