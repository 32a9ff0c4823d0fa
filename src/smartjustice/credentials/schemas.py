"""In/Out/Filter schemas of e-certificates."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class IssueIn(Schema):
    type_code: str = Field(
        "administrative_enforcement_certificate", description="证照类型（见 credentials/data/types.json）"
    )
    holder_id: int = Field(..., description="持证人账号 ID")
    claims: dict[str, str] = Field(
        default_factory=dict, description="由发证机关填写的内容，如 enforcementArea"
    )
    valid_from: datetime | None = Field(None, description="生效时间（默认现在）")
    valid_until: datetime | None = Field(None, description="有效期至（默认按类型）")


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500, description="理由")


class LinkIn(Schema):
    claims: list[str] = Field(..., description="披露的内容（claim 名称）")
    label: str = Field("", max_length=100)
    expires_at: datetime | None = None


class CredentialFilter(Schema):
    q: str = Field("", description="持证人姓名或证件编号")
    type_code: str = Field("", description="证照类型")
    status: str = Field("", description="active/suspended/revoked/expired")


class CredentialOut(Schema):
    id: int
    credential_id: str
    type_code: str
    number: str
    subject_name: str
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    holder_id: int
    status: str
    status_label: str
    verification_state: str
    valid_from: datetime
    valid_until: datetime
    created_at: datetime


class CredentialDetailOut(CredentialOut):
    claims: dict
    document: dict = Field(..., description="已签名的 W3C 可验证凭证（内容只含摘要）")
    algorithm: str
    key_id: str
    ledger_entry_id: int | None
    status_reason: str


class LinkOut(Schema):
    id: int
    token: str
    url: str
    claims: list[str]
    label: str
    is_default: bool
    expires_at: datetime | None
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        from .services import public_url

        return public_url(reverse("credentials:verify", args=[obj.token]))


class VerificationCheckOut(Schema):
    name: str
    ok: bool | None
    message: str


class CredentialVerificationOut(Schema):
    state: str
    label: str
    claims: dict
    issuer: dict
    valid_from: str
    valid_until: str
    checks: list[VerificationCheckOut]
