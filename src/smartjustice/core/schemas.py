"""In/Out/Filter schemas for core records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from . import privacy
from .errors import PYDANTIC_MESSAGES
from .models import Organisation, User
from .pagination import Id


class PiiSchema(Schema):
    """An Out schema whose fields named in the model's ``pii_fields`` are masked (core.privacy) unless the record
    was revealed to the reader through the audited reveal action (core.services.reveal_personal_information, which
    checks access.may_view_pii and writes the PII_VIEWED entry) and the reader may still view it.

    A schema field is personal when its own name, or the model attribute it reads (its alias), is in
    ``pii_fields``; ``pii_masked`` tells the client whether masking applied.
    """

    pii_masked: bool = Field(True, description="个人信息是否已脱敏（经“查看完整信息”操作并留痕后才显示原文）")

    pii_extra_fields: ClassVar[
        tuple[str, ...]
    ] = ()  # more schema fields to mask, e.g. a related record's phone

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler, info) -> Any:
        obj = values
        if isinstance(values, DjangoGetter):
            obj = values._obj
        elif not isinstance(values, dict) and not isinstance(values, Schema):
            values = DjangoGetter(values, cls, info.context)
        result = handler(values)
        if not isinstance(result, PiiSchema) or isinstance(obj, (dict, Schema)):
            return result
        request = (info.context or {}).get("request") if info is not None else None
        reader = getattr(request, "auth", None) or getattr(request, "user", None)
        revealed = privacy.is_revealed(obj, reader)
        if not revealed:
            for name in cls._personal_fields(type(obj)):
                setattr(result, name, privacy.mask_field(cls._source_name(name), getattr(result, name)))
        result.pii_masked = not revealed
        return result

    @classmethod
    def _source_name(cls, name: str) -> str:
        alias = cls.model_fields[name].alias
        return alias.split(".")[-1] if alias else name

    @classmethod
    def _personal_fields(cls, model) -> list[str]:
        personal = set(getattr(model, "pii_fields", ())) | set(cls.pii_extra_fields)
        return [
            name
            for name in cls.model_fields
            if name in personal or (cls.model_fields[name].alias or "") in personal
        ]


def _document_refused_nulls(schema: dict, cls) -> None:
    # A PatchSchema field is declared `X | None = None` so that leaving it out is allowed; the document must not
    # offer null where the validator refuses it, or clients (and the fuzzer) are told to send it.
    for name, info in cls.model_fields.items():
        prop = schema.get("properties", {}).get(info.alias or name)
        if prop is None or cls.accepts_null(name):
            continue
        branches = [b for b in prop.get("anyOf", ()) if b.get("type") != "null"]
        if "anyOf" in prop and len(branches) == 1:
            del prop["anyOf"]
            prop.update(branches[0])
        elif "anyOf" in prop:
            prop["anyOf"] = branches
        if prop.get("default", 0) is None:
            del prop["default"]


class PatchSchema(Schema):
    """A partial update (XPatch): a field left out stays as it is; null is refused with a Chinese field message
    (422) unless the model's field may be null, so a null never reaches the database as a NOT NULL error (500).

    ``patch_model`` is the model the fields write (a field is found by its name or column name, e.g. ``parent_id``);
    a field that is not the model's, or a schema without ``patch_model``, takes null only when named in
    ``nullable_fields``. The OpenAPI document offers null only where it is accepted.
    """

    model_config = ConfigDict(json_schema_extra=_document_refused_nulls)

    patch_model: ClassVar[type | None] = None
    nullable_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def accepts_null(cls, name: str) -> bool:
        """Whether `name` may be set to null (e.g. an organisation's parent removed)."""
        if name in cls.nullable_fields:
            return True
        if cls.patch_model is None:
            return False
        try:
            return bool(cls.patch_model._meta.get_field(name).null)
        except FieldDoesNotExist:
            return False

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and not cls.accepts_null(info.field_name):
            raise PydanticCustomError("null_not_allowed", PYDANTIC_MESSAGES["null_not_allowed"])
        return value


class ClockOut(Schema):
    """A record's statutory clock as core.clocks.ClockView gives it (every module's detail answers use this one)."""

    label: str = Field(..., description="正在计算的法定期限")
    due_on: date | None
    unit_label: str
    remaining: int | None = Field(..., description="剩余天数（按期限单位；暂停时为暂停时的剩余）")
    overdue: int = Field(..., description="已超期天数")
    paused: bool
    paused_since: date | None
    paused_days: int = Field(..., description="已扣除的暂停天数")


class ErrorOut(Schema):
    code: str = Field(..., description="稳定的错误代码，如 not_found、validation_failed")
    message: str = Field(..., description="中文错误说明")
    fields: dict[str, list[str]] = Field(default_factory=dict, description="字段级错误")


class JurisdictionOut(Schema):
    code: str
    name: str
    full_name: str
    level: int
    parent_id: str | None = Field(None, alias="parent_id")


class JurisdictionFilter(Schema):
    parent: str | None = Field(None, description="上级区划代码")
    level: int | None = Field(None, ge=1, le=5, description="层级：1 省 2 市 3 县 4 乡镇 5 村")
    q: str | None = Field(None, description="名称或代码前缀")
    within: str | None = Field(None, description="限定在某区划之下")


class OrganisationRef(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    enforcement_domain: str
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.full_name")
    parent_id: int | None
    uscc: str
    address: str
    phone: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


class OrganisationIn(Schema):
    name: str = Field(..., min_length=2, max_length=200)
    kind: str
    jurisdiction: str = Field(..., min_length=12, max_length=12, description="12 位区划代码")
    enforcement_domain: str = ""
    parent_id: int | None = None
    uscc: str = ""
    address: str = ""
    phone: str = ""


class OrganisationPatch(PatchSchema):
    patch_model: ClassVar = Organisation

    name: str | None = Field(None, min_length=2, max_length=200)
    enforcement_domain: str | None = None
    parent_id: int | None = None
    uscc: str | None = None
    address: str | None = None
    phone: str | None = None
    is_active: bool | None = None


class OrganisationFilter(Schema):
    q: str = Field("", description="名称或统一社会信用代码")
    kind: str = Field("", description="机构类型")
    jurisdiction: str = Field("", description="限定在某区划之下（12 位代码）")
    is_active: bool | None = None


class UserOut(PiiSchema):
    id: int
    username: str
    kind: str
    real_name: str
    display_name: str
    title: str
    organisation: OrganisationRef | None
    jurisdiction_code: str | None = Field(None, alias="jurisdiction_id")
    roles: list[str]
    id_number: str
    phone: str
    is_active: bool

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return sorted(r.code for r in obj.roles.all())


class StaffIn(Schema):
    username: str = Field(..., min_length=3, max_length=150)
    real_name: str = Field(..., min_length=2, max_length=64)
    organisation_id: int
    password: str = Field(..., min_length=8)
    roles: list[str] = []
    phone: str = ""
    id_number: str = ""
    title: str = ""


class UserPatch(PatchSchema):
    patch_model: ClassVar = User

    real_name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    title: str | None = None
    is_active: bool | None = None


class RolesIn(Schema):
    roles: list[str]


class UserFilter(Schema):
    q: str = ""
    kind: str = ""
    role: str = ""
    organisation: Id | None = None
    jurisdiction: str = ""


class RoleOut(Schema):
    code: str
    name: str
    description: str


class MeOut(Schema):
    id: int
    username: str
    kind: str
    display_name: str
    organisation: OrganisationRef | None
    jurisdiction_code: str | None = Field(None, alias="jurisdiction_id")
    roles: list[RoleOut]

    @staticmethod
    def resolve_roles(obj) -> list:
        return list(obj.roles.all())


class AuditStepOut(Schema):
    """A sub-step of an operation (a transition, stored attachment, generated document, other record written)."""

    id: int
    event: int
    event_label: str = Field(..., description="事件（中文）")
    occurred_at: datetime
    object_type: str
    object_type_label: str = Field(..., description="对象类型（中文）")
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    changed_fields: list
    detail: str


class AuditEntryOut(Schema):
    id: int
    event: int
    event_label: str = Field(..., description="事件（中文，含各模块的事件类型）")
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    actor_name: str
    request_id: str
    channel: str
    ip: str
    object_type: str
    object_type_label: str = Field(..., description="对象类型（中文），如“用户”")
    object_id: str
    object_repr: str
    jurisdiction_code: str
    before: dict | None
    after: dict | None
    changed_fields: list
    detail: str
    parent_id: int | None = Field(None, description="所属操作（本条为其步骤时）")
    steps: list[AuditStepOut] = Field(default_factory=list, description="本操作的步骤")

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(getattr(obj, "visible_steps", ()))


class AuditFilter(Schema):
    event: int | None = None
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    request_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    jurisdiction: str = ""
    include_steps: bool = Field(
        False, description="步骤也作为单独的记录列出（默认只列操作，步骤在其 steps 中）"
    )


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, description="用途，如“执法终端”")
    days: int | None = Field(None, ge=1, le=365, description="有效天数，默认 90")


class TokenOut(Schema):
    id: int
    name: str
    key_id: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str = Field(..., alias="state_label")


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="令牌明文，仅此一次显示，请妥善保存")


class PasswordLoginIn(Schema):
    username: str
    password: str
    name: str = Field("移动终端", max_length=100)
    days: int | None = Field(None, ge=1, le=365)


class PasswordChangeIn(Schema):
    old_password: str
    new_password: str
