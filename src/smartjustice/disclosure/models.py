"""年度行政执法数据: one report per jurisdiction and year (county → city → province), its figures, and the review
chain (a city reviews its counties' reports, the province reviews the cities'). Published decisions are not stored
here: they are read from the enforcement cases themselves (disclosure/queries.py), so a revocation withdraws them at
once (《行政处罚法》第四十八条第二款)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from smartjustice.core.choices import JurisdictionLevel
from smartjustice.core.models import DomainModel
from smartjustice.core.models.base import AuditedModelMixin, RestrictedManager
from smartjustice.core.workflow import State, Transition, Workflow

from .choices import FigureSource, ReportStatus

CHANGE = "disclosure.change_annualreport"
REVIEW = "disclosure.review_annualreport"

# A report is filed by its own 司法局 (organisation scope) and read by everyone above it (jurisdiction scope);
# reviewing needs disclosure.review_annualreport inside the reviewer's range and, by the guard below, the level above.
REPORT_SCOPES = {
    "view": ("jurisdiction",),
    "add": ("organisation",),
    "change": ("organisation",),
    "review": ("jurisdiction",),
}


def _reviewed_from_level_above(report, actor, payload=None) -> str | None:
    """A county's report is reviewed by its city, a city's by the province; the province's own by the province."""
    if actor.is_superuser:
        return None
    own = getattr(actor, "jurisdiction_id", None)
    if report.level == JurisdictionLevel.PROVINCE:
        return None if own == report.jurisdiction_id else "省级年度数据由省级司法行政部门审核"
    if own != report.jurisdiction.parent_id:
        return "年度行政执法数据由上一级司法行政部门审核（县级报市级，市级报省级）"
    return None


def _manual_figures_filled(report, actor, payload=None) -> str | None:
    missing = report.missing_manual_figures()
    if missing:
        return "以下人工填报的数据项尚未填写：" + "、".join(missing)
    return None


WORKFLOW = Workflow(
    name="disclosure.annual_report",
    initial=ReportStatus.DRAFT,
    states=[
        State(ReportStatus.DRAFT, ReportStatus.DRAFT.label),
        State(ReportStatus.SUBMITTED, ReportStatus.SUBMITTED.label),
        State(ReportStatus.RETURNED, ReportStatus.RETURNED.label),
        State(ReportStatus.ACCEPTED, ReportStatus.ACCEPTED.label, final=True),
    ],
    transitions=[
        Transition(
            "submit",
            "报送上级审核",
            (ReportStatus.DRAFT, ReportStatus.RETURNED),
            ReportStatus.SUBMITTED,
            permission=CHANGE,
            guards=(_manual_figures_filled,),
        ),
        Transition(
            "return_report",
            "退回修改",
            (ReportStatus.SUBMITTED,),
            ReportStatus.RETURNED,
            permission=REVIEW,
            guards=(_reviewed_from_level_above,),
            style="warning",
        ),
        Transition(
            "accept",
            "审核通过并公开",
            (ReportStatus.SUBMITTED,),
            ReportStatus.ACCEPTED,
            permission=REVIEW,
            guards=(_reviewed_from_level_above,),
            style="success",
        ),
    ],
)


class AnnualReport(DomainModel):
    """年度行政执法数据报告 of one jurisdiction (county, city or province) for one calendar year."""

    workflow = WORKFLOW
    jurisdiction_field = "jurisdiction"
    organisation_field = "organisation"
    access_scopes = REPORT_SCOPES

    organisation = models.ForeignKey(
        "core.Organisation", verbose_name="填报单位", on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="区划", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField("层级", choices=JurisdictionLevel.choices)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=WORKFLOW.choices, default=WORKFLOW.initial, db_index=True
    )
    due_on = models.DateField("报送期限", null=True, blank=True)
    computed_at = models.DateTimeField("统计时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "core.User", verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.CharField("退回理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "年度行政执法数据报告"
        verbose_name_plural = "年度行政执法数据报告"
        ordering = ["-year", "jurisdiction_id"]
        permissions = [("review_annualreport", "审核下级年度行政执法数据")]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="disclosure_one_report_per_year"),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction.name} {self.year} 年度行政执法数据"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:report-detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return WORKFLOW.state_label(self.status)

    def missing_manual_figures(self) -> list[str]:
        """Names of the manual metrics still without a value."""
        from . import metrics

        filled = {
            f.metric for f in self.figures.all() if f.source == FigureSource.MANUAL and f.value is not None
        }
        return [m.name for m in metrics.manual_metrics() if m.code not in filled]


class ReportFigure(AuditedModelMixin):
    """One figure of a report: computed from the cases (with when), or entered by hand for a manual metric."""

    jurisdiction_field = "report__jurisdiction"
    organisation_field = "report__organisation"
    access_scopes = REPORT_SCOPES
    audit_exclude = ()
    objects = RestrictedManager()

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField("指标代码", max_length=64)
    value = models.DecimalField("数值", max_digits=18, decimal_places=2, null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=FigureSource.choices)
    computed_at = models.DateTimeField("统计（填报）时间", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "年度数据项"
        verbose_name_plural = "年度数据项"
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "metric"], name="disclosure_one_figure_per_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"
