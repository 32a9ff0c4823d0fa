"""Schemas of the subject app's API (/api/v1/correction/app/): the subject's own records only, no personal data of
others. Names carry the `App` prefix (OpenAPI schema names are unique across the platform)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class AppTodoOut(Schema):
    title: str
    href: str
    detail: str = ""
    due: datetime | date | None = None
    urgent: bool = False


class AppTermOut(Schema):
    """The subject's term of correction, as the app's home page shows it (no ID number, phone or address)."""

    number: str
    name: str
    category: str
    category_label: str
    level: str
    level_label: str
    status: str
    status_label: str
    starts_on: date
    ends_on: date
    days_left: int
    agency_name: str
    station_name: str = ""
    next_report_due_at: datetime | None = None
    report_overdue: bool = False
    todos: list[AppTodoOut] = []
    unread_messages: int = 0


class AppCheckInIn(Schema):
    report: str = Field(..., min_length=1, max_length=1000, description="活动情况（简要报告）")
    latitude: float | None = Field(None, ge=-90, le=90, description="纬度（WGS-84，手机定位）")
    longitude: float | None = Field(None, ge=-180, le=180, description="经度（WGS-84）")
    accuracy_m: float | None = Field(None, ge=0, le=100_000, description="定位精度（米）")


class AppCheckInOut(Schema):
    id: int
    checked_at: datetime
    channel: str
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    report: str = ""


class AppRequestIn(Schema):
    kind: str = Field(
        ..., max_length=32, description="leave 外出 / residence_change 迁居 / special_place / meet_person"
    )
    destination: str = Field(..., min_length=1, max_length=200)
    reason: str = Field(..., min_length=1, max_length=1000)
    starts_on: date
    ends_on: date


class AppRequestOut(Schema):
    id: int
    kind: str
    kind_label: str = ""
    destination: str = ""
    reason: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    status: str
    status_label: str = ""

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display()) if hasattr(obj, "get_kind_display") else ""

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display()) if hasattr(obj, "get_status_display") else ""


class AppMessageOut(Schema):
    id: int
    title: str
    body: str = ""
    link: str = ""
    created_at: datetime
    read_at: datetime | None = None
