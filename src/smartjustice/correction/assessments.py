"""考核 (helper E): monthly and quarterly assessments of a subject's conduct with points per item (第二十八条), one per
subject, kind and period; the grade follows rules.ASSESSMENT_SCALE. One transaction and one audit entry each."""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from smartjustice.core import access, audit
from smartjustice.core.errors import PermissionDenied, ValidationFailed

from . import rules
from .choices import UNDER_CORRECTION, CorrectionAuditEvent
from .models import CorrectionSubject
from .models.conduct import Assessment, AssessmentGrade, AssessmentKind

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def period_bounds(kind: str, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period ("2026-11" for a month, "2026-Q4" for a quarter)."""
    period = str(period or "").strip().upper()
    if kind == AssessmentKind.MONTHLY:
        match = MONTH.match(period)
        if not match:
            raise _invalid("period", "月度考核的期间格式为“年-月”，如 2026-11")
        year, month = int(match[1]), int(match[2])
        first = datetime.date(year, month, 1)
        last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
            days=1
        )
        return first, last
    match = QUARTER.match(period)
    if not match:
        raise _invalid("period", "季度考核的期间格式为“年-Q季度”，如 2026-Q4")
    year, quarter = int(match[1]), int(match[2])
    first = datetime.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    last = (
        datetime.date(year + 1, 1, 1) if end_month == 12 else datetime.date(year, end_month + 1, 1)
    ) - datetime.timedelta(days=1)
    return first, last


def grade_for(points: int) -> str:
    scale = rules.ASSESSMENT_SCALE.value
    if points >= scale["good"]:
        return AssessmentGrade.GOOD
    if points >= scale["fair"]:
        return AssessmentGrade.FAIR
    return AssessmentGrade.POOR


def _items(items) -> tuple[list[dict], int]:
    """Scored items against rules.ASSESSMENT_ITEMS: each 0…its maximum; the total is their sum."""
    maxima = {code: (label, maximum) for code, label, maximum in rules.ASSESSMENT_ITEMS.value}
    scored, seen = [], set()
    for row in items or ():
        row = dict(row) if not isinstance(row, dict) else row
        code = str(row.get("code") or "")
        if code not in maxima:
            raise _invalid("items", f"未知的考核项目：{code or '（空）'}")
        if code in seen:
            raise _invalid("items", f"考核项目重复：{maxima[code][0]}")
        seen.add(code)
        try:
            points = int(row.get("points"))
        except (TypeError, ValueError):
            raise _invalid("items", f"{maxima[code][0]}的得分须为整数") from None
        label, maximum = maxima[code]
        if not 0 <= points <= maximum:
            raise _invalid("items", f"{label}的得分应在0至{maximum}分之间")
        scored.append(
            {
                "code": code,
                "label": label,
                "points": points,
                "max": maximum,
                "note": str(row.get("note") or "")[:200],
            }
        )
    missing = [label for code, (label, _) in maxima.items() if code not in seen]
    if missing:
        raise _invalid("items", "请为每个考核项目评分：" + "、".join(missing))
    return scored, sum(row["points"] for row in scored)


@transaction.atomic
def record_assessment(
    subject: CorrectionSubject,
    *,
    actor,
    kind: str,
    period: str,
    items,
    note: str = "",
    assessed_on=None,
) -> Assessment:
    """考核: score each item for one month or quarter of the subject's term (one per subject, kind and period)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    access.require(actor, "add", Assessment)
    if not access.can(actor, "change", subject):
        raise PermissionDenied("您不能考核该社区矫正对象")
    if subject.status not in UNDER_CORRECTION:
        raise _invalid("subject", "该对象已不在社区矫正期间")
    if kind not in AssessmentKind.values:
        raise _invalid("kind", "请选择考核类型")
    period = str(period or "").strip().upper()
    first, last = period_bounds(kind, period)
    today = timezone.localdate()
    if first > today:
        raise _invalid("period", "不能考核尚未开始的期间")
    if last < subject.starts_on or first > subject.ends_on:
        raise _invalid("period", "考核期间不在该对象的矫正期限内")
    if Assessment.objects.filter(subject=subject, kind=kind, period=period).exists():
        raise _invalid("period", f"该对象{period}的{AssessmentKind(kind).label}已经记录")
    scored, points = _items(items)
    assessment = Assessment(
        subject=subject,
        kind=kind,
        period=period,
        points=points,
        grade=grade_for(points),
        items=scored,
        note=str(note or "").strip()[:2000],
        assessor=actor,
        assessed_on=assessed_on or today,
    )
    try:
        with (
            transaction.atomic(),
            audit.operation(CorrectionAuditEvent.ASSESSMENT_RECORDED, obj=audit.NEW, actor=actor),
        ):
            assessment.save()
    except IntegrityError:  # two officers at once: the unique constraint decides
        raise _invalid("period", f"该对象{period}的{AssessmentKind(kind).label}已经记录") from None
    return assessment
