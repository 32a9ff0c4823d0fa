"""Geofences and alerts: the allowed area, 禁止令 zones and curfews of each subject, and every alert raised about a
subject (location breaches, missed reports, lost signal, risk) for an officer to handle. GPS points themselves are
in models/location.py (helper D). Alerts are written by correction/alerts.py services only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from ..choices import AlertKind, AlertStatus, FenceKind, FenceSource
from .subjects import SUBJECT_SCOPES, CorrectionSubject

HANDLE_ALERT = "correction.change_correctionalert"


class Geofence(DomainModel):
    """One area of one subject, as GeoJSON (Polygon or MultiPolygon, WGS-84 lon/lat; holes allowed)."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="geofences"
    )
    kind = models.CharField("类型", max_length=16, choices=FenceKind.choices)
    source = models.CharField("来源", max_length=24, choices=FenceSource.choices, default=FenceSource.CUSTOM)
    name = models.CharField("名称", max_length=100)
    geometry = models.JSONField("范围（GeoJSON）")
    # A daily window in local time (may cross midnight: 22:00–06:00); empty = all day.
    window_start = models.TimeField("每日开始时间", null=True, blank=True)
    window_end = models.TimeField("每日结束时间", null=True, blank=True)
    active_from = models.DateTimeField("生效时间", null=True, blank=True)
    active_until = models.DateTimeField("失效时间", null=True, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "电子围栏"
        verbose_name_plural = "电子围栏"
        ordering = ["subject", "kind", "id"]
        indexes = [models.Index(fields=["subject", "is_active"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


def _note_given(alert, actor, payload=None) -> str | None:
    if payload is not None and not str(payload.get("note") or "").strip():
        return "请填写处置情况"
    return None


ALERT_WORKFLOW = Workflow(
    name="correction.alert",
    initial=AlertStatus.OPEN,
    states=[
        State(AlertStatus.OPEN, AlertStatus.OPEN.label),
        State(AlertStatus.CONTACTED, AlertStatus.CONTACTED.label),
        State(AlertStatus.CONFIRMED, AlertStatus.CONFIRMED.label, final=True),
        State(AlertStatus.DISMISSED, AlertStatus.DISMISSED.label, final=True),
        State(AlertStatus.ESCALATED, AlertStatus.ESCALATED.label, final=True),
    ],
    transitions=[
        Transition(
            "contact",
            "记录联系情况",
            (AlertStatus.OPEN,),
            AlertStatus.CONTACTED,
            permission=HANDLE_ALERT,
            guards=(_note_given,),
        ),
        Transition(
            "confirm",
            "核实：确有违规",
            (AlertStatus.OPEN, AlertStatus.CONTACTED),
            AlertStatus.CONFIRMED,
            permission=HANDLE_ALERT,
            guards=(_note_given,),
            style="warning",
        ),
        Transition(
            "dismiss",
            "核实：误报",
            (AlertStatus.OPEN, AlertStatus.CONTACTED),
            AlertStatus.DISMISSED,
            permission=HANDLE_ALERT,
            guards=(_note_given,),
            style="secondary",
        ),
        Transition(
            "escalate",
            "无法联系，转脱管处置",
            (AlertStatus.OPEN, AlertStatus.CONTACTED),
            AlertStatus.ESCALATED,
            permission=HANDLE_ALERT,
            guards=(_note_given,),
            style="danger",
        ),
    ],
)


class CorrectionAlert(DomainModel):
    """An alert about one subject for an officer to handle by `handle_by`: why it fired and the evidence (points,
    distances, the fence) are stored with it, so the page can show them on the map."""

    workflow = ALERT_WORKFLOW
    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField("预警类型", max_length=24, choices=AlertKind.choices, db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=ALERT_WORKFLOW.choices, default=ALERT_WORKFLOW.initial, db_index=True
    )
    fence = models.ForeignKey(
        Geofence,
        verbose_name="电子围栏",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    started_at = models.DateTimeField("开始时间", db_index=True)
    last_seen_at = models.DateTimeField("最近一次发现时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    point_count = models.PositiveIntegerField("合并的定位点数", default=0)
    max_distance_m = models.FloatField("离边界最远距离（米）", null=True, blank=True)
    why = models.CharField("触发原因", max_length=500)
    evidence = models.JSONField("证据", default=dict, blank=True)
    handle_by = models.DateTimeField("处置期限", db_index=True)
    handled_at = models.DateTimeField("处置时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_note = models.TextField("处置情况", blank=True)
    # Copied from the subject so scopes, the feed and the map filter without a join.
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="执行地区划", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "core.Organisation", verbose_name="社区矫正机构", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["subject", "kind", "status"]),
            models.Index(fields=["status", "handle_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject.name}"

    def get_absolute_url(self) -> str:
        return reverse("correction:alert-detail", args=[self.pk])
