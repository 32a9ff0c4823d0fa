"""执法监督: flags raised by the supervision checks over 行政处罚案件, 督办 (rectification orders) and 案卷评查
(case-file reviews). Supervisors (司法行政部门) read within their jurisdiction; agencies read their own cases'."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.clocks import Clock
from smartjustice.core.models import ClockedModel, DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from . import rules
from .choices import FlagRule, FlagStatus, OrderStatus, ReviewGrade, ReviewStatus

SUPERVISE_FLAG = "supervision.supervise_supervisionflag"
SUPERVISE_ORDER = "supervision.supervise_supervisionorder"
REPLY_ORDER = "supervision.reply_supervisionorder"
SUPERVISE_REVIEW = "supervision.supervise_casefilereview"


class SupervisionFlag(DomainModel):
    """One finding of a supervision check on one case: which rule fired, why (the evidence values), and since when.

    Flags are machine findings written in bulk by the scan (supervision/checks.py: one audit entry per scan with
    the counts); what people do with them (dismiss, 督办) is audited one operation each.
    """

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    domain_field = "domain"
    access_scopes = {
        "view": ("organisation", f"jurisdiction:{SUPERVISE_FLAG}"),
        "change": (f"jurisdiction:{SUPERVISE_FLAG}",),
    }

    case = models.ForeignKey(
        "enforcement.EnforcementCase",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="supervision_flags",
    )
    rule = models.CharField("监督规则", max_length=32, choices=FlagRule.choices, db_index=True)
    status = models.CharField("状态", max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    evidence = models.JSONField("触发依据", default=dict)
    first_fired_at = models.DateTimeField("首次发现时间")
    last_seen_at = models.DateTimeField("最近发现时间")
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)
    dismissed_reason = models.CharField("核销理由", max_length=500, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied from the case so scopes, filters and dashboards need no join.
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "core.Organisation", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField("执法领域", max_length=32, choices=EnforcementDomain.choices, db_index=True)

    class Meta:
        verbose_name = "监督预警"
        verbose_name_plural = "监督预警"
        ordering = ["-last_seen_at", "-id"]
        permissions = [("supervise_supervisionflag", "监督本辖区执法监督预警")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule"],
                condition=models.Q(status="open"),
                name="supervision_one_open_flag_per_case_rule",
            )
        ]
        indexes = [
            models.Index(fields=["rule", "status"]),
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "last_seen_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}：{self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:flag-detail", args=[self.pk])

    @property
    def rule_object(self):
        return rules.rule_for(self.rule)

    @property
    def why(self) -> str:
        """Which values made the rule fire, in one sentence."""
        from .checks import explain

        return explain(self.rule, self.evidence)

    @property
    def evidence_rows(self) -> list[tuple[str, str]]:
        from .checks import evidence_rows

        return evidence_rows(self.evidence)

    @property
    def citation(self) -> str:
        rule = self.rule_object
        return str(rule.citation) if rule else ""


def _agency_staff(order, actor, payload=None) -> str | None:
    """Only the supervised agency's own staff reply to a 督办."""
    if getattr(actor, "organisation_id", None) != order.agency_id:
        return "只有被督办单位的工作人员可以回复整改情况"
    return None


def _reason_given(order, actor, payload=None) -> str | None:
    if payload is not None and not str(payload.get("comment") or "").strip():
        return "请填写退回理由"
    return None


RECTIFICATION_CLOCK = Clock("rectification", "整改期限", rules.RECTIFICATION_PERIOD)

ORDER_WORKFLOW = Workflow(
    name="supervision.order",
    initial=OrderStatus.ISSUED,
    states=[
        State(OrderStatus.ISSUED, OrderStatus.ISSUED.label, clock=RECTIFICATION_CLOCK),
        State(OrderStatus.REPLIED, OrderStatus.REPLIED.label),
        State(OrderStatus.RETURNED, OrderStatus.RETURNED.label, clock=RECTIFICATION_CLOCK),
        State(OrderStatus.ACCEPTED, OrderStatus.ACCEPTED.label),
        State(OrderStatus.CLOSED, OrderStatus.CLOSED.label, final=True),
    ],
    transitions=[
        Transition(
            "reply",
            "回复整改情况",
            (OrderStatus.ISSUED, OrderStatus.RETURNED),
            OrderStatus.REPLIED,
            permission=REPLY_ORDER,
            guards=(_agency_staff,),
        ),
        Transition(
            "accept",
            "整改通过",
            (OrderStatus.REPLIED,),
            OrderStatus.ACCEPTED,
            permission=SUPERVISE_ORDER,
            style="success",
        ),
        Transition(
            "return",
            "退回重新整改",
            (OrderStatus.REPLIED,),
            OrderStatus.RETURNED,
            permission=SUPERVISE_ORDER,
            guards=(_reason_given,),
            style="warning",
        ),
        Transition("close", "办结", (OrderStatus.ACCEPTED,), OrderStatus.CLOSED, permission=SUPERVISE_ORDER),
    ],
)


class SupervisionOrder(ClockedModel, DomainModel):
    """督办: the supervising body orders the agency to rectify a case by a deadline; the agency replies with what it
    did (and the rectification files), the supervisor accepts or returns it, then closes it."""

    workflow = ORDER_WORKFLOW
    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    domain_field = "domain"
    access_scopes = {
        "view": ("organisation", f"jurisdiction:{SUPERVISE_ORDER}"),
        "add": (f"jurisdiction:{SUPERVISE_ORDER}",),
        "change": ("organisation", f"jurisdiction:{SUPERVISE_ORDER}"),
    }

    number = models.CharField("督办编号", max_length=64, unique=True)
    case = models.ForeignKey(
        "enforcement.EnforcementCase",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    flags = models.ManyToManyField(
        SupervisionFlag, verbose_name="监督预警", blank=True, related_name="orders"
    )
    requirement = models.TextField("督办事项和整改要求")
    deadline_on = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=16, choices=ORDER_WORKFLOW.choices, default=ORDER_WORKFLOW.initial, db_index=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    issuing_organisation = models.ForeignKey(
        "core.Organisation", verbose_name="督办机关", on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField("督办日期")
    reply_text = models.TextField("整改情况", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_on = models.DateField("回复日期", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    # Copied from the case: the supervised agency, its division and domain.
    agency = models.ForeignKey(
        "core.Organisation", verbose_name="被督办单位", on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField("执法领域", max_length=32, choices=EnforcementDomain.choices, db_index=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-issued_on", "-id"]
        permissions = [
            ("supervise_supervisionorder", "发出和验收本辖区督办"),
            ("reply_supervisionorder", "回复本单位督办整改情况"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"]), models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:order-detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return ORDER_WORKFLOW.state_label(self.status)


class CaseFileReview(DomainModel):
    """案卷评查: one sampled closed case scored against the checklist (supervision/data/checklist.json)."""

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    domain_field = "domain"
    access_scopes = {
        "view": ("organisation", f"jurisdiction:{SUPERVISE_REVIEW}"),
        "add": (f"jurisdiction:{SUPERVISE_REVIEW}",),
        "change": (f"jurisdiction:{SUPERVISE_REVIEW}",),
    }

    batch = models.CharField("评查批次", max_length=64)
    seed = models.CharField("抽样种子", max_length=64)
    case = models.ForeignKey(
        "enforcement.EnforcementCase",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="file_reviews",
    )
    status = models.CharField(
        "状态", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.SAMPLED
    )
    scores = models.JSONField("各项得分", default=dict, blank=True)
    notes = models.JSONField("扣分说明", default=dict, blank=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("评查结果", max_length=16, choices=ReviewGrade.choices, blank=True)
    checklist_version = models.CharField("评查标准版本", max_length=32, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sampled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("评查时间", null=True, blank=True)
    agency = models.ForeignKey(
        "core.Organisation", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField("执法领域", max_length=32, choices=EnforcementDomain.choices, db_index=True)

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        ordering = ["-created_at", "-id"]
        permissions = [("supervise_casefilereview", "组织本辖区案卷评查")]
        constraints = [
            models.UniqueConstraint(fields=["batch", "case"], name="supervision_one_review_per_batch_case")
        ]
        indexes = [models.Index(fields=["jurisdiction", "batch"])]

    def __str__(self) -> str:
        return f"{self.batch} #{self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:review-detail", args=[self.pk])
