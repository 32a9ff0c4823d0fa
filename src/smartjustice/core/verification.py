"""Real-name verification (实名核验): a portal account proves it belongs to the person whose ID number it carries.

Anyone can register a portal account with any ID number, so whatever the platform shows "about the person with this
ID number" (我的数据共享记录, later a person's cases) is shown only once the account's identity was verified. How it
is verified is pluggable: each way is an `IdentityVerifier` registered here; all of them end in
`record_verification`, which keeps verified ID numbers unique among current verifications (a database constraint)
and writes one IDENTITY_VERIFIED audit entry naming the method and the verifier.

Built in: `InPersonVerifier` — a member of staff with `core.verify_user` (role 实名核验员, or 系统管理员) checks the
original ID card at a service window. Extension point: sign-in through a government identity provider over OpenID
Connect (e.g. the province's 统一身份认证平台) — see `OidcIdentityProviderVerifier`; not registered until a
deployment has such a provider, because a verifier that cannot really verify must not exist.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import access, audit, validators
from .choices import AccountKind, AuditEvent
from .errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from .models import IdentityVerification, User

VERIFY_PERMISSION = "core.verify_user"


class IdentityNotVerified(PermissionDenied):
    """The account has not proven whose ID number it carries; the message says how to get verified."""

    code = "identity_not_verified"


# --- the pluggable step ------------------------------------------------------------------------------------------


class IdentityVerifier(abc.ABC):
    """One way of proving that a portal account belongs to the holder of its ID number.

    A verifier has a stable `method` code (stored on every verification it makes), a Chinese `label`, and
    `instructions` telling a citizen what to do to be verified this way. Whatever proof it checks, it ends by
    calling `record_verification(user, method=self.method, ...)`.
    """

    method: ClassVar[str]
    label: ClassVar[str]
    instructions: ClassVar[str]


_registry: dict[str, IdentityVerifier] = {}


def register(verifier: IdentityVerifier) -> IdentityVerifier:
    """Make a way of verifying available (its method code must be new)."""
    if verifier.method in _registry and _registry[verifier.method] is not verifier:
        raise ValueError(f"identity verifier {verifier.method!r} registered twice")
    _registry[verifier.method] = verifier
    return verifier


def verifiers() -> list[IdentityVerifier]:
    """The registered ways of verifying, in registration order."""
    return list(_registry.values())


def get_verifier(method: str) -> IdentityVerifier:
    try:
        return _registry[method]
    except KeyError:
        raise ValidationFailed("不支持的实名核验方式", fields={"method": ["不支持的实名核验方式"]}) from None


def method_label(method: str) -> str:
    verifier = _registry.get(method)
    return verifier.label if verifier else method


class InPersonVerifier(IdentityVerifier):
    """Verification in person: staff at a service window compare the original ID card with the account."""

    method = "in_person"
    label = "服务窗口现场核验"
    instructions = (
        "请携带本人居民身份证原件，到任一司法行政服务窗口（公共法律服务中心、司法所）办理实名核验，"
        "告知工作人员您的平台用户名；工作人员核对证件后当场生效。"
    )

    def verify(
        self, user: User, *, actor, id_number: str, real_name: str, note: str = ""
    ) -> IdentityVerification:
        """Staff with core.verify_user confirm that the card they hold matches the account."""
        if not access.has_permission(actor, VERIFY_PERMISSION):
            raise PermissionDenied("您没有办理实名核验的权限")
        card_number = _normalised_id(id_number)
        if (real_name or "").strip() != (user.real_name or "").strip():
            raise ValidationFailed(
                "证件姓名与账号登记的姓名不一致，不能核验", fields={"real_name": ["与账号登记的姓名不一致"]}
            )
        if card_number != user.id_number:
            raise ValidationFailed(
                "证件号码与账号登记的身份证号码不一致，不能核验",
                fields={"id_number": ["与账号登记的身份证号码不一致"]},
            )
        return record_verification(user, method=self.method, actor=actor, id_number=card_number, note=note)


class OidcIdentityProviderVerifier(IdentityVerifier, abc.ABC):
    """Extension point: verification by signing in at a government identity provider over OpenID Connect.

    To add it for a deployment: register the platform as a client of the provider, send the signed-in citizen
    through the provider's authorization-code flow (PKCE, `nonce`), validate the returned ID token (issuer,
    audience, signature against the provider's published JWKS, expiry, nonce), read the certified ID number from
    the claim the provider documents, and only if it equals the account's `id_number` call
    `record_verification(user, method=self.method, actor=None, id_number=..., note=<issuer and subject>)`.
    Subclass with `method`, `label`, `instructions` and `claims_id_number`, then `register(YourVerifier())`.
    """

    @abc.abstractmethod
    def claims_id_number(self, id_token_claims: dict) -> str:
        """The certified ID number in the provider's validated ID-token claims."""


register(InPersonVerifier())


# --- services ----------------------------------------------------------------------------------------------------


def _normalised_id(id_number: str) -> str:
    try:
        return validators.normalize_citizen_id(id_number or "")
    except DjangoValidationError:
        raise ValidationFailed("身份证号码无效", fields={"id_number": ["身份证号码无效"]}) from None


@transaction.atomic
def record_verification(
    user: User, *, method: str, actor, id_number: str, note: str = ""
) -> IdentityVerification:
    """Record that `user` proved to hold `id_number` (by `method`); the one path every verifier ends in."""
    get_verifier(method)
    if user.kind != AccountKind.CITIZEN or not user.is_active:
        raise ValidationFailed("只有有效的个人用户账号可以办理实名核验")
    if id_number != user.id_number:
        raise ValidationFailed(
            "核验的身份证号码与账号登记的不一致", fields={"id_number": ["与账号登记的不一致"]}
        )
    holder = (
        IdentityVerification.objects.select_for_update()
        .filter(id_number=id_number, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if holder is not None and holder.user_id == user.pk:
        raise Conflict("该账号已完成实名核验")
    if holder is not None:
        if holder.user.is_active:
            raise Conflict("该身份证号码已由另一个账号完成实名核验；如该账号不是本人注册，请联系服务窗口处理")
        # Unique among active accounts: a closed account's verification gives way to the person's new account.
        _revoke(holder, actor=actor, reason="原账号已停用，身份证号码由新账号核验")
    current = IdentityVerification.objects.filter(user=user, revoked_at__isnull=True).first()
    if current is not None:
        _revoke(current, actor=actor, reason="账号身份证号码重新核验")
    jurisdiction = getattr(actor, "jurisdiction", None) if getattr(actor, "is_authenticated", False) else None
    try:
        with audit.operation(
            AuditEvent.IDENTITY_VERIFIED,
            obj=audit.NEW,
            actor=actor,
            detail=f"账号 {user.get_username()}：{method_label(method)}",
        ):
            return IdentityVerification.objects.create(
                user=user,
                id_number=id_number,
                method=method,
                verified_by=actor if getattr(actor, "is_authenticated", False) else None,
                jurisdiction=jurisdiction,
                verified_at=timezone.now(),
                note=(note or "").strip()[:300],
            )
    except IntegrityError:  # a concurrent verification of the same number won the race
        raise Conflict("该身份证号码已由另一个账号完成实名核验") from None


def _revoke(verification: IdentityVerification, *, actor, reason: str) -> None:
    with audit.operation(
        AuditEvent.IDENTITY_VERIFICATION_REVOKED, obj=verification, actor=actor, detail=reason
    ):
        verification.revoked_at = timezone.now()
        verification.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        verification.revoked_reason = reason[:300]
        verification.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "updated_at"])


@transaction.atomic
def revoke_verification(user: User, *, actor, reason: str) -> IdentityVerification:
    """Withdraw an account's verification (e.g. it was obtained with a forged card); staff with core.verify_user."""
    if not access.has_permission(actor, VERIFY_PERMISSION):
        raise PermissionDenied("您没有办理实名核验的权限")
    current = IdentityVerification.objects.filter(user=user, revoked_at__isnull=True).first()
    if current is None:
        raise NotFound("该账号没有有效的实名核验")
    if not (reason or "").strip():
        raise ValidationFailed("请填写撤销原因", fields={"reason": ["请填写撤销原因"]})
    _revoke(current, actor=actor, reason=reason.strip())
    return current


def verify_in_person(
    *, actor, username: str, id_number: str, real_name: str, note: str = ""
) -> IdentityVerification:
    """A service window verifies the account `username` against the ID card in front of them."""
    if not access.has_permission(actor, VERIFY_PERMISSION):
        raise PermissionDenied("您没有办理实名核验的权限")
    user = User.objects.filter(username=(username or "").strip(), kind=AccountKind.CITIZEN).first()
    if user is None:
        raise ValidationFailed(
            "没有该用户名的个人用户账号", fields={"username": ["没有该用户名的个人用户账号"]}
        )
    verifier = get_verifier(InPersonVerifier.method)
    return verifier.verify(user, actor=actor, id_number=id_number, real_name=real_name, note=note)


# --- queries -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerificationStatus:
    """What an account's holder is told about their verification."""

    verified: bool
    method_label: str = ""
    verified_at: object = None
    instructions: tuple[str, ...] = ()


def current_verification(user) -> IdentityVerification | None:
    """The account's current verification, if it still matches the account's ID number."""
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or not getattr(user, "id_number", "")
    ):
        return None
    return (
        IdentityVerification.objects.filter(user=user, revoked_at__isnull=True, id_number=user.id_number)
        .order_by("-verified_at")
        .first()
    )


def verified_id_number(user) -> str:
    """The ID number the account proved to hold, or "" — the only number to show a person's records by."""
    verification = current_verification(user)
    return verification.id_number if verification else ""


def status_of(user) -> VerificationStatus:
    verification = current_verification(user)
    if verification is None:
        return VerificationStatus(verified=False, instructions=tuple(v.instructions for v in verifiers()))
    return VerificationStatus(
        verified=True, method_label=method_label(verification.method), verified_at=verification.verified_at
    )


def not_verified_message() -> str:
    ways = "；".join(f"{v.label}：{v.instructions}" for v in verifiers())
    return f"您的账号尚未完成实名核验，为保护个人信息，暂不能查看与身份证号码关联的记录。办理方式——{ways}"


def require_verified(user) -> str:
    """The account's verified ID number, or IdentityNotVerified explaining in Chinese how to get verified."""
    number = verified_id_number(user)
    if not number:
        raise IdentityNotVerified(not_verified_message())
    return number
