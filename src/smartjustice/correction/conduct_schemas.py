"""In/Out/Filter schemas of 考核奖惩 and 审批 (helper E), and the input of each workflow step (core.workflow_api validates
it and draws the page's fields from it). Names are prefixed (Conduct…, Sanction…, ApprovalRequest…) so they stay
unique across the whole OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from ninja import Field, Schema

from smartjustice.core.api.blocks import TransitionOut, TransitionRecordOut
from smartjustice.core.pagination import Id
from smartjustice.core.schemas import ClockOut, PatchSchema, PiiSchema

from .models.conduct import (
    ApprovalKind,
    ApprovalRoute,
    ApprovalStatus,
    AssessmentGrade,
    AssessmentKind,
    CourtOutcome,
    Sanction,
    SanctionKind,
    SanctionStatus,
)


class ConductSubjectRef(Schema):
    id: int
    number: str
    name: str
    category: str
    category_label: str = Field(..., alias="get_category_display")


class ConductUserRef(Schema):
    id: int
    name: str = Field(..., alias="display_name")


# --- assessments -------------------------------------------------------------------------------------------------


class AssessmentItemIn(Schema):
    code: str = Field(..., max_length=32, description="考核项目代码（rules.ASSESSMENT_ITEMS）")
    points: int = Field(..., ge=0, le=100, description="得分")
    note: str = Field("", max_length=200, description="说明")


class AssessmentIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    kind: AssessmentKind = Field(..., description="monthly 月度考核 / quarterly 季度考核")
    period: str = Field(
        ..., min_length=6, max_length=7, description="考核期间：2026-11（月）或 2026-Q4（季）"
    )
    items: list[AssessmentItemIn] = Field(..., min_length=1, max_length=20, description="各考核项目的得分")
    note: str = Field("", max_length=2000, description="考核意见")


class AssessmentFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    kind: AssessmentKind | None = None
    period: str = Field("", max_length=7, description="考核期间")
    grade: AssessmentGrade | None = None
    q: str = Field("", max_length=64, description="姓名或矫正编号")


class AssessmentItemOut(Schema):
    code: str
    label: str
    points: int
    max: int
    note: str = ""


class AssessmentOut(Schema):
    id: int
    subject: ConductSubjectRef
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    period: str
    points: int
    grade: str
    grade_label: str = Field(..., alias="get_grade_display")
    items: list[AssessmentItemOut]
    note: str
    assessor: ConductUserRef
    assessed_on: date


# --- sanctions -----------------------------------------------------------------------------------------------------


class SanctionIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    kind: SanctionKind = Field(..., description="奖惩种类（撤销缓刑建议只适用于缓刑对象，余类推）")
    facts: str = Field(..., min_length=1, max_length=5000, description="事实和理由")
    legal_basis: str = Field("", max_length=500, description="法律依据（不填按种类自动填写）")
    evidence: str = Field(
        "", max_length=5000, description="证据材料（提出撤销缓刑、假释或收监执行建议时必填）"
    )


class SanctionPatch(PatchSchema):
    patch_model: ClassVar = Sanction

    facts: str | None = Field(None, min_length=1, max_length=5000, description="事实和理由")
    legal_basis: str | None = Field(None, min_length=1, max_length=500, description="法律依据")
    evidence: str | None = Field(None, max_length=5000, description="证据材料")


class SanctionFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    kind: SanctionKind | None = None
    status: SanctionStatus | None = None
    q: str = Field("", max_length=64, description="姓名、矫正编号或文号")


class SanctionOut(PiiSchema):
    id: int
    subject: ConductSubjectRef
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    facts: str
    legal_basis: str
    evidence: str
    drafted_by: ConductUserRef
    approved_by: ConductUserRef | None
    approved_on: date | None
    document_number: str
    issued_on: date | None
    court: str
    sent_on: date | None
    court_due_on: date | None = Field(..., description="法院（决定机关）作出裁定（决定）的期限：提请后三十日")
    court_outcome: str
    court_decision_number: str
    court_decided_on: date | None
    clock: ClockOut | None
    created_at: datetime


class SanctionDetailOut(SanctionOut):
    transitions: list[TransitionOut] = Field(..., description="当前用户可执行的操作")
    history: list[TransitionRecordOut]

    @staticmethod
    def resolve_transitions(obj) -> list:
        return getattr(obj, "_transitions", [])

    @staticmethod
    def resolve_history(obj) -> list:
        return getattr(obj, "_history", [])


class SanctionReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500, description="理由")


class SanctionApproveIn(Schema):
    opinion: str = Field("", max_length=500, description="审批意见")


class SanctionCourtIn(Schema):
    court: str = Field("", max_length=100, description="受理法院（决定机关），不填为原决定机关")


class SanctionCourtDecisionIn(Schema):
    outcome: CourtOutcome = Field(..., description="裁定（决定）结果")
    decision_number: str = Field(..., min_length=1, max_length=100, description="裁定书（决定书）文号")
    decided_on: date | None = Field(None, description="裁定（决定）日期，不填为今天")


SANCTION_TRANSITION_INPUTS = {
    "approve": SanctionApproveIn,
    "return": SanctionReasonIn,
    "send_to_court": SanctionCourtIn,
    "record_court_decision": SanctionCourtDecisionIn,
    "cancel": SanctionReasonIn,
}


# --- approval requests ---------------------------------------------------------------------------------------------


class ApprovalRequestIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID（工作人员代为提交时填写）")
    kind: ApprovalKind = Field(
        ...,
        description="leave 外出 / residence_change 迁居 / special_place 进入特定场所 / meet_person 会见特定人员",
    )
    destination: str = Field(..., min_length=1, max_length=200, description="目的地（新居住地、场所或人员）")
    reason: str = Field(..., min_length=1, max_length=2000, description="事由")
    starts_on: date = Field(..., description="开始日期")
    ends_on: date = Field(..., description="结束日期")


class ApprovalRequestFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    kind: ApprovalKind | None = None
    status: ApprovalStatus | None = None
    route: ApprovalRoute | None = None
    overdue: bool | None = Field(None, description="true：已超过审批期限仍未办结")
    q: str = Field("", max_length=64, description="姓名或目的地")


class ApprovalRequestOut(PiiSchema):
    id: int
    subject: ConductSubjectRef
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    route: str
    route_label: str = Field(..., alias="get_route_display")
    destination: str
    reason: str
    starts_on: date
    ends_on: date
    days: int
    decide_by: date = Field(..., description="审批期限")
    submitted_by: ConductUserRef
    review_opinion: str
    decided_by: ConductUserRef | None
    decided_at: datetime | None
    decision_note: str = Field(..., description="审批意见；不予批准的理由")
    document_number: str
    returned_on: date | None = Field(..., description="销假日期")
    created_at: datetime


class ApprovalRequestDetailOut(ApprovalRequestOut):
    transitions: list[TransitionOut] = Field(..., description="当前用户可执行的操作")
    history: list[TransitionRecordOut]

    @staticmethod
    def resolve_transitions(obj) -> list:
        return getattr(obj, "_transitions", [])

    @staticmethod
    def resolve_history(obj) -> list:
        return getattr(obj, "_history", [])


class ApprovalReviewIn(Schema):
    opinion: str = Field(..., min_length=1, max_length=1000, description="初审意见")


class ApprovalApproveIn(Schema):
    note: str = Field("", max_length=1000, description="审批意见")


class ApprovalRefuseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000, description="不予批准的理由")


class ApprovalReturnIn(Schema):
    returned_on: date | None = Field(None, description="返回日期，不填为今天")
    note: str = Field("", max_length=1000, description="外出期间情况")


APPROVAL_TRANSITION_INPUTS = {
    "review": ApprovalReviewIn,
    "approve": ApprovalApproveIn,
    "refuse": ApprovalRefuseIn,
    "report_return": ApprovalReturnIn,
}
