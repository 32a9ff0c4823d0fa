"""In/Out/Filter schemas of 执法监督."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from smartjustice.core.api.blocks import AttachmentOut, TransitionRecordOut
from smartjustice.core.pagination import Id

from .choices import FlagRule, FlagStatus, OrderStatus, ReviewStatus


class CaseRef(Schema):
    id: int
    number: str | None = None
    cause: str
    status: str


class FlagOut(Schema):
    id: int
    rule: str
    rule_label: str = Field(..., alias="get_rule_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    why: str = Field(..., description="触发原因（证据值）")
    citation: str = Field(..., description="所依据的条文")
    evidence: dict
    case: CaseRef
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    domain: str
    first_fired_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None = None
    dismissed_reason: str = ""


class FlagFilter(Schema):
    rule: FlagRule | Literal[""] = Field("", description="监督规则")
    status: FlagStatus | Literal[""] = Field(FlagStatus.OPEN, description="状态（空：全部）")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    agency: Id | None = Field(None, description="执法主体 ID")
    domain: str = Field("", max_length=32, description="执法领域")
    case: Id | None = Field(None, description="案件 ID")
    q: str = Field("", max_length=100, description="案件编号、案由或执法主体")


class DismissIn(Schema):
    reason: str = Field(..., min_length=2, max_length=500, description="核销理由")


class OrderIn(Schema):
    case_id: Id = Field(..., description="案件 ID")
    flag_ids: list[Id] = Field(default_factory=list, max_length=20, description="所督办的预警")
    requirement: str = Field(..., min_length=2, max_length=5000, description="督办事项和整改要求")
    deadline_on: date = Field(..., description="整改期限")


class OrderOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    case: CaseRef
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    issuing_organisation_name: str = Field(..., alias="issuing_organisation.name")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    domain: str
    requirement: str
    deadline_on: date
    clock_due_on: date | None = None
    issued_on: date
    reply_text: str
    replied_on: date | None = None
    review_comment: str
    closed_on: date | None = None


class OrderDetailOut(OrderOut):
    flag_ids: list[int] = Field(default_factory=list)
    attachments: list[AttachmentOut] = Field(default_factory=list, alias="_attachments")
    history: list[TransitionRecordOut] = Field(default_factory=list, alias="_history")


class OrderFilter(Schema):
    status: OrderStatus | Literal[""] = Field("", description="状态")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    agency: Id | None = Field(None, description="被督办单位 ID")
    domain: str = Field("", max_length=32, description="执法领域")
    overdue: bool | None = Field(None, description="true：只看超过整改期限的")
    q: str = Field("", max_length=100, description="督办编号、案件编号或案由")


class ReplyIn(Schema):
    reply_text: str = Field(..., min_length=2, max_length=5000, description="整改情况")


class OrderCommentIn(Schema):
    comment: str = Field("", max_length=1000, description="审核意见")


class OrderReturnIn(Schema):
    comment: str = Field(..., min_length=2, max_length=1000, description="退回理由")
    deadline_on: date | None = Field(None, description="新的整改期限（不填：默认期限）")


TRANSITION_INPUTS = {
    "reply": ReplyIn,
    "accept": OrderCommentIn,
    "return": OrderReturnIn,
    "close": OrderCommentIn,
}


class ReviewOut(Schema):
    id: int
    batch: str
    seed: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    case: CaseRef
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    domain: str
    scores: dict
    notes: dict
    total: Decimal | None = None
    grade: str
    grade_label: str = Field(..., alias="get_grade_display")
    checklist_version: str
    reviewed_at: datetime | None = None


class ReviewFilter(Schema):
    batch: str = Field("", max_length=64, description="评查批次")
    status: ReviewStatus | Literal[""] = Field("", description="状态")
    region: str = Field("", max_length=12, description="区划代码（含下级）")
    agency: Id | None = Field(None, description="执法主体 ID")


class SampleIn(Schema):
    batch: str = Field(..., min_length=1, max_length=64, description="评查批次，如“2026年第四季度”")
    size: int = Field(..., ge=1, le=200, description="抽取数量")
    seed: str = Field("", max_length=64, description="抽样种子（不填：批次名称）")
    region: str = Field("", max_length=12, description="区划代码（含下级，不填：本辖区）")
    closed_from: date | None = Field(None, description="结案日期起")
    closed_to: date | None = Field(None, description="结案日期止")


class ScoreIn(Schema):
    scores: dict[str, Decimal] = Field(..., description="各评查项目得分：{项目代码: 分数}")
    notes: dict[str, str] = Field(default_factory=dict, description="扣分说明：{项目代码: 说明}")


class ChecklistItemOut(Schema):
    code: str
    title: str
    weight: int
    article: int
    paragraph: int | None = None
    guide: str = ""
    citation: str


class ChartRow(Schema):
    code: str | int | None = None
    id: int | None = None
    name: str
    value: int


class DashboardOut(Schema):
    total: int
    orders_total: int
    by_rule: list[ChartRow]
    by_domain: list[ChartRow]
    by_agency: list[ChartRow]
    by_region: list[ChartRow]
    orders: list[ChartRow]
