"""Every write to core records: organisations, accounts, roles, passwords, API tokens.

Each service takes `actor` as a keyword, runs in one transaction, checks the access policy and leaves an audit entry
(model saves record their own change rows; business events are recorded explicitly here).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import access, audit, privacy, tokens, validators
from .choices import AccountKind, AuditEvent, OrganisationKind
from .errors import Conflict, PermissionDenied, ValidationFailed, from_django_validation_error
from .models import ApiToken, Jurisdiction, Organisation, Role, User


def _normalized(value: str, normalize) -> str:
    """Store the canonical form people's typing is folded to (full-width digits, spaces, lower-case x …)."""
    if not value:
        return ""
    try:
        return normalize(value)
    except ValidationError:
        return value  # full_clean reports it with the field's own message


def _full_clean(obj, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_django_validation_error(exc) from None


def _require_in_jurisdiction(actor, code: str, perm: str) -> None:
    access.require_permission(actor, perm)
    if not access.may_act_in(actor, code):
        raise PermissionDenied("只能在本辖区范围内操作")


# --- organisations -------------------------------------------------------------------------------------------


ORGANISATION_FIELDS = (
    "name",
    "kind",
    "enforcement_domain",
    "parent",
    "uscc",
    "address",
    "phone",
    "is_active",
)


@transaction.atomic
def create_organisation(*, actor, jurisdiction: Jurisdiction, name: str, kind: str, **fields) -> Organisation:
    """Register an organisation in a jurisdiction the actor administers."""
    _require_in_jurisdiction(actor, jurisdiction.code, "core.add_organisation")
    org = Organisation(
        jurisdiction=jurisdiction,
        name=name.strip(),
        kind=kind,
        **{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS},
    )
    org.uscc = _normalized(org.uscc, validators.normalize_uscc)
    _check_organisation(org)
    with audit.operation(AuditEvent.ORGANISATION_CREATED, obj=org, actor=actor):
        org.save()
    return org


def _activity_event(obj, changes: dict, *, updated, disabled, enabled):
    """Switching a record off or on is its own event; any other change is an update."""
    if "is_active" in changes and (audit.loaded_values(obj) or {}).get("is_active") != bool(
        changes["is_active"]
    ):
        return enabled if changes["is_active"] else disabled
    return updated


@transaction.atomic
def update_organisation(org: Organisation, *, actor, **changes) -> Organisation:
    """Change an organisation's details (it stays in its jurisdiction)."""
    for name, value in changes.items():
        if name not in ORGANISATION_FIELDS:
            raise ValidationFailed(f"字段不可修改：{name}", fields={name: ["该字段不可修改"]})
        setattr(org, name, value.strip() if isinstance(value, str) else value)
    org.uscc = _normalized(org.uscc, validators.normalize_uscc)
    _check_organisation(org)
    event = _activity_event(
        org,
        changes,
        updated=AuditEvent.ORGANISATION_UPDATED,
        disabled=AuditEvent.ORGANISATION_DISABLED,
        enabled=AuditEvent.ORGANISATION_ENABLED,
    )
    with audit.operation(event, obj=org, actor=actor):
        org.save()
    return org


def _check_organisation(org: Organisation) -> None:
    if org.kind == OrganisationKind.ENFORCEMENT_AGENCY and not org.enforcement_domain:
        raise ValidationFailed(
            "行政执法主体必须注明执法领域", fields={"enforcement_domain": ["请选择执法领域"]}
        )
    if org.parent_id and org.parent_id == org.pk:
        raise ValidationFailed("上级单位不能是自身", fields={"parent": ["上级单位不能是自身"]})
    if org.parent is not None and not org.jurisdiction.code.startswith(org.parent.jurisdiction.prefix):
        raise ValidationFailed(
            "上级单位必须位于同级或上级区划", fields={"parent": ["上级单位必须位于同级或上级区划"]}
        )
    if Organisation.objects.filter(jurisdiction=org.jurisdiction, name=org.name).exclude(pk=org.pk).exists():
        raise ValidationFailed("本区划内已有同名单位", fields={"name": ["本区划内已有同名单位"]})
    _full_clean(org, exclude=["jurisdiction", "parent"])


# --- accounts ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_staff_account(
    *,
    actor,
    organisation: Organisation,
    username: str,
    real_name: str,
    password: str,
    roles: list[str] = (),
    phone: str = "",
    id_number: str = "",
    title: str = "",
) -> User:
    """Open a staff account in an organisation of the actor's jurisdiction."""
    _require_in_jurisdiction(actor, organisation.jurisdiction_id, "core.add_user")
    user = User(
        username=username.strip(),
        real_name=real_name.strip(),
        kind=AccountKind.STAFF,
        organisation=organisation,
        jurisdiction_id=organisation.jurisdiction_id,
        phone=_normalized(phone, validators.normalize_mobile),
        id_number=_normalized(id_number, validators.normalize_citizen_id),
        title=title,
    )
    _set_password(user, password)
    _full_clean(user, exclude=["password", "organisation", "jurisdiction"])
    with audit.operation(AuditEvent.USER_CREATED, obj=user, actor=actor):
        try:
            user.save()
        except IntegrityError:
            raise ValidationFailed("该账号已存在", fields={"username": ["该账号已存在"]}) from None
        _apply_roles(user, roles, actor=actor)
    return user


@transaction.atomic
def register_portal_account(
    *,
    username: str,
    password: str,
    kind: str,
    real_name: str = "",
    id_number: str = "",
    phone: str = "",
    enterprise_name: str = "",
    uscc: str = "",
    jurisdiction: Jurisdiction | None = None,
) -> User:
    """A citizen or enterprise signs up on the portal (they are their own actor)."""
    if kind not in (AccountKind.CITIZEN, AccountKind.ENTERPRISE):
        raise ValidationFailed("账号类型无效", fields={"kind": ["请选择个人或企业"]})
    if kind == AccountKind.ENTERPRISE and not (enterprise_name and uscc):
        raise ValidationFailed(
            "企业用户须填写企业名称和统一社会信用代码", fields={"uscc": ["请填写统一社会信用代码"]}
        )
    if kind == AccountKind.CITIZEN and not (real_name and id_number):
        raise ValidationFailed("个人用户须填写姓名和身份证号码", fields={"id_number": ["请填写身份证号码"]})
    user = User(
        username=username.strip(),
        kind=kind,
        real_name=real_name.strip(),
        id_number=_normalized(id_number, validators.normalize_citizen_id),
        phone=_normalized(phone, validators.normalize_mobile),
        enterprise_name=enterprise_name.strip(),
        uscc=_normalized(uscc, validators.normalize_uscc),
        jurisdiction=jurisdiction,
    )
    _set_password(user, password)
    _full_clean(user, exclude=["password", "organisation", "jurisdiction"])
    if User.objects.filter(username=user.username).exists():
        raise ValidationFailed("该用户名已被注册", fields={"username": ["该用户名已被注册"]})
    with audit.operation(AuditEvent.USER_REGISTERED, obj=user, actor=user):  # the citizen is their own actor
        user.save()
    return user


@transaction.atomic
def update_account(user: User, *, actor, **changes) -> User:
    """Change an account's contact details, title, active flag or organisation."""
    allowed = {"real_name", "phone", "id_number", "title", "is_active", "organisation", "email"}
    normalizers = {"phone": validators.normalize_mobile, "id_number": validators.normalize_citizen_id}
    for name, value in changes.items():
        if name not in allowed:
            raise ValidationFailed(f"字段不可修改：{name}", fields={name: ["该字段不可修改"]})
        setattr(user, name, _normalized(value, normalizers[name]) if name in normalizers else value)
    if "organisation" in changes and user.organisation is not None:
        _require_in_jurisdiction(actor, user.organisation.jurisdiction_id, "core.change_user")
        user.jurisdiction_id = user.organisation.jurisdiction_id
    _full_clean(user, exclude=["password", "organisation", "jurisdiction"])
    event = _activity_event(
        user,
        changes,
        updated=AuditEvent.USER_UPDATED,
        disabled=AuditEvent.USER_DISABLED,
        enabled=AuditEvent.USER_ENABLED,
    )
    with audit.operation(event, obj=user, actor=actor):
        user.save()
    return user


@transaction.atomic
def set_roles(user: User, *, actor, roles: list[str]) -> User:
    """Replace a staff member's roles (recorded as one ROLES_CHANGED event)."""
    if not user.is_staff_member:
        raise ValidationFailed(
            "只有工作人员账号可以分配角色", fields={"roles": ["只有工作人员账号可以分配角色"]}
        )
    _apply_roles(user, roles, actor=actor)
    return user


def _apply_roles(user: User, roles, *, actor) -> None:
    wanted = set(roles)
    known = dict(Role.objects.filter(code__in=wanted).values_list("code", "pk"))
    unknown = wanted - set(known)
    if unknown:
        raise ValidationFailed("角色不存在：" + "、".join(sorted(unknown)), fields={"roles": ["角色不存在"]})
    before = sorted(user.role_codes()) if user.pk else []
    if set(before) == wanted:
        return
    refusal = access.role_grant_refusal(actor, user, wanted.symmetric_difference(before))
    if refusal:
        raise PermissionDenied(refusal)
    # One ROLES_CHANGED entry (a sub-step when the account is being opened in the same operation).
    with audit.operation(AuditEvent.ROLES_CHANGED, obj=user, actor=actor) as op:
        user.roles.set(known.values())
        user._role_codes = None
        user._sj_permissions = None
        op.note(before={"roles": before}, after={"roles": sorted(wanted)})


def _set_password(user: User, password: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"password": exc.messages}) from None
    user.set_password(password)


@transaction.atomic
def change_password(user: User, *, actor, old_password: str, new_password: str) -> User:
    """A user changes their own password (the old one is required)."""
    if not user.check_password(old_password):
        raise ValidationFailed("原密码不正确", fields={"old_password": ["原密码不正确"]})
    _set_password(user, new_password)
    with audit.operation(AuditEvent.PASSWORD_CHANGED, obj=user, actor=actor) as op:
        user.save(update_fields=["password"])
        op.note(changed=["password"])
    return user


# --- API tokens ----------------------------------------------------------------------------------------------


@transaction.atomic
def issue_api_token(*, actor, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal token for the actor; the plaintext is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写令牌用途", fields={"name": ["请填写令牌用途"]})
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationFailed(
            f"有效期须在 1 至 {settings.API_TOKEN_MAX_DAYS} 天之间", fields={"days": ["有效期超出范围"]}
        )
    plaintext, key_id, digest = tokens.new_key()
    # Tokens have no jurisdiction of their own; file the event under the owner's so their auditors see it.
    with audit.operation(
        AuditEvent.TOKEN_CREATED,
        obj=audit.NEW,
        actor=actor,
        detail=f"有效期 {days} 天",
        jurisdiction_code=actor.jurisdiction_id or "",
    ):
        token = ApiToken.objects.create(
            user=actor,
            name=name[:100],
            key_id=key_id,
            key_digest=digest,
            expires_at=timezone.now() + timedelta(days=days),
        )
    return token, plaintext


@transaction.atomic
def revoke_api_token(token: ApiToken, *, actor) -> ApiToken:
    """Revoke a token at once; requests carrying it are refused from now on."""
    if token.revoked_at is not None:
        raise Conflict("该令牌已吊销")
    with audit.operation(
        AuditEvent.TOKEN_REVOKED, obj=token, actor=actor, jurisdiction_code=token.user.jurisdiction_id or ""
    ):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


# --- exports and personal information -------------------------------------------------------------------------


def record_export(*, actor, object_type: str, count: int, filters: dict) -> None:
    """Exports are events too: who took which rows out."""
    described = "，".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "")) or "全部"
    jurisdiction = actor.jurisdiction_id if getattr(actor, "jurisdiction_id", None) else ""
    audit.record(
        AuditEvent.DATA_EXPORTED,
        actor=actor,
        object_type=object_type,
        object_repr=f"{count} 条记录",
        jurisdiction_code=jurisdiction,
        detail=f"筛选条件：{described}",
    )


def reveal_personal_information(obj, *, actor, channel: str = "") -> bool:
    """Decide whether the actor sees obj's personal information unmasked; if so, log the view."""
    obj = access.concrete(obj)  # e.g. request.user on one's own profile
    if not access.may_view_pii(actor, obj):
        return False
    if not access.is_own_record(actor, obj):  # people seeing their own data is not an event worth auditing
        audit.record_pii_view(obj, actor=actor, channel_detail=channel)
    privacy.mark_revealed(obj, reader=actor)  # what PiiSchema reads: unmasked for this reader only
    return True


# --- reference data ----------------------------------------------------------------------------------------------


@transaction.atomic
def import_jurisdictions(
    divisions, *, source: str, actor=None, progress=None, batch_size: int = 2000
) -> dict:
    """Insert or update administrative divisions (parents before children); returns counts per outcome."""
    existing = dict(Jurisdiction.objects.values_list("code", "name"))
    names: dict[str, str] = {}
    new: list[Jurisdiction] = []
    renamed: list[Jurisdiction] = []
    seen = 0
    for division in divisions:
        seen += 1
        parent_full = names.get(division.parent_code) if division.parent_code else ""
        if parent_full is None:
            parent_full = (
                Jurisdiction.objects.filter(code=division.parent_code)
                .values_list("full_name", flat=True)
                .first()
                or ""
            )
        full_name = f"{parent_full}{division.name}"
        names[division.code] = full_name
        row = Jurisdiction(
            code=division.code,
            name=division.name,
            full_name=full_name,
            level=division.level,
            parent_id=division.parent_code,
        )
        if division.code not in existing:
            new.append(row)
        elif existing[division.code] != division.name:
            renamed.append(row)
        if len(new) >= batch_size:
            Jurisdiction.objects.bulk_create(new)
            new.clear()
            if progress:
                progress(seen)
    Jurisdiction.objects.bulk_create(new)
    Jurisdiction.objects.bulk_update(renamed, ["name", "full_name"], batch_size=batch_size)
    counts = {"seen": seen, "created": Jurisdiction.objects.count() - len(existing), "renamed": len(renamed)}
    audit.record(
        AuditEvent.DATA_IMPORTED,
        actor=actor,
        object_type="core.jurisdiction",
        jurisdiction_code=access.province_code(),
        object_repr=f"{counts['created']} 新增 / {counts['renamed']} 更名",
        detail=f"来源：{source}",
    )
    return counts
