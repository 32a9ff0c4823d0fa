"""The risk score: a transparent points scorecard of a subject's risk of reoffending or absconding.

Each factor turns one input (missed reports, location breaches, lost signal, sanctions, employment, family
situation, offence type, time under correction, age) into points; the score is the plain sum of the points (0–100),
so every contribution is shown and the score only rises when a risk input worsens (monotone by construction: each
points function is non-decreasing in its input's risk order). The level follows rules.RISK_LEVELS (第三条 分类管理、
个别化矫正); rising into 高风险 raises one CorrectionAlert of kind RISK (rules.RISK_PLAN_REVIEW, 第二十四条 调整矫正
方案) — once per crossing: staying high raises nothing more, falling and rising again raises a new one.

`probability` maps the score through a logistic curve to an estimated chance of a serious breach within a year.
Its two constants are illustrative, not fitted on real outcomes: correction/risk_evaluation.py measures the score's
discrimination (AUC) on simulated histories, and a real deployment must calibrate weights and curve on its own data.
Only services write: `recompute_scores` (the periodic job) and `assess_subject` (an officer's 重新评估).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from smartjustice.core import access, audit

from . import alerts, rules
from .choices import (
    UNDER_CORRECTION,
    AlertKind,
    AlertStatus,
    CorrectionAuditEvent,
    Employment,
    FamilySituation,
    OffenceType,
)
from .models import CorrectionAlert, CorrectionSubject, RiskLevel, RiskScore

MODEL_VERSION = "2026.1"
LOOKBACK_DAYS = 180  # behaviour counted over the last half year
CHUNK = 500
BREACH_KINDS = (AlertKind.GEOFENCE_EXIT, AlertKind.FORBIDDEN_ZONE, AlertKind.CURFEW)
# Illustrative logistic curve score → probability (see the module docstring: calibrate locally).
CURVE_MIDPOINT = 50.0
CURVE_SCALE = 10.0


@dataclass(frozen=True)
class RiskInputs:
    """What the score reads about one subject (counts over the last LOOKBACK_DAYS days)."""

    missed_reports: int = 0
    location_breaches: int = 0
    signal_losses: int = 0
    admonitions: int = 0
    warnings: int = 0
    employment: str = Employment.EMPLOYED
    family_situation: str = FamilySituation.STABLE
    offence_type: str = OffenceType.OTHER
    days_under_correction: int = 365
    age: int | None = None


@dataclass(frozen=True)
class Factor:
    """One factor: its points (0 … max_points) for the inputs, and the input as the page shows it."""

    code: str
    label: str
    max_points: int
    points: Callable[[RiskInputs], int]
    shown: Callable[[RiskInputs], str]
    note: str = ""


def _per_event(each: int, cap: int, name: str) -> Callable[[RiskInputs], int]:
    return lambda i: min(cap, each * max(0, int(getattr(i, name))))


EMPLOYMENT_POINTS = {
    Employment.UNEMPLOYED: 8,
    Employment.RETIRED: 2,
    Employment.STUDENT: 0,
    Employment.EMPLOYED: 0,
}
FAMILY_POINTS = {FamilySituation.ALONE: 8, FamilySituation.STRAINED: 6, FamilySituation.STABLE: 0}
OFFENCE_POINTS = {
    OffenceType.DRUG: 8,
    OffenceType.PROPERTY: 7,
    OffenceType.VIOLENT: 6,
    OffenceType.OTHER: 3,
    OffenceType.ECONOMIC: 2,
    OffenceType.TRAFFIC: 1,
    OffenceType.DUTY: 0,
}
BASE_POINTS = 2


def _time_points(i: RiskInputs) -> int:
    # The first months under correction carry the most breaches: fewer days, more points.
    days = max(0, i.days_under_correction)
    return 6 if days < 90 else 3 if days < 180 else 0


def _age_points(i: RiskInputs) -> int:
    if i.age is None:
        return 0
    return 4 if i.age < 25 else 2 if i.age < 35 else 0


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value or "未登记")


FACTORS: tuple[Factor, ...] = (
    Factor("base", "基础分", BASE_POINTS, lambda i: BASE_POINTS, lambda i: "—", "每名社区矫正对象"),
    Factor(
        "missed_reports",
        "未按时报告",
        20,
        _per_event(5, 20, "missed_reports"),
        lambda i: f"{i.missed_reports} 次",
        "近180日未按时报告预警（误报除外），每次5分，最多20分",
    ),
    Factor(
        "location_breaches",
        "越界、进入禁止区域、违反宵禁",
        18,
        _per_event(6, 18, "location_breaches"),
        lambda i: f"{i.location_breaches} 次",
        "近180日定位预警（核实为误报的除外），每次6分，最多18分",
    ),
    Factor(
        "signal_losses",
        "定位信号中断",
        6,
        _per_event(2, 6, "signal_losses"),
        lambda i: f"{i.signal_losses} 次",
        "近180日信号中断预警，每次2分，最多6分",
    ),
    Factor(
        "sanctions",
        "训诫、警告",
        20,
        lambda i: min(20, 5 * max(0, i.admonitions) + 10 * max(0, i.warnings)),
        lambda i: f"训诫 {i.admonitions} 次，警告（含提请治安管理处罚） {i.warnings} 次",
        "矫正期间受到的训诫每次5分、警告每次10分，最多20分",
    ),
    Factor(
        "employment",
        "就业就学",
        8,
        lambda i: EMPLOYMENT_POINTS.get(i.employment, 0),
        lambda i: _label(Employment, i.employment),
        "无业8分，退休或无劳动能力2分",
    ),
    Factor(
        "family",
        "家庭情况",
        8,
        lambda i: FAMILY_POINTS.get(i.family_situation, 0),
        lambda i: _label(FamilySituation, i.family_situation),
        "独居、无家庭支持8分，家庭关系紧张6分",
    ),
    Factor(
        "offence",
        "犯罪类型",
        8,
        lambda i: OFFENCE_POINTS.get(i.offence_type, 3),
        lambda i: _label(OffenceType, i.offence_type),
        "毒品8分，侵财7分，暴力6分，其他3分，经济2分，交通1分",
    ),
    Factor(
        "time_under_correction",
        "矫正时间",
        6,
        _time_points,
        lambda i: f"已矫正 {max(0, i.days_under_correction)} 日",
        "入矫不满90日6分，不满180日3分",
    ),
    Factor(
        "age",
        "年龄",
        4,
        _age_points,
        lambda i: f"{i.age} 岁" if i.age is not None else "未登记",
        "不满25周岁4分，不满35周岁2分",
    ),
)
MAX_SCORE = sum(f.max_points for f in FACTORS)


@dataclass(frozen=True)
class Contribution:
    code: str
    label: str
    input: str
    points: int
    max_points: int
    note: str


@dataclass(frozen=True)
class Assessment:
    """The score of one set of inputs: the points add up to `score`."""

    score: int
    level: str
    probability: float
    contributions: tuple[Contribution, ...]

    def factors_json(self) -> list[dict]:
        return [asdict(c) for c in self.contributions]

    def top(self, n: int = 3) -> list[Contribution]:
        return sorted(
            (c for c in self.contributions if c.points and c.code != "base"), key=lambda c: -c.points
        )[:n]


def level_for(score: float) -> str:
    """rules.RISK_LEVELS: 中风险 from 30 points, 高风险 from 55."""
    thresholds = rules.RISK_LEVELS.value
    if score >= thresholds["high"]:
        return RiskLevel.HIGH
    if score >= thresholds["medium"]:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def probability_for(score: float) -> float:
    return round(1.0 / (1.0 + math.exp(-(score - CURVE_MIDPOINT) / CURVE_SCALE)), 4)


def score_inputs(inputs: RiskInputs) -> Assessment:
    """The points of every factor for `inputs`, their sum, the level and the illustrative probability."""
    contributions = tuple(
        Contribution(f.code, f.label, f.shown(inputs), int(f.points(inputs)), f.max_points, f.note)
        for f in FACTORS
    )
    score = sum(c.points for c in contributions)
    return Assessment(score, level_for(score), probability_for(score), contributions)


# --- reading the inputs (set-based) --------------------------------------------------------------------------------


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _sanction_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """Issued 训诫 and 警告 per subject (helper E's Sanction; none while that part is not installed)."""
    try:
        sanction = apps.get_model("correction", "Sanction")
    except LookupError:
        return {}
    rows = (
        sanction.objects.filter(
            subject_id__in=ids,
            issued_on__isnull=False,
            kind__in=("admonition", "warning", "security_punishment"),
        )
        .order_by()
        .values_list("subject_id", "kind")
        .annotate(n=Count("pk"))
    )
    found: dict[int, dict[str, int]] = {}
    for subject_id, kind, n in rows:
        key = "admonitions" if kind == "admonition" else "warnings"
        found.setdefault(subject_id, {}).setdefault(key, 0)
        found[subject_id][key] += n
    return found


def gather_inputs(ids: Iterable[int], *, now: datetime | None = None) -> dict[int, RiskInputs]:
    """The inputs of the subjects `ids`, in three queries (subjects, alert counts, sanction counts)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = list(ids)
    since = now - timedelta(days=LOOKBACK_DAYS)
    counts: dict[int, dict[str, int]] = {}
    rows = (
        CorrectionAlert.objects.filter(subject_id__in=ids, started_at__gte=since, started_at__lte=now)
        .exclude(status=AlertStatus.DISMISSED)
        .order_by()
        .values_list("subject_id", "kind")
        .annotate(n=Count("pk"))
    )
    for subject_id, kind, n in rows:
        key = (
            "missed_reports"
            if kind == AlertKind.MISSED_REPORT
            else "location_breaches"
            if kind in BREACH_KINDS
            else "signal_losses"
            if kind == AlertKind.SIGNAL_LOST
            else None
        )
        if key:
            counts.setdefault(subject_id, {}).setdefault(key, 0)
            counts[subject_id][key] += n
    sanctions = _sanction_counts(ids)
    found = {}
    for row in CorrectionSubject.objects.filter(pk__in=ids).values(
        "pk", "employment", "family_situation", "offence_type", "starts_on", "birth_date"
    ):
        pk = row["pk"]
        found[pk] = RiskInputs(
            **counts.get(pk, {}),
            **sanctions.get(pk, {}),
            employment=row["employment"],
            family_situation=row["family_situation"],
            offence_type=row["offence_type"],
            days_under_correction=(today - row["starts_on"]).days,
            age=_age(row["birth_date"], today),
        )
    return found


def latest_scores(queryset=None):
    """Each subject's latest RiskScore (of `queryset`, default all): one correlated subquery, indexed."""
    queryset = RiskScore.objects.all() if queryset is None else queryset
    newest = (
        RiskScore.objects.filter(subject=OuterRef("subject")).order_by("-computed_at", "-pk").values("pk")[:1]
    )
    return queryset.filter(pk=Subquery(newest))


# --- writing ---------------------------------------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    assessed: int = 0
    changed: int = 0
    alerts: int = 0

    def summary(self) -> str:
        return f"评估 {self.assessed} 名，评分变化 {self.changed} 名，风险预警 {self.alerts} 条"


def _alert_for(subject: CorrectionSubject, assessment: Assessment, previous: RiskScore | None, now):
    factors = "、".join(f"{c.label}{c.points}分" for c in assessment.top())
    was = f"（原 {previous.score:g} 分）" if previous is not None else ""
    alert, created = alerts.raise_alert(
        subject,
        kind=AlertKind.RISK,
        why=f"风险评分升至 {assessment.score} 分{was}，达到高风险；主要因素：{factors or '无'}"
        f"。请核实情况并调整矫正方案（{rules.RISK_PLAN_REVIEW.citation}）",
        evidence={
            "risk_score": assessment.score,
            "risk_previous": previous.score if previous is not None else None,
            "risk_factors": [asdict(c) for c in assessment.top(5)],
            "risk_model": MODEL_VERSION,
        },
        started_at=now,
    )
    return alert, created


def _assess(
    ids: list[int], *, now, result: RecomputeResult
) -> list[tuple[RiskScore, Assessment, RiskScore | None]]:
    """Score the subjects `ids` (rows locked): the new RiskScore rows (unsaved) where the score changed, each with
    its assessment and the previous score."""
    subjects = {s.pk: s for s in CorrectionSubject.objects.select_for_update().filter(pk__in=ids)}
    inputs = gather_inputs(list(subjects), now=now)
    previous = {
        s.subject_id: s for s in latest_scores(RiskScore.objects.filter(subject_id__in=list(subjects)))
    }
    changed = []
    for pk, subject in subjects.items():
        assessment = score_inputs(inputs[pk])
        result.assessed += 1
        before = previous.get(pk)
        if before is not None and before.score == assessment.score and before.level == assessment.level:
            continue
        row = RiskScore(
            subject=subject,
            computed_at=now,
            score=assessment.score,
            level=assessment.level,
            probability=assessment.probability,
            factors=assessment.factors_json(),
            model_version=MODEL_VERSION,
        )
        changed.append((row, assessment, before))
    return changed


def _store(changed, *, now, result: RecomputeResult) -> None:
    """Raise the alert of each crossing into 高风险, then store the new rows (inside the caller's operation)."""
    for row, assessment, before in changed:
        crossed = assessment.level == RiskLevel.HIGH and (before is None or before.level != RiskLevel.HIGH)
        if crossed and row.subject.under_correction:
            row.alert, created = _alert_for(row.subject, assessment, before, now)
            result.alerts += int(created)
        result.changed += 1
    RiskScore.objects.bulk_create([row for row, _, _ in changed])


@transaction.atomic
def recompute_scores(*, now: datetime | None = None, actor=None, subject_ids=None) -> RecomputeResult:
    """Score every subject under correction (or `subject_ids`), store a new RiskScore where the score changed, and
    raise a RISK alert for each subject that rose into 高风险. Nothing changed: nothing written, no audit entry.
    Safe in two workers: subjects are locked per chunk, and the second sees the first's scores."""
    now = now or timezone.now()
    result = RecomputeResult()
    qs = CorrectionSubject.objects.filter(status__in=UNDER_CORRECTION)
    if subject_ids is not None:
        qs = qs.filter(pk__in=list(subject_ids))
    all_ids = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(all_ids), CHUNK):
        changed = _assess(all_ids[start : start + CHUNK], now=now, result=result)
        if not changed:
            continue
        with audit.operation(
            CorrectionAuditEvent.RISK_ASSESSED,
            obj=None,
            actor=actor,
            object_type=RiskScore._meta.label_lower,
            jurisdiction_code=access.province_code(),
        ) as op:
            _store(changed, now=now, result=result)
            op.detail = f"评分变化 {len(changed)} 名"
    return result


@transaction.atomic
def assess_subject(subject: CorrectionSubject, *, actor, now: datetime | None = None) -> RiskScore | None:
    """重新评估 one subject now (an officer's button): a new RiskScore when the score changed (one audit entry);
    the latest score (None only for a subject never scored whose assessment could not be stored)."""
    now = now or timezone.now()
    result = RecomputeResult()
    changed = _assess([subject.pk], now=now, result=result)
    if changed:
        with audit.operation(CorrectionAuditEvent.RISK_ASSESSED, obj=subject, actor=actor) as op:
            _store(changed, now=now, result=result)
            op.detail = result.summary()
    return latest_scores(RiskScore.objects.filter(subject=subject)).first()


def preview(subject: CorrectionSubject, *, now: datetime | None = None) -> Assessment:
    """The score the subject would get now (read only: the risk page before the first stored assessment)."""
    return score_inputs(gather_inputs([subject.pk], now=now)[subject.pk])
