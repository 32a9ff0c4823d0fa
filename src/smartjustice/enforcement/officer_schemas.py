"""In/out schemas of the officers API (行政执法主体 and 行政执法人员)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.pagination import Id

from .officers import agency_domains


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
    q: str = Field("", max_length=50, description="姓名")


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

    @staticmethod
    def resolve_certificate_number(obj) -> str:
        return obj.credential.number if obj.credential_id else ""

    @staticmethod
    def resolve_certificate_state(obj) -> str:
        return obj.credential.verification_state if obj.credential_id else "none"

    @staticmethod
    def resolve_certificate_valid_until(obj):
        return obj.credential.valid_until if obj.credential_id else None
