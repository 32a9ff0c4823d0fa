"""In/out schemas of the education and identity-check API (names prefixed so they are unique across the API)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from ninja import Field, Schema
from pydantic import field_validator

from smartjustice.core.pagination import Id
from smartjustice.core.schemas import PatchSchema

from .models import (
    AssignmentStatus,
    IdentityMethod,
    IdentityPurpose,
    IdentityStatus,
    LearningKind,
    LearningTask,
    SessionStatus,
)


def _choice_pattern(choices) -> str:
    return "^(" + "|".join(choices.values) + ")?$"


# --- tasks -------------------------------------------------------------------------------------------------------


class LearningTaskFilter(Schema):
    kind: str = Field("", pattern=_choice_pattern(LearningKind), description="学习类别")
    q: str = Field("", max_length=50, description="名称或内容")
    active: bool | None = Field(None, description="是否可布置")


class LearningTaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=200, description="名称")
    kind: LearningKind = Field(
        ..., description="类别：法治教育、道德教育、心理健康教育、职业技能培训、公益活动"
    )
    hours: Decimal = Field(..., gt=0, le=200, decimal_places=1, description="学时")
    content: str = Field("", max_length=20000, description="内容")
    is_active: bool = True


class LearningTaskPatch(PatchSchema):
    patch_model: ClassVar = LearningTask

    title: str | None = Field(None, min_length=1, max_length=200)
    kind: LearningKind | None = None
    hours: Decimal | None = Field(None, gt=0, le=200, decimal_places=1)
    content: str | None = Field(None, max_length=20000)
    is_active: bool | None = None


class LearningTaskOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    hours: Decimal
    content: str
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    is_active: bool
    created_at: datetime


# --- assignments -------------------------------------------------------------------------------------------------


class LearningAssignmentFilter(Schema):
    subject_id: Id | None = Field(None, description="社区矫正对象")
    status: str = Field("", pattern=_choice_pattern(AssignmentStatus), description="状态")
    overdue: bool | None = Field(None, description="只看已超过完成期限、尚未完成的")


class LearningAssignmentIn(Schema):
    subject_id: Id
    task_id: Id
    due_on: date = Field(..., description="完成期限")
    note: str = Field("", max_length=300)


class LearningAssignmentOut(Schema):
    id: int
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    subject_number: str = Field(..., alias="subject.number")
    task_id: int
    task_title: str = Field(..., alias="task.title")
    task_kind: str = Field(..., alias="task.kind")
    due_on: date
    required_hours: Decimal
    completed_hours: Decimal
    remaining_hours: Decimal
    status: str
    status_label: str = Field(..., alias="get_status_display")
    completed_on: date | None = None
    note: str


# --- identity checks ---------------------------------------------------------------------------------------------


class IdentityCheckFilter(Schema):
    status: str = Field(
        "", pattern=_choice_pattern(IdentityStatus), description="状态（pending：待人工复核）"
    )
    subject_id: Id | None = Field(None, description="社区矫正对象")
    method: str = Field("", pattern=_choice_pattern(IdentityMethod), description="核验方式")


class IdentityChallengeIn(Schema):
    subject_id: Id
    purpose: IdentityPurpose = IdentityPurpose.LEARNING


# A live photo of at most 10 MB arrives base64-encoded (about 13.4 million characters).
MAX_IMAGE_CHARS = 14_000_000


class IdentityVerifyIn(Schema):
    subject_id: Id
    purpose: IdentityPurpose = IdentityPurpose.LEARNING
    image_base64: str = Field(
        ..., min_length=1, max_length=MAX_IMAGE_CHARS, description="现场照片（JPG 或 PNG，Base64）"
    )
    challenge_answer: str | None = Field(
        None, max_length=8, pattern=r"^\d{0,8}$", description="随机核验数字（使用随机数字人工核验时填写）"
    )

    @field_validator("image_base64")
    @classmethod
    def _decodes(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("照片须为 Base64 编码的 JPG 或 PNG 文件") from None
        return value

    def image_bytes(self) -> bytes:
        return base64.b64decode(self.image_base64)


class IdentityReviewIn(Schema):
    approve: bool = Field(..., description="true：核验通过；false：不通过")
    reason: str = Field(..., min_length=1, max_length=250, description="复核意见")


class IdentityCheckOut(Schema):
    id: int
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    purpose: str
    method: str
    method_label: str = Field(..., alias="get_method_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    passed: bool | None = Field(None, description="null：尚待人工复核")
    score: float | None = Field(None, description="人脸特征距离（越小越相似）")
    threshold: float | None = Field(None, description="判定阈值：距离不超过阈值为同一人")
    challenge_digits: str = Field("", description="随机核验数字（请写在纸上，与本人一起拍照）")
    challenge_expires_at: datetime | None = None
    challenge_answer: str = ""
    has_photo: bool = False
    submitted_at: datetime | None = None
    reason: str
    reviewed_by_name: str = ""
    reviewed_at: datetime | None = None
    created_at: datetime

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return obj.photo_id is not None

    @staticmethod
    def resolve_reviewed_by_name(obj) -> str:
        return obj.reviewed_by.display_name if obj.reviewed_by_id else ""


# --- sessions ----------------------------------------------------------------------------------------------------


class LearningSessionFilter(Schema):
    subject_id: Id | None = Field(None, description="社区矫正对象")
    assignment_id: Id | None = Field(None, description="学习任务布置")
    status: str = Field("", pattern=_choice_pattern(SessionStatus), description="状态")


class LearningSessionStartIn(Schema):
    assignment_id: Id
    identity_check_id: Id = Field(..., description="开始学习前的身份核验")


class LearningSessionFinishIn(Schema):
    identity_check_id: Id = Field(..., description="结束学习时的身份核验")


class LearningSessionOut(Schema):
    id: int
    assignment_id: int
    subject_id: int
    subject_name: str = Field(..., alias="subject.name")
    task_title: str = Field(..., alias="assignment.task.title")
    started_at: datetime
    ended_at: datetime | None = None
    identity_check_id: int
    end_check_id: int | None = None
    status: str
    status_label: str = Field(..., alias="get_status_display")
    hours_attended: Decimal
    hours_credited: Decimal
    note: str


# --- a subject's learning record ---------------------------------------------------------------------------------


class LearningMonthOut(Schema):
    month: date
    credited: Decimal
    required: Decimal
    shortfall: Decimal


class LearningRecordOut(Schema):
    subject_id: int
    subject_name: str
    identity_method: str = Field(
        ..., description="本对象可用的核验方式：face 人脸比对；challenge 随机数字人工复核"
    )
    months: list[LearningMonthOut]
    assignments: list[LearningAssignmentOut]
    sessions: list[LearningSessionOut]
