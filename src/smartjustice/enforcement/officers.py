"""Enforcement agencies and officers: the reads (restricted) and the writes (one audited operation each).

Agencies are core Organisations of kind 行政执法主体 with their statutory domains (enforcement_domain + domains);
officers are EnforcementOfficer records whose 行政执法证 is issued through `credentials.services.issue_credential`,
so its QR code verifies like every other e-certificate.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, audit
from smartjustice.core.assignments import HANDLER, assign
from smartjustice.core.choices import AccountKind, EnforcementDomain, OrganisationKind
from smartjustice.core.errors import PermissionDenied, ValidationFailed
from smartjustice.core.models import Jurisdiction, Organisation, User
from smartjustice.core.models.jurisdictions import code_bounds
from smartjustice.credentials import qrcodes
from smartjustice.credentials import queries as credential_queries
from smartjustice.credentials import services as credentials
from smartjustice.credentials.choices import CredentialStatus

from .choices import EnforcementAuditEvent
from .eligibility import CERTIFICATE_TYPE, ineligibility, officer_of
from .models import EnforcementOfficer

# --- reads -----------------------------------------------------------------------------------------------------


def agency_domains(agency: Organisation) -> list[str]:
    """The statutory domains of an agency: its enforcement_domain and the enforcement domains among its domains."""
    found = [agency.enforcement_domain] if agency.enforcement_domain else []
    return found + [d for d in agency.domains if d in EnforcementDomain.values and d not in found]


def list_agencies(user, *, jurisdiction_code: str | None = None, domain: str | None = None):
    """The active 行政执法主体 the user may see, optionally inside one division and working in one domain."""
    qs = Organisation.objects.restrict(user, "view").filter(
        kind=OrganisationKind.ENFORCEMENT_AGENCY, is_active=True
    )
    if jurisdiction_code:
        jurisdiction = Jurisdiction.objects.filter(code=jurisdiction_code).first()
        if jurisdiction is None:
            return qs.none()
        low, high = code_bounds(jurisdiction.code, jurisdiction.level)
        qs = qs.filter(jurisdiction_id__gte=low, jurisdiction_id__lte=high)
    if domain:
        # domains is a JSON list; enforcement_domain is the indexed primary field. A text match on the JSON
        # (codes are quoted, so "transport" does not match "transport_x") works on SQLite and PostgreSQL alike.
        qs = qs.filter(Q(enforcement_domain=domain) | Q(domains__icontains=f'"{domain}"'))
    return qs.select_related("jurisdiction").order_by("jurisdiction_id", "name")


def list_officers(user, action: str = "view"):
    """The officers the user may see."""
    return EnforcementOfficer.objects.restrict(user, action).select_related(
        "user", "agency", "jurisdiction", "credential"
    )


# The states a 行政执法证 is filtered by (as credentials.Credential.verification_state reads them), "none" for none.
CERTIFICATE_STATES = {
    "valid": "有效",
    "suspended": "已暂停",
    "revoked": "已吊销",
    "expired": "已过期",
    "not_yet_valid": "尚未生效",
    "none": "未发证",
}


def _certificate_state_q(state: str) -> Q:
    """The officers whose certificate is in `state` now, as one condition (same order as verification_state)."""
    now = timezone.now()
    revoked = Q(credential__status=CredentialStatus.REVOKED)
    expired = Q(credential__valid_until__lte=now)
    pending = Q(credential__valid_from__gt=now)
    return {
        "none": Q(credential__isnull=True),
        "revoked": revoked,
        "expired": expired & ~revoked,
        "not_yet_valid": pending & ~revoked & ~expired,
        "suspended": Q(credential__status=CredentialStatus.SUSPENDED) & ~expired & ~pending,
        "valid": Q(credential__status=CredentialStatus.ACTIVE) & ~expired & ~pending,
    }[state]


def filter_officers(
    qs,
    *,
    agency_id=None,
    domain: str = "",
    jurisdiction: str = "",
    q: str = "",
    certificate: str = "",
):
    """Narrow an (already restricted) officer list: by agency, domain, area inside a division, name or certificate
    number, and the live state of the 行政执法证 (CERTIFICATE_STATES)."""
    q = (q or "").strip()
    if certificate in CERTIFICATE_STATES:
        qs = qs.filter(_certificate_state_q(certificate))
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if jurisdiction:
        place = Jurisdiction.objects.filter(code=jurisdiction).first()
        if place is None:
            return qs.none()
        low, high = code_bounds(place.code, place.level)
        qs = qs.filter(jurisdiction_id__gte=low, jurisdiction_id__lte=high)
    if domain:
        qs = qs.filter(domains__icontains=f'"{domain}"')  # quoted codes in the JSON list (see list_agencies)
    if q:
        qs = qs.filter(
            Q(user__real_name__icontains=q) | Q(user__username__icontains=q) | Q(credential__number=q)
        )
    return qs.order_by("jurisdiction_id", "id")


def registrable_staff(user):
    """Staff of the user's own agency who are not yet registered as officers (the registration form's choices)."""
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=organisation_id,
        kind=AccountKind.STAFF,
        is_active=True,
        enforcement_officer__isnull=True,
    ).order_by("real_name", "username")


def agencies_of(qs):
    """The agencies of an (already restricted) officer list, for its filter."""
    return (
        Organisation.objects.filter(pk__in=qs.order_by().values("agency_id"))
        .order_by("jurisdiction_id", "name")
        .values_list("pk", "name")
    )


def eligibility_summary(officer: EnforcementOfficer) -> list[tuple[str, str | None]]:
    """For each of the officer's domains, in their own area: (domain label, why not assignable or None)."""
    return [
        (
            EnforcementDomain(domain).label if domain in EnforcementDomain.values else domain,
            ineligibility(officer, domain, officer.jurisdiction_id),
        )
        for domain in officer.domains
    ]


def assignable(officer: EnforcementOfficer) -> str | None:
    """Why the officer cannot be assigned anywhere now (certificate, post), or None when they can be in some domain."""
    problems = [problem for _, problem in eligibility_summary(officer)]
    if not problems:
        return "未登记执法领域"
    return None if any(problem is None for problem in problems) else problems[0]


def certificate_card(user) -> dict:
    """What the "我的执法证" page shows the signed-in officer: their record, the certificate's live state and the QR
    code of its default disclosure link (the public verification page, 《行政处罚法》第五十五条: shown on request)."""
    officer = officer_of(user)
    card = {"officer": officer, "credential": None, "state": "none", "verification_url": "", "qr_svg": ""}
    if officer is None or officer.credential is None:
        return card
    credential = officer.credential
    card.update(credential=credential, state=credential.verification_state)
    link = credential_queries.default_link(credential)
    if link is not None and card["state"] != "revoked":
        url = credentials.public_url(reverse("credentials:verify", args=[link.token]))
        card.update(verification_url=url, qr_svg=qrcodes.svg(url))
    card["eligibility"] = eligibility_summary(officer)
    return card


def get_officer_for(user, pk, action: str = "view") -> EnforcementOfficer:
    """One officer the user may act on, or NotFound."""
    return access.get_for(user, list_officers(user, action), pk, action=action)


# --- writes ----------------------------------------------------------------------------------------------------


def _clean_domains(domains, agency: Organisation) -> list[str]:
    domains = list(dict.fromkeys(domains or []))
    if not domains:
        raise ValidationFailed("请选择执法领域", fields={"domains": ["请选择执法领域"]})
    unknown = [d for d in domains if d not in EnforcementDomain.values]
    if unknown:
        raise ValidationFailed(
            "执法领域无效", fields={"domains": [f"未定义的执法领域：{'、'.join(unknown)}"]}
        )
    outside = [EnforcementDomain(d).label for d in domains if d not in agency_domains(agency)]
    if outside:
        message = f"{agency.name}的法定职责不含{'、'.join(outside)}"
        raise ValidationFailed(message, fields={"domains": [message]})
    return domains


def _check_area(jurisdiction: Jurisdiction, agency: Organisation) -> None:
    if not agency.jurisdiction.contains(jurisdiction.code):
        message = f"执法区域须在{agency.jurisdiction}范围内"
        raise ValidationFailed(message, fields={"jurisdiction": [message]})


@transaction.atomic
def register_officer(
    *,
    actor,
    user,
    agency: Organisation,
    domains: list[str],
    jurisdiction: Jurisdiction | None = None,
    training_hours: dict | None = None,
) -> EnforcementOfficer:
    """Register a staff member of a 行政执法主体 as one of its enforcement officers (行政执法人员)."""
    access.require(actor, "add", EnforcementOfficer)
    if agency is None or agency.kind != OrganisationKind.ENFORCEMENT_AGENCY or not agency.is_active:
        raise ValidationFailed("只能登记行政执法主体的执法人员", fields={"agency": ["请选择行政执法主体"]})
    if not access.may_act_in(actor, agency.jurisdiction_id) or (
        not actor.is_superuser and actor.organisation_id != agency.pk
    ):
        raise PermissionDenied("您只能登记本单位的执法人员")
    if user is None or user.kind != AccountKind.STAFF or not user.is_active:
        raise ValidationFailed("执法人员须为在职工作人员", fields={"user": ["执法人员须为在职工作人员"]})
    if user.organisation_id != agency.pk:
        raise ValidationFailed(
            f"{user.display_name}不是{agency.name}的工作人员", fields={"user": ["不是本单位的工作人员"]}
        )
    if EnforcementOfficer.objects.filter(user=user).exists():
        raise ValidationFailed(f"{user.display_name}已登记为执法人员", fields={"user": ["已登记为执法人员"]})
    domains = _clean_domains(domains, agency)
    jurisdiction = jurisdiction or agency.jurisdiction
    _check_area(jurisdiction, agency)
    officer = EnforcementOfficer(
        user=user,
        agency=agency,
        domains=domains,
        jurisdiction=jurisdiction,
        training_hours=training_hours or {},
    )
    try:
        officer.full_clean(exclude=["user", "agency", "jurisdiction", "credential"])
    except DjangoValidationError as error:  # the model's validators → our error with its fields
        fields = error.message_dict
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields) from None
    with audit.operation(EnforcementAuditEvent.OFFICER_REGISTERED, obj=audit.NEW, actor=actor):
        officer.save()
    return officer


@transaction.atomic
def register_officer_by_ids(
    *, actor, user_id: int, agency_id: int, domains: list[str], jurisdiction: str = "", training_hours=None
) -> EnforcementOfficer:
    """register_officer with the ids an API or form gives (unknown ids are a validation error, not a 404)."""
    access.require(actor, "add", EnforcementOfficer)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationFailed("工作人员不存在", fields={"user_id": ["工作人员不存在"]})
    agency = Organisation.objects.select_related("jurisdiction").filter(pk=agency_id).first()
    if agency is None:
        raise ValidationFailed("执法主体不存在", fields={"agency_id": ["执法主体不存在"]})
    place = None
    if jurisdiction:
        place = Jurisdiction.objects.filter(code=jurisdiction).first()
        if place is None:
            raise ValidationFailed("执法区域不存在", fields={"jurisdiction": ["区划代码不存在"]})
    return register_officer(
        actor=actor,
        user=user,
        agency=agency,
        domains=domains,
        jurisdiction=place,
        training_hours=training_hours,
    )


@transaction.atomic
def record_training(officer: EnforcementOfficer, *, year: int, hours: int, actor) -> EnforcementOfficer:
    """Record an officer's training hours for one year (replacing what was recorded for that year)."""
    if not access.can(actor, "change", officer):
        raise PermissionDenied("您不能修改该执法人员的信息")
    try:
        year, hours = int(year), int(hours)
    except (TypeError, ValueError):
        raise ValidationFailed("年份和学时须为整数", fields={"hours": ["年份和学时须为整数"]}) from None
    if not 2000 <= year <= timezone.now().year + 1:
        raise ValidationFailed(
            "培训年份无效", fields={"year": [f"培训年份须在2000至{timezone.now().year + 1}之间"]}
        )
    if not 0 <= hours <= 2000:
        raise ValidationFailed(
            "培训学时须为0至2000之间的整数", fields={"hours": ["培训学时须为0至2000之间的整数"]}
        )
    with audit.operation(EnforcementAuditEvent.OFFICER_TRAINING_RECORDED, obj=officer, actor=actor):
        officer.training_hours = {**officer.training_hours, str(int(year)): int(hours)}
        officer.save(update_fields=["training_hours", "updated_at"])
    return officer


def certificate_claims(officer: EnforcementOfficer) -> dict:
    """The 行政执法证 claims the officer record supplies (the service adds name, number, employer, issuer)."""
    return {
        "enforcementArea": officer.jurisdiction.full_name or officer.jurisdiction.name,
        "enforcementDomain": "、".join(str(EnforcementDomain(d).label) for d in officer.domains),
    }


@transaction.atomic
def issue_certificate(
    officer: EnforcementOfficer, *, actor, valid_until: datetime.datetime | None = None
) -> EnforcementOfficer:
    """Issue the officer's 行政执法证 through the credential service (a 证照管理员 of a 司法局 signs it); a new one
    replaces an expired or revoked one. Its QR code verifies on the public page like every e-certificate."""
    state = officer.credential.verification_state if officer.credential is not None else "none"
    if state in ("valid", "not_yet_valid"):
        raise ValidationFailed(
            f"{officer.user.display_name}已持有有效的行政执法证",
            fields={"officer": ["已持有有效的行政执法证"]},
        )
    if state == "suspended":
        message = f"{officer.user.display_name}的行政执法证已暂停，请先恢复或吊销后再签发"
        raise ValidationFailed(message, fields={"officer": [message]})
    if not officer.is_active or not officer.user.is_active:
        message = f"{officer.user.display_name}不在岗，不能签发行政执法证"
        raise ValidationFailed(message, fields={"officer": [message]})
    if valid_until is not None and valid_until <= timezone.now():
        raise ValidationFailed(
            "有效期截止时间须晚于现在", fields={"valid_until": ["有效期截止时间须晚于现在"]}
        )
    with audit.operation(EnforcementAuditEvent.OFFICER_CERTIFICATE_ISSUED, obj=officer, actor=actor):
        credential = credentials.issue_credential(
            actor=actor,
            type_code=CERTIFICATE_TYPE,
            holder=officer.user,
            claims=certificate_claims(officer),
            valid_until=valid_until,
        )
        officer.credential = credential
        officer.save(update_fields=["credential", "updated_at"])
    return officer


@transaction.atomic
def revoke_certificate(officer: EnforcementOfficer, *, actor, reason: str) -> EnforcementOfficer:
    """Revoke the officer's 行政执法证 (credential service): from this moment they can be assigned to nothing new,
    and its QR code shows 已吊销."""
    if officer.credential is None or officer.credential.status == CredentialStatus.REVOKED:
        raise ValidationFailed(
            "该执法人员没有可吊销的行政执法证", fields={"officer": ["没有可吊销的行政执法证"]}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写吊销理由", fields={"reason": ["请填写吊销理由"]})
    credentials.revoke_credential(officer.credential, actor=actor, reason=reason)
    officer.credential.refresh_from_db()
    return officer


@transaction.atomic
def assign_officer(obj, *, user, domain: str, role: str = HANDLER, actor):
    """Assign `user` to a record only if they hold a valid 行政执法证 for `domain` and the record's area."""
    problem = ineligibility(officer_of(user), domain, access.jurisdiction_code_of(obj))
    if problem:
        raise ValidationFailed(problem, fields={"user": [problem]})
    return assign(obj, user=user, role=role, actor=actor)
