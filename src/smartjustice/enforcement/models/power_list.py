"""The power list (权责清单): enforcement items with their legal basis, sanctions and discretion benchmarks."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from smartjustice.core.choices import WorkDomain
from smartjustice.core.models.base import AuditedModelMixin, DomainModel, RestrictedManager
from smartjustice.core.workflow import State, Transition, Workflow

from ..choices import BasisStatus, DiscretionGrade, ExemptionList, ImplementingLevel, ItemStatus, ItemType
from ..extraction import SanctionKind

CHANGE = "enforcement.change_enforcementitem"
REVIEW = "enforcement.review_enforcementitem"


def _has_valid_basis(item: EnforcementItem, actor, payload) -> str | None:
    # 《行政处罚法》第五条第三款 and 第四条: an item is enforced only on a published basis the library resolves.
    statuses = list(item.bases.values_list("status", flat=True))
    if not statuses:
        return "请先填写执法依据（法律法规条款）"
    if BasisStatus.NOT_FOUND in statuses or BasisStatus.NOT_IN_FORCE in statuses:
        return "执法依据中有法规库未找到或已失效的条款，请更正后再发布"
    return None


def _reason_given(item: EnforcementItem, actor, payload) -> str | None:
    if payload is not None and not str(payload.get("comment") or "").strip():
        return "请填写退回理由"
    return None


SANCTION_KINDS = [(kind.value, kind.value) for kind in SanctionKind]

WORKFLOW = Workflow(
    name="enforcement.item",
    initial=ItemStatus.DRAFT,
    states=[State(status, status.label) for status in ItemStatus],
    transitions=[
        Transition(
            "submit",
            "提交审核",
            (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.WITHDRAWN),
            ItemStatus.SUBMITTED,
            permission=CHANGE,
        ),
        Transition(
            "publish",
            "审核发布",
            (ItemStatus.SUBMITTED,),
            ItemStatus.PUBLISHED,
            permission=REVIEW,
            guards=(_has_valid_basis,),
        ),
        Transition(
            "return",
            "退回修改",
            (ItemStatus.SUBMITTED,),
            ItemStatus.RETURNED,
            permission=REVIEW,
            guards=(_reason_given,),
            style="secondary",
        ),
        Transition(
            "withdraw",
            "撤回",
            (ItemStatus.PUBLISHED,),
            ItemStatus.WITHDRAWN,
            permission=REVIEW,
            style="danger",
        ),
    ],
)


class EnforcementItem(DomainModel):
    """One 行政执法事项 of an agency's power list, with the articles it rests on."""

    workflow = WORKFLOW
    # Staff read and change the items of agencies in their jurisdiction and below; the public reads published
    # items through queries.published_items (no restriction needed: a published power list is public).
    jurisdiction_field = "organisation__jurisdiction"
    organisation_field = "organisation"
    domain_field = "domain"

    code = models.CharField("事项编码", max_length=64, unique=True)
    name = models.CharField("事项名称", max_length=300)
    item_type = models.CharField("事项类型", max_length=16, choices=ItemType.choices, db_index=True)
    domain = models.CharField(
        "执法领域", max_length=32, choices=WorkDomain.choices, blank=True, db_index=True
    )
    levels = models.JSONField("行使层级", default=list, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="实施主体",
        on_delete=models.PROTECT,
        related_name="enforcement_items",
    )
    description = models.TextField("说明", blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=WORKFLOW.choices, default=WORKFLOW.initial, db_index=True
    )
    # The worst verdict over the bases (services.check_bases), kept so lists can filter and flag without a join.
    basis_status = models.CharField(
        "依据状态", max_length=16, choices=BasisStatus.choices, default=BasisStatus.NONE, db_index=True
    )
    # "《law》第N条" of the article a proposal was generated from (services.propose_items): one draft per article.
    source = models.CharField("生成来源", max_length=400, null=True, blank=True, unique=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["code"]
        permissions = [("review_enforcementitem", "审核发布执法事项")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:item-detail", args=[self.pk])

    @property
    def level_labels(self) -> list[str]:
        """行使层级 as shown: 省级、市级 …"""
        return [ImplementingLevel(level).label for level in self.levels if level in ImplementingLevel.values]

    @property
    def is_penalty(self) -> bool:
        """Sanctions and discretion benchmarks belong to 行政处罚 items only."""
        return self.item_type == ItemType.PENALTY

    @property
    def basis_flagged(self) -> bool:
        """An amended, repealed or unresolved basis: shown on the page and in the API."""
        return self.basis_status not in (BasisStatus.VALID, BasisStatus.NONE)


class ItemBasis(AuditedModelMixin):
    """One article an item rests on, checked against the statute library."""

    # Part of its item: audited (a sub-step of the item's operation) and scoped by the item's agency.
    jurisdiction_field = "item__organisation__jurisdiction"
    audit_exclude = ()  # no updated_at of their own
    objects = RestrictedManager()

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="bases")
    law = models.CharField("法律法规", max_length=300)
    article = models.PositiveIntegerField("条")
    paragraph = models.PositiveIntegerField("款", null=True, blank=True)
    status = models.CharField(
        "核验结果", max_length=16, choices=BasisStatus.choices, default=BasisStatus.VALID
    )
    message = models.CharField("核验说明", max_length=300, blank=True)
    url = models.CharField("条文链接", max_length=300, blank=True)

    class Meta:
        verbose_name = "执法依据"
        verbose_name_plural = "执法依据"
        ordering = ["id"]

    def __str__(self) -> str:
        from smartjustice.core.citations import Citation

        return str(Citation(self.law, self.article, paragraph=self.paragraph or None))

    @property
    def flagged(self) -> bool:
        return self.status != BasisStatus.VALID


class ItemSanction(AuditedModelMixin):
    """One sanction an item provides for (kind and statutory range, as enforcement.extraction.Sanction)."""

    # Part of its item: audited (a sub-step of the item's operation) and scoped by the item's agency.
    jurisdiction_field = "item__organisation__jurisdiction"
    audit_exclude = ()  # no updated_at of their own
    objects = RestrictedManager()

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField("处罚种类", max_length=32, choices=SANCTION_KINDS)
    lower = models.BigIntegerField("下限", null=True, blank=True)
    upper = models.BigIntegerField("上限", null=True, blank=True)
    multiple_of = models.CharField("倍数基数", max_length=64, blank=True)
    multiple_lower = models.FloatField("倍数下限", null=True, blank=True)
    multiple_upper = models.FloatField("倍数上限", null=True, blank=True)
    unit = models.CharField("单位", max_length=16, blank=True)

    class Meta:
        verbose_name = "处罚种类与幅度"
        verbose_name_plural = "处罚种类与幅度"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        from ..extraction import Sanction

        return Sanction(
            kind=SanctionKind(self.kind),
            lower=self.lower,
            upper=self.upper,
            multiple_of=self.multiple_of,
            multiple_lower=self.multiple_lower,
            multiple_upper=self.multiple_upper,
            unit=self.unit,
        ).describe()


class DiscretionBenchmark(AuditedModelMixin):
    """裁量基准: a circumstance of an item, its grade and the fine range within the statutory one."""

    # Part of its item: audited (a sub-step of the item's operation) and scoped by the item's agency.
    jurisdiction_field = "item__organisation__jurisdiction"
    audit_exclude = ()  # no updated_at of their own
    objects = RestrictedManager()

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="benchmarks")
    circumstance = models.CharField("违法情节", max_length=500)
    grade = models.CharField("裁量阶次", max_length=16, choices=DiscretionGrade.choices)
    fine_lower = models.BigIntegerField("罚款下限（元）", null=True, blank=True)
    fine_upper = models.BigIntegerField("罚款上限（元）", null=True, blank=True)
    exemption_list = models.CharField("不罚清单", max_length=16, choices=ExemptionList.choices, blank=True)
    other_sanctions = models.CharField("其他处罚", max_length=300, blank=True)

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}：{self.circumstance}"
