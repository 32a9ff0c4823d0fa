"""Every write about a 社区矫正对象 and their term: intake (入矫, 第二十一条、第二十二条), changes, guardians and family
contacts, the 矫正小组 (第二十五条), the correction plan (第二十四条), the 粤矫通 account, release with its certificate
(解矫, 第四十四条), termination (第四十五条) and the change of the place of execution between counties (第二十七条).

Each service runs in one transaction with one audit entry (CorrectionAuditEvent); intake, release, termination and
the accepted handover are also anchored in the ledger (log `correction-subjects`), with the ID number hashed, never
stored in the ledger in clear.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, audit, documents, notifications, workflow
from smartjustice.core.choices import AccountKind, JurisdictionLevel, OrganisationKind
from smartjustice.core.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import Jurisdiction, Organisation, User
from smartjustice.core.validators import normalize_citizen_id, normalize_mobile, parse_citizen_id

from . import rules
from .choices import (
    UNDER_CORRECTION,
    ContactRelation,
    CorrectionAuditEvent,
    CorrectionCategory,
    Employment,
    FamilySituation,
    FenceKind,
    FenceSource,
    Gender,
    GroupRole,
    OffenceType,
    SubjectStatus,
    SupervisionLevel,
    TerminationReason,
)
from .models import (
    CorrectionGroupMember,
    CorrectionSubject,
    Geofence,
    SubjectContact,
    SubjectTransfer,
    TransferStatus,
)

LEDGER_LOG = "correction-subjects"
DATASET = "correction.subject"
RELEASE = "correction.release_correctionsubject"
DECIDE_TRANSFER = "correction.decide_subjecttransfer"
AGENCY_KINDS = (OrganisationKind.CORRECTION_AGENCY, OrganisationKind.JUSTICE_BUREAU)
CERTIFICATE_TEMPLATE = "correction_release_certificate"
CERTIFICATE_TITLE = "解除社区矫正证明书"
_PHONE = re.compile(r"[0-9+\-() ]{5,32}")


# --- helpers ---------------------------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value, field: str, message: str, *, limit: int) -> str:
    value = str(value or "").strip()
    if not value:
        raise _invalid(field, message)
    if len(value) > limit:
        raise _invalid(field, f"内容过长（不超过{limit}字）")
    return value


def _optional_text(value, field: str, *, limit: int) -> str:
    value = str(value or "").strip()
    if len(value) > limit:
        raise _invalid(field, f"内容过长（不超过{limit}字）")
    return value


def _day(value, field: str, message: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise _invalid(field, message)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(field, "日期格式不正确（例如 2026-12-01）") from None


def _choice(value, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise _invalid(field, message)
    return value


def _mobile(value, field: str = "phone") -> str:
    value = str(value or "").strip()
    if not value:
        return ""
    try:
        return normalize_mobile(value)
    except DjangoValidationError as error:
        raise _invalid(field, error.messages[0]) from None


def _phone(value, field: str = "phone") -> str:
    """A mobile (normalised) or a landline as written."""
    value = str(value or "").strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        return _mobile(value, field)
    if not _PHONE.fullmatch(value):
        raise _invalid(field, "联系电话格式不正确")
    return value


def _require(actor, action: str, obj, message: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    if not access.can(actor, action, obj):
        raise PermissionDenied(message)


def _require_open(subject: CorrectionSubject, what: str) -> None:
    if subject.status != SubjectStatus.ACTIVE:
        raise TransitionNotAllowed(f"该社区矫正对象当前为“{subject.get_status_display()}”，不能{what}")


def county_code(code: str) -> str:
    """The 12-digit code of the county (区、县级市) a jurisdiction code lies in."""
    return str(code)[:6].ljust(12, "0")


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _ledger(subject: CorrectionSubject, kind: str, *, actor, **facts) -> None:
    """Anchor one event of the subject's term in the ledger (the ID number only as a hash)."""
    from smartjustice.ledger.services import append_entry

    payload = {
        "event": kind,
        "subject": subject.pk,
        "number": subject.number,
        "id_number_sha256": _hashed(subject.id_number),
        "agency": subject.agency_id,
        "jurisdiction": subject.jurisdiction_id,
        "at": timezone.now().isoformat(),
        **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in facts.items()},
    }
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    append_entry(LEDGER_LOG, body, kind=f"correction.{kind}", actor=actor)


def _publish(subject: CorrectionSubject) -> None:
    """Share the subject's term with the agencies entitled to it (hub dataset correction.subject: courts,
    procuratorates and police, 第五条、第二十六条), in this transaction. Skipped where the catalogue is not loaded."""
    from smartjustice.hub.models import Dataset
    from smartjustice.hub.services import publish

    if not Dataset.objects.filter(code=DATASET, is_active=True).exists():
        return
    data = {
        "name": subject.name,
        "id_number": subject.id_number,
        "gender": subject.get_gender_display(),
        "correction_type": subject.get_category_display(),
        "starts_on": subject.starts_on.isoformat(),
        "ends_on": subject.ends_on.isoformat(),
        "station": ((subject.station or subject.agency).name)[:100],
    }
    if subject.address:
        data["address"] = subject.address[:200]
    publish(
        DATASET,
        record_key=subject.number,
        data=data,
        jurisdiction_code=subject.jurisdiction_id,
        subject_id_number=subject.id_number,
    )


def _organisation(value, field: str) -> Organisation | None:
    if value in (None, ""):
        return None
    if isinstance(value, Organisation):
        return value
    found = Organisation.objects.select_related("jurisdiction").filter(pk=value, is_active=True).first()
    if found is None:
        raise _invalid(field, "所选单位不存在")
    return found


def correction_agency_of(code: str) -> Organisation | None:
    """The county's 社区矫正机构 (or, where none is registered, its 司法局)."""
    county = county_code(code)
    for kind in AGENCY_KINDS:
        found = (
            Organisation.objects.filter(jurisdiction_id=county, kind=kind, is_active=True)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return None


def _place(*, actor, agency, station) -> tuple[Organisation, Organisation | None, str]:
    """The executing agency, the entrusted 司法所 and the subject's jurisdiction (the town when entrusted)."""
    agency = _organisation(agency, "agency_id")
    station = _organisation(station, "station_id")
    own = getattr(actor, "organisation", None) if getattr(actor, "organisation_id", None) else None
    if (
        station is None
        and own is not None
        and own.kind == OrganisationKind.JUSTICE_STATION
        and agency is None
    ):
        station = own  # a 司法所 registers the subjects entrusted to it
    if agency is None:
        if station is not None:
            agency = correction_agency_of(station.jurisdiction_id)
        elif own is not None and own.kind in AGENCY_KINDS:
            agency = own
    if agency is None:
        raise _invalid("agency_id", "请选择执行地县级社区矫正机构")
    if agency.kind not in AGENCY_KINDS:
        raise _invalid("agency_id", "执行机构须为县级社区矫正机构（司法局）")
    if station is not None:
        if station.kind != OrganisationKind.JUSTICE_STATION:
            raise _invalid("station_id", "受委托单位须为司法所")
        if county_code(station.jurisdiction_id) != county_code(agency.jurisdiction_id):
            raise _invalid("station_id", f"受委托司法所须在{agency.name}所在的县（市、区）")
    jurisdiction = station.jurisdiction_id if station is not None else agency.jurisdiction_id
    if not access.may_act_in(actor, jurisdiction):
        raise PermissionDenied("只能登记本辖区执行的社区矫正对象")
    return agency, station, jurisdiction


def _next_number(jurisdiction: str, year: int) -> str:
    prefix = f"{jurisdiction[:6]}-{year}-"
    last = CorrectionSubject.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    serial = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{serial:04d}"


def first_report_due(subject: CorrectionSubject, *, after: datetime.datetime) -> datetime.datetime:
    """When the first report is due: helper B's schedule when present, else the level's period from intake."""
    try:
        from . import reporting
    except ImportError:
        reporting = None
    next_due = getattr(reporting, "next_due", None)
    if next_due is not None:
        return next_due(subject, after=after)
    return after + datetime.timedelta(days=rules.REPORTING_SCHEDULES.value[subject.level])


def _boundary_geometry(subject: CorrectionSubject):
    """The executing county's boundary (helper C's geofences.default_allowed_area), or None where unavailable."""
    try:
        from . import geofences
    except ImportError:
        return None
    default_allowed_area = getattr(geofences, "default_allowed_area", None)
    if default_allowed_area is None:
        return None
    try:
        return default_allowed_area(subject)
    except (LookupError, ValueError, OSError):
        return None


def _replace_boundary_fence(subject: CorrectionSubject) -> Geofence | None:
    """The allowed area is the executing county (第二十七条: leaving the county needs approval): the old county's
    boundary fence ends and the new county's begins."""
    now = timezone.now()
    for fence in Geofence.objects.filter(subject=subject, source=FenceSource.COUNTY_BOUNDARY, is_active=True):
        fence.is_active = False
        fence.active_until = now
        fence.save(update_fields=["is_active", "active_until"])
    geometry = _boundary_geometry(subject)
    if not geometry:
        return None
    county = Jurisdiction.objects.filter(code=county_code(subject.jurisdiction_id)).first()
    return Geofence.objects.create(
        subject=subject,
        kind=FenceKind.ALLOWED,
        source=FenceSource.COUNTY_BOUNDARY,
        name=f"{county.name if county else '执行地'}（执行地县级行政区划）",
        geometry=geometry,
        active_from=now,
        basis=str(rules.OBEY_RULES.citation),
    )


def _end_fences(subject: CorrectionSubject) -> None:
    now = timezone.now()
    for fence in Geofence.objects.filter(subject=subject, is_active=True):
        fence.is_active = False
        fence.active_until = now
        fence.save(update_fields=["is_active", "active_until"])


# --- intake (入矫) -------------------------------------------------------------------------------------------------


@transaction.atomic
def intake_subject(
    *,
    actor,
    name: str,
    id_number: str,
    category: str,
    offence: str,
    judgment_number: str,
    deciding_authority: str,
    judgment_effective_on,
    starts_on,
    ends_on,
    agency=None,
    station=None,
    number: str = "",
    gender: str = "",
    phone: str = "",
    address: str = "",
    offence_type: str = OffenceType.OTHER,
    sentence: str = "",
    prohibitions: str = "",
    level: str = SupervisionLevel.ORDINARY,
    employment: str = Employment.EMPLOYED,
    family_situation: str = FamilySituation.STABLE,
    intake_on=None,
    correction_plan: str = "",
) -> CorrectionSubject:
    """入矫: receive a subject (第二十二条) after checking the legal documents' data; sets the first report due, the
    allowed area (the executing county) and anchors the intake in the ledger. A report later than ten days after the
    judgment took effect (第二十一条) is received all the same, with a warning in `subject.warnings`."""
    access.require(actor, "add", CorrectionSubject)
    name = _text(name, "name", "请填写姓名", limit=64)
    try:
        id_number = normalize_citizen_id(id_number)
    except DjangoValidationError as error:
        raise _invalid("id_number", error.messages[0]) from None
    info = parse_citizen_id(id_number)
    if category not in rules.SCOPE.value:
        raise _invalid(
            "category", f"请选择矫正类别：管制、缓刑、假释或暂予监外执行（{rules.SCOPE.citation}）"
        )
    sex = Gender.FEMALE if info.sex == "女" else Gender.MALE
    if gender and gender != sex:
        raise _invalid("gender", "性别与身份证号码不一致")
    offence = _text(offence, "offence", "请填写罪名", limit=100)
    offence_type = _choice(offence_type or OffenceType.OTHER, OffenceType, "offence_type", "请选择犯罪类型")
    judgment_number = _text(
        judgment_number, "judgment_number", "请填写判决书（裁定书、决定书）文号", limit=100
    )
    deciding_authority = _text(deciding_authority, "deciding_authority", "请填写社区矫正决定机关", limit=100)
    today = _today()
    effective = _day(judgment_effective_on, "judgment_effective_on", "请填写判决（裁定、决定）生效日期")
    if effective > today:
        raise _invalid("judgment_effective_on", "判决（裁定、决定）生效日期不能晚于今天")
    starts = _day(starts_on, "starts_on", "请填写矫正起始日期")
    ends = _day(ends_on, "ends_on", "请填写矫正期满日期")
    if starts < effective and category != CorrectionCategory.TEMPORARY_OUTSIDE:
        raise _invalid("starts_on", "矫正起始日期不能早于判决（裁定）生效日期")
    if ends <= starts:
        raise _invalid("ends_on", "矫正期满日期须晚于矫正起始日期")
    if ends < today:
        raise _invalid("ends_on", "矫正期限已经届满，不能办理入矫")
    intake = _day(intake_on, "intake_on", "", required=False) or today
    if intake > today:
        raise _invalid("intake_on", "报到日期不能晚于今天")
    if intake < effective:
        raise _invalid("intake_on", "报到日期不能早于判决（裁定、决定）生效日期")
    level = _choice(level or SupervisionLevel.ORDINARY, SupervisionLevel, "level", "请选择管理等级")
    employment = _choice(employment or Employment.EMPLOYED, Employment, "employment", "请选择就业就学情况")
    family_situation = _choice(
        family_situation or FamilySituation.STABLE, FamilySituation, "family_situation", "请选择家庭情况"
    )
    agency, station, jurisdiction = _place(actor=actor, agency=agency, station=station)
    open_term = CorrectionSubject.objects.filter(id_number=id_number, status__in=UNDER_CORRECTION).first()
    if open_term is not None:
        raise _invalid("id_number", f"该人员正在接受社区矫正（矫正编号 {open_term.number}），不能重复入矫")
    number = _optional_text(number, "number", limit=32) or _next_number(jurisdiction, intake.year)
    if CorrectionSubject.objects.filter(number=number).exists():
        raise _invalid("number", "矫正编号已被使用")

    warnings = []
    deadline = rules.REPORT_PERIOD.ends(effective)
    if category in rules.REPORT_PERIOD_CATEGORIES.value and intake > deadline:
        warnings.append(
            f"报到日期晚于判决（裁定）生效之日起十日的报到期限（{deadline:%Y年%m月%d日}，"
            f"{rules.REPORT_PERIOD.citation}），请核实未按时报到的原因"
        )
    subject = CorrectionSubject(
        number=number,
        name=name,
        id_number=id_number,
        gender=sex,
        birth_date=info.birth_date,
        phone=_mobile(phone),
        address=_optional_text(address, "address", limit=300),
        category=category,
        offence=offence,
        offence_type=offence_type,
        sentence=_optional_text(sentence, "sentence", limit=200),
        judgment_number=judgment_number,
        deciding_authority=deciding_authority,
        judgment_effective_on=effective,
        prohibitions=_optional_text(prohibitions, "prohibitions", limit=2000),
        starts_on=starts,
        ends_on=ends,
        agency=agency,
        station=station,
        jurisdiction_id=jurisdiction,
        level=level,
        status=SubjectStatus.ACTIVE,
        is_minor=info.age_on(intake) < 18,
        employment=employment,
        family_situation=family_situation,
        correction_plan=_optional_text(correction_plan, "correction_plan", limit=5000),
        intake_on=intake,
    )
    with audit.operation(
        CorrectionAuditEvent.SUBJECT_INTAKE, obj=audit.NEW, actor=actor, detail="；".join(warnings)[:500]
    ):
        subject.save()
        received = timezone.make_aware(datetime.datetime.combine(intake, datetime.time(9, 0)))
        subject.next_report_due_at = first_report_due(subject, after=max(received, timezone.now()))
        subject.save(update_fields=["next_report_due_at"])
        _replace_boundary_fence(subject)
        _ledger(subject, "intake", actor=actor, category=category, starts_on=starts, ends_on=ends)
        _publish(subject)
    subject.warnings = warnings
    return subject


SUBJECT_CHANGEABLE = {
    "phone",
    "address",
    "level",
    "employment",
    "family_situation",
    "offence_type",
    "prohibitions",
    "sentence",
    "ends_on",
}


@transaction.atomic
def update_subject(subject: CorrectionSubject, *, actor, **changes) -> CorrectionSubject:
    """Change what may change during the term (contact data, level, situation, a changed end date)."""
    _require(actor, "change", subject, "您不能修改该社区矫正对象的信息")
    unknown = set(changes) - SUBJECT_CHANGEABLE
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}")
    if not subject.under_correction:
        raise TransitionNotAllowed("已解矫或终止的社区矫正对象不能再修改信息")
    cleaned = {}
    for field, value in changes.items():
        if value is None:
            continue
        if field == "phone":
            value = _mobile(value)
        elif field == "address":
            value = _optional_text(value, field, limit=300)
        elif field == "level":
            value = _choice(value, SupervisionLevel, field, "请选择管理等级")
        elif field == "employment":
            value = _choice(value, Employment, field, "请选择就业就学情况")
        elif field == "family_situation":
            value = _choice(value, FamilySituation, field, "请选择家庭情况")
        elif field == "offence_type":
            value = _choice(value, OffenceType, field, "请选择犯罪类型")
        elif field == "prohibitions":
            value = _optional_text(value, field, limit=2000)
        elif field == "sentence":
            value = _optional_text(value, field, limit=200)
        elif field == "ends_on":
            value = _day(value, field, "请填写矫正期满日期")
            if value <= subject.starts_on:
                raise _invalid(field, "矫正期满日期须晚于矫正起始日期")
        if getattr(subject, field) != value:
            cleaned[field] = value
    if not cleaned:
        return subject
    with audit.operation(CorrectionAuditEvent.SUBJECT_UPDATED, obj=subject, actor=actor):
        for field, value in cleaned.items():
            setattr(subject, field, value)
        subject.save(update_fields=[*cleaned, "updated_at"])
    return subject


# --- contacts, group, plan, account -----------------------------------------------------------------------------


@transaction.atomic
def save_contact(
    subject: CorrectionSubject,
    *,
    actor,
    relation: str,
    name: str,
    phone: str = "",
    address: str = "",
    is_guardian: bool = False,
    contact: SubjectContact | None = None,
) -> SubjectContact:
    """Register (or correct) a guardian or family member of the subject."""
    _require(actor, "change", subject, "您不能为该社区矫正对象登记家庭成员")
    if contact is not None and contact.subject_id != subject.pk:
        raise NotFound()
    values = {
        "relation": _choice(relation, ContactRelation, "relation", "请选择与社区矫正对象的关系"),
        "name": _text(name, "name", "请填写姓名", limit=64),
        "phone": _phone(phone),
        "address": _optional_text(address, "address", limit=300),
        "is_guardian": bool(is_guardian) or relation == ContactRelation.GUARDIAN,
    }
    if contact is None:
        with audit.operation(CorrectionAuditEvent.CONTACT_SAVED, obj=audit.NEW, actor=actor):
            return SubjectContact.objects.create(subject=subject, **values)
    with audit.operation(CorrectionAuditEvent.CONTACT_SAVED, obj=contact, actor=actor):
        for field, value in values.items():
            setattr(contact, field, value)
        contact.save()
    return contact


@transaction.atomic
def save_group_member(
    subject: CorrectionSubject,
    *,
    actor,
    role: str,
    name: str,
    gender: str,
    phone: str = "",
    knows_minors: bool = False,
    member: CorrectionGroupMember | None = None,
) -> CorrectionGroupMember:
    """Add (or correct) a member of the subject's 矫正小组 (第二十五条第二款: who may sit in it)."""
    _require(actor, "change", subject, "您不能调整该社区矫正对象的矫正小组")
    if member is not None and member.subject_id != subject.pk:
        raise NotFound()
    values = {
        "role": _choice(role, GroupRole, "role", "请选择成员身份"),
        "name": _text(name, "name", "请填写成员姓名", limit=64),
        "gender": _choice(gender, Gender, "gender", "请选择成员性别"),
        "phone": _phone(phone),
        "knows_minors": bool(knows_minors),
    }
    if member is None:
        with audit.operation(CorrectionAuditEvent.GROUP_MEMBER_SAVED, obj=audit.NEW, actor=actor):
            return CorrectionGroupMember.objects.create(subject=subject, **values)
    with audit.operation(CorrectionAuditEvent.GROUP_MEMBER_SAVED, obj=member, actor=actor):
        for field, value in values.items():
            setattr(member, field, value)
        member.save()
    return member


def group_problems(subject: CorrectionSubject) -> list[str]:
    """What the 矫正小组 lacks under 第二十五条 and 第五十二条 (empty when it is complete)."""
    members = list(subject.group_members.all())
    problems = []
    if not members:
        problems.append(f"请先为其确定矫正小组（{rules.GROUP_REQUIRED.citation}）")
        return problems
    if subject.gender == Gender.FEMALE and not any(m.gender == Gender.FEMALE for m in members):
        problems.append(
            f"社区矫正对象为女性的，矫正小组中应有女性成员（{rules.FEMALE_GROUP_MEMBER.citation}）"
        )
    if subject.is_minor and not any(m.knows_minors for m in members):
        problems.append(
            f"未成年社区矫正对象的矫正小组应当吸收熟悉未成年人身心特点的人员（{rules.MINOR_SEPARATE.citation}）"
        )
    return problems


@transaction.atomic
def update_plan(subject: CorrectionSubject, *, actor, plan: str) -> CorrectionSubject:
    """制定或调整矫正方案 (第二十四条), once the 矫正小组 that carries it out is complete (第二十五条)."""
    _require(actor, "change", subject, "您不能调整该社区矫正对象的矫正方案")
    _require_open(subject, "调整矫正方案")
    plan = _text(plan, "plan", "请填写矫正方案", limit=5000)
    problems = group_problems(subject)
    if problems:
        raise ValidationFailed(problems[0], fields={"plan": problems})
    with audit.operation(CorrectionAuditEvent.PLAN_UPDATED, obj=subject, actor=actor):
        subject.correction_plan = plan
        subject.save(update_fields=["correction_plan", "updated_at"])
    return subject


@transaction.atomic
def link_account(subject: CorrectionSubject, *, actor, user: User) -> CorrectionSubject:
    """关联粤矫通账号: the subject's own citizen account (same ID number where the account has one)."""
    _require(actor, "change", subject, "您不能为该社区矫正对象关联账号")
    if user is None or user.kind != AccountKind.CITIZEN:
        raise _invalid("username", "只能关联个人门户（粤矫通）账号")
    if user.id_number and user.id_number != subject.id_number:
        raise _invalid("username", "该账号的实名身份与社区矫正对象不一致")
    other = CorrectionSubject.objects.filter(account=user).exclude(pk=subject.pk).first()
    if other is not None:
        raise _invalid("username", "该账号已关联其他社区矫正对象")
    if subject.account_id == user.pk:
        return subject
    with audit.operation(CorrectionAuditEvent.ACCOUNT_LINKED, obj=subject, actor=actor, detail=user.username):
        subject.account = user
        subject.save(update_fields=["account", "updated_at"])
    return subject


# --- release and termination (解矫、终止) -----------------------------------------------------------------------------


def _require_release_permission(subject: CorrectionSubject, actor) -> None:
    _require(actor, "change", subject, "您不能办理该社区矫正对象的解矫")
    if not access.has_permission(actor, RELEASE):
        raise PermissionDenied("解除社区矫正和终止须由社区矫正机构负责人办理")


def _certificate_prefix(subject: CorrectionSubject) -> str:
    county = Jurisdiction.objects.filter(code=county_code(subject.jurisdiction_id)).first()
    return f"{(county.name if county else '粤')[:1]}矫解"


@transaction.atomic
def release_subject(
    subject: CorrectionSubject,
    *,
    actor,
    reason: str = TerminationReason.EXPIRED,
    released_on=None,
    note: str = "",
) -> CorrectionSubject:
    """解除社区矫正 on expiry or amnesty (第四十四条): the certificate (PDF, numbered) is issued and filed, the fences
    end, the release is anchored in the ledger and the subject is told."""
    _require_release_permission(subject, actor)
    _require_open(subject, "解除社区矫正")
    if reason not in rules.RELEASE_GROUNDS.value:
        raise _invalid(
            "reason", f"解除社区矫正的情形为矫正期满或者被赦免（{rules.RELEASE_GROUNDS.citation}）"
        )
    day = _day(released_on, "released_on", "", required=False) or _today()
    if day > _today():
        raise _invalid("released_on", "解矫日期不能晚于今天")
    if reason == TerminationReason.EXPIRED and day < subject.ends_on:
        raise _invalid(
            "released_on",
            f"矫正期满日为{subject.ends_on:%Y年%m月%d日}，尚未期满（{rules.RELEASE_GROUNDS.citation}）",
        )
    note = _optional_text(note, "note", limit=500)
    if reason == TerminationReason.PARDONED and not note:
        raise _invalid("note", "请填写赦免的依据（特赦令等）")
    with audit.operation(CorrectionAuditEvent.SUBJECT_RELEASED, obj=subject, actor=actor, detail=note):
        generated = documents.generate_document(
            template=CERTIFICATE_TEMPLATE,
            title=CERTIFICATE_TITLE,
            context={
                "organisation_name": subject.agency.name,
                "subject": subject,
                "category": subject.get_category_display(),
                "reason": TerminationReason(reason).label,
                "released_on": f"{day:%Y年%m月%d日}",
                "starts_on": f"{subject.starts_on:%Y年%m月%d日}",
                "ends_on": f"{subject.ends_on:%Y年%m月%d日}",
                "note": note,
                "today": f"{_today():%Y年%m月%d日}",
                "basis": str(rules.RELEASE_CERTIFICATE.citation),
            },
            owner=subject,
            actor=actor,
            number_prefix=_certificate_prefix(subject),
            formats=("pdf",),
        )
        subject.status = SubjectStatus.RELEASED
        subject.released_on = day
        subject.termination_reason = reason
        subject.release_certificate_number = generated.number
        subject.next_report_due_at = None
        subject.save(
            update_fields=[
                "status",
                "released_on",
                "termination_reason",
                "release_certificate_number",
                "next_report_due_at",
                "updated_at",
            ]
        )
        _end_fences(subject)
        from . import archives

        archives.restart_retention(subject)
        archives.file_generated(subject, attachment=generated.pdf, title=CERTIFICATE_TITLE, actor=actor)
        _ledger(subject, "release", actor=actor, reason=reason, released_on=day, certificate=generated.number)
        if subject.account_id:
            notifications.notify(
                subject.account,
                title="您已解除社区矫正",
                body=f"{CERTIFICATE_TITLE}（{generated.number}）已发放。",
                link=reverse("correction:subject-detail", args=[subject.pk]),
                category="correction",
            )
    return subject


@transaction.atomic
def terminate_subject(
    subject: CorrectionSubject, *, actor, reason: str, terminated_on=None, note: str = ""
) -> CorrectionSubject:
    """社区矫正终止 (第四十五条): probation or parole revoked, committal to prison, or death — each only where it fits
    the category (撤销缓刑 for 缓刑 …). Fences end; anchored in the ledger."""
    _require_release_permission(subject, actor)
    if not subject.under_correction:
        raise TransitionNotAllowed(f"该社区矫正对象当前为“{subject.get_status_display()}”，不能终止")
    grounds = rules.TERMINATION_GROUNDS.value
    if reason not in grounds:
        raise _invalid(
            "reason", f"终止的情形为撤销缓刑、撤销假释、收监执行或死亡（{rules.TERMINATION.citation}）"
        )
    if subject.category not in grounds[reason]:
        raise _invalid(
            "reason",
            f"{subject.get_category_display()}的社区矫正对象不适用“{TerminationReason(reason).label}”"
            f"（{rules.TERMINATION.citation}）",
        )
    day = _day(terminated_on, "terminated_on", "", required=False) or _today()
    if day > _today():
        raise _invalid("terminated_on", "终止日期不能晚于今天")
    note = _optional_text(note, "note", limit=500)
    with audit.operation(CorrectionAuditEvent.SUBJECT_TERMINATED, obj=subject, actor=actor, detail=note):
        for transfer in SubjectTransfer.objects.filter(subject=subject, status=TransferStatus.REQUESTED):
            transfer.status = TransferStatus.REFUSED
            transfer.decision_note = "社区矫正已终止"
            transfer.save(update_fields=["status", "decision_note", "updated_at"])
        subject.status = SubjectStatus.TERMINATED
        subject.released_on = day
        subject.termination_reason = reason
        subject.next_report_due_at = None
        subject.save(
            update_fields=["status", "released_on", "termination_reason", "next_report_due_at", "updated_at"]
        )
        _end_fences(subject)
        from . import archives

        archives.restart_retention(subject)
        _ledger(subject, "termination", actor=actor, reason=reason, terminated_on=day)
    return subject


# --- change of the place of execution (变更执行地) --------------------------------------------------------------------


@transaction.atomic
def request_transfer(
    subject: CorrectionSubject, *, actor, to_agency, reason: str, new_address: str, requested_on=None
) -> SubjectTransfer:
    """变更执行地 (第二十七条第二款): the sending agency hands the subject over to another county's agency, which
    decides; until then the subject stays with the sending side, status “执行地变更中”."""
    _require(actor, "change", subject, "您不能为该社区矫正对象办理变更执行地")
    access.require(actor, "add", SubjectTransfer)
    _require_open(subject, "申请变更执行地")
    to_agency = _organisation(to_agency, "to_agency_id")
    if to_agency is None:
        raise _invalid("to_agency_id", "请选择变更后的社区矫正机构")
    if to_agency.kind not in AGENCY_KINDS or to_agency.jurisdiction.level != JurisdictionLevel.COUNTY:
        raise _invalid("to_agency_id", "变更后的执行机构须为县级社区矫正机构")
    if county_code(to_agency.jurisdiction_id) == county_code(subject.jurisdiction_id):
        raise _invalid(
            "to_agency_id", f"变更后的执行地须为另一县（市、区）（{rules.TRANSFER_TO_OTHER_COUNTY.citation}）"
        )
    reason = _text(reason, "reason", "请填写变更执行地的理由", limit=500)
    new_address = _text(new_address, "new_address", "请填写新居住地", limit=300)
    day = _day(requested_on, "requested_on", "", required=False) or _today()
    transfer = SubjectTransfer(
        subject=subject,
        from_agency_id=subject.agency_id,
        from_station_id=subject.station_id,
        from_jurisdiction_id=subject.jurisdiction_id,
        to_agency=to_agency,
        to_jurisdiction_id=to_agency.jurisdiction_id,
        reason=reason,
        new_address=new_address,
        requested_on=day,
        requested_by=actor,
    )
    with audit.operation(CorrectionAuditEvent.TRANSFER_REQUESTED, obj=audit.NEW, actor=actor):
        transfer.save()
        subject.status = SubjectStatus.TRANSFERRING
        subject.save(update_fields=["status", "updated_at"])
    link = reverse("correction:transfer-detail", args=[transfer.pk])
    for head in access.holders_of(DECIDE_TRANSFER, User.objects.filter(organisation=to_agency)):
        notifications.notify(
            head,
            title=f"待接收：{subject.name} 变更执行地至本地",
            body=f"{subject.agency.name}申请将社区矫正对象{subject.name}的执行地变更至{to_agency.name}。",
            link=link,
            category="correction",
        )
    return transfer


def _receiving_station(transfer: SubjectTransfer, station) -> Organisation | None:
    station = _organisation(station, "station_id")
    if station is None:
        return None
    if station.kind != OrganisationKind.JUSTICE_STATION or county_code(
        station.jurisdiction_id
    ) != county_code(transfer.to_jurisdiction_id):
        raise _invalid("station_id", f"受委托司法所须在{transfer.to_agency.name}所在的县（市、区）")
    return station


@transaction.atomic
def accept_transfer(transfer: SubjectTransfer, *, actor, station_id=None, note: str = "") -> SubjectTransfer:
    """接收: the receiving county's head accepts; the subject's agency, 司法所 and jurisdiction move (access follows:
    the sending side no longer sees the subject, the receiving side does), the allowed area becomes the new county."""
    station = _receiving_station(transfer, station_id)
    note = _optional_text(note, "note", limit=500)
    subject = transfer.subject
    with audit.operation(CorrectionAuditEvent.TRANSFER_ACCEPTED, obj=transfer, actor=actor, detail=note):
        workflow.transition(transfer, "accept", actor=actor, comment=note)
        transfer.to_station = station
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.decision_note = note
        transfer.save(update_fields=["to_station", "decided_by", "decided_at", "decision_note", "updated_at"])
        subject.agency_id = transfer.to_agency_id
        subject.station = station
        subject.jurisdiction_id = (
            station.jurisdiction_id if station is not None else transfer.to_jurisdiction_id
        )
        subject.address = transfer.new_address
        subject.status = SubjectStatus.ACTIVE
        subject.save(update_fields=["agency", "station", "jurisdiction", "address", "status", "updated_at"])
        _replace_boundary_fence(subject)
        _ledger(subject, "transfer", actor=actor, from_agency=transfer.from_agency_id, transfer=transfer.pk)
        _publish(subject)
    notifications.notify(
        transfer.requested_by,
        title=f"{transfer.to_agency.name}已接收{subject.name}",
        body="变更执行地已完成，该社区矫正对象的档案和监管转由变更后的社区矫正机构负责。",
        link=reverse("correction:transfer-detail", args=[transfer.pk]),
        category="correction",
    )
    return transfer


@transaction.atomic
def refuse_transfer(transfer: SubjectTransfer, *, actor, note: str) -> SubjectTransfer:
    """不予接收: the subject stays with the sending county (status back to 在矫)."""
    note = _text(note, "note", "请填写不予接收的理由", limit=500)
    subject = transfer.subject
    with audit.operation(CorrectionAuditEvent.TRANSFER_REFUSED, obj=transfer, actor=actor, detail=note):
        workflow.transition(transfer, "refuse", actor=actor, payload={"note": note}, comment=note)
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.decision_note = note
        transfer.save(update_fields=["decided_by", "decided_at", "decision_note", "updated_at"])
        if subject.status == SubjectStatus.TRANSFERRING:
            subject.status = SubjectStatus.ACTIVE
            subject.save(update_fields=["status", "updated_at"])
    notifications.notify(
        transfer.requested_by,
        title=f"{transfer.to_agency.name}不予接收{subject.name}",
        body=note,
        link=reverse("correction:transfer-detail", args=[transfer.pk]),
        category="correction",
    )
    return transfer


TRANSFER_SERVICES = {"accept": accept_transfer, "refuse": refuse_transfer}
