"""The simplified procedure (简易程序): a penalty decided and handed over on the spot (《行政处罚法》第五十一条、第五十二条).

Who and how many: the decision is the officers' own (第五十二条 "执法人员当场作出行政处罚决定"), so no 机关负责人
approval is asked for; the agency is informed by the case itself (备案, 第五十二条第三款). 第四十二条 requires at least
two officers "法律另有规定的除外"; the 行政处罚法 makes no such exception for the simplified procedure, so the issuing
officer and at least one colleague, each holding a valid 行政执法证 for the domain and area (enforcement/eligibility.py),
are recorded as the case's handlers. A domain whose own law allows one officer would be a rule with its citation in
rules.py, not an `if` here.

What is refused (ValidationFailed, nothing stored): a fine above 二百元 for a person or 三千元 for an organisation, or a
sanction other than 警告 or such a fine (第五十一条 — the ordinary procedure applies); a missing fact, place or legal
basis (违法事实确凿并有法定依据); no signature and no note that the party refused to sign (第五十二条第一款).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, audit
from smartjustice.core.assignments import HANDLER, assign
from smartjustice.core.attachments import store_attachment
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.documents import issue_number
from smartjustice.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from smartjustice.core.validators import contains_null_character

from . import case_guards, cases, penalties, rules
from . import documents as case_documents
from .choices import (
    CaseAuditEvent,
    CaseDocumentKind,
    CaseSource,
    CaseStatus,
    EvidenceKind,
    ItemType,
    PartyKind,
    Procedure,
    ServiceMethod,
)
from .eligibility import ineligibility
from .extraction import SanctionKind
from .models import EnforcementCase, EnforcementItem, EnforcementOfficer, Party

SIGNATURE_PURPOSE = "当事人签名"
CLOCK_SKEW = datetime.timedelta(
    minutes=10
)  # a phone's clock slightly ahead of the server's is not "the future"
ON_THE_SPOT_DOCUMENT = CaseDocumentKind.ON_THE_SPOT_DECISION
TEXT_LIMITS = {"cause": 300, "location": 300, "legal_basis": 500, "facts": 5000}
TEXT_LABELS = {"cause": "案由", "facts": "违法事实", "location": "违法地点", "legal_basis": "处罚依据"}


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _officer_record(who) -> EnforcementOfficer | None:
    if isinstance(who, EnforcementOfficer):
        return who
    if who is None or not getattr(who, "pk", None):
        return None
    return (
        EnforcementOfficer.objects.select_related("user", "agency", "jurisdiction", "credential")
        .filter(user_id=who.pk)
        .first()
    )


def _limit_text(party_kind: str) -> str:
    limit = on_the_spot_limit(party_kind)
    whom = "公民" if party_kind == PartyKind.PERSON else "法人或者其他组织"
    return f"对{whom}当场处以罚款不得超过{limit}元"


def on_the_spot_limit(party_kind: str) -> int:
    """The largest fine (yuan) that may be decided on the spot for a party of `party_kind` (第五十一条)."""
    limits = rules.ON_THE_SPOT_LIMITS.value
    return limits["person"] if party_kind == PartyKind.PERSON else limits["organisation"]


def _clean_texts(values: dict) -> dict:
    cleaned = {}
    for name, value in values.items():
        text = str(value or "").strip()
        label = TEXT_LABELS[name]
        if not text:
            hint = "（违法事实确凿并有法定依据方可当场处罚）" if name in ("facts", "legal_basis") else ""
            raise _fail(name, f"请填写{label}{hint}")
        if contains_null_character(text):
            raise _fail(name, f"{label}含有无效字符")
        if len(text) > TEXT_LIMITS[name]:
            raise _fail(name, f"{label}不能超过{TEXT_LIMITS[name]}个字")
        cleaned[name] = text
    return cleaned


def _clean_fine(fine_amount, warning: bool, party_kind: str) -> Decimal | None:
    if fine_amount in (None, ""):
        fine = None
    else:
        try:
            fine = Decimal(str(fine_amount)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise _fail("fine_amount", "罚款金额须为数字") from None
        if not fine.is_finite() or fine <= 0:
            raise _fail("fine_amount", "罚款金额须大于零")
        if Decimal(str(fine_amount)) != fine:
            raise _fail("fine_amount", "罚款金额最多精确到分")
    if fine is None and not warning:
        raise _fail("fine_amount", f"请选择处罚种类：警告或者罚款（{rules.ON_THE_SPOT_LIMITS.citation}）")
    if fine is not None and warning:
        raise _fail(
            "warning",
            f"当场处罚只能是警告或者限额以内的罚款，不能并处（{rules.ON_THE_SPOT_LIMITS.citation}）",
        )
    if fine is not None and fine > on_the_spot_limit(party_kind):
        raise _fail(
            "fine_amount",
            f"{_limit_text(party_kind)}（{rules.ON_THE_SPOT_LIMITS.citation}），请按普通程序立案办理",
        )
    return fine


def _check_item(item: EnforcementItem | None, agency, fine: Decimal | None) -> None:
    if item is None:
        return
    if item.organisation_id != agency.pk or item.item_type != ItemType.PENALTY:
        raise _fail("item", "请选择本机关权责清单中的行政处罚事项")
    penalties.check_fine({"fine_amount": fine, "item": item})  # the item's statutory range (第四条)


def _clean_position(latitude, longitude, captured_at):
    def number(value, name, label, bound):
        if value in (None, ""):
            return None
        try:
            result = Decimal(str(value)).quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            raise _fail(name, f"{label}须为数字") from None
        if not result.is_finite() or abs(result) > bound:
            raise _fail(name, f"{label}须在 -{bound} 至 {bound} 之间")
        return result

    lat = number(latitude, "latitude", "纬度", 90)
    lng = number(longitude, "longitude", "经度", 180)
    if (lat is None) != (lng is None):
        raise _fail("latitude", "定位须同时包含经度和纬度")
    now = timezone.now()
    if captured_at is None:
        captured_at = now
    elif timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    if captured_at > now + CLOCK_SKEW:
        raise _fail("captured_at", "现场时间不能晚于当前时间")
    return lat, lng, captured_at


def _co_officers(
    officer: EnforcementOfficer, co_officers, domain: str, code: str
) -> list[EnforcementOfficer]:
    found: dict[int, EnforcementOfficer] = {}
    for who in co_officers or ():
        record = _officer_record(who)
        if record is None:
            raise _fail("co_officers", "同行人员不是登记的行政执法人员")
        if record.user_id != officer.user_id:
            found[record.user_id] = record
    for record in found.values():
        if record.agency_id != officer.agency_id:
            raise _fail("co_officers", f"{record.user.display_name}不是本机关的执法人员")
        problem = ineligibility(record, domain, code)
        if problem:
            raise _fail("co_officers", problem)
    if len(found) + 1 < rules.MINIMUM_OFFICERS.value:
        raise _fail(
            "co_officers",
            f"当场处罚的执法人员不得少于{rules.MINIMUM_OFFICERS.value}人，请选择同行的执法人员"
            f"（{rules.MINIMUM_OFFICERS.citation}）",
        )
    return list(found.values())


def _publish(case: EnforcementCase) -> None:
    """The decision to the hub (`enforcement.case`), in this transaction, as cases.hub_record describes a case."""
    from smartjustice.hub.services import publish

    publish(
        "enforcement.case",
        record_key=case.number,
        data=cases.hub_record(case),
        jurisdiction_code=case.jurisdiction_id,
        subject_id_number=case.party.id_number,
    )


@transaction.atomic
def issue_on_the_spot_penalty(
    *,
    officer,
    party,
    cause: str,
    facts: str,
    location: str,
    legal_basis: str,
    item: EnforcementItem | None = None,
    fine_amount=None,
    warning: bool = False,
    signature_png: bytes | None = None,
    signature_refused: bool = False,
    latitude=None,
    longitude=None,
    captured_at: datetime.datetime | None = None,
    co_officers=(),
    actor,
) -> EnforcementCase:
    """Decide and hand over a 警告 or small fine on the spot (简易程序, 《行政处罚法》第五十一条、第五十二条).

    `party` is a Party of the officer's agency or the fields of `cases.register_party` (kind, name, id_number …).
    The case is created decided and served (当场交付), numbered, with its handlers, the party's signature or the
    note that they refused to sign, the on-site record with time and place, and published to the hub.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    access.require(actor, "add", EnforcementCase)
    officer = _officer_record(officer)
    if officer is None or officer.user_id != actor.pk:
        raise PermissionDenied("当场行政处罚决定须由持证执法人员本人作出")
    agency = officer.agency
    domain = (item.domain if item is not None and item.domain in EnforcementDomain.values else "") or (
        agency.enforcement_domain or ""
    )
    if not domain:
        raise _fail("item", "无法确定执法领域：请选择执法事项")
    code = agency.jurisdiction_id
    problem = ineligibility(officer, domain, code)
    if problem:
        raise PermissionDenied(
            f"{problem}（{rules.ON_THE_SPOT_DECISION.citation}：当场处罚须出示有效执法证件）"
        )
    colleagues = _co_officers(officer, co_officers, domain, code)

    if isinstance(party, Party):
        if party.agency_id != agency.pk:
            raise _fail("party", "当事人不是本机关登记的当事人")
        party_kind, party_fields = party.kind, None
    elif isinstance(party, dict):
        party_fields = {k: v for k, v in party.items() if k not in ("agency", "actor")}
        party_kind = party_fields.get("kind")
        if party_kind not in PartyKind.values:
            raise _fail("kind", "请选择当事人类型：公民或者法人、其他组织")
    else:
        raise _fail("party", "请填写当事人")

    texts = _clean_texts({"cause": cause, "facts": facts, "location": location, "legal_basis": legal_basis})
    fine = _clean_fine(fine_amount, bool(warning), party_kind)
    _check_item(item, agency, fine)
    latitude, longitude, captured_at = _clean_position(latitude, longitude, captured_at)
    if signature_refused:
        signature_png = None
    elif not signature_png:
        raise _fail(
            "signature",
            f"请当事人在屏幕上签名；当事人拒绝签收的，请勾选“拒绝签收”（{rules.ON_THE_SPOT_DECISION.citation}）",
        )

    today = timezone.localdate(captured_at)
    case = EnforcementCase(
        procedure=Procedure.SIMPLIFIED,
        source=CaseSource.ON_SITE,
        agency=agency,
        jurisdiction_id=code,
        domain=domain,
        item=item,
        status=CaseStatus.SERVED,
        occurred_on=today,
        discovered_on=today,
        fine_amount=fine,
        other_sanctions=[SanctionKind.WARNING.value] if warning else [],
        decided_on=today,
        service_method=ServiceMethod.ON_THE_SPOT,
        served_on=today,
        payment_due_on=rules.PAYMENT_PERIOD.ends(today) if fine is not None else None,
        signature_refused=bool(signature_refused),
        **texts,
    )
    # The "organisation" scope of add (CASE_SCOPES) on a record not saved yet: the actor's own agency, in its area.
    if actor.organisation_id != agency.pk or not access.may_act_in(actor, code):
        raise PermissionDenied("您只能以本机关名义作出行政处罚决定")
    with audit.operation(CaseAuditEvent.ON_THE_SPOT_PENALTY, obj=case, actor=actor):
        if party_fields is not None:
            party = cases.register_party(agency=agency, actor=actor, **party_fields)
        case.party = party
        # The 预定格式、编有号码的决定书: the agency's own series of 当场处罚决定书 numbers (e.g. 天河市监当罚字〔2026〕3号).
        number = issue_number(case_documents.number_prefix(case, ON_THE_SPOT_DOCUMENT), year=today.year)
        case.decision_number = number
        case.number = number  # no 立案 in the simplified procedure: the decision's number is the case's
        case.conduct_key = penalties.conduct_key(
            case.party.id_number, item_id=case.item_id, cause=case.cause, occurred_on=case.occurred_on
        )
        twice = case_guards.not_fined_twice(case, actor)  # 一事不再罚
        if twice:
            raise _fail("fine_amount", twice)
        case.save()
        for user in [officer.user, *(c.user for c in colleagues)]:
            assign(case, user=user, role=HANDLER, actor=actor)
        if signature_png:
            signature = store_attachment(
                bytes(signature_png),
                actor=actor,
                owner=case,
                filename=f"signature-{case.pk}.png",
                purpose=SIGNATURE_PURPOSE,
            )
            case.party_signature = signature
            case.save(update_fields=["party_signature", "updated_at"])
        cases.record_evidence(
            case,
            kind=EvidenceKind.INSPECTION_RECORD,
            title="当场处罚现场记录",
            content=f"时间：{timezone.localtime(captured_at):%Y-%m-%d %H:%M}\n地点：{case.location}\n"
            f"违法事实：{case.facts}",
            captured_at=captured_at,
            latitude=latitude,
            longitude=longitude,
            actor=actor,
        )
        _publish(case)
        case_documents.generate_case_document(case, ON_THE_SPOT_DOCUMENT, actor=actor)
    return case


@transaction.atomic
def record_on_site_inspection(
    case: EnforcementCase,
    *,
    content: str,
    photos=(),
    latitude=None,
    longitude=None,
    captured_at: datetime.datetime | None = None,
    actor,
) -> list:
    """Record an on-site inspection from a phone: the 现场检查（勘验）笔录 and each photo, with the device's time and
    position, every one hashed and anchored in the evidence ledger (cases.record_evidence); all or nothing."""
    text = str(content or "").strip()
    if not text:
        raise _fail("content", "请填写检查情况（笔录内容）")
    if contains_null_character(text) or len(text) > TEXT_LIMITS["facts"]:
        raise _fail("content", f"检查情况不能超过{TEXT_LIMITS['facts']}个字")
    latitude, longitude, captured_at = _clean_position(latitude, longitude, captured_at)
    place = {"captured_at": captured_at, "latitude": latitude, "longitude": longitude}
    stamp = timezone.localtime(captured_at)
    recorded = [
        cases.record_evidence(
            case,
            kind=EvidenceKind.INSPECTION_RECORD,
            title=f"现场检查笔录 {stamp:%Y-%m-%d %H:%M}",
            content=text,
            actor=actor,
            **place,
        )
    ]
    for number, photo in enumerate(photos or (), start=1):
        name = getattr(photo, "name", "") or f"photo-{number}.jpg"
        recorded.append(
            cases.record_evidence(
                case,
                kind=EvidenceKind.PHOTO,
                title=f"现场照片 {stamp:%Y-%m-%d %H:%M} 第{number}张",
                file=photo,
                filename=name,
                actor=actor,
                **place,
            )
        )
    return recorded
