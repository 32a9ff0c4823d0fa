"""In / Patch / Out / Filter schemas of subjects, contacts, 矫正小组, transfers and archive items (names prefixed so
they stay unique across the whole API). Personal data in Out schemas is masked unless revealed (PiiSchema)."""

from __future__ import annotations

import datetime
from typing import ClassVar, Literal

from ninja import Field, Schema

from smartjustice.core.pagination import Id
from smartjustice.core.schemas import OrganisationRef, PatchSchema, PiiSchema

from .choices import (
    ContactRelation,
    CorrectionCategory,
    Employment,
    FamilySituation,
    Gender,
    GroupRole,
    OffenceType,
    SubjectStatus,
    SupervisionLevel,
    TerminationReason,
)
from .models import ArchiveKind, CorrectionSubject, TransferStatus

# --- subjects ---------------------------------------------------------------------------------------------------


class SubjectFilter(Schema):
    q: str = Field("", max_length=100, description="矫正编号、完整身份证号码或姓名")
    status: SubjectStatus | Literal[""] = Field("", description="状态")
    category: CorrectionCategory | Literal[""] = Field("", description="矫正类别")
    level: SupervisionLevel | Literal[""] = Field("", description="管理等级")
    agency: Id | None = Field(None, description="社区矫正机构 ID")
    station: Id | None = Field(None, description="受委托司法所 ID")
    ending_within: int | None = Field(None, ge=0, le=3650, description="在矫且矫正期满在 N 日内")
    is_minor: bool | None = Field(None, description="未成年人")


class SubjectIn(Schema):
    """入矫登记: the data of the legal documents (第二十二条 核对法律文书、核实身份)."""

    name: str = Field(..., min_length=1, max_length=64, description="姓名")
    id_number: str = Field(..., min_length=1, max_length=32, description="居民身份证号码")
    category: CorrectionCategory = Field(..., description="矫正类别")
    offence: str = Field(..., min_length=1, max_length=100, description="罪名")
    offence_type: OffenceType = Field(OffenceType.OTHER, description="犯罪类型")
    sentence: str = Field("", max_length=200, description="原判刑罚")
    judgment_number: str = Field(
        ..., min_length=1, max_length=100, description="判决书（裁定书、决定书）文号"
    )
    deciding_authority: str = Field(..., min_length=1, max_length=100, description="社区矫正决定机关")
    judgment_effective_on: datetime.date = Field(..., description="判决（裁定、决定）生效日期")
    starts_on: datetime.date = Field(..., description="矫正起始日期")
    ends_on: datetime.date = Field(..., description="矫正期满日期")
    intake_on: datetime.date | None = Field(None, description="报到（接收）日期，默认今天")
    prohibitions: str = Field("", max_length=2000, description="禁止令内容")
    agency_id: Id | None = Field(None, description="社区矫正机构 ID（默认本单位或所在县的机构）")
    station_id: Id | None = Field(None, description="受委托司法所 ID")
    number: str = Field("", max_length=32, description="矫正编号（留空自动编号）")
    phone: str = Field("", max_length=20, description="手机号码")
    address: str = Field("", max_length=300, description="居住地")
    level: SupervisionLevel = Field(SupervisionLevel.ORDINARY, description="管理等级")
    employment: Employment = Field(Employment.EMPLOYED, description="就业就学情况")
    family_situation: FamilySituation = Field(FamilySituation.STABLE, description="家庭情况")


class SubjectPatch(PatchSchema):
    patch_model: ClassVar = CorrectionSubject

    phone: str | None = Field(None, max_length=20, description="手机号码")
    address: str | None = Field(None, max_length=300, description="居住地")
    level: SupervisionLevel | None = Field(None, description="管理等级")
    employment: Employment | None = None
    family_situation: FamilySituation | None = None
    offence_type: OffenceType | None = None
    prohibitions: str | None = Field(None, max_length=2000)
    sentence: str | None = Field(None, max_length=200)
    ends_on: datetime.date | None = Field(None, description="矫正期满日期（减刑等变更后）")


class SubjectOut(PiiSchema):
    id: int
    number: str
    name: str
    id_number: str = Field(..., description="身份证号码（脱敏，经“查看完整信息”后显示原文）")
    gender: str
    gender_label: str = Field(..., alias="get_gender_display")
    birth_date: datetime.date | None
    phone: str
    address: str
    category: str
    category_label: str = Field(..., alias="get_category_display")
    offence: str
    offence_type: str
    sentence: str
    judgment_number: str
    deciding_authority: str
    judgment_effective_on: datetime.date
    prohibitions: str
    starts_on: datetime.date
    ends_on: datetime.date
    agency: OrganisationRef
    station: OrganisationRef | None
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    level: str
    level_label: str = Field(..., alias="get_level_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    is_minor: bool
    employment: str
    family_situation: str
    correction_plan: str
    next_report_due_at: datetime.datetime | None
    intake_on: datetime.date
    released_on: datetime.date | None
    termination_reason: str
    release_certificate_number: str
    has_account: bool = Field(False, description="已关联粤矫通账号")

    @staticmethod
    def resolve_has_account(obj) -> bool:
        return bool(getattr(obj, "account_id", None))


class SubjectCreatedOut(SubjectOut):
    warnings: list[str] = Field(default_factory=list, description="入矫提示（如超过十日报到期限）")

    @staticmethod
    def resolve_warnings(obj) -> list[str]:
        return list(getattr(obj, "warnings", []) or [])


class SubjectPlanIn(Schema):
    plan: str = Field(..., min_length=1, max_length=5000, description="矫正方案")


class SubjectAccountIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, description="粤矫通（个人门户）账号用户名")


class SubjectReleaseIn(Schema):
    reason: Literal["expired", "pardoned"] = Field("expired", description="解矫情形：矫正期满 / 被赦免")
    released_on: datetime.date | None = Field(None, description="解矫日期，默认今天")
    note: str = Field("", max_length=500, description="说明（赦免的依据等）")


class SubjectTerminateIn(Schema):
    reason: Literal["probation_revoked", "parole_revoked", "committed", "deceased"] = Field(
        ..., description="终止情形：撤销缓刑 / 撤销假释 / 收监执行 / 死亡"
    )
    terminated_on: datetime.date | None = Field(None, description="终止日期，默认今天")
    note: str = Field("", max_length=500, description="说明（裁定书、决定书文号等）")


TERMINATION_LABELS = dict(TerminationReason.choices)

# --- contacts and group members -----------------------------------------------------------------------------------


class SubjectContactFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")


class SubjectContactIn(Schema):
    relation: ContactRelation = Field(..., description="关系")
    name: str = Field(..., min_length=1, max_length=64, description="姓名")
    phone: str = Field("", max_length=32, description="联系电话")
    address: str = Field("", max_length=300, description="住址")
    is_guardian: bool = Field(False, description="监护人")


class SubjectContactCreateIn(SubjectContactIn):
    subject_id: Id = Field(..., description="社区矫正对象 ID")


class SubjectContactOut(PiiSchema):
    id: int
    subject_id: int
    relation: str
    relation_label: str = Field(..., alias="get_relation_display")
    name: str
    phone: str
    address: str
    is_guardian: bool


class GroupMemberFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")


class GroupMemberIn(Schema):
    role: GroupRole = Field(..., description="身份")
    name: str = Field(..., min_length=1, max_length=64, description="姓名")
    gender: Gender = Field(..., description="性别")
    phone: str = Field("", max_length=32, description="联系电话")
    knows_minors: bool = Field(False, description="熟悉未成年人身心特点")


class GroupMemberCreateIn(GroupMemberIn):
    subject_id: Id = Field(..., description="社区矫正对象 ID")


class GroupMemberOut(PiiSchema):
    id: int
    subject_id: int
    role: str
    role_label: str = Field(..., alias="get_role_display")
    name: str
    gender: str
    phone: str
    knows_minors: bool


# --- transfers --------------------------------------------------------------------------------------------------


class TransferFilter(Schema):
    status: TransferStatus | Literal[""] = Field("", description="状态")
    direction: Literal["", "in", "out"] = Field("", description="in：转入本地；out：本单位转出")
    subject: Id | None = Field(None, description="社区矫正对象 ID")


class TransferIn(Schema):
    subject_id: Id = Field(..., description="社区矫正对象 ID")
    to_agency_id: Id = Field(..., description="变更后的县级社区矫正机构 ID")
    reason: str = Field(..., min_length=1, max_length=500, description="变更理由（迁居等）")
    new_address: str = Field(..., min_length=1, max_length=300, description="新居住地")


class TransferSubjectOut(Schema):
    id: int
    number: str
    name: str
    category_label: str = Field(..., alias="get_category_display")
    ends_on: datetime.date


class TransferOut(Schema):
    id: int
    subject: TransferSubjectOut
    status: str
    status_label: str = Field(..., alias="get_status_display")
    from_agency: OrganisationRef
    from_station: OrganisationRef | None
    to_agency: OrganisationRef
    to_station: OrganisationRef | None
    reason: str
    new_address: str
    requested_on: datetime.date
    decided_at: datetime.datetime | None
    decision_note: str


class TransferAcceptIn(Schema):
    station_id: Id | None = Field(None, description="受委托司法所 ID（可不委托）")
    note: str = Field("", max_length=500, description="接收意见")


class TransferRefuseIn(Schema):
    note: str = Field(..., min_length=1, max_length=500, description="不予接收的理由")


TRANSFER_INPUTS = {"accept": TransferAcceptIn, "refuse": TransferRefuseIn}

# --- archives ---------------------------------------------------------------------------------------------------


class ArchiveItemFilter(Schema):
    subject: Id | None = Field(None, description="社区矫正对象 ID")
    kind: ArchiveKind | Literal[""] = Field("", description="材料类别")


class ArchiveItemOut(Schema):
    id: int
    subject_id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    content: str
    attachment_id: int | None
    filed_on: datetime.date
    retain_until: datetime.date | None
    disposed_on: datetime.date | None


class ArchiveEntryOut(Schema):
    section: str
    title: str
    day: datetime.date | None
    attachment_id: int | None = None
    item_id: int | None = None
    source: str


class ArchiveRecordCountOut(Schema):
    kind: str
    count: int


class ArchiveFolderOut(Schema):
    subject_id: int
    entries: list[ArchiveEntryOut]
    records: list[ArchiveRecordCountOut]


class ArchiveExportIn(Schema):
    purpose: str = Field("", max_length=200, description="查询事由（未成年人档案必填，第五十四条）")
