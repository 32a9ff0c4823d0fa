"""Location monitoring storage: GPS points (the biggest table: plain rows, range-partitioned by month on PostgreSQL —
see docs/decisions/0014-gps-storage.md), the breach tracker's state per subject, and 电子定位装置 approvals under
《社区矫正法》第二十九条. Written by correction/location.py services only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from .subjects import SUBJECT_SCOPES, CorrectionSubject


class GpsSource(models.TextChoices):
    """Where a point comes from: the subject's own phone (粤矫通) or an electronic positioning device (第二十九条)."""

    APP = "app", "粤矫通手机定位"
    DEVICE = "device", "电子定位装置"


class GpsPoint(models.Model):
    """One position of one subject. A plain model (not audited row by row: one audit entry per ingested batch);
    (subject, recorded_at, source) is unique, so a point sent twice is stored once. On PostgreSQL the table is
    partitioned by month of `recorded_at` (migration 0002_manual_gps_partitions), so a month is dropped or
    archived by detaching one partition."""

    id = models.BigAutoField(primary_key=True)
    # No separate index on subject: the unique (subject, recorded_at, source) index starts with it and serves the
    # track queries (one subject, a time range) — one index less to maintain on every insert.
    subject = models.ForeignKey(
        CorrectionSubject,
        verbose_name="社区矫正对象",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    recorded_at = models.DateTimeField("定位时间")
    received_at = models.DateTimeField("接收时间")
    longitude = models.FloatField("经度")
    latitude = models.FloatField("纬度")
    accuracy_m = models.FloatField("定位精度（米）", null=True, blank=True)
    source = models.CharField("来源", max_length=8, choices=GpsSource.choices, default=GpsSource.APP)

    class Meta:
        verbose_name = "定位点"
        verbose_name_plural = "定位点"
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "recorded_at", "source"], name="correction_gps_point_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.recorded_at:%Y-%m-%d %H:%M:%S} ({self.longitude:.5f}, {self.latitude:.5f})"


class TrackerSnapshot(models.Model):
    """The breach tracker's state (correction/alerting.py TrackerState, JSON) of one subject — and fence, when the
    tracker keeps one state per fence — carried from one ingested batch to the next."""

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="+"
    )
    fence = models.ForeignKey(
        "correction.Geofence",
        verbose_name="电子围栏",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # JSON kept as text, not jsonb: every batch reads and rewrites the state of each of its subjects, and jsonb's
    # parse on write and render on read doubled the database time of that (ADR 0014); nothing queries inside it.
    state = models.TextField("状态（JSON）", default="{}")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "越界判断状态"
        verbose_name_plural = "越界判断状态"
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(fence__isnull=True),
                name="correction_tracker_per_subject",
            ),
            models.UniqueConstraint(
                fields=["subject", "fence"],
                condition=models.Q(fence__isnull=False),
                name="correction_tracker_per_fence",
            ),
        ]


class MonitoringGround(models.TextChoices):
    """第二十九条第一款: the only cases in which an electronic positioning device may be used."""

    PROHIBITION_ORDER = "1", "（一）违反人民法院禁止令的"
    LEFT_CITY = "2", "（二）无正当理由，未经批准离开所居住的市、县的"
    REFUSED_REPORT = "3", "（三）拒不按照规定报告自己的活动情况，被给予警告的"
    SECURITY_PUNISHMENT = "4", "（四）违反监督管理规定，被给予治安管理处罚的"
    REVOCATION_PROPOSED = "5", "（五）拟提请撤销缓刑、假释或者暂予监外执行收监执行的"


class MonitoringStatus(models.TextChoices):
    PROPOSED = "proposed", "待批准"
    ACTIVE = "active", "使用中"
    REFUSED = "refused", "不予批准"
    ENDED = "ended", "已解除"


APPROVE_MONITORING = "correction.approve_electronicmonitoring"

MONITORING_WORKFLOW = Workflow(
    name="correction.electronic_monitoring",
    initial=MonitoringStatus.PROPOSED,
    states=[
        State(MonitoringStatus.PROPOSED, MonitoringStatus.PROPOSED.label),
        State(MonitoringStatus.ACTIVE, MonitoringStatus.ACTIVE.label),
        State(MonitoringStatus.REFUSED, MonitoringStatus.REFUSED.label, final=True),
        State(MonitoringStatus.ENDED, MonitoringStatus.ENDED.label, final=True),
    ],
    transitions=[
        Transition(
            "approve",
            "批准使用电子定位装置",
            (MonitoringStatus.PROPOSED,),
            MonitoringStatus.ACTIVE,
            permission=APPROVE_MONITORING,
        ),
        Transition(
            "refuse",
            "不予批准",
            (MonitoringStatus.PROPOSED,),
            MonitoringStatus.REFUSED,
            permission=APPROVE_MONITORING,
            style="secondary",
        ),
        Transition(
            "end",
            "解除电子定位装置",
            (MonitoringStatus.ACTIVE,),
            MonitoringStatus.ENDED,
            permission="correction.change_electronicmonitoring",
            style="warning",
        ),
    ],
)


class ElectronicMonitoring(DomainModel):
    """Use of an electronic positioning device on one subject (第二十九条): one of the five grounds, approved by the
    head of the county justice bureau, for at most three months; an extension is a new record (`extension_of`)
    approved again, each at most three months. The end is enforced by tasks_location.end_expired_monitoring."""

    workflow = MONITORING_WORKFLOW
    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject,
        verbose_name="社区矫正对象",
        on_delete=models.CASCADE,
        related_name="electronic_monitoring",
    )
    ground = models.CharField("适用情形（第二十九条第一款）", max_length=2, choices=MonitoringGround.choices)
    facts = models.TextField("事实和理由")
    device_number = models.CharField("装置编号", max_length=64, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("期满日期")
    extension_of = models.ForeignKey(
        "self",
        verbose_name="延长的前一期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=MONITORING_WORKFLOW.choices,
        default=MONITORING_WORKFLOW.initial,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提请人", on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    ended_on = models.DateField("解除日期", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "电子定位装置使用"
        verbose_name_plural = "电子定位装置使用"
        ordering = ["-starts_on", "-id"]
        permissions = [("approve_electronicmonitoring", "批准使用电子定位装置（县级司法行政部门负责人）")]
        indexes = [models.Index(fields=["status", "ends_on"]), models.Index(fields=["subject", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="correction_monitoring_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"电子定位装置：{self.subject.name}（{self.starts_on}至{self.ends_on}）"

    def get_absolute_url(self) -> str:
        return reverse("correction:monitoring-detail", args=[self.pk])
