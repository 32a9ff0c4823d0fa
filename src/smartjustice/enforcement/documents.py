"""执法文书 of a 行政处罚案件: numbered per agency, rendered to PDF and Word (core.documents) and stored with the case.

Templates are files: templates/documents/enforcement_<kind>.html (PDF) and
core/data/document_templates/enforcement_<kind>.docx (Word, made by scripts/make_docx_templates.py), one per
CaseDocumentKind. Their contents follow the 行政处罚法 (the 决定书 carries every item of 第五十九条).

文号 (document numbers): ``<agency prefix><kind>〔year〕n号``, e.g. 天市监罚告〔2026〕3号 — the agency prefix is
enforcement.cases.agency_prefix (first character of the division + the 执法领域 abbreviation, as the case number
天市监立〔2026〕n号), the kind the document's word (DOCUMENT_WORDS). Numbers run per prefix and year (core.documents.issue_number), so each agency's documents of
one kind are numbered in their own series. The 决定书 (and the 当场决定书) take the case's decision_number when it has
one, the 事先告知书 its notice_number, so the document and the case never disagree.

Documents are for the party and so carry their personal information unmasked; they are attachments of the case, so
downloading one goes through the case's access (core.attachments.get_attachment_for).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from smartjustice.core import assignments, audit
from smartjustice.core.documents import GeneratedDocument, generate_document
from smartjustice.core.errors import ValidationFailed

from . import rules
from .choices import CaseAuditEvent, CaseDocumentKind, CaseStatus, EvidenceKind, PartyKind, Procedure

K = CaseDocumentKind

# The word of each kind in its 文号 (…罚告〔2026〕1号); 罚告 and 罚决 are the case's own notice and decision series.
DOCUMENT_WORDS = {
    K.FILING_APPROVAL: "立审",
    K.INSPECTION_RECORD: "检",
    K.INQUIRY_RECORD: "询",
    K.LEGAL_REVIEW: "法审",
    K.PRIOR_NOTICE: "罚告",
    K.HEARING_NOTICE: "听通",
    K.DECISION: "罚决",
    K.SERVICE_RECEIPT: "送",
    K.CLOSING_REPORT: "结",
    K.ON_THE_SPOT_DECISION: "当罚",
}


def number_prefix(case, kind: str) -> str:
    """The 文号 prefix of `kind` documents of the case's agency, e.g. 天市监罚告 (see the module docstring)."""
    from .cases import agency_prefix

    return f"{agency_prefix(case.agency)}{DOCUMENT_WORDS[CaseDocumentKind(kind)]}"


# --- amounts and dates in words ---------------------------------------------------------------------------------

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(n: int) -> str:
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = bool(text)
        else:
            if zero:
                text += "零"
                zero = False
            text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def yuan_in_words(amount) -> str:
    """An amount of money in capitals as on Chinese official documents: 1050.5 → 壹仟零伍拾元伍角整."""
    amount = Decimal(amount or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    yuan = int(amount)
    jiao, fen = int(amount * 10) % 10, int(amount * 100) % 10
    if yuan == 0 and jiao == 0 and fen == 0:
        return "零元整"
    groups, n = [], yuan
    while n:
        groups.append(n % 10000)
        n //= 10000
    text, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = True
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _four_digits(group) + BIG_UNITS[index]
        gap = False
    text = (text + "元") if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text


def money(amount) -> str:
    """¥ with two decimals and the capitals: 人民币5,000.00元（大写：伍仟元整）."""
    value = Decimal(amount or 0).quantize(Decimal("0.01"))
    return f"人民币{value:,.2f}元（大写：{yuan_in_words(value)}）"


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "____年__月__日"


# --- context ----------------------------------------------------------------------------------------------------


def _officers(case, role: str = assignments.HANDLER) -> list[dict]:
    from .models import EnforcementOfficer

    users = [a.user for a in assignments.assignments_of(case, role)]
    certificates = {
        o.user_id: (o.credential.number if o.credential_id else "")
        for o in EnforcementOfficer.objects.filter(user__in=users).select_related("credential")
    }
    return [{"name": u.display_name, "certificate": certificates.get(u.pk, "")} for u in users]


def _sanctions(case) -> list[str]:
    found = []
    if case.fine_amount:
        found.append(f"罚款{money(case.fine_amount)}")
    if case.confiscated_amount:
        found.append(f"没收违法所得{money(case.confiscated_amount)}")
    for kind in case.other_sanctions or []:
        if kind not in ("罚款", "没收违法所得"):
            found.append(str(kind))
    return found


def _evidence(case, *kinds) -> list[dict]:
    qs = case.evidence.all().order_by("captured_at", "id")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return [
        {
            "kind": e.get_kind_display(),
            "title": e.title,
            "content": e.content,
            "captured_at": timezone.localtime(e.captured_at).strftime("%Y年%m月%d日 %H:%M"),
            "sha256": e.sha256,
            "ledger": f"{e.ledger_log}#{e.ledger_index}" if e.ledger_index is not None else "",
        }
        for e in qs
    ]


def _remedies(case) -> str:
    agency = case.agency
    place = agency.jurisdiction.full_name if agency.jurisdiction_id else ""
    return (
        f"如不服本决定，可以在收到本决定书之日起六十日内向{place}人民政府申请行政复议"
        f"（{rules.REVIEW_PERIOD.citation}），或者在收到本决定书之日起六个月内依法向人民法院提起行政诉讼"
        f"（{rules.LITIGATION_PERIOD.citation}）。申请行政复议或者提起行政诉讼期间，本决定不停止执行，"
        "法律另有规定的除外（《中华人民共和国行政处罚法》第七十三条）。"
    )


def _payment(case) -> str:
    if not case.fine_amount and not case.confiscated_amount:
        return "本决定不涉及罚没款项，当事人应当自收到本决定书之日起履行。"
    due = f"（即{chinese_date(case.payment_due_on)}前）" if case.payment_due_on else ""
    return (
        f"当事人应当自收到本决定书之日起十五日内{due}，到指定的银行或者通过电子支付系统缴纳罚没款"
        f"（{rules.FINE_PAYMENT_PERIOD.citation}）。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，"
        f"加处罚款的数额不得超出罚款的数额（{rules.LATE_PAYMENT_SURCHARGE.citation}）。"
        "确有经济困难的，可以向本机关申请延期或者分期缴纳（《中华人民共和国行政处罚法》第六十六条第二款）。"
    )


def case_context(case) -> dict:
    """Everything the templates of one case read (strings, so the PDF and Word versions say the same)."""
    party, agency = case.party, case.agency
    is_person = party.kind == PartyKind.PERSON
    sanctions = _sanctions(case)
    return {
        "organisation_name": agency.name,
        "agency_name": agency.name,
        "agency_address": agency.address,
        "agency_phone": agency.phone,
        "case_number": case.number or "（未立案）",
        "procedure": case.get_procedure_display(),
        "source": case.get_source_display(),
        "domain": case.get_domain_display(),
        "item_name": case.item.name if case.item_id else "",
        "cause": case.cause,
        "facts": case.facts or "（未填写）",
        "location": case.location,
        "occurred_on": chinese_date(case.occurred_on) if case.occurred_on else "",
        "discovered_on": chinese_date(case.discovered_on),
        "filed_on": chinese_date(case.filed_on) if case.filed_on else "",
        "party_name": party.name,
        "party_kind": party.get_kind_display(),
        "party_id_label": "居民身份证号码" if is_person else "统一社会信用代码",
        "party_id_number": party.id_number,
        "party_representative": party.legal_representative,
        "party_phone": party.phone,
        "party_address": party.address or "（未登记）",
        "handlers": "、".join(f"{o['name']}（执法证号：{o['certificate'] or '—'}）" for o in _officers(case))
        or "（未指派）",
        "reviewers": "、".join(o["name"] for o in _officers(case, assignments.REVIEWER)),
        "evidence": _evidence(case),
        "evidence_summary": "；".join(f"{e['kind']}：{e['title']}" for e in _evidence(case)) or "（无）",
        "legal_basis": case.legal_basis or "（未填写）",
        "sanctions": "；".join(sanctions) or "不予行政处罚",
        "fine": money(case.fine_amount) if case.fine_amount else "",
        "discretion_grade": case.get_discretion_grade_display() if case.discretion_grade else "",
        "legal_review_opinion": case.legal_review_opinion,
        "legal_review_result": {True: "通过", False: "不通过", None: "待审核"}[case.legal_review_passed],
        "reviewed_on": chinese_date(case.reviewed_on) if case.reviewed_on else "",
        "notice_number": case.notice_number,
        "notified_on": chinese_date(case.notified_on) if case.notified_on else "",
        "statement": case.statement or ("当事人放弃陈述、申辩" if case.statement_waived else "（无）"),
        "hearing_offered": case.hearing_offered,
        "hearing_on": chinese_date(case.hearing_on) if case.hearing_on else "",
        "hearing_record": case.hearing_record,
        "discussion_record": case.discussion_record,
        "decision_number": case.decision_number,
        "decided_on": chinese_date(case.decided_on) if case.decided_on else "",
        "service_method": case.get_service_method_display() if case.service_method else "",
        "served_on": chinese_date(case.served_on) if case.served_on else "",
        "payment": _payment(case),
        "payment_due_on": chinese_date(case.payment_due_on) if case.payment_due_on else "",
        "paid_amount": money(case.paid_amount),
        "surcharge_amount": money(case.surcharge_amount),
        "executed_on": chinese_date(case.executed_on) if case.executed_on else "",
        "closed_on": chinese_date(case.closed_on) if case.closed_on else "",
        "status": case.get_status_display(),
        "remedies": _remedies(case),
        "signature_refused": case.signature_refused,
        "today": chinese_date(timezone.localdate()),
        # The statute text each document cites, from rules.py (one place to amend).
        "notice_basis": str(rules.PRIOR_NOTICE_CONTENTS.citation),
        "statement_period": f"{rules.STATEMENT_PERIOD.days}{rules.STATEMENT_PERIOD.unit_label}",
        "decision_basis": str(rules.DECISION_CONTENTS.citation),
        "hearing_basis": str(rules.HEARING_NOTICE_LEAD.citation),
        "service_basis": str(rules.DECISION_SERVICE_PERIOD.citation),
    }


# --- when each document may be made -----------------------------------------------------------------------------


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"kind": [message]})


def _check_ready(case, kind: CaseDocumentKind) -> None:
    """Refuse a document the case cannot carry yet (a decision before the decision, a record with no record …)."""
    if kind == K.INSPECTION_RECORD and not case.evidence.filter(kind=EvidenceKind.INSPECTION_RECORD).exists():
        raise _refuse("本案尚未登记现场检查（勘验）笔录，请先在证据中登记笔录内容")
    if kind == K.INQUIRY_RECORD and not case.evidence.filter(kind=EvidenceKind.INQUIRY_RECORD).exists():
        raise _refuse("本案尚未登记询问笔录，请先在证据中登记笔录内容")
    if kind == K.LEGAL_REVIEW and case.legal_review_passed is None:
        raise _refuse("本案尚未出具法制审核意见")
    if kind == K.PRIOR_NOTICE and not _sanctions(case):
        raise _refuse("本案尚未提出拟处罚意见，不能制作事先告知书")
    if kind == K.HEARING_NOTICE and not case.hearing_on:
        raise _refuse("本案尚未确定听证日期")
    if kind in (K.DECISION, K.SERVICE_RECEIPT) and not case.decision_number:
        raise _refuse("本案尚未作出行政处罚决定")
    if kind == K.DECISION and case.procedure == Procedure.SIMPLIFIED:
        raise _refuse("简易程序案件请制作当场行政处罚决定书")
    if kind == K.ON_THE_SPOT_DECISION and (
        case.procedure != Procedure.SIMPLIFIED or not case.decision_number
    ):
        raise _refuse("只有当场作出处罚决定的简易程序案件才有当场行政处罚决定书")
    if kind == K.CLOSING_REPORT and case.status not in (
        CaseStatus.EXECUTED,
        CaseStatus.CLOSED,
        CaseStatus.ARCHIVED,
        CaseStatus.DROPPED,
    ):
        raise _refuse("案件执行完毕或者撤案后才能制作结案报告")


def _number(case, kind: CaseDocumentKind) -> str | None:
    if kind in (K.DECISION, K.ON_THE_SPOT_DECISION):
        return case.decision_number
    if kind == K.PRIOR_NOTICE and case.notice_number:
        return case.notice_number
    return None  # issued from the agency's series for this kind


def available_kinds(case) -> list[tuple[str, str]]:
    """The documents the case can carry now, as (value, label) choices."""
    ready = []
    for kind in CaseDocumentKind:
        try:
            _check_ready(case, kind)
        except ValidationFailed:
            continue
        ready.append((kind.value, kind.label))
    return ready


@transaction.atomic
def generate_case_document(case, kind, *, actor) -> GeneratedDocument:
    """Number, render (PDF and Word) and store one 执法文书 of the case (one CASE_DOCUMENT_GENERATED entry)."""
    try:
        kind = CaseDocumentKind(kind)
    except ValueError:
        raise _refuse("未知的文书种类") from None
    _check_ready(case, kind)
    with audit.operation(CaseAuditEvent.CASE_DOCUMENT_GENERATED, obj=case, actor=actor, detail=kind.label):
        return generate_document(
            template=f"enforcement_{kind.value}",
            title=kind.label,
            context=case_context(case),
            owner=case,
            actor=actor,
            number_prefix=number_prefix(case, kind),
            number=_number(case, kind),
        )


def documents_of(case):
    """The generated documents of a case (attachments with a 文号), newest first."""
    from smartjustice.core import attachments

    return attachments.attachments_of(case).exclude(document_number="").order_by("-created_at", "-id")
