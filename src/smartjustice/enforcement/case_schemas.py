"""In/Out/Filter schemas of case handling (办案): parties (personal information masked), cases, evidence, payments,
documents and the input of each workflow step (core.workflow_api validates it and draws the page's fields from it)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from smartjustice.core.api.blocks import AttachmentOut, TransitionOut, TransitionRecordOut
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.pagination import Id
from smartjustice.core.schemas import ClockOut, OrganisationRef, PiiSchema

from .choices import (
    CaseDocumentKind,
    CaseSource,
    CaseStatus,
    EvidenceKind,
    PartyKind,
    PaymentKind,
    Procedure,
    ServiceMethod,
)

# --- parties (当事人) --------------------------------------------------------------------------------------------


class PartyIn(Schema):
    kind: PartyKind = Field(..., description="当事人类型：person 公民 / organisation 法人或者其他组织")
    name: str = Field(..., min_length=2, max_length=200, description="姓名或名称")
    id_number: str = Field(
        ..., min_length=15, max_length=32, description="居民身份证号码（公民）或统一社会信用代码（组织）"
    )
    legal_representative: str = Field("", max_length=100, description="法定代表人（负责人）")
    phone: str = Field("", max_length=32, description="联系电话")
    address: str = Field("", max_length=300, description="住所（地址）")


class PartyFilter(Schema):
    q: str = Field("", max_length=100, description="姓名、名称（部分）或完整的证件号码；不填列出全部")


class PartyOut(PiiSchema):
    id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    name: str
    id_number: str = Field(..., description="证件号码（脱敏，经“查看完整信息”后显示原文）")
    legal_representative: str
    phone: str
    address: str
    agency: OrganisationRef
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")


# --- cases (案件) ------------------------------------------------------------------------------------------------


class CaseIn(Schema):
    """登记案件线索: the party (an existing one by id, or registered on the spot) and what was found."""

    party_id: Id | None = Field(None, description="已登记的当事人 ID（与 party 二选一）")
    party: PartyIn | None = Field(None, description="新当事人（未登记过时填写）")
    cause: str = Field(..., min_length=2, max_length=300, description="案由")
    domain: EnforcementDomain | None = Field(None, description="执法领域（默认为本机关的执法领域）")
    source: CaseSource = Field(CaseSource.LEAD, description="案件来源")
    item_id: Id | None = Field(None, description="执法事项 ID（权责清单）")
    facts: str = Field("", max_length=10000, description="简要案情")
    location: str = Field("", max_length=300, description="违法地点")
    occurred_on: date | None = Field(None, description="违法行为发生日期")
    discovered_on: date = Field(..., description="发现日期")


class CaseFilter(Schema):
    q: str = Field("", max_length=100, description="案件编号、案由、当事人名称或决定书文号")
    status: CaseStatus | Literal[""] = Field("", description="办理阶段")
    procedure: Procedure | Literal[""] = Field("", description="程序")
    domain: EnforcementDomain | Literal[""] = Field("", description="执法领域")
    agency: Id | None = Field(None, description="执法主体（机构 ID；监督部门按机关筛选）")
    overdue: bool | None = Field(None, description="true：只看已超期；false：排除已超期")


class CaseOut(Schema):
    id: int
    number: str | None = Field(..., description="案件编号（立案后）")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    procedure: str
    procedure_label: str = Field(..., alias="get_procedure_display")
    source: str
    source_label: str = Field(..., alias="get_source_display")
    domain: str
    domain_label: str = Field(..., alias="get_domain_display")
    agency: OrganisationRef
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    party_id: int
    party_name: str = Field(..., alias="party.name")
    cause: str
    discovered_on: date
    filed_on: date | None
    fine_amount: Decimal | None
    decision_number: str
    decided_on: date | None
    clock: ClockOut | None = Field(..., description="正在计算的法定期限")
    created_at: datetime
    updated_at: datetime


class OfficerOnCaseOut(Schema):
    user_id: int
    name: str
    role: str
    role_label: str


class CaseDetailOut(CaseOut):
    party: PartyOut
    item_id: int | None
    facts: str
    location: str
    occurred_on: date | None
    confiscated_amount: Decimal | None
    other_sanctions: list[str]
    discretion_grade: str
    legal_basis: str
    legal_review_required: bool
    legal_review_passed: bool | None
    legal_review_opinion: str
    reviewed_on: date | None
    notice_number: str
    notified_on: date | None
    statement: str
    statement_waived: bool
    hearing_offered: bool
    hearing_requested_on: date | None
    hearing_on: date | None
    hearing_record: str
    grave: bool
    discussion_record: str
    discussed_on: date | None
    service_method: str
    served_on: date | None
    payment_due_on: date | None
    paid_amount: Decimal
    surcharge_amount: Decimal
    amount_due: Decimal = Field(..., description="应缴未缴金额（罚款加加处罚款减已缴）")
    executed_on: date | None
    closed_on: date | None
    archived_on: date | None
    revoked_on: date | None
    revocation_reason: str
    officers: list[OfficerOnCaseOut] = Field(..., description="承办人、法制审核人员")
    transitions: list[TransitionOut] = Field(..., description="当前用户可执行的操作")
    history: list[TransitionRecordOut]

    @staticmethod
    def resolve_officers(obj) -> list:
        from smartjustice.core.assignments import role_label

        return [
            {
                "user_id": a.user_id,
                "name": a.user.display_name,
                "role": a.role,
                "role_label": role_label(a.role),
            }
            for a in getattr(obj, "_officers", [])
        ]

    @staticmethod
    def resolve_transitions(obj) -> list:
        return getattr(obj, "_transitions", [])

    @staticmethod
    def resolve_history(obj) -> list:
        return getattr(obj, "_history", [])


class OfficersIn(Schema):
    officer_ids: list[Id] = Field(
        ..., min_length=1, max_length=10, description="承办人员（行政执法人员的工作人员账号 ID）"
    )


# --- evidence (证据) ---------------------------------------------------------------------------------------------


class EvidenceFilter(Schema):
    case: Id | None = Field(None, description="案件 ID")
    kind: EvidenceKind | Literal[""] = Field("", description="证据类型")


class EvidenceOut(Schema):
    id: int
    case_id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    content: str
    attachment: AttachmentOut | None
    sha256: str = Field(..., description="证据内容的 SHA-256 摘要")
    ledger_log: str = Field(..., description="存证账本")
    ledger_index: int | None = Field(..., description="账本中的序号（可凭此取得包含证明）")
    captured_at: datetime
    latitude: Decimal | None
    longitude: Decimal | None
    recorded_by_name: str = Field(..., alias="recorded_by.display_name")
    created_at: datetime


# --- payments (缴款) ---------------------------------------------------------------------------------------------


class PaymentFilter(Schema):
    case: Id | None = Field(None, description="案件 ID")


class PaymentIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2, description="缴款金额（元）")
    paid_on: date | None = Field(None, description="缴款日期（默认今天）")
    receipt_number: str = Field("", max_length=64, description="缴款凭证号")
    kind: PaymentKind = Field(PaymentKind.FINE, description="款项")


class PaymentOut(Schema):
    id: int
    case_id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    amount: Decimal
    due_on: date | None
    paid_on: date | None
    receipt_number: str
    recorded_by_name: str = Field(..., alias="recorded_by.display_name")
    created_at: datetime


# --- documents (执法文书) ----------------------------------------------------------------------------------------


class DocumentIn(Schema):
    kind: CaseDocumentKind = Field(..., description="文书种类")


class DocumentOut(Schema):
    number: str = Field(..., description="文号")
    title: str
    files: list[AttachmentOut] = Field(..., description="PDF 和 Word 文件（下载须有本案的查看权限）")

    @staticmethod
    def resolve_files(obj) -> list:
        return list(obj.files.values()) if hasattr(obj, "files") else []


# --- workflow steps ----------------------------------------------------------------------------------------------


class CaseReasonIn(Schema):
    reason: str = Field(..., min_length=2, max_length=500, description="理由")


class NoticeIn(Schema):
    notified_on: date | None = Field(None, description="告知日期（默认今天）")


class HearingIn(Schema):
    hearing_on: date | None = Field(None, description="听证日期（应在通知后七日以上）")
    requested_on: date | None = Field(None, description="当事人申请听证日期（默认今天）")


class DiscussionIn(Schema):
    record: str = Field(..., min_length=2, max_length=5000, description="集体讨论记录")
    discussed_on: date | None = Field(None, description="讨论日期（默认今天）")


class DecideIn(Schema):
    decided_on: date | None = Field(None, description="决定日期（默认今天）")


class ServeIn(Schema):
    method: ServiceMethod = Field(..., description="送达方式")
    served_on: date | None = Field(None, description="送达日期（默认今天）")


class FileIn(Schema):
    officer_ids: list[Id] = Field(
        ...,
        min_length=2,
        max_length=10,
        description="承办执法人员（工作人员账号 ID，不少于两人，第四十二条）",
    )
    filed_on: date | None = Field(None, description="立案日期（默认今天）")
    extended_limitation: bool = Field(
        False, description="违法行为涉及公民生命健康安全、金融安全且有危害后果（追责期限五年，第三十六条）"
    )


class OpinionIn(Schema):
    opinion: str = Field(..., min_length=2, max_length=5000, description="法制审核意见")


class EvidenceIn(Schema):
    kind: EvidenceKind = Field(..., description="证据类型")
    title: str = Field(..., min_length=2, max_length=200, description="名称")
    content: str = Field("", max_length=20000, description="笔录内容")
    captured_at: datetime | None = Field(None, description="取证时间（默认现在）")
    latitude: Decimal | None = Field(None, ge=-90, le=90, description="纬度")
    longitude: Decimal | None = Field(None, ge=-180, le=180, description="经度")


class PenaltyIn(Schema):
    fine_amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="罚款金额（元）"
    )
    confiscated_amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="没收违法所得（元）"
    )
    other_sanctions: list[str] = Field([], max_length=10, description="其他处罚种类（如“警告、通报批评”）")
    discretion_grade: str = Field(
        "", max_length=16, description="裁量阶次：no_penalty/lighter/ordinary/heavier"
    )
    benchmark_id: Id | None = Field(None, description="适用的裁量基准 ID")
    legal_basis: str = Field("", max_length=500, description="处罚依据")
    grave: bool = Field(False, description="情节复杂或重大违法（须集体讨论）")


class StatementIn(Schema):
    statement: str = Field("", max_length=5000, description="当事人的陈述、申辩意见")
    waived: bool = Field(False, description="当事人明确放弃陈述、申辩")


class RecordIn(Schema):
    record: str = Field(..., min_length=2, max_length=10000, description="听证笔录摘要")


# The input of each workflow step (core.workflow_api: the API validates it, the page draws its fields from it).
TRANSITION_INPUTS: dict[str, type[Schema]] = {
    "file": FileIn,
    "not_file": CaseReasonIn,
    "pass_review": OpinionIn,
    "return_review": OpinionIn,
    "notify": NoticeIn,
    "hearing": HearingIn,
    "discuss": DiscussionIn,
    "decide": DecideIn,
    "drop": CaseReasonIn,
    "serve": ServeIn,
}


# --- from ids to records (the edges pass ids; the services take records) -----------------------------------------


def officers_by_id(user, ids) -> list:
    """The staff accounts of the officers `ids` names, among the officers `user` may see (else a Chinese refusal)."""
    from smartjustice.core.errors import ValidationFailed

    from .officers import list_officers

    found = {o.user_id: o.user for o in list_officers(user).filter(user_id__in=list(ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        message = "所选执法人员不存在或不在您的可见范围内"
        raise ValidationFailed(message, fields={"officer_ids": [message]})
    return [found[i] for i in ids]


def file_case_by_ids(case, *, actor, officer_ids, filed_on=None, extended_limitation=False):
    """立案 with the handlers given by account id (the API's and the page's input of the "file" step)."""
    from . import cases

    return cases.file_case(
        case,
        officers=officers_by_id(actor, officer_ids),
        actor=actor,
        filed_on=filed_on,
        extended_limitation=extended_limitation,
    )


def step_services() -> dict:
    """enforcement.cases.TRANSITION_SERVICES with the "file" step taking officer ids."""
    from . import cases

    return {**cases.TRANSITION_SERVICES, "file": file_case_by_ids}


class InstalmentIn(Schema):
    due_on: date = Field(..., description="应缴日期")
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2, description="金额（元）")


class InstalmentsIn(Schema):
    plan: list[InstalmentIn] = Field(
        ..., min_length=1, max_length=36, description="分期计划（合计为未缴罚款，第六十六条第二款）"
    )


class RevokeIn(Schema):
    reason: str = Field(..., min_length=2, max_length=300, description="撤销原因")
    revoked_on: date | None = Field(None, description="撤销日期（默认今天）")
