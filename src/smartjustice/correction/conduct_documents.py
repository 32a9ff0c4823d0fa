"""Documents of 考核奖惩 and 审批 (helper E): the decision (表扬、训诫、警告) or proposal (治安管理处罚、撤销缓刑、撤销假释、
收监执行) of a sanction and the decision on a subject's request, numbered per county agency and rendered to PDF by
core.documents (templates/documents/correction_sanction.html, correction_approval.html).

文号: ``<county's first character>矫<word>〔year〕n号``, e.g. 天矫警〔2026〕3号 for a 警告 of 天河区's agency.
The documents are attachments of the sanction or request, so downloading one goes through its access.
"""

from __future__ import annotations

from django.utils import timezone

from smartjustice.core import attachments
from smartjustice.core.documents import GeneratedDocument, generate_document

from . import rules
from .models.conduct import ApprovalKind, ApprovalRequest, ApprovalStatus, Sanction, SanctionKind

SANCTION_WORDS = {
    SanctionKind.COMMENDATION: "表",
    SanctionKind.ADMONITION: "训",
    SanctionKind.WARNING: "警",
    SanctionKind.SECURITY_PUNISHMENT: "治建",
    SanctionKind.PROBATION_REVOCATION: "撤缓建",
    SanctionKind.PAROLE_REVOCATION: "撤假建",
    SanctionKind.COMMITTAL: "收建",
}
SANCTION_TITLES = {
    SanctionKind.COMMENDATION: "社区矫正表扬决定书",
    SanctionKind.ADMONITION: "社区矫正训诫决定书",
    SanctionKind.WARNING: "社区矫正警告决定书",
    SanctionKind.SECURITY_PUNISHMENT: "提请治安管理处罚建议书",
    SanctionKind.PROBATION_REVOCATION: "撤销缓刑建议书",
    SanctionKind.PAROLE_REVOCATION: "撤销假释建议书",
    SanctionKind.COMMITTAL: "收监执行建议书",
}
APPROVAL_WORD = "审"


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "____年__月__日"


def default_basis(kind: str) -> str:
    """The basis written on a sanction of `kind` unless the officer states more (《…社区矫正法》第二十八条第一款 …)."""
    kind = SanctionKind(kind)
    cited = [rules.DISCIPLINARY_SANCTIONS.citation]
    if kind == SanctionKind.COMMENDATION:
        cited = [rules.COMMENDATION.citation]
    elif kind in (SanctionKind.PROBATION_REVOCATION, SanctionKind.PAROLE_REVOCATION):
        cited.append(rules.REVOCATION_PROPOSAL.citation)
    elif kind == SanctionKind.COMMITTAL:
        cited += [rules.COMMITTAL_PROPOSAL.citation, rules.COMMITTAL_GROUNDS.citation]
    return "、".join(str(c) for c in cited)


def period_rule(sanction: Sanction):
    """The thirty days the court (第四十八条) or the deciding authority (第四十九条) has to decide."""
    if sanction.kind == SanctionKind.COMMITTAL:
        return rules.COMMITTAL_DECISION_PERIOD
    return rules.COURT_DECISION_PERIOD


def _prefix(subject, word: str) -> str:
    agency = subject.agency
    place = agency.jurisdiction.name if agency.jurisdiction_id else agency.name
    return f"{place[:1]}矫{word}"


def _subject_context(subject) -> dict:
    return {
        "organisation_name": subject.agency.name,
        "subject_name": subject.name,
        "subject_gender": subject.get_gender_display(),
        "subject_number": subject.number,
        "category": subject.get_category_display(),
        "sentence": subject.sentence,
        "judgment_number": subject.judgment_number,
        "deciding_authority": subject.deciding_authority,
        "starts_on": chinese_date(subject.starts_on),
        "ends_on": chinese_date(subject.ends_on),
        "today": chinese_date(timezone.localdate()),
    }


def sanction_context(sanction: Sanction) -> dict:
    subject = sanction.subject
    kind = SanctionKind(sanction.kind)
    recipient = subject.name
    if kind == SanctionKind.SECURITY_PUNISHMENT:
        recipient = "执行地公安机关"
    elif sanction.is_proposal:
        recipient = sanction.court or subject.deciding_authority
    action = {
        SanctionKind.PROBATION_REVOCATION: "撤销缓刑",
        SanctionKind.PAROLE_REVOCATION: "撤销假释",
        SanctionKind.COMMITTAL: "收监执行",
    }.get(kind, "")
    approver = sanction.approved_by
    return {
        **_subject_context(subject),
        "kind": kind.value,
        "kind_label": kind.label,
        "recipient": recipient,
        "facts": sanction.facts,
        "evidence": sanction.evidence,
        "legal_basis": sanction.legal_basis,
        "is_proposal": sanction.is_proposal,
        "court": sanction.court or subject.deciding_authority,
        "proposal_action": action,
        "decision_word": "决定" if kind == SanctionKind.COMMITTAL else "裁定",
        "period_citation": str(period_rule(sanction).citation),
        "procuratorate": f"{subject.agency.jurisdiction.name if subject.agency.jurisdiction_id else ''}人民检察院",
        "approved_by": getattr(approver, "display_name", "") or "—",
        "approved_on": chinese_date(sanction.approved_on),
    }


def generate_sanction_document(sanction: Sanction, *, actor) -> GeneratedDocument:
    """Number, render and store the decision or proposal of an approved sanction (a sub-step of the caller's
    operation)."""
    kind = SanctionKind(sanction.kind)
    return generate_document(
        template="correction_sanction",
        title=SANCTION_TITLES[kind],
        context=sanction_context(sanction),
        owner=sanction,
        actor=actor,
        number_prefix=_prefix(sanction.subject, SANCTION_WORDS[kind]),
        formats=("pdf",),
    )


def approval_context(request: ApprovalRequest) -> dict:
    subject = request.subject
    approved = request.status == ApprovalStatus.APPROVED
    decider = request.decided_by
    basis = (
        rules.LEAVE_APPROVAL
        if request.kind in (ApprovalKind.LEAVE, ApprovalKind.RESIDENCE_CHANGE)
        else (rules.SUPERVISION_RULES)
    )
    return {
        **_subject_context(subject),
        "kind_label": request.get_kind_display(),
        "destination": request.destination,
        "reason": request.reason,
        "starts_on": chinese_date(request.starts_on),
        "ends_on": chinese_date(request.ends_on),
        "days": request.days,
        "route": request.get_route_display(),
        "review_opinion": request.review_opinion,
        "outcome": request.get_status_display(),
        "decision_note": request.decision_note,
        "approved": approved,
        "is_leave": request.kind == ApprovalKind.LEAVE,
        "legal_basis": str(basis.citation),
        "decided_by": getattr(decider, "display_name", "") or "—",
    }


def generate_approval_document(request: ApprovalRequest, *, actor) -> GeneratedDocument:
    """The 审批决定 of a decided request (准予或者不予批准), numbered in the county agency's 矫审 series."""
    title = f"社区矫正对象{request.get_kind_display()}审批决定书"
    return generate_document(
        template="correction_approval",
        title=title,
        context=approval_context(request),
        owner=request,
        actor=actor,
        number_prefix=_prefix(request.subject, APPROVAL_WORD),
        formats=("pdf",),
    )


def documents_of(obj):
    """The generated documents of a sanction or request (attachments with a 文号), newest first."""
    return attachments.attachments_of(obj).exclude(document_number="").order_by("-created_at", "-id")
