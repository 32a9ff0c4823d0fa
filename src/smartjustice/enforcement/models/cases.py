"""Case handling (办案) under the 行政处罚法: parties, cases through both procedures, evidence anchored in the ledger,
and payments. The stages and transitions are declared in enforcement/case_workflow.py; the services in
enforcement/cases.py are the only writers."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.models import ClockedModel, DomainModel
from smartjustice.core.models.base import AuditedModelMixin, RestrictedManager

from ..case_workflow import WORKFLOW
from ..choices import (
    CaseSource,
    CaseStatus,
    DiscretionGrade,
    EvidenceKind,
    PartyKind,
    PaymentKind,
    Procedure,
    ServiceMethod,
)

# An agency's officers handle its own cases; the county's supervisors and justice bureau (supervise permission)
# read every case of every agency in their jurisdiction; nobody else does.
CASE_SCOPES = {
    "view": ("organisation", "jurisdiction:enforcement.supervise_enforcementcase"),
    "add": ("organisation",),
    "change": ("organisation",),
}


class Party(DomainModel):
    """当事人: a person or organisation an agency has dealt with, found again by name or ID number."""

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    access_scopes = {
        "view": ("organisation", "jurisdiction:enforcement.supervise_enforcementcase"),
        "add": ("organisation",),
        "change": ("organisation",),
    }
    pii_fields = ("id_number", "phone", "address")

    agency = models.ForeignKey(
        "core.Organisation",
        verbose_name="登记机关",
        on_delete=models.PROTECT,
        related_name="enforcement_parties",
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("当事人类型", max_length=16, choices=PartyKind.choices)
    name = models.CharField("姓名或名称", max_length=200, db_index=True)
    # 居民身份证号码 for a person, 统一社会信用代码 for an organisation (core.validators check both).
    id_number = models.CharField("证件号码", max_length=32, db_index=True)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    address = models.CharField("住所（地址）", max_length=300, blank=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "id_number"], name="enforcement_party_unique_per_agency"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EnforcementCase(ClockedModel, DomainModel):
    """One 行政处罚案件 of one agency, from lead to archive (or the on-the-spot path of 第五十一条、第五十二条)."""

    workflow = WORKFLOW
    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    domain_field = "domain"
    access_scopes = CASE_SCOPES

    number = models.CharField("案件编号", max_length=64, unique=True, null=True, blank=True)
    procedure = models.CharField(
        "程序", max_length=16, choices=Procedure.choices, default=Procedure.ORDINARY, db_index=True
    )
    source = models.CharField("案件来源", max_length=16, choices=CaseSource.choices, default=CaseSource.LEAD)
    agency = models.ForeignKey(
        "core.Organisation",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    # The agency's division, copied so lists, scopes and dashboards filter without a join.
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField("执法领域", max_length=32, choices=EnforcementDomain.choices, db_index=True)
    item = models.ForeignKey(
        "enforcement.EnforcementItem",
        verbose_name="执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    party = models.ForeignKey(Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="cases")
    cause = models.CharField("案由", max_length=300)
    facts = models.TextField("违法事实", blank=True)
    location = models.CharField("违法地点", max_length=300, blank=True)
    status = models.CharField(
        "办理阶段", max_length=16, choices=CaseStatus.choices, default=CaseStatus.LEAD, db_index=True
    )

    occurred_on = models.DateField("违法行为发生日期", null=True, blank=True)
    discovered_on = models.DateField("发现日期")
    filed_on = models.DateField("立案日期", null=True, blank=True, db_index=True)

    # The proposed, then decided, sanctions: fine and confiscation in yuan; other kinds as SanctionKind values.
    fine_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscated_amount = models.DecimalField(
        "没收违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    other_sanctions = models.JSONField("其他处罚种类", default=list, blank=True)
    discretion_grade = models.CharField(
        "裁量阶次", max_length=16, choices=DiscretionGrade.choices, blank=True
    )
    benchmark = models.ForeignKey(
        "enforcement.DiscretionBenchmark",
        verbose_name="适用裁量基准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.CharField("处罚依据", max_length=500, blank=True)

    # 法制审核 (第五十八条), 告知 and 陈述申辩 (第四十四条、第四十五条), 听证 (第六十三条、第六十四条), 集体讨论 (第五十七条第二款).
    legal_review_required = models.BooleanField("须法制审核", default=False)
    legal_review_opinion = models.TextField("法制审核意见", blank=True)
    legal_review_passed = models.BooleanField("法制审核通过", null=True, blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    notice_number = models.CharField("告知书文号", max_length=64, blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    statement = models.TextField("陈述申辩意见", blank=True)
    statement_waived = models.BooleanField("放弃陈述申辩", default=False)
    hearing_offered = models.BooleanField("告知听证权利", default=False)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_record = models.TextField("听证笔录摘要", blank=True)
    grave = models.BooleanField("情节复杂或重大违法（须集体讨论）", default=False)
    discussion_record = models.TextField("集体讨论记录", blank=True)
    discussed_on = models.DateField("集体讨论日期", null=True, blank=True)

    # 决定, 送达 (第六十一条), 执行 (第六十六条、第七十二条).
    decision_number = models.CharField("决定书文号", max_length=64, blank=True, db_index=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    service_method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    payment_due_on = models.DateField("缴款期限", null=True, blank=True)
    paid_amount = models.DecimalField("已缴金额（元）", max_digits=14, decimal_places=2, default=0)
    surcharge_amount = models.DecimalField("加处罚款（元）", max_digits=14, decimal_places=2, default=0)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True, db_index=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    revoked_on = models.DateField("决定撤销日期", null=True, blank=True)
    revocation_reason = models.CharField("撤销原因", max_length=300, blank=True)
    # 当场处罚: the party's signature (a PNG attachment) or the officer's note that they refused to sign (第五十二条).
    party_signature = models.ForeignKey(
        "core.Attachment",
        verbose_name="当事人签名",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signature_refused = models.BooleanField("当事人拒绝签收", default=False)
    # One conduct of one party (party id number + cause/item + date, hashed): the 一事不再罚 check reads it.
    conduct_key = models.CharField("违法行为标识", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        ordering = ["-discovered_on", "-id"]
        permissions = [
            ("supervise_enforcementcase", "监督本辖区行政处罚案件"),
            ("review_enforcementcase", "法制审核行政处罚案件"),
            ("decide_enforcementcase", "作出行政处罚决定（机关负责人）"),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["domain", "status"]),
            # The ORDER BY of core.clocks.order_by_remaining, expression for expression, so a supervisor's first
            # page of a million cases is an index scan rather than a sort (benchmarks/bench_enforcement.py).
            models.Index(
                Case(
                    When(clock_due_on__isnull=True, then=Value(2)),
                    When(clock_paused_on__isnull=False, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                F(
                    "clock_due_on"
                ).asc(),  # ASC is NULLS LAST in PostgreSQL (SQLite refuses the words in an index)
                F("id").desc(),
                name="enforcement_case_clock_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '（未立案）'} {self.cause}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:case-detail", args=[self.pk])

    @property
    def amount_due(self):
        """Fine plus surcharge not yet paid (yuan)."""
        return (self.fine_amount or 0) + (self.surcharge_amount or 0) - (self.paid_amount or 0)


class CaseEvidence(AuditedModelMixin):
    """A piece of evidence or a record (笔录) of a case; its SM3/SHA-256 hash is appended to the evidence ledger."""

    jurisdiction_field = "case__jurisdiction"
    organisation_field = "case__agency"
    access_scopes = CASE_SCOPES
    audit_exclude = ()
    objects = RestrictedManager()

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("证据类型", max_length=32, choices=EvidenceKind.choices)
    title = models.CharField("名称", max_length=200)
    content = models.TextField("笔录内容", blank=True)
    attachment = models.ForeignKey(
        "core.Attachment",
        verbose_name="文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    ledger_log = models.CharField("存证账本", max_length=64, blank=True)
    ledger_index = models.BigIntegerField("存证序号", null=True, blank=True)
    captured_at = models.DateTimeField("取证时间")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name="取证人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["case", "captured_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class CasePayment(AuditedModelMixin):
    """A payment towards a decision (罚款, an instalment of an approved plan, 加处罚款) or a planned instalment."""

    jurisdiction_field = "case__jurisdiction"
    organisation_field = "case__agency"
    access_scopes = CASE_SCOPES
    audit_exclude = ()
    objects = RestrictedManager()

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField("款项", max_length=16, choices=PaymentKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    due_on = models.DateField("应缴日期", null=True, blank=True)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    receipt_number = models.CharField("缴款凭证号", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "缴款记录"
        verbose_name_plural = "缴款记录"
        ordering = ["case", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} 元"
