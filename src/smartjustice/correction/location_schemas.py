"""In/Out/Filter schemas of location monitoring (GPS batches, alerts, fences, tracks, 电子定位装置). Names carry a
Gps/Alert/Fence/Monitoring prefix (one OpenAPI document for the whole platform)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from ninja import Field, Schema

from smartjustice.core.api.blocks import TransitionRecordOut
from smartjustice.core.pagination import Id
from smartjustice.core.schemas import PatchSchema

from .choices import AlertKind, AlertStatus, FenceKind
from .models import Geofence, MonitoringGround, MonitoringStatus


class GpsPointIn(Schema):
    """One point as documented (the batch takes each point as a plain object and checks it itself, so one bad
    point is refused with its reason instead of failing the batch)."""

    subject_id: int | None = Field(None, description="社区矫正对象 ID（本人上报时可省略）")
    recorded_at: datetime = Field(..., description="定位时间（ISO 8601，带时区）")
    longitude: float = Field(..., description="经度（WGS-84）")
    latitude: float = Field(..., description="纬度（WGS-84）")
    accuracy_m: float | None = Field(None, description="定位精度（米）")
    # A Literal, not the GpsSource enum: this schema is embedded in GpsBatchIn's items, where a $defs reference
    # to the enum would dangle and break the whole OpenAPI document.
    source: Literal["app", "device"] = Field("app", description="来源：app 粤矫通，device 电子定位装置")


class GpsBatchIn(Schema):
    points: list[Any] = Field(
        ...,
        max_length=5000,
        description="定位点（每个为 GpsPointIn 结构；最多 5000 个）。不合格的点逐个拒收并说明原因，其余照常接收",
        json_schema_extra={"items": GpsPointIn.model_json_schema()},
    )


class GpsRefusalOut(Schema):
    index: int = Field(..., description="该点在 points 中的序号（从 0 开始）")
    reason: str


class GpsBatchOut(Schema):
    received: int
    accepted: int = Field(..., description="新存储的定位点")
    duplicates: int = Field(..., description="已存储过（或本批次重复）的定位点，只存一次")
    refused: list[GpsRefusalOut]
    alert_ids: list[int] = Field(default_factory=list, description="本批次产生或合并的预警")


# --- alerts --------------------------------------------------------------------------------------------------------


class AlertSubjectRef(Schema):
    id: int
    number: str
    name: str


class AlertOut(Schema):
    id: int
    subject: AlertSubjectRef
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    fence_id: int | None = None
    why: str = Field(..., description="触发原因")
    started_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = None
    point_count: int
    max_distance_m: float | None = None
    handle_by: datetime = Field(..., description="处置期限")
    overdue: bool = Field(..., description="已超过处置期限仍未处置")
    handled_at: datetime | None = None
    handling_note: str = ""
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")

    @staticmethod
    def resolve_overdue(obj) -> bool:
        from django.utils import timezone

        return obj.status in (AlertStatus.OPEN, AlertStatus.CONTACTED) and obj.handle_by < timezone.now()


class AlertDetailOut(AlertOut):
    evidence: dict = Field(default_factory=dict, description="证据：围栏、定位点、距离")
    history: list[TransitionRecordOut] = Field(default_factory=list, alias="_history")


class AlertFilter(Schema):
    status: AlertStatus | Literal["", "open_all"] = Field("", description="状态（open_all：待处置和核实中）")
    kind: AlertKind | Literal[""] = Field("", description="预警类型")
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    overdue: bool | None = Field(None, description="true：只看超过处置期限的")
    q: str = Field("", max_length=100, description="姓名、矫正编号或触发原因")


# --- fences --------------------------------------------------------------------------------------------------------


class FenceIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    kind: FenceKind = Field(
        ..., description="allowed 活动区域，forbidden 禁止进入区域（禁止令），curfew 宵禁"
    )
    name: str = Field(..., min_length=1, max_length=100, description="名称")
    geometry: dict[str, Any] = Field(
        ..., description="范围：GeoJSON Polygon 或 MultiPolygon（WGS-84 经纬度）"
    )
    window_start: time | None = Field(None, description="每日开始时间（可跨午夜，如 22:00）")
    window_end: time | None = Field(None, description="每日结束时间（如 06:00）")
    active_from: datetime | None = Field(None, description="生效时间")
    active_until: datetime | None = Field(None, description="失效时间")
    basis: str = Field("", max_length=300, description="依据（如禁止令文书号）")


class FencePatch(PatchSchema):
    patch_model = Geofence

    name: str | None = Field(None, min_length=1, max_length=100, description="名称")
    geometry: dict[str, Any] | None = Field(None, description="范围（GeoJSON）")
    window_start: time | None = Field(None, description="每日开始时间")
    window_end: time | None = Field(None, description="每日结束时间")
    active_from: datetime | None = Field(None, description="生效时间")
    active_until: datetime | None = Field(None, description="失效时间")
    basis: str | None = Field(None, max_length=300, description="依据")


class FenceDeactivateIn(Schema):
    reason: str = Field(..., min_length=2, max_length=300, description="停用理由")


class FenceOut(Schema):
    id: int
    subject_id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    source: str
    name: str
    geometry: dict
    window_start: time | None = None
    window_end: time | None = None
    active_from: datetime | None = None
    active_until: datetime | None = None
    basis: str
    is_active: bool


class FenceFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    kind: FenceKind | Literal[""] = Field("", description="类型")
    active: bool | None = Field(True, description="true 有效，false 已停用，不填全部")


class GpsTrackFilter(Schema):
    since: datetime = Field(..., description="开始时间（ISO 8601）")
    until: datetime = Field(..., description="结束时间（最长 31 天）")
    # A plain string pattern, not the enum: an enum used both alone and in a union breaks ninja's $defs.
    source: str = Field(
        "", pattern="^(app|device)?$", description="来源：app 粤矫通，device 电子定位装置，不填全部"
    )


# --- electronic monitoring ---------------------------------------------------------------------------------------


class MonitoringIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    ground: MonitoringGround = Field(..., description="适用情形（社区矫正法第二十九条第一款第几项）")
    facts: str = Field(..., min_length=4, max_length=5000, description="事实和理由")
    starts_on: date = Field(..., description="开始日期")
    ends_on: date = Field(..., description="期满日期（不超过三个月）")
    device_number: str = Field("", max_length=64, description="装置编号")
    extension_of: Id | None = Field(None, description="延长的前一期 ID（延长时填写）")


class MonitoringOut(Schema):
    id: int
    subject: AlertSubjectRef
    ground: str
    ground_label: str = Field(..., alias="get_ground_display")
    facts: str
    device_number: str
    starts_on: date
    ends_on: date
    extension_of_id: int | None = None
    status: str
    status_label: str = Field(..., alias="get_status_display")
    approved_on: date | None = None
    decision_note: str
    ended_on: date | None = None
    end_reason: str


class MonitoringDetailOut(MonitoringOut):
    history: list[TransitionRecordOut] = Field(default_factory=list, alias="_history")


class MonitoringFilter(Schema):
    status: MonitoringStatus | Literal[""] = Field("", description="状态")
    subject: Id | None = Field(None, description="社区矫正对象 ID")


class MonitoringNoteIn(Schema):
    note: str = Field("", max_length=500, description="审批意见")


class MonitoringRefuseIn(Schema):
    note: str = Field(..., min_length=2, max_length=500, description="不予批准的理由")


class MonitoringEndIn(Schema):
    reason: str = Field(..., min_length=2, max_length=300, description="解除原因")


MONITORING_TRANSITION_INPUTS = {
    "approve": MonitoringNoteIn,
    "refuse": MonitoringRefuseIn,
    "end": MonitoringEndIn,
}
