"""共享协同平台: the data catalogue, consumers and their subscriptions, the record store with its outbox,
deliveries (push and pull) and the disclosure log that lets a person see who received their data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from smartjustice.core.models import DomainModel

from .choices import ConsumerKind, DeliveryMode, DeliveryStatus, SharingClass, UpdateFrequency


class Dataset(DomainModel):
    """A catalogue entry (数据目录): what is shared, by whom, in which shape and under which sharing class."""

    jurisdiction_field = "owner__jurisdiction"
    # Read everywhere (a city must see the province's datasets to subscribe to them); the catalogue itself is the
    # platform's, changed by province-wide staff only.
    access_scopes = {"view": ("everywhere",), "*": ("platform",)}

    code = models.CharField("数据集代码", max_length=64, unique=True)
    name = models.CharField("数据集名称", max_length=100)
    description = models.TextField("说明", blank=True)
    owner = models.ForeignKey(
        "core.Organisation", verbose_name="提供单位", on_delete=models.PROTECT, related_name="hub_datasets"
    )
    schema = models.JSONField("数据结构（JSON Schema）", default=dict)
    sharing_class = models.CharField("共享类型", max_length=16, choices=SharingClass.choices)
    sharing_conditions = models.CharField("共享条件", max_length=300, blank=True)
    update_frequency = models.CharField("更新频率", max_length=16, choices=UpdateFrequency.choices)
    personal_fields = models.JSONField("个人信息字段", default=list, blank=True)
    subject_field = models.CharField("当事人身份证号字段", max_length=64, blank=True)
    legal_basis = models.CharField("共享依据", max_length=300, blank=True)
    version = models.PositiveIntegerField("目录版本", default=1)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "数据目录"
        verbose_name_plural = "数据目录"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Consumer(DomainModel):
    """A system that receives data (省政务大数据中心, 司法部, 地市, 其他部门) or sends it in (external source).

    It authenticates with OAuth2 client credentials (its `application`); pushes to it are signed with a secret that
    is stored encrypted so the hub can sign with it.
    """

    jurisdiction_field = "jurisdiction"
    audit_secret_fields = ("push_secret_sealed",)

    code = models.SlugField("接入代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=32, choices=ConsumerKind.choices)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    application = models.OneToOneField(
        "oauth2_provider.Application",
        verbose_name="OAuth2 客户端",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hub_consumer",
    )
    push_url = models.URLField("推送地址", max_length=500, blank=True)
    push_secret_sealed = models.TextField("推送签名密钥（加密保存）", blank=True)
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "数据使用方"
        verbose_name_plural = "数据使用方"

    def __str__(self) -> str:
        return self.name


class Subscription(DomainModel):
    """A consumer's standing request for one dataset: which jurisdictions and fields, masked how, and why."""

    jurisdiction_field = "consumer__jurisdiction"

    consumer = models.ForeignKey(
        Consumer, verbose_name="数据使用方", on_delete=models.PROTECT, related_name="subscriptions"
    )
    dataset = models.ForeignKey(
        Dataset, verbose_name="数据集", on_delete=models.PROTECT, related_name="subscriptions"
    )
    jurisdiction_codes = models.JSONField("订阅区划", default=list, blank=True)  # empty: the whole province
    jurisdiction_prefixes = models.JSONField("区划代码前缀", default=list, blank=True)
    fields = models.JSONField("订阅字段", default=list, blank=True)  # empty: every field of the schema
    masking = models.JSONField("脱敏规则", default=dict, blank=True)  # field → Masking
    purpose = models.CharField("使用目的", max_length=300)
    legal_basis = models.CharField("法定依据", max_length=300, blank=True)
    mode = models.CharField("投递方式", max_length=8, choices=DeliveryMode.choices, default=DeliveryMode.PUSH)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "数据订阅"
        verbose_name_plural = "数据订阅"
        constraints = [
            models.UniqueConstraint(fields=["consumer", "dataset"], name="hub_subscription_once_per_dataset")
        ]

    def __str__(self) -> str:
        return f"{self.consumer} · {self.dataset.name}"

    def covers(self, jurisdiction_code: str) -> bool:
        prefixes = self.jurisdiction_prefixes
        return not prefixes or any(jurisdiction_code.startswith(p) for p in prefixes)


class HubRecord(models.Model):
    """One version of one record of a dataset, as published by a module or ingested from outside.

    `dedup_key` is a digest of (dataset, source, record key, SHA-256 of the canonical content): the same content
    sent twice is stored once, a changed record is a new version. The table is append-only and the hot path of bulk ingest, so
    it carries only the indexes reads need: the primary key (fan-out reads id ranges) and `dedup_key`. Counts per
    month come from RecordCount, not from scanning this table.
    """

    jurisdiction_field = "jurisdiction_code"
    owner_field = None

    # No index on dataset_id: nothing reads records by dataset, and every index is paid on each ingested row. No
    # database-level foreign key either (checking it cost 15% of bulk ingest): the ORM still PROTECTs datasets, a
    # catalogue entry is retired with is_active and never deleted, and records are only written for a loaded one.
    dataset = models.ForeignKey(
        Dataset,
        verbose_name="数据集",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source = models.CharField("来源", max_length=64, blank=True)  # "" for the platform's own modules
    record_key = models.CharField("记录标识", max_length=128)
    # Also the record version consumers see: it changes whenever the content does. (No separate content-digest
    # column: consumers get masked copies, which such a digest could not verify, and every byte is paid per row.)
    dedup_key = models.UUIDField("去重键", unique=True)
    data = models.JSONField("内容")
    jurisdiction_code = models.CharField("所属区划代码", max_length=12)
    subject_digest = models.CharField("当事人标识摘要", max_length=64, blank=True)
    # Set by the database (the transaction's time), so bulk COPY need not send it for every row.
    created_at = models.DateTimeField("入库时间", db_default=Now())

    class Meta:
        ordering = ["id"]
        verbose_name = "共享记录"
        verbose_name_plural = "共享记录"

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.record_key}"


class OutboxEntry(models.Model):
    """Records waiting to be fanned out to subscriptions, written in the publisher's own transaction.

    One entry covers the records of one dataset and source with ids first..last: one record for `publish`, a
    whole batch for `ingest`. Ids in the range that belong to someone else (a concurrent publisher of another
    dataset or source) or were never used are skipped by fan-out, which reads the range filtered by dataset and
    source; an ingest holds its dataset's advisory lock, so no other writer of the same dataset and source can
    interleave. `next_record_id` is how far fan-out got, so a big batch is fanned out over several worker cycles.
    """

    dataset = models.ForeignKey(Dataset, verbose_name="数据集", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=64, blank=True)
    first_record_id = models.BigIntegerField("起始记录")
    last_record_id = models.BigIntegerField("末尾记录")
    next_record_id = models.BigIntegerField("待分发记录")
    created_at = models.DateTimeField("写入时间", auto_now_add=True)
    dispatched_at = models.DateTimeField("分发时间", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "发件箱"
        verbose_name_plural = "发件箱"
        indexes = [
            models.Index(fields=["id"], condition=Q(dispatched_at__isnull=True), name="hub_outbox_waiting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_record_id__lte=models.F("last_record_id")), name="hub_outbox_range"
            )
        ]

    def __str__(self) -> str:
        return f"发件箱 {self.first_record_id}–{self.last_record_id}"


class RecordCount(models.Model):
    """Records gathered per dataset, division and month (共享统计), kept by fan-out in the same transaction that
    marks the records fanned out, so each record is counted exactly once without scanning the record table."""

    jurisdiction_field = "jurisdiction_code"
    owner_field = None

    dataset = models.ForeignKey(Dataset, verbose_name="数据集", on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField("所属区划代码", max_length=12)
    month = models.DateField("月份")  # the first day of the month
    records = models.BigIntegerField("记录数", default=0)

    class Meta:
        ordering = ["month", "dataset_id", "jurisdiction_code"]
        verbose_name = "汇聚统计"
        verbose_name_plural = "汇聚统计"
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "jurisdiction_code", "month"], name="hub_recordcount_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.jurisdiction_code}:{self.month:%Y-%m}"


class Delivery(models.Model):
    """One record for one subscription: pushed with retries (at least once) or waiting to be pulled."""

    jurisdiction_field = "subscription__consumer__jurisdiction"
    owner_field = None

    record = models.ForeignKey(HubRecord, verbose_name="记录", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey(
        Subscription, verbose_name="订阅", on_delete=models.PROTECT, related_name="deliveries"
    )
    mode = models.CharField("投递方式", max_length=8, choices=DeliveryMode.choices)
    status = models.CharField(
        "状态", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    idempotency_key = models.UUIDField("幂等键", unique=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    lease_until = models.DateTimeField("占用至", null=True, blank=True)
    leased_by = models.CharField("占用者", max_length=64, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    delivered_at = models.DateTimeField("投递时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "投递"
        verbose_name_plural = "投递"
        constraints = [
            models.UniqueConstraint(
                fields=["record", "subscription"], name="hub_delivery_once_per_subscription"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending", mode="push"),
                name="hub_delivery_push_due",
            ),
            models.Index(fields=["subscription", "status", "id"], name="hub_delivery_by_subscription"),
        ]

    def __str__(self) -> str:
        return f"投递 {self.pk}"


class Disclosure(models.Model):
    """Who received which personal data, when and for what purpose: what a person sees in the portal."""

    jurisdiction_field = "consumer__jurisdiction"
    owner_field = None  # the person is known by a digest of their ID number, see queries.my_disclosures

    subject_digest = models.CharField("当事人标识摘要", max_length=64, db_index=True)
    consumer = models.ForeignKey(
        Consumer, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+"
    )
    dataset = models.ForeignKey(Dataset, verbose_name="数据集", on_delete=models.PROTECT, related_name="+")
    delivery = models.OneToOneField(Delivery, verbose_name="投递", on_delete=models.PROTECT, related_name="+")
    fields = models.JSONField("提供的字段", default=list)
    purpose = models.CharField("使用目的", max_length=300)
    legal_basis = models.CharField("法定依据", max_length=300, blank=True)
    disclosed_at = models.DateTimeField("提供时间")

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        verbose_name = "个人信息提供记录"
        verbose_name_plural = "个人信息提供记录"


class DeliveryCount(models.Model):
    """Records delivered per dataset, consumer and month (共享统计), advanced in the transaction that marks the
    deliveries delivered (push acknowledgements and first pulls), so each delivery is counted once."""

    jurisdiction_field = "consumer__jurisdiction"
    owner_field = None

    dataset = models.ForeignKey(Dataset, verbose_name="数据集", on_delete=models.PROTECT, related_name="+")
    consumer = models.ForeignKey(
        Consumer, verbose_name="数据使用方", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("月份")  # the first day of the month
    records = models.BigIntegerField("记录数", default=0)

    class Meta:
        ordering = ["month", "dataset_id", "consumer_id"]
        verbose_name = "共享统计"
        verbose_name_plural = "共享统计"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "consumer", "month"], name="hub_deliverycount_once")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.consumer_id}:{self.month:%Y-%m}"
