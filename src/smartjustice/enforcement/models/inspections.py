"""双随机、一公开: the registry of regulated entities, inspection plans whose draw is reproducible from a seed
committed in the ledger before the draw, and the inspections drawn (target + two officers) with their results."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.models import DomainModel
from smartjustice.core.models.base import AuditedModelMixin, RestrictedManager

from ..choices import InspectionPlanStatus, InspectionResult, RiskLevel


def default_sampling_ratios() -> dict:
    """Share of each risk level drawn (risk-based sampling): high risk more often."""
    return {RiskLevel.HIGH: 0.5, RiskLevel.MEDIUM: 0.2, RiskLevel.LOW: 0.05}


class RegulatedEntity(DomainModel):
    """A 市场主体 in the registry an agency inspects (enterprise by 统一社会信用代码); the registry is public
    information, so every officer of the jurisdiction reads it."""

    jurisdiction_field = "jurisdiction"
    organisation_field = None

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="登记区划", on_delete=models.PROTECT, related_name="+"
    )
    domains = models.JSONField("监管领域", default=list)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    legal_representative = models.CharField("法定代表人", max_length=100, blank=True)
    business_address = models.CharField("经营场所", max_length=300, blank=True)
    is_active = models.BooleanField("存续", default=True)

    class Meta:
        verbose_name = "监管对象"
        verbose_name_plural = "监管对象"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ConflictOfInterest(AuditedModelMixin):
    """An officer who must not inspect an entity (回避: kin, former employer …)."""

    jurisdiction_field = "officer__jurisdiction"
    organisation_field = "officer__agency"
    audit_exclude = ()
    objects = RestrictedManager()

    officer = models.ForeignKey(
        "enforcement.EnforcementOfficer", on_delete=models.CASCADE, related_name="conflicts"
    )
    entity = models.ForeignKey(RegulatedEntity, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField("回避事由", max_length=200)

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        constraints = [
            models.UniqueConstraint(fields=["officer", "entity"], name="enforcement_conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.entity}"


class InspectionPlan(DomainModel):
    """一个抽查计划: an agency, a domain, the sampling ratios and the seed committed in the ledger before the draw."""

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    domain_field = "domain"
    access_scopes = {
        "view": ("organisation", "jurisdiction:enforcement.supervise_enforcementcase"),
        "add": ("organisation",),
        "change": ("organisation",),
    }
    # The seed stays out of the audit trail (it is revealed with the draw); the frozen inputs are large and their
    # SHA-256 is in the ledger already.
    audit_secret_fields = ("seed",)
    audit_exclude = ("updated_at", "draw_inputs")

    name = models.CharField("计划名称", max_length=200)
    agency = models.ForeignKey(
        "core.Organisation",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="抽查区划", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField("执法领域", max_length=32, choices=EnforcementDomain.choices)
    sampling_ratios = models.JSONField("抽查比例", default=default_sampling_ratios)
    officers_per_inspection = models.PositiveSmallIntegerField("每户执法人员数", default=2)
    status = models.CharField(
        "状态", max_length=16, choices=InspectionPlanStatus.choices, default=InspectionPlanStatus.DRAFT
    )
    # The seed is committed (its SHA-256 in the ledger) before the draw and revealed with it, so anyone can redo it.
    seed = models.CharField("随机种子", max_length=64, blank=True)
    seed_commitment = models.CharField("种子承诺值（SHA-256）", max_length=64, blank=True)
    seed_ledger_log = models.CharField("存证账本", max_length=64, blank=True)
    seed_ledger_index = models.BigIntegerField("存证序号", null=True, blank=True)
    # What the draw reads, frozen when the seed is committed (its SHA-256 is part of the committed parameters):
    # candidates [[uscc, risk]], officers [ids], conflicts [[officer id, uscc]]; the draw adds the officers no
    # longer eligible on the draw date and the ledger index of the draw record (docs/decisions/0012).
    draw_inputs = models.JSONField("抽取输入", default=dict, blank=True)
    committed_at = models.DateTimeField("存证时间", null=True, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)

    class Meta:
        verbose_name = "双随机抽查计划"
        verbose_name_plural = "双随机抽查计划"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enforcement:plan-detail", args=[self.pk])


class Inspection(AuditedModelMixin):
    """One entity drawn by a plan, the officers drawn to inspect it and what they found."""

    jurisdiction_field = "plan__jurisdiction"
    organisation_field = "plan__agency"
    access_scopes = InspectionPlan.access_scopes
    audit_exclude = ()
    objects = RestrictedManager()

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspections")
    entity = models.ForeignKey(RegulatedEntity, on_delete=models.PROTECT, related_name="inspections")
    officers = models.ManyToManyField(
        "enforcement.EnforcementOfficer", related_name="inspections", blank=True
    )
    result = models.CharField(
        "检查结果", max_length=16, choices=InspectionResult.choices, default=InspectionResult.PENDING
    )
    findings = models.TextField("检查情况", blank=True)
    inspected_at = models.DateTimeField("检查时间", null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    case = models.ForeignKey(
        "enforcement.EnforcementCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "抽查检查"
        verbose_name_plural = "抽查检查"
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "entity"], name="enforcement_inspection_unique_entity")
        ]

    def __str__(self) -> str:
        return f"{self.plan}：{self.entity}"
