"""Who may enforce: an officer is eligible for a record only while their 行政执法证 is valid — read from the
credential's live status and validity, never from a copied flag — for the record's domain and area
(《行政处罚法》第四十二条); an investigation needs at least two of them.

The guards plug into `core.workflow` transitions of the future Case workflow::

    Transition("investigate", "调查取证", ..., guards=(certified_officer_guard(minimum=2),))
"""

from __future__ import annotations

from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.assignments import HANDLER, assignee_ids, at_least, requires_assignee, role_label
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.divisions import SIGNIFICANT_DIGITS
from smartjustice.core.models.jurisdictions import CODE_LENGTH
from smartjustice.credentials.choices import CredentialStatus

from .models import EnforcementOfficer
from .rules import CERTIFIED_OFFICERS, MINIMUM_OFFICERS

CERTIFICATE_TYPE = "administrative_enforcement_certificate"

_STATE_MESSAGES = {
    "suspended": "行政执法证已暂停",
    "revoked": "行政执法证已吊销",
    "expired": "行政执法证已过期",
    "not_yet_valid": "行政执法证尚未生效",
}


def ancestor_codes(code: str) -> list[str]:
    """The codes of `code`'s division and of every division above it (an area valid there contains it)."""
    codes = []
    for digits in SIGNIFICANT_DIGITS.values():
        prefix = code[:digits]
        if len(prefix) == digits:
            candidate = prefix.ljust(CODE_LENGTH, "0")
            if candidate not in codes and code.startswith(prefix):
                codes.append(candidate)
    return codes


def ineligibility(officer: EnforcementOfficer | None, domain: str, jurisdiction_code: str) -> str | None:
    """Why `officer` may not enforce in `domain` at `jurisdiction_code` (Chinese), or None when they may."""
    if officer is None:
        return "不是登记的行政执法人员"
    name = officer.user.display_name
    if not officer.is_active or not officer.user.is_active:
        return f"{name}不在岗"
    credential = officer.credential
    if (
        credential is None
        or credential.type_code != CERTIFICATE_TYPE
        or credential.holder_id != officer.user_id
    ):
        return f"{name}未取得行政执法证（{CERTIFIED_OFFICERS.citation}）"
    state = credential.verification_state
    if state != "valid":
        return f"{name}的{_STATE_MESSAGES.get(state, '行政执法证无效')}，不能从事执法活动"
    if domain not in officer.domains:
        label = EnforcementDomain(domain).label if domain in EnforcementDomain.values else domain
        return f"{name}的行政执法证不含{label}执法类别"
    if not officer.jurisdiction.contains(jurisdiction_code):
        return f"{name}的执法区域为{officer.jurisdiction}，不含本事项所在区划"
    return None


def is_eligible(officer: EnforcementOfficer | None, domain: str, jurisdiction_code: str) -> bool:
    """Whether `officer` may be assigned to a record of `domain` in `jurisdiction_code`."""
    return ineligibility(officer, domain, jurisdiction_code) is None


def eligible_officers(domain: str, jurisdiction_code: str):
    """The officers who may be assigned now to a record of `domain` in `jurisdiction_code` (a queryset)."""
    now = timezone.now()
    candidates = (
        EnforcementOfficer.objects.filter(
            is_active=True,
            user__is_active=True,
            jurisdiction_id__in=ancestor_codes(jurisdiction_code),
            credential__type_code=CERTIFICATE_TYPE,
            credential__status=CredentialStatus.ACTIVE,
            credential__valid_from__lte=now,
            credential__valid_until__gt=now,
        )
        .exclude(credential__holder_id__isnull=True)
        .values_list("pk", "user_id", "credential__holder_id", "domains")
    )
    # Domains are a JSON list (no portable containment lookup on SQLite): filtered here over the few candidates.
    ids = [pk for pk, user_id, holder_id, domains in candidates if user_id == holder_id and domain in domains]
    return EnforcementOfficer.objects.filter(pk__in=ids).select_related("user", "agency", "credential")


def officer_of(user) -> EnforcementOfficer | None:
    """The officer record of a staff user, or None."""
    if user is None or not getattr(user, "pk", None):
        return None
    return (
        EnforcementOfficer.objects.select_related("user", "jurisdiction", "credential")
        .filter(user_id=user.pk)
        .first()
    )


def _domain_of(obj) -> str:
    field = getattr(type(obj), "domain_field", None) or "domain"
    return getattr(obj, field, "") or ""


# --- guards (core.workflow: guard(obj, actor, payload) -> message or None) ------------------------------------


def certified_officer_guard(role: str = HANDLER, *, minimum: int = 1, domain_of=_domain_of, code_of=None):
    """Guard: at least `minimum` people are assigned as `role`, and each holds a valid 行政执法证 for the record's
    domain and area at this moment (a suspended, revoked or expired certificate fails it at once)."""
    enough = at_least(minimum, role)
    code_of = code_of or access.jurisdiction_code_of

    def guard(obj, actor, payload=None):
        message = enough(obj, actor, payload)
        if message:
            return f"{message}（{MINIMUM_OFFICERS.citation}）" if minimum >= 2 else message
        domain, code = domain_of(obj), code_of(obj)
        officers = {
            o.user_id: o
            for o in EnforcementOfficer.objects.select_related("user", "jurisdiction", "credential").filter(
                user_id__in=assignee_ids(obj, role)
            )
        }
        for user_id in sorted(assignee_ids(obj, role)):
            problem = ineligibility(officers.get(user_id), domain, code)
            if problem:
                return f"{role_label(role)}{problem}" if officers.get(user_id) is None else problem
        return None

    guard.__name__ = f"certified_officer_{minimum}_{role}"
    return guard


def certified_actor_guard(role: str = HANDLER, *, domain_of=_domain_of, code_of=None):
    """Guard: the actor is assigned as `role` and holds a valid 行政执法证 for the record's domain and area."""
    assigned = requires_assignee(role)
    code_of = code_of or access.jurisdiction_code_of

    def guard(obj, actor, payload=None):
        return assigned(obj, actor, payload) or ineligibility(officer_of(actor), domain_of(obj), code_of(obj))

    guard.__name__ = f"certified_actor_{role}"
    return guard


def investigation_guard(role: str = HANDLER, **kwargs):
    """Guard for an investigation: at least two certified officers (《行政处罚法》第四十二条)."""
    return certified_officer_guard(role, minimum=MINIMUM_OFFICERS.value, **kwargs)
