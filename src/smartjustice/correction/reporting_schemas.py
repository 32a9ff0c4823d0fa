"""In/Out/Filter schemas of daily supervision (names prefixed: one OpenAPI document for the whole platform)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from smartjustice.core.pagination import Id

from .models import CheckInChannel, SupervisionRecordKind

STAFF_CHANNELS = Literal["kiosk", "in_person", "phone_call"]


class CheckInOut(Schema):
    id: int
    subject_id: int
    subject_number: str = Field(..., alias="subject.number")
    subject_name: str = Field(..., alias="subject.name")
    channel: str
    channel_label: str = Field(..., alias="get_channel_display")
    checked_at: datetime
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    report: str
    photo_id: int | None = None
    identity_check_id: int | None = None
    due_at: datetime | None = Field(None, description="本次报告截止时间")
    late: bool = Field(..., description="是否逾期报告")
    next_due_at: datetime | None = Field(None, description="下次报告截止时间")
    ledger_log: str
    ledger_index: int | None = None
    has_receipt: bool = Field(..., description="是否有可下载的报到回执")

    @staticmethod
    def resolve_has_receipt(obj) -> bool:
        return bool(obj.receipt)


class CheckInFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    channel: CheckInChannel | Literal[""] = Field("", description="报到方式")
    late: bool | None = Field(None, description="true：只看逾期报告")
    since: datetime | None = Field(None, description="报到时间起")
    until: datetime | None = Field(None, description="报到时间止")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    q: str = Field("", max_length=100, description="姓名或矫正编号")


class CheckInIn(Schema):
    """An officer records a report made at the kiosk, in person or by phone."""

    subject_id: Id = Field(..., description="社区矫正对象 ID")
    channel: STAFF_CHANNELS = Field(
        ..., description="报到方式：kiosk 自助终端、in_person 当面、phone_call 电话"
    )
    checked_at: datetime | None = Field(
        None, description="报到时间（当面、电话报到可补录31日内的；不填为现在）"
    )
    latitude: float | None = Field(None, ge=-90, le=90, description="纬度")
    longitude: float | None = Field(None, ge=-180, le=180, description="经度")
    accuracy_m: float | None = Field(None, ge=0, le=10000, description="定位精度（米）")
    report: str = Field("", max_length=2000, description="情况报告")
    identity_check_id: Id | None = Field(None, description="身份核验记录 ID")


class SupervisionRecordOut(Schema):
    id: int
    subject_id: int
    subject_number: str = Field(..., alias="subject.number")
    subject_name: str = Field(..., alias="subject.name")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    occurred_at: datetime
    place: str
    participants: str
    summary: str
    findings_ok: bool
    officer_name: str = Field(..., alias="officer.display_name")


class SupervisionRecordFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    kind: SupervisionRecordKind | Literal[""] = Field("", description="方式")
    since: datetime | None = Field(None, description="时间起")
    until: datetime | None = Field(None, description="时间止")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    q: str = Field("", max_length=100, description="姓名或矫正编号")


class SupervisionRecordIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    kind: SupervisionRecordKind = Field(..., description="方式")
    occurred_at: datetime | None = Field(None, description="时间（不填为现在）")
    summary: str = Field(..., min_length=2, max_length=5000, description="情况记录")
    place: str = Field("", max_length=200, description="地点（实地查访必填）")
    participants: str = Field("", max_length=200, description="参与人员")
    findings_ok: bool = Field(True, description="未发现异常")


class SupervisionTimelineItemOut(Schema):
    at: datetime
    kind: str = Field(..., description="check_in 报到 / supervision 监管记录 / alert 预警")
    kind_label: str
    title: str
    detail: str
    record_id: int
    url: str
    flag: str = ""


class SupervisionTimelineOut(Schema):
    subject_id: int
    subject_number: str
    subject_name: str
    level: str
    level_label: str
    schedule_days: int = Field(..., description="报告周期（日）")
    next_report_due_at: datetime | None
    overdue: bool
    items: list[SupervisionTimelineItemOut]
