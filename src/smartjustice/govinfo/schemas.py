"""In/Out/Filter schemas of 政府信息公开申请."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from smartjustice.core.api.blocks import AttachmentOut, TransitionOut, TransitionRecordOut
from smartjustice.core.pagination import Id
from smartjustice.core.schemas import ClockOut, OrganisationRef, PiiSchema

from .choices import DeliveryMethod, ReplyType


class HandlingOrganisationOut(Schema):
    id: int
    name: str
    kind_label: str = Field(..., alias="get_kind_display")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.full_name")
    address: str
    phone: str


class RequestIn(Schema):
    organisation_id: int = Field(..., description="受理机关（司法局或司法厅）")
    description: str = Field(
        ..., min_length=2, max_length=5000, description="所需政府信息的名称、文号或特征描述"
    )
    purpose: str = Field("", max_length=500, description="用途（选填）")
    delivery_method: str = Field(DeliveryMethod.ONLINE, description="获取方式：online/email/post/pickup")
    address: str = Field("", max_length=300, description="通讯地址（选择邮寄时必填）")
    email: str = Field("", max_length=254, description="电子邮箱（选择电子邮件方式时必填）")


class RequestFilter(Schema):
    status: str = Field("", description="状态")
    q: str = Field("", description="申请编号、申请人或内容")
    organisation: Id | None = Field(None, description="受理机关 ID")
    overdue: bool | None = Field(None, description="true：只看已逾期；false：排除已逾期")
    mine: bool = Field(False, description="只看我提交的申请")
    ordering: Literal["-created_at", "created_at", "remaining_days", "-remaining_days"] = Field(
        "-created_at",
        description="排序：-created_at 最新在前；remaining_days 剩余期限最少在前（已暂停、无期限的在后）",
    )


class CommentIn(Schema):
    comment: str = Field("", max_length=500, description="登记意见（选填）")


class CorrectionIn(Schema):
    notice: str = Field(..., min_length=2, max_length=2000, description="需要补正的事项和合理的补正期限")


class ResubmitIn(Schema):
    description: str = Field("", max_length=5000, description="补正后的申请内容（不改可留空）")


class ExtendIn(Schema):
    reason: str = Field(..., min_length=2, max_length=1000, description="延期理由")
    days: int = Field(20, ge=1, le=20, description="延长的工作日数（最长 20 个工作日）")


class AnswerIn(Schema):
    reply_type: ReplyType = Field(..., description="答复类型")
    reply_text: str = Field(..., min_length=2, max_length=10000, description="答复内容")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=500, description="撤回理由（选填）")


class ConsultIn(Schema):
    parties: str = Field(
        ...,
        min_length=2,
        max_length=1000,
        description="征求意见的第三方或机关及事项（所需时间不计入答复期限）",
    )


class ConsultationEndIn(Schema):
    opinion: str = Field("", max_length=2000, description="意见摘要（选填）")


# The input of each workflow step (core.workflow_api: the API validates it, the page draws its fields from it).
TRANSITION_INPUTS: dict[str, type[Schema]] = {
    "accept": CommentIn,
    "request_correction": CorrectionIn,
    "resubmit": ResubmitIn,
    "extend": ExtendIn,
    "consult": ConsultIn,
    "end_consultation": ConsultationEndIn,
    "end_consultation_extended": ConsultationEndIn,
    "answer": AnswerIn,
    "withdraw": WithdrawIn,
}


class RequestOut(PiiSchema):
    id: int
    reference: str
    status: str
    status_label: str
    applicant_id: int
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    organisation: OrganisationRef
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    channel: str
    channel_label: str = Field(..., alias="get_channel_display")
    description: str
    purpose: str
    delivery_method: str
    delivery_method_label: str = Field(..., alias="get_delivery_method_display")
    applicant_email: str = Field(..., description="接收信息的电子邮箱（以电子邮件方式获取时）")
    applicant_address: str = Field(..., description="通讯地址（以邮寄方式获取时）")
    received_on: date | None
    due_on: date | None
    extended_due_on: date | None
    effective_due_on: date | None
    remaining_working_days: int | None
    is_overdue: bool
    correction_notice_due_on: date | None = Field(
        ..., description="告知补正的最后一日（第三十条：收到申请之日起7个工作日）"
    )
    clock: ClockOut | None = Field(..., description="正在计算的法定期限（答复期限、补正告知期限）")
    extension_reason: str
    correction_notice: str
    reply_type: str
    reply_type_label: str = Field(..., alias="get_reply_type_display")
    reply_text: str
    answered_on: date | None
    reply_number: str
    created_at: datetime
    updated_at: datetime


class RequestDetailOut(RequestOut):
    transitions: list[TransitionOut] = Field(..., description="当前用户可执行的操作")
    attachments: list[AttachmentOut]
    history: list[TransitionRecordOut]

    @staticmethod
    def resolve_transitions(obj) -> list:
        return getattr(obj, "_transitions", [])

    @staticmethod
    def resolve_attachments(obj) -> list:
        return getattr(obj, "_attachments", [])

    @staticmethod
    def resolve_history(obj) -> list:
        return getattr(obj, "_history", [])
