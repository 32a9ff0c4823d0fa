"""Every write of case handling (办案) under the 行政处罚法: parties, leads, filing, evidence anchored in the ledger,
the proposed penalty, legal review, prior notice, statements, hearing, collective discussion, the decision (published
to the data-sharing hub), service, payments with instalments and the late-payment surcharge, execution, closing,
archiving and revocation.

Each service runs in one transaction with one audit entry (CaseAuditEvent) and moves the case through
enforcement/case_workflow.py (permissions and the guards of case_guards.py); the arithmetic is enforcement/penalties.py.

Numbers (文号) are issued per agency by core.documents.issue_number with the prefix of `agency_prefix`: the first
character of the agency's division and the short name of its domain (天河区市场监督管理局 → 天市监), then 立 for the
case number, 罚告 for the prior notice and 罚决 for the decision (天市监罚决〔2026〕3号). Two agencies with the same
prefix share one sequence, so numbers stay unique.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, audit, documents, workflow
from smartjustice.core.assignments import APPROVER, HANDLER, REVIEWER, assign, assignee_ids
from smartjustice.core.attachments import store_attachment
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.validators import normalize_citizen_id, normalize_mobile, normalize_uscc

from . import penalties, rules
from .case_workflow import DECIDE
from .choices import (
    CaseAuditEvent,
    CaseSource,
    CaseStatus,
    DiscretionGrade,
    EvidenceKind,
    ItemStatus,
    ItemType,
    PartyKind,
    PaymentKind,
    ServiceMethod,
)
from .eligibility import ineligibility, officer_of
from .extraction import SanctionKind
from .models import CaseEvidence, CasePayment, DiscretionBenchmark, EnforcementCase, EnforcementOfficer, Party
from .officers import agency_domains, assign_officer

LEDGER_LOG = "enforcement-evidence"
DATASET = "enforcement.case"

DOMAIN_SHORT_NAMES = {
    EnforcementDomain.MARKET_REGULATION: "市监",
    EnforcementDomain.ECOLOGY_ENVIRONMENT: "环",
    EnforcementDomain.URBAN_MANAGEMENT: "城管",
    EnforcementDomain.TRANSPORT: "交",
    EnforcementDomain.EMERGENCY_MANAGEMENT: "应急",
    EnforcementDomain.AGRICULTURE: "农",
    EnforcementDomain.CULTURE_TOURISM: "文旅",
    EnforcementDomain.HUMAN_RESOURCES: "人社",
    EnforcementDomain.HEALTH: "卫",
    EnforcementDomain.NATURAL_RESOURCES: "自然资源",
    EnforcementDomain.JUSTICE: "司",
}
CASE_NUMBER = "立"
NOTICE_NUMBER = "罚告"
DECISION_NUMBER = "罚决"

INVESTIGATION = (
    CaseStatus.INVESTIGATING,
    CaseStatus.LEGAL_REVIEW,
    CaseStatus.NOTIFIED,
    CaseStatus.HEARING,
    CaseStatus.DISCUSSION,
)
AFTER_NOTICE = (CaseStatus.NOTIFIED, CaseStatus.HEARING, CaseStatus.DISCUSSION)
OPEN_FOR_EVIDENCE = (CaseStatus.LEAD, *INVESTIGATION, CaseStatus.DECIDED, CaseStatus.SERVED)
PRINCIPAL_KINDS = (PaymentKind.FINE, PaymentKind.INSTALMENT)
# Sanctions stated as amounts (fine_amount, confiscated_amount); the others are listed in other_sanctions.
AMOUNT_KINDS = (SanctionKind.FINE, SanctionKind.CONFISCATE_GAINS)
HUB_STATUS = {
    CaseStatus.INVESTIGATING: "调查中",
    CaseStatus.LEGAL_REVIEW: "调查中",
    CaseStatus.NOTIFIED: "调查中",
    CaseStatus.HEARING: "调查中",
    CaseStatus.DISCUSSION: "调查中",
    CaseStatus.DECIDED: "已决定",
    CaseStatus.SERVED: "已决定",
    CaseStatus.EXECUTED: "已决定",
    CaseStatus.CLOSED: "已结案",
    CaseStatus.ARCHIVED: "已结案",
}
_PHONE = re.compile(r"[0-9+\-() ]{5,32}")


# --- helpers ---------------------------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value, field: str, message: str, *, limit: int | None = None) -> str:
    value = str(value or "").strip()
    if not value:
        raise _invalid(field, message)
    if limit and len(value) > limit:
        raise _invalid(field, f"内容过长（不超过{limit}字）")
    return value


def _day(value, field: str, *, not_before=None, not_before_label: str = "", default=None) -> datetime.date:
    day = value or default or _today()
    if isinstance(day, datetime.datetime):
        day = day.date()
    if not isinstance(day, datetime.date):
        try:
            day = datetime.date.fromisoformat(str(day))
        except ValueError:
            raise _invalid(field, "日期格式不正确") from None
    if day > _today():
        raise _invalid(field, "日期不能晚于今天")
    if not_before is not None and day < not_before:
        raise _invalid(field, f"日期不能早于{not_before_label}（{not_before:%Y年%m月%d日}）")
    return day


def _require_change(case: EnforcementCase, actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    if not access.can(actor, "change", case):
        raise PermissionDenied("您不能办理该案件")


def _require_state(case: EnforcementCase, states, what: str) -> None:
    if case.status not in states:
        raise TransitionNotAllowed(f"案件当前为“{case.get_status_display()}”，不能{what}")


def _require_agency_staff(actor, agency) -> None:
    if getattr(actor, "organisation_id", None) != agency.pk:
        raise PermissionDenied(f"只有{agency.name}的工作人员可以办理")


def agency_prefix(agency) -> str:
    """文号 prefix of an agency: first character of its division + its domain's short name (天市监)."""
    place = agency.jurisdiction.name if agency.jurisdiction_id else agency.name
    return f"{place[:1]}{DOMAIN_SHORT_NAMES.get(agency.enforcement_domain, '执')}"


def _number(agency, suffix: str) -> str:
    return documents.issue_number(f"{agency_prefix(agency)}{suffix}")


def _users(officers) -> list:
    users = []
    for officer in officers or ():
        user = officer.user if isinstance(officer, EnforcementOfficer) else officer
        if user is not None and user not in users:
            users.append(user)
    return users


# --- parties (当事人) ---------------------------------------------------------------------------------------------


def _normalise_id(kind: str, id_number: str) -> str:
    try:
        if kind == PartyKind.PERSON:
            return normalize_citizen_id(id_number)
        return normalize_uscc(id_number)
    except DjangoValidationError as error:
        raise _invalid("id_number", error.messages[0]) from None


def _normalise_phone(phone: str) -> str:
    phone = str(phone or "").strip()
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) in (11, 13) and digits.lstrip("86")[:1] == "1":
        try:
            return normalize_mobile(phone)
        except DjangoValidationError as error:
            raise _invalid("phone", error.messages[0]) from None
    if not _PHONE.fullmatch(phone):
        raise _invalid("phone", "联系电话格式不正确")
    return phone


@transaction.atomic
def register_party(
    *,
    agency,
    kind: str,
    name: str,
    id_number: str,
    phone: str = "",
    address: str = "",
    legal_representative: str = "",
    actor,
) -> Party:
    """Register a party of `agency` by ID number (居民身份证号码 or 统一社会信用代码), or update the one registered."""
    access.require(actor, "add", Party)
    _require_agency_staff(actor, agency)
    if kind not in PartyKind.values:
        raise _invalid("kind", "请选择当事人类型（公民或法人、其他组织）")
    name = _text(name, "name", "请填写当事人姓名或名称", limit=200)
    number = _normalise_id(kind, id_number)
    values = {
        "kind": kind,
        "name": name,
        "phone": _normalise_phone(phone),
        "address": str(address or "").strip()[:300],
        "legal_representative": str(legal_representative or "").strip()[:100],
    }
    party = Party.objects.filter(agency=agency, id_number=number).first()
    if party is None:
        with audit.operation(CaseAuditEvent.PARTY_REGISTERED, obj=audit.NEW, actor=actor):
            return Party.objects.create(
                agency=agency, jurisdiction_id=agency.jurisdiction_id, id_number=number, **values
            )
    changed = {k: v for k, v in values.items() if v and getattr(party, k) != v}
    if changed:
        with audit.operation(CaseAuditEvent.PARTY_UPDATED, obj=party, actor=actor):
            for field, value in changed.items():
                setattr(party, field, value)
            party.save(update_fields=[*changed, "updated_at"])
    return party


# --- leads and filing (线索、立案) -----------------------------------------------------------------------------------


def _conduct_key(case: EnforcementCase) -> str:
    return penalties.conduct_key(
        case.party.id_number, item_id=case.item_id, cause=case.cause, occurred_on=case.occurred_on
    )


def _check_item(item, agency, domain: str) -> None:
    if item is None:
        return
    if item.item_type != ItemType.PENALTY:
        raise _invalid("item", "请选择行政处罚类执法事项")
    if item.status != ItemStatus.PUBLISHED:
        # 第五条第三款: 未经公布的，不得作为行政处罚的依据.
        raise _invalid("item", f"执法事项尚未发布，不得作为处罚依据（{rules.PUBLISHED_BASIS.citation}）")
    if item.domain and item.domain != domain:
        raise _invalid("item", "执法事项与案件的执法领域不一致")


@transaction.atomic
def register_case(
    *,
    agency,
    party: Party,
    cause: str,
    domain: str,
    discovered_on,
    source: str = CaseSource.LEAD,
    item=None,
    facts: str = "",
    location: str = "",
    occurred_on=None,
    actor,
) -> EnforcementCase:
    """Register a lead (线索): the 立案核查 clock starts from the day it was discovered."""
    access.require(actor, "add", EnforcementCase)
    _require_agency_staff(actor, agency)
    if party is None or party.agency_id != agency.pk:
        raise _invalid("party", "请选择本机关登记的当事人")
    if domain not in EnforcementDomain.values or domain not in agency_domains(agency):
        raise _invalid("domain", "执法领域不属于本执法主体的执法范围")
    if source not in CaseSource.values:
        raise _invalid("source", "案件来源无效")
    _check_item(item, agency, domain)
    cause = _text(cause, "cause", "请填写案由", limit=300)
    discovered_on = _day(discovered_on, "discovered_on")
    if occurred_on:
        occurred_on = _day(occurred_on, "occurred_on")
        if occurred_on > discovered_on:
            raise _invalid("occurred_on", "违法行为发生日期不能晚于发现日期")
    case = EnforcementCase(
        agency=agency,
        jurisdiction_id=agency.jurisdiction_id,
        domain=domain,
        source=source,
        item=item,
        party=party,
        cause=cause,
        facts=str(facts or "").strip(),
        location=str(location or "").strip()[:300],
        occurred_on=occurred_on or None,
        discovered_on=discovered_on,
    )
    case.conduct_key = _conduct_key(case)
    with audit.operation(CaseAuditEvent.CASE_REGISTERED, obj=audit.NEW, actor=actor):
        case.save()
    return case


def _assign_handlers(case: EnforcementCase, officers, *, actor) -> None:
    for user in _users(officers):
        assign_officer(case, user=user, domain=case.domain, role=HANDLER, actor=actor)


@transaction.atomic
def file_case(case: EnforcementCase, *, officers, actor, filed_on=None, extended_limitation: bool = False):
    """立案: the head approves, at least two certified officers handle it (第四十二条), the case number is issued and
    the ninety-day decision clock starts (第六十条). `extended_limitation`: the conduct endangers life, health or
    financial safety, so it may be punished if discovered within five years (第三十六条)."""
    filed_on = _day(filed_on, "filed_on", not_before=case.discovered_on, not_before_label="发现日期")
    users = _users(officers)
    with audit.operation(CaseAuditEvent.CASE_FILED, obj=case, actor=actor):
        _assign_handlers(case, users, actor=actor)
        case.filed_on = filed_on
        workflow.transition(
            case,
            "file",
            actor=actor,
            payload={
                "officers": [u.pk for u in users],
                "filed_on": filed_on,
                "extended_limitation": extended_limitation,
            },
        )
        case.number = _number(case.agency, CASE_NUMBER)
        case.save(update_fields=["filed_on", "number", "updated_at"])
    return case


@transaction.atomic
def not_file_case(case: EnforcementCase, *, reason: str, actor) -> EnforcementCase:
    """不予立案, with the reason (kept in the workflow history and the audit entry)."""
    reason = _text(reason, "reason", "请填写不予立案的理由", limit=500)
    with audit.operation(CaseAuditEvent.CASE_NOT_FILED, obj=case, actor=actor, detail=reason):
        workflow.transition(case, "not_file", actor=actor, payload={"reason": reason}, comment=reason)
        case.closed_on = _today()
        case.save(update_fields=["closed_on", "updated_at"])
    return case


@transaction.atomic
def assign_officers(case: EnforcementCase, *, officers, actor) -> EnforcementCase:
    """Add handlers to a case; each must hold a valid 行政执法证 for its domain and area (第四十二条)."""
    _require_change(case, actor)
    _require_state(case, (CaseStatus.LEAD, *INVESTIGATION), "指派承办人员")
    users = _users(officers)
    if not users:
        raise _invalid("officers", "请选择执法人员")
    with audit.operation(CaseAuditEvent.CASE_OFFICERS_ASSIGNED, obj=case, actor=actor):
        _assign_handlers(case, users, actor=actor)
    return case


# --- evidence (证据), hashed into the ledger ----------------------------------------------------------------------


def _coordinate(value, field: str, bound: int):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (ArithmeticError, ValueError, TypeError):
        raise _invalid(field, "坐标格式不正确") from None
    if not -bound <= number <= bound:
        raise _invalid(field, "坐标超出范围")
    return number


def _evidence_payload(case: EnforcementCase, evidence: CaseEvidence) -> bytes:
    """What the ledger entry of one piece of evidence holds (canonical JSON: sorted keys, no spaces)."""
    record = {
        "type": "enforcement.evidence",
        "case": case.number or f"lead-{case.pk}",
        "evidence": evidence.pk,
        "kind": evidence.kind,
        "title": evidence.title,
        "sha256": evidence.sha256,
        "captured_at": evidence.captured_at.isoformat(),
        "recorded_by": evidence.recorded_by_id,
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@transaction.atomic
def record_evidence(
    case: EnforcementCase,
    *,
    kind: str,
    title: str,
    content: str = "",
    file=None,
    filename: str = "",
    captured_at=None,
    latitude=None,
    longitude=None,
    actor,
) -> CaseEvidence:
    """Record evidence or a record (笔录) taken by a certified officer; its SHA-256 is appended to the evidence ledger
    (全过程记录, 第四十七条), so later changes to the file or text can be detected."""
    from smartjustice.ledger.services import append_entry

    _require_change(case, actor)
    _require_state(case, OPEN_FOR_EVIDENCE, "登记证据")
    problem = ineligibility(officer_of(actor), case.domain, case.jurisdiction_id)
    if problem:
        raise PermissionDenied(f"{problem}（{rules.CERTIFIED_OFFICERS.citation}）")
    handlers = assignee_ids(case, HANDLER)
    if handlers and actor.pk not in handlers:
        raise PermissionDenied("只有本案承办人员可以登记证据")
    if kind not in EvidenceKind.values:
        raise _invalid("kind", "请选择证据类型")
    title = _text(title, "title", "请填写证据名称", limit=200)
    content = str(content or "").strip()
    if file is None and not content:
        raise _invalid("content", "请上传证据文件或填写笔录内容")
    now = timezone.now()
    captured_at = captured_at or now
    if captured_at > now + datetime.timedelta(minutes=5):
        raise _invalid("captured_at", "取证时间不能晚于当前时间")
    latitude = _coordinate(latitude, "latitude", 90)
    longitude = _coordinate(longitude, "longitude", 180)
    with audit.operation(CaseAuditEvent.EVIDENCE_RECORDED, obj=case, actor=actor, detail=title):
        attachment = None
        if file is not None:
            attachment = store_attachment(
                file, actor=actor, owner=case, filename=filename or None, purpose=f"证据：{title}"[:64]
            )
            digest = attachment.sha256
        else:
            digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        evidence = CaseEvidence.objects.create(
            case=case,
            kind=kind,
            title=title,
            content=content,
            attachment=attachment,
            sha256=digest,
            captured_at=captured_at,
            latitude=latitude,
            longitude=longitude,
            recorded_by=actor,
        )
        entry = append_entry(LEDGER_LOG, _evidence_payload(case, evidence), kind="evidence", actor=actor)
        evidence.ledger_log = LEDGER_LOG
        evidence.ledger_index = entry.index
        evidence.save(update_fields=["ledger_log", "ledger_index"])
    return evidence


def evidence_payload(evidence: CaseEvidence) -> bytes:
    """The ledger payload `evidence` was anchored with (to compare with the stored ledger entry)."""
    return _evidence_payload(evidence.case, evidence)


# --- the proposed penalty, legal review, notice, statements, hearing, discussion --------------------------------


def _benchmark(case: EnforcementCase, benchmark):
    if benchmark in (None, ""):
        return None
    if not isinstance(benchmark, DiscretionBenchmark):
        benchmark = DiscretionBenchmark.objects.filter(pk=benchmark).first()
        if benchmark is None:
            raise _invalid("benchmark", "裁量基准不存在")
    if case.item_id is None or benchmark.item_id != case.item_id:
        raise _invalid("benchmark", "所选裁量基准不属于本案执法事项")
    return benchmark


def _amount(value, field: str):
    if value is None or value == "":
        return None
    amount = penalties.money(value)
    if amount < 0:
        raise _invalid(field, "金额不能为负数")
    return amount


def _other_sanctions(values) -> list[str]:
    allowed = {kind.value for kind in SanctionKind} - {kind.value for kind in AMOUNT_KINDS}
    found = []
    for value in values or ():
        if value not in allowed:
            raise _invalid("other_sanctions", f"处罚种类无效：{value}")
        if value not in found:
            found.append(value)
    return found


@transaction.atomic
def propose_penalty(
    case: EnforcementCase,
    *,
    fine_amount=None,
    confiscated_amount=None,
    other_sanctions=(),
    discretion_grade: str = "",
    benchmark=None,
    legal_basis: str = "",
    grave: bool = False,
    actor,
    base_amount=None,
) -> EnforcementCase:
    """拟定处罚: kinds, amounts (within the item's statutory range and the benchmark, 第四条、第三十四条), basis and
    whether the case is grave (集体讨论, 第五十七条第二款). Decides whether the hearing right applies (第六十三条) and
    whether 法制审核 is required (第五十八条). After the notice only a lighter penalty may be proposed (第四十五条第二款).
    `base_amount`: the 违法所得 / 货值金额 a fine given as a multiple refers to (default: the confiscated gains)."""
    _require_change(case, actor)
    _require_state(case, (CaseStatus.INVESTIGATING, *AFTER_NOTICE), "拟定处罚内容")
    fine = _amount(fine_amount, "fine_amount")
    confiscated = _amount(confiscated_amount, "confiscated_amount")
    others = _other_sanctions(other_sanctions)
    benchmark = _benchmark(case, benchmark)
    grade = discretion_grade or (benchmark.grade if benchmark else "")
    if grade and grade not in DiscretionGrade.values:
        raise _invalid("discretion_grade", "裁量阶次无效")
    base = _amount(base_amount, "base_amount")
    penalties.check_fine(
        {
            "fine_amount": fine,
            "item": case.item,
            "benchmark": benchmark,
            "base_amount": base if base is not None else confiscated,
        }
    )
    if case.status in AFTER_NOTICE:
        heavier = (
            (fine or 0) > (case.fine_amount or 0)
            or (confiscated or 0) > (case.confiscated_amount or 0)
            or not set(others) <= set(case.other_sanctions or [])
            or (bool(grave) and not case.grave)
        )
        if heavier:
            raise _invalid(
                "fine_amount",
                f"已告知当事人，不得给予比告知内容更重的处罚（{rules.NO_HEAVIER_FOR_STATEMENT.citation}）",
            )
    legal_basis = str(legal_basis or "").strip()
    if not legal_basis and case.item_id:
        legal_basis = "、".join(str(b) for b in case.item.bases.all())
    hearing = penalties.hearing_right(
        case.party.kind, fine=fine, confiscated=confiscated, other_sanctions=others
    )
    with audit.operation(CaseAuditEvent.PENALTY_PROPOSED, obj=case, actor=actor):
        case.fine_amount = fine
        case.confiscated_amount = confiscated
        case.other_sanctions = others
        case.discretion_grade = grade
        case.benchmark = benchmark
        case.legal_basis = legal_basis[:500]
        case.grave = bool(grave)
        fields = ["fine_amount", "confiscated_amount", "other_sanctions", "discretion_grade", "benchmark",
                  "legal_basis", "grave", "legal_review_required", "updated_at"]  # fmt: skip
        if case.status == CaseStatus.INVESTIGATING:
            case.legal_review_required = penalties.legal_review_needed(grave=case.grave, hearing=hearing)
            # A new proposal needs a new review (a returned one, or one given on different terms).
            case.legal_review_passed = None
            case.legal_review_opinion = ""
            case.reviewed_on = None
            fields += ["legal_review_passed", "legal_review_opinion", "reviewed_on"]
        case.save(update_fields=fields)
    return case


@transaction.atomic
def submit_for_review(case: EnforcementCase, *, actor) -> EnforcementCase:
    """提交法制审核 (第五十八条)."""
    with audit.operation(CaseAuditEvent.CASE_SUBMITTED_FOR_REVIEW, obj=case, actor=actor):
        workflow.transition(case, "submit_review", actor=actor, payload={})
    return case


@transaction.atomic
def give_legal_review(case: EnforcementCase, *, passed: bool, opinion: str, actor) -> EnforcementCase:
    """法制审核意见 by a reviewer of the agency who is not one of the handlers; not passed → back to investigation."""
    opinion = _text(opinion, "opinion", "请填写法制审核意见")
    step = "pass_review" if passed else "return_review"
    with audit.operation(CaseAuditEvent.LEGAL_REVIEW_GIVEN, obj=case, actor=actor, detail=opinion[:500]):
        # Checked before the reviewer is assigned, so a handler is refused as such rather than assigned twice.
        case.workflow.check(case, step, actor, {"passed": passed, "opinion": opinion})
        assign(case, user=actor, role=REVIEWER, actor=actor)
        workflow.transition(
            case, step, actor=actor, payload={"passed": passed, "opinion": opinion}, comment=opinion
        )
        case.legal_review_opinion = opinion
        case.legal_review_passed = bool(passed)
        case.reviewed_on = _today()
        case.save(update_fields=["legal_review_opinion", "legal_review_passed", "reviewed_on", "updated_at"])
    return case


def pass_review(case: EnforcementCase, *, opinion: str, actor) -> EnforcementCase:
    """法制审核通过 (the transition step's service)."""
    return give_legal_review(case, passed=True, opinion=opinion, actor=actor)


def return_review(case: EnforcementCase, *, opinion: str, actor) -> EnforcementCase:
    """法制审核不通过，退回补充调查 (the transition step's service)."""
    return give_legal_review(case, passed=False, opinion=opinion, actor=actor)


@transaction.atomic
def serve_prior_notice(case: EnforcementCase, *, actor, notified_on=None) -> EnforcementCase:
    """送达行政处罚事先告知书 (第四十四条): the notice number is issued and whether the party may ask for a hearing is
    decided by 第六十三条 (the proposed penalty against the 较大数额 threshold)."""
    notified_on = _day(notified_on, "notified_on", not_before=case.filed_on, not_before_label="立案日期")
    with audit.operation(CaseAuditEvent.PRIOR_NOTICE_SERVED, obj=case, actor=actor):
        workflow.transition(case, "notify", actor=actor, payload={"notified_on": notified_on})
        case.notified_on = notified_on
        case.notice_number = _number(case.agency, NOTICE_NUMBER)
        case.hearing_offered = penalties.hearing_right(
            case.party.kind,
            fine=case.fine_amount,
            confiscated=case.confiscated_amount,
            other_sanctions=case.other_sanctions,
        )
        case.save(update_fields=["notified_on", "notice_number", "hearing_offered", "updated_at"])
    return case


@transaction.atomic
def record_statement(
    case: EnforcementCase, *, actor, statement: str = "", waived: bool = False
) -> EnforcementCase:
    """陈述、申辩 (第四十五条) heard and recorded, or the party's express waiver (第六十二条 proviso: then the decision
    need not wait for the statement and hearing-request periods)."""
    _require_change(case, actor)
    _require_state(case, AFTER_NOTICE, "记录陈述申辩")
    statement = str(statement or "").strip()
    if not waived and not statement:
        raise _invalid("statement", "请填写当事人的陈述、申辩意见，或选择当事人明确放弃")
    with audit.operation(CaseAuditEvent.STATEMENT_RECORDED, obj=case, actor=actor):
        if statement:
            dated = f"{_today():%Y年%m月%d日}：{statement}"
            case.statement = f"{case.statement}\n{dated}" if case.statement else dated
        if waived:
            case.statement_waived = True
        case.save(update_fields=["statement", "statement_waived", "updated_at"])
    return case


@transaction.atomic
def request_hearing(case: EnforcementCase, *, actor, requested_on=None, hearing_on=None) -> EnforcementCase:
    """The party asks for a hearing within five days of the notice (第六十四条第一项); the hearing notice goes out on
    the day of the request and the hearing is set at least seven days later (第六十四条第二项)."""
    requested_on = _day(
        requested_on, "requested_on", not_before=case.notified_on, not_before_label="告知日期"
    )
    if hearing_on is None:
        raise _invalid("hearing_on", "请填写听证日期")
    if isinstance(hearing_on, str):
        try:
            hearing_on = datetime.date.fromisoformat(hearing_on)
        except ValueError:
            raise _invalid("hearing_on", "日期格式不正确") from None
    # The hearing notice goes out when the request is registered (back-dated entries keep their own dates).
    earliest = requested_on + datetime.timedelta(days=rules.HEARING_NOTICE_PERIOD.days)
    if hearing_on < earliest:
        raise _invalid(
            "hearing_on",
            f"应当在举行听证的七日前通知当事人，听证日期不得早于{earliest:%Y年%m月%d日}"
            f"（{rules.HEARING_NOTICE_PERIOD.citation}）",
        )
    with audit.operation(CaseAuditEvent.HEARING_NOTIFIED, obj=case, actor=actor):
        workflow.transition(
            case, "hearing", actor=actor, payload={"requested_on": requested_on, "hearing_on": hearing_on}
        )
        case.hearing_requested_on = requested_on
        case.hearing_on = hearing_on
        case.save(update_fields=["hearing_requested_on", "hearing_on", "updated_at"])
    return case


@transaction.atomic
def record_hearing(case: EnforcementCase, *, record: str, actor) -> EnforcementCase:
    """听证笔录 (第六十四条第八项); the decision then rests on it (第六十五条)."""
    _require_change(case, actor)
    _require_state(case, (CaseStatus.HEARING,), "记录听证")
    record = _text(record, "record", "请填写听证笔录摘要")
    if case.hearing_on and case.hearing_on > _today():
        raise _invalid("record", f"听证定于{case.hearing_on:%Y年%m月%d日}举行，尚未举行")
    with audit.operation(CaseAuditEvent.HEARING_RECORDED, obj=case, actor=actor):
        case.hearing_record = record
        case.save(update_fields=["hearing_record", "updated_at"])
    return case


@transaction.atomic
def record_discussion(case: EnforcementCase, *, record: str, actor, discussed_on=None) -> EnforcementCase:
    """负责人集体讨论 (第五十七条第二款), with its record."""
    record = _text(record, "record", "请填写集体讨论记录")
    discussed_on = _day(
        discussed_on, "discussed_on", not_before=case.notified_on, not_before_label="告知日期"
    )
    with audit.operation(CaseAuditEvent.DISCUSSION_RECORDED, obj=case, actor=actor):
        workflow.transition(case, "discuss", actor=actor, payload={"record": record})
        case.discussion_record = record
        case.discussed_on = discussed_on
        case.save(update_fields=["discussion_record", "discussed_on", "updated_at"])
    return case


# --- the decision and the hub ------------------------------------------------------------------------------------


def hub_record(case: EnforcementCase) -> dict:
    """The case as the 行政执法案件 dataset (hub/data/catalogue.json, enforcement.case) describes it."""
    party = case.party
    if party.kind == PartyKind.PERSON:
        party_type = "自然人"
    else:
        # 统一社会信用代码第2位: 9(工商)-2 个体工商户 and 9-3 农民专业合作社 are 其他组织 here; the rest 法人.
        party_type = "其他组织" if party.id_number[:2] in ("92", "93") else "法人"
    status = "已撤销" if case.revoked_on else HUB_STATUS.get(case.status, "已立案")
    data = {
        "case_number": case.number,
        "case_type": "行政处罚",
        "cause": case.cause[:200],
        "party_type": party_type,
        "party_name": party.name[:200],
        "party_id_number": party.id_number,
        "enforcement_agency": case.agency.name[:200],
        "filed_on": (case.filed_on or case.decided_on or case.discovered_on).isoformat(),
        "status": status,
    }
    if case.decided_on:
        data["decided_on"] = case.decided_on.isoformat()
    amount = (case.fine_amount or 0) + (case.confiscated_amount or 0)
    if case.decided_on and amount:
        data["fine_amount"] = float(amount)
    if case.decision_number:
        data["decision_number"] = case.decision_number
    if case.revoked_on:
        data["revoked_on"] = case.revoked_on.isoformat()
    return data


def _publish(case: EnforcementCase) -> None:
    from smartjustice.hub.services import publish

    publish(
        DATASET,
        record_key=case.number,
        data=hub_record(case),
        jurisdiction_code=case.jurisdiction_id,
        subject_id_number=case.party.id_number,
    )


@transaction.atomic
def decide(case: EnforcementCase, *, actor, decided_on=None) -> EnforcementCase:
    """作出行政处罚决定 by the agency's head (第五十七条) once the guards allow it (notice and statement period,
    hearing, legal review, collective discussion, range, 一事不再罚); the decision number is issued and the case
    published to the hub in the same transaction. The seven-day service clock starts (第六十一条)."""
    decided_on = _day(decided_on, "decided_on", not_before=case.notified_on, not_before_label="告知日期")
    with audit.operation(CaseAuditEvent.CASE_DECIDED, obj=case, actor=actor):
        case.conduct_key = _conduct_key(case)
        case.decided_on = decided_on
        case.workflow.check(case, "decide", actor, {"decided_on": decided_on})
        assign(case, user=actor, role=APPROVER, actor=actor)
        workflow.transition(case, "decide", actor=actor, payload={"decided_on": decided_on})
        case.decision_number = _number(case.agency, DECISION_NUMBER)
        case.save(update_fields=["conduct_key", "decided_on", "decision_number", "updated_at"])
        _publish(case)
    return case


@transaction.atomic
def drop_case(case: EnforcementCase, *, reason: str, actor) -> EnforcementCase:
    """不予行政处罚 / 撤案 (第五十七条第一款第二项、第三项), with the reason."""
    reason = _text(reason, "reason", "请填写不予处罚（撤案）的理由", limit=500)
    with audit.operation(CaseAuditEvent.CASE_DROPPED, obj=case, actor=actor, detail=reason):
        workflow.transition(case, "drop", actor=actor, payload={"reason": reason}, comment=reason)
    return case


# --- service, payment, execution --------------------------------------------------------------------------------


def _planned(case: EnforcementCase):
    return CasePayment.objects.filter(case=case, kind=PaymentKind.INSTALMENT, paid_on__isnull=True).order_by(
        "due_on"
    )


def _paid(case: EnforcementCase, kinds=PRINCIPAL_KINDS):
    return CasePayment.objects.filter(case=case, kind__in=kinds, paid_on__isnull=False)


def _sum(rows) -> Decimal:
    return sum((row.amount for row in rows), Decimal("0"))


def surcharge(case: EnforcementCase, on_day) -> Decimal:
    """加处罚款 accrued on `case` by the end of `on_day` (第七十二条第一款第一项; penalties.surcharge_on)."""
    if not case.fine_amount or case.payment_due_on is None:
        return Decimal("0.00")
    return penalties.surcharge_on(
        case.fine_amount,
        case.payment_due_on,
        on_day,
        payments=[(p.paid_on, p.amount) for p in _paid(case)],
        instalments=[(p.due_on, p.amount) for p in _planned(case)],
    )


def _next_due(case: EnforcementCase):
    """The due date the payment clock shows: the first instalment not yet covered, else the decision's term."""
    plan = list(_planned(case))
    if not plan:
        return case.payment_due_on
    paid = _sum(_paid(case))
    for instalment in plan:
        if paid < instalment.amount:
            return instalment.due_on
        paid -= instalment.amount
    return plan[-1].due_on


@transaction.atomic
def serve_decision(case: EnforcementCase, *, method: str, actor, served_on=None) -> EnforcementCase:
    """送达行政处罚决定书 (第六十一条); the payment term (fifteen days from receipt, 第六十七条第三款) starts."""
    if method not in ServiceMethod.values:
        raise _invalid("method", "请选择送达方式")
    served_on = _day(served_on, "served_on", not_before=case.decided_on, not_before_label="决定日期")
    with audit.operation(CaseAuditEvent.DECISION_SERVED, obj=case, actor=actor):
        case.served_on = served_on
        workflow.transition(case, "serve", actor=actor, payload={"method": method, "served_on": served_on})
        case.service_method = method
        fields = ["served_on", "service_method", "updated_at"]
        if _planned(case).exists():  # instalments approved before service: the plan is the decision's term
            case.clock_due_on = _next_due(case)
            fields.append("clock_due_on")
        elif case.fine_amount or case.confiscated_amount:
            case.payment_due_on = rules.PAYMENT_PERIOD.ends(served_on)
            fields.append("payment_due_on")
        case.save(update_fields=fields)
    return case


@transaction.atomic
def approve_instalments(case: EnforcementCase, *, plan, actor) -> EnforcementCase:
    """批准暂缓或分期缴纳 (第六十六条第二款): `plan` is [(due_on, amount), …] covering the unpaid fine; the payment term
    becomes the last instalment and the surcharge runs per instalment."""
    _require_change_or_decide(case, actor)
    _require_state(case, (CaseStatus.DECIDED, CaseStatus.SERVED), "批准分期缴纳")
    if not case.fine_amount:
        raise _invalid("plan", "本案没有罚款")
    rows = []
    for entry in plan or ():
        due_on, amount = (entry.get("due_on"), entry.get("amount")) if isinstance(entry, dict) else entry
        if isinstance(due_on, str):
            try:
                due_on = datetime.date.fromisoformat(due_on)
            except ValueError:
                raise _invalid("plan", "分期日期格式不正确") from None
        amount = _amount(amount, "plan")
        if not amount:
            raise _invalid("plan", "每期金额须大于零")
        rows.append((due_on, amount))
    if not rows:
        raise _invalid("plan", "请填写分期计划")
    rows.sort()
    if len({d for d, _ in rows}) != len(rows) or rows[0][0] < (case.decided_on or _today()):
        raise _invalid("plan", "分期日期须各不相同，且不早于决定日期")
    unpaid = case.fine_amount - _sum(_paid(case))
    if sum((a for _, a in rows), Decimal("0")) != unpaid:
        raise _invalid("plan", f"各期金额之和须等于未缴罚款{penalties.yuan(unpaid)}")
    with audit.operation(CaseAuditEvent.INSTALMENTS_APPROVED, obj=case, actor=actor):
        _planned(case).delete()
        for due_on, amount in rows:
            CasePayment.objects.create(
                case=case, kind=PaymentKind.INSTALMENT, amount=amount, due_on=due_on, recorded_by=actor
            )
        case.payment_due_on = rows[-1][0]
        fields = ["payment_due_on", "updated_at"]
        if case.status == CaseStatus.SERVED and case.clock_code:
            case.clock_due_on = _next_due(case)
            fields.append("clock_due_on")
        case.save(update_fields=fields)
    return case


def _require_change_or_decide(case: EnforcementCase, actor) -> None:
    """Approvals of the agency (分期): its head (decide permission) in its own organisation."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    if not access.has_permission(actor, DECIDE) or getattr(actor, "organisation_id", None) != case.agency_id:
        raise PermissionDenied("只有本机关负责人可以批准")


@transaction.atomic
def record_payment(
    case: EnforcementCase,
    *,
    amount,
    actor,
    paid_on=None,
    receipt_number: str = "",
    kind: str = PaymentKind.FINE,
) -> CasePayment:
    """登记缴款 (fine, an instalment, the surcharge, or confiscated gains) with the bank's receipt; the surcharge
    accrued up to the payment day is recorded on the case (第七十二条)."""
    _require_change(case, actor)
    _require_state(case, (CaseStatus.DECIDED, CaseStatus.SERVED), "登记缴款")
    if kind not in PaymentKind.values:
        raise _invalid("kind", "款项类型无效")
    amount = _amount(amount, "amount")
    if not amount:
        raise _invalid("amount", "缴款金额须大于零")
    paid_on = _day(paid_on, "paid_on", not_before=case.decided_on, not_before_label="决定日期")
    if kind in PRINCIPAL_KINDS:
        unpaid = (case.fine_amount or 0) - _sum(_paid(case))
        if amount > unpaid:
            raise _invalid("amount", f"缴款金额超过未缴罚款{penalties.yuan(unpaid)}")
    elif kind == PaymentKind.CONFISCATION:
        unpaid = (case.confiscated_amount or 0) - _sum(_paid(case, (PaymentKind.CONFISCATION,)))
        if amount > unpaid:
            raise _invalid("amount", f"缴款金额超过应没收的违法所得{penalties.yuan(unpaid)}")
    else:
        owed = surcharge(case, paid_on) - _sum(_paid(case, (PaymentKind.SURCHARGE,)))
        if amount > owed:
            raise _invalid("amount", f"缴款金额超过应缴加处罚款{penalties.yuan(max(owed, 0))}")
    with audit.operation(CaseAuditEvent.PAYMENT_RECORDED, obj=case, actor=actor):
        payment = CasePayment.objects.create(
            case=case,
            kind=kind,
            amount=amount,
            paid_on=paid_on,
            receipt_number=str(receipt_number or "").strip()[:64],
            recorded_by=actor,
        )
        if kind != PaymentKind.CONFISCATION:
            case.paid_amount = (case.paid_amount or 0) + amount
        case.surcharge_amount = max(case.surcharge_amount or 0, surcharge(case, paid_on))
        fields = ["paid_amount", "surcharge_amount", "updated_at"]
        if case.status == CaseStatus.SERVED and case.clock_code:
            case.clock_due_on = _next_due(case)
            fields.append("clock_due_on")
        case.save(update_fields=fields)
    return payment


@transaction.atomic
def execute_case(case: EnforcementCase, *, actor) -> EnforcementCase:
    """执行完毕: the fine, the surcharge accrued (第七十二条) and the confiscation are paid."""
    with audit.operation(CaseAuditEvent.CASE_EXECUTED, obj=case, actor=actor):
        today = _today()
        case.surcharge_amount = max(case.surcharge_amount or 0, surcharge(case, today))
        case.save(update_fields=["surcharge_amount", "updated_at"])
        confiscated = _sum(_paid(case, (PaymentKind.CONFISCATION,)))
        if (case.confiscated_amount or 0) > confiscated:
            raise TransitionNotAllowed(
                f"违法所得尚未没收缴清（未缴{penalties.yuan(case.confiscated_amount - confiscated)}）"
            )
        workflow.transition(case, "execute", actor=actor, payload={})
        case.executed_on = today
        case.save(update_fields=["executed_on", "updated_at"])
    return case


@transaction.atomic
def close_case(case: EnforcementCase, *, actor) -> EnforcementCase:
    """结案; a decided case is published to the hub again as 已结案."""
    with audit.operation(CaseAuditEvent.CASE_CLOSED, obj=case, actor=actor):
        workflow.transition(case, "close", actor=actor, payload={})
        case.closed_on = _today()
        case.save(update_fields=["closed_on", "updated_at"])
        if case.decided_on and case.number:
            _publish(case)
    return case


@transaction.atomic
def archive_case(case: EnforcementCase, *, actor) -> EnforcementCase:
    """归档 (全过程记录，归档保存, 第四十七条)."""
    with audit.operation(CaseAuditEvent.CASE_ARCHIVED, obj=case, actor=actor):
        workflow.transition(case, "archive", actor=actor, payload={})
        case.archived_on = _today()
        case.save(update_fields=["archived_on", "updated_at"])
    return case


@transaction.atomic
def revoke_decision(case: EnforcementCase, *, reason: str, actor, revoked_on=None) -> EnforcementCase:
    """撤销行政处罚决定 (e.g. after review or on the agency's own correction, 第七十五条第二款): the published record is
    replaced by one marked 已撤销 (第四十八条第二款: withdrawn within three days); the conduct may be fined again."""
    _require_change_or_decide(case, actor)
    if case.decided_on is None:
        raise TransitionNotAllowed("本案尚未作出处罚决定")
    if case.revoked_on is not None:
        raise TransitionNotAllowed(f"本案决定已于{case.revoked_on:%Y年%m月%d日}撤销")
    reason = _text(reason, "reason", "请填写撤销原因", limit=300)
    revoked_on = _day(revoked_on, "revoked_on", not_before=case.decided_on, not_before_label="决定日期")
    with audit.operation(CaseAuditEvent.DECISION_REVOKED, obj=case, actor=actor, detail=reason):
        case.revoked_on = revoked_on
        case.revocation_reason = reason
        case.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
        _publish(case)
    return case


# The service behind each workflow step: core.workflow_api's endpoint and page call these with the step's validated
# input as keyword arguments (H2 declares the input schemas).
TRANSITION_SERVICES = {
    "file": file_case,
    "not_file": not_file_case,
    "submit_review": submit_for_review,
    "pass_review": pass_review,
    "return_review": return_review,
    "notify": serve_prior_notice,
    "hearing": request_hearing,
    "discuss": record_discussion,
    "decide": decide,
    "drop": drop_case,
    "serve": serve_decision,
    "execute": execute_case,
    "close": close_case,
    "archive": archive_case,
}
