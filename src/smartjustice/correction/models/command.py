"""Risk scores and 脱管 (absconding) incidents: what the command dashboard, the statistics and the risk pages read.

`RiskScore` rows are written by correction/risk.py (the periodic job and an officer's 重新评估), one row each time a
subject's score changes, so the history stays; `AbscondingIncident` by correction/command.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from .monitoring import CorrectionAlert
from .subjects import SUBJECT_SCOPES, CorrectionSubject

HANDLE_INCIDENT = "correction.change_abscondingincident"


class RiskLevel(models.TextChoices):
    """Levels of the risk score (rules.RISK_LEVELS)."""

    LOW = "low", "低风险"
    MEDIUM = "medium", "中风险"
    HIGH = "high", "高风险"


class RiskScore(DomainModel):
    """One assessment of a subject's risk of reoffending or absconding: the score is the sum of the factors'
    points (each factor, its input and its contribution stored in `factors`), so the page can show why."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = {"view": ("jurisdiction",)}

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="risk_scores"
    )
    computed_at = models.DateTimeField("评估时间", db_index=True)
    score = models.FloatField("风险评分")
    level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, db_index=True)
    probability = models.FloatField("估计概率（未经本地校准）", default=0.0)
    # [{code, label, input, points, max_points, note}] — the points add up to `score`.
    factors = models.JSONField("各因素及贡献", default=list)
    model_version = models.CharField("评分模型版本", max_length=16)
    alert = models.ForeignKey(
        CorrectionAlert,
        verbose_name="产生的风险预警",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "风险评估"
        verbose_name_plural = "风险评估"
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["subject", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.subject.name}：{self.score:g}分（{self.get_level_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("correction:risk-detail", args=[self.subject_id])


class IncidentStatus(models.TextChoices):
    SEARCHING = "searching", "查找中"
    ESCALATED = "escalated", "已提请公安协助"
    REPORTED = "reported", "已报告查找情况"
    CLOSED = "closed", "已办结"


class IncidentOutcome(models.TextChoices):
    """How a 脱管 ends (第三十条第二句: 查找到后区别情形依法处理)."""

    FOUND = "found", "已查找到，恢复监管"
    DETAINED = "detained", "已被羁押或采取强制措施"
    REVOCATION = "revocation", "已提请撤销缓刑、假释或收监执行"
    DECEASED = "deceased", "死亡"
    OTHER = "other", "其他"


def _text_given(field: str, message: str):
    def guard(incident, actor, payload=None) -> str | None:
        if payload is not None and not str(payload.get(field) or "").strip():
            return message
        return None

    guard.__name__ = f"requires_{field}"
    return guard


def _outcome_given(incident, actor, payload=None) -> str | None:
    if payload is not None and str(payload.get("outcome") or "") not in IncidentOutcome.values:
        return "请选择处置结果"
    return None


INCIDENT_WORKFLOW = Workflow(
    name="correction.absconding",
    initial=IncidentStatus.SEARCHING,
    states=[
        State(IncidentStatus.SEARCHING, IncidentStatus.SEARCHING.label),
        State(IncidentStatus.ESCALATED, IncidentStatus.ESCALATED.label),
        State(IncidentStatus.REPORTED, IncidentStatus.REPORTED.label),
        State(IncidentStatus.CLOSED, IncidentStatus.CLOSED.label, final=True),
    ],
    transitions=[
        Transition(
            "escalate",
            "提请公安机关协助查找并上报",
            (IncidentStatus.SEARCHING,),
            IncidentStatus.ESCALATED,
            permission=HANDLE_INCIDENT,
            guards=(_text_given("police_unit", "请填写协助查找的公安机关"),),
            style="danger",
        ),
        Transition(
            "report",
            "报告查找情况",
            (IncidentStatus.SEARCHING, IncidentStatus.ESCALATED),
            IncidentStatus.REPORTED,
            permission=HANDLE_INCIDENT,
            guards=(_text_given("report", "请填写查找情况报告"),),
            style="warning",
        ),
        Transition(
            "close",
            "办结",
            (IncidentStatus.REPORTED,),
            IncidentStatus.CLOSED,
            permission=HANDLE_INCIDENT,
            guards=(_outcome_given,),
        ),
    ],
)


class AbscondingIncident(DomainModel):
    """脱管: a subject who cannot be reached — searched for at once (第三十条), escalated to the police, reported,
    closed with its outcome. `notes` is the timeline of the search."""

    workflow = INCIDENT_WORKFLOW
    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    access_scopes = SUBJECT_SCOPES

    number = models.CharField("编号", max_length=40, unique=True)
    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="incidents"
    )
    alert = models.ForeignKey(
        CorrectionAlert,
        verbose_name="由预警转入",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=INCIDENT_WORKFLOW.choices,
        default=INCIDENT_WORKFLOW.initial,
        db_index=True,
    )
    opened_at = models.DateTimeField("发现失去联系时间", db_index=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="启动人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    escalate_by = models.DateTimeField("提请协助期限")
    report_by = models.DateTimeField("报告期限")
    escalated_at = models.DateTimeField("提请协助时间", null=True, blank=True)
    police_unit = models.CharField("协助查找的公安机关", max_length=100, blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    report = models.TextField("查找情况报告", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    outcome = models.CharField("处置结果", max_length=16, choices=IncidentOutcome.choices, blank=True)
    found_at = models.DateTimeField("查找到的时间", null=True, blank=True)
    notes = models.JSONField("查找记录", default=list, blank=True)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="执行地区划", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "core.Organisation", verbose_name="社区矫正机构", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "脱管处置"
        verbose_name_plural = "脱管处置"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=~models.Q(status="closed"),
                name="correction_one_open_incident_per_subject",
            )
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject.name}"

    def get_absolute_url(self) -> str:
        return reverse("correction:incident-detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return INCIDENT_WORKFLOW.state_label(self.status)
