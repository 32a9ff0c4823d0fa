"""In/out schemas of the officers API (行政执法主体 and 行政执法人员)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.pagination import Id

from .officers import agency_domains, assignable


class AgencyFilter(Schema):
    jurisdiction: str = Field("", pattern=r"^(\d{12})?$", description="区划代码（12位，含下级区划）")
    domain: str = Field("", max_length=32, description="执法领域代码")


class AgencyOut(Schema):
    id: int
    name: str
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    domains: list[str]

    @staticmethod
    def resolve_domains(obj) -> list[str]:
        return agency_domains(obj)


class OfficerFilter(Schema):
    agency_id: Id | None = Field(None, description="执法主体")
    domain: str = Field("", max_length=32, description="执法领域代码")
    jurisdiction: str = Field("", pattern=r"^(\d{12})?$", description="执法区域所在区划代码（含下级区划）")
    q: str = Field("", max_length=50, description="姓名、账号或执法证号")
    certificate: str = Field(
        "", pattern=r"^(valid|suspended|revoked|expired|not_yet_valid|none)?$", description="执法证状态"
    )


class OfficerIn(Schema):
    user_id: Id
    agency_id: Id
    domains: list[str] = Field(..., min_length=1, max_length=len(EnforcementDomain.values))
    jurisdiction: str = Field("", pattern=r"^(\d{12})?$", description="执法区域（默认为执法主体所在区划）")
    training_hours: dict[str, int] = Field(default_factory=dict, description='年度培训学时，如 {"2026": 40}')


class OfficerOut(Schema):
    id: int
    user_id: int
    name: str = Field(..., alias="user.display_name")
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    domains: list[str]
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    certificate_number: str = ""
    certificate_state: str = Field("none", description="valid / suspended / revoked / expired / none")
    certificate_valid_until: datetime | None = None
    training_hours: dict[str, int]
    is_active: bool
    assignable: bool = Field(False, description="现在能否被指派办案（执法证有效、在岗）")
    not_assignable_reason: str = ""

    @staticmethod
    def resolve_certificate_number(obj) -> str:
        return obj.credential.number if obj.credential_id else ""

    @staticmethod
    def resolve_certificate_state(obj) -> str:
        return obj.credential.verification_state if obj.credential_id else "none"

    @staticmethod
    def resolve_certificate_valid_until(obj):
        return obj.credential.valid_until if obj.credential_id else None

    @staticmethod
    def resolve_assignable(obj) -> bool:
        return assignable(obj) is None

    @staticmethod
    def resolve_not_assignable_reason(obj) -> str:
        return assignable(obj) or ""


class CertificateIssueIn(Schema):
    valid_until: datetime | None = Field(None, description="有效期截止时间；不填按证照类型的默认有效期")


class CertificateRevokeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500, description="吊销理由")


class TrainingIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年度")
    hours: int = Field(..., ge=0, le=2000, description="培训学时")


class MyCertificateOut(Schema):
    officer: OfficerOut | None
    state: str = Field(..., description="valid / suspended / revoked / expired / not_yet_valid / none")
    verification_url: str = Field("", description="核验二维码指向的公开核验页面")
    qr_svg: str = Field("", description="核验二维码（SVG）")
