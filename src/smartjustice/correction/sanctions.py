"""奖惩 (helper E): every write of a commendation, 训诫, 警告 or proposal (治安管理处罚; 撤销缓刑、假释; 收监执行).

draft → submitted → approved (the county agency's head, approve_sanction, never the drafter) → issued (the decision
document, the subject notified); proposals to the court instead → sent_to_court (the 建议书, copied to the
procuratorate; the court's thirty days run: 第四十八条、第四十九条) → court_decided — where the court revokes or
commits, the term of community correction ends (第四十五条) through helper A's subjects.terminate_subject.
Each service: one transaction, one audit entry, the step through the workflow of models/conduct.py.
"""

from __future__ import annotations

import datetime
import json

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, audit, notifications, workflow
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed

from . import conduct_documents, rules
from .choices import UNDER_CORRECTION, CorrectionAuditEvent, TerminationReason
from .models import CorrectionSubject
from .models.conduct import COURT_PROPOSALS, CourtOutcome, Sanction, SanctionKind, SanctionStatus

LEDGER_LOG = "correction-sanctions"
OPEN_STATES = (
    SanctionStatus.DRAFT,
    SanctionStatus.SUBMITTED,
    SanctionStatus.APPROVED,
    SanctionStatus.SENT_TO_COURT,
)
TERMINATION_REASONS = {
    SanctionKind.PROBATION_REVOCATION: TerminationReason.PROBATION_REVOKED,
    SanctionKind.PAROLE_REVOCATION: TerminationReason.PAROLE_REVOKED,
    SanctionKind.COMMITTAL: TerminationReason.COMMITTED,
}


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _text(value, field: str, message: str, *, limit: int | None = None) -> str:
    value = str(value or "").strip()
    if not value:
        raise _invalid(field, message)
    if limit and len(value) > limit:
        raise _invalid(field, f"内容过长（不超过{limit}字）")
    return value


def _day(value, field: str) -> datetime.date:
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(field, "日期格式不正确") from None


def kind_fits(subject: CorrectionSubject, kind: str) -> str | None:
    """Why `kind` does not fit the subject's category (撤销缓刑 only for 缓刑 …), or None (rules.SANCTION_CATEGORIES)."""
    allowed = rules.SANCTION_CATEGORIES.value.get(str(kind), ())
    if subject.category in allowed:
        return None
    label = SanctionKind(kind).label
    return f"{label}不适用于{subject.get_category_display()}的社区矫正对象（{rules.SANCTION_CATEGORIES.citation}）"


def _require_subject(subject: CorrectionSubject, actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    access.require(actor, "add", Sanction)
    if not access.can(actor, "change", subject):
        raise PermissionDenied("您不能办理该社区矫正对象的奖惩事项")
    if subject.status not in UNDER_CORRECTION:
        raise _invalid("subject", "该对象已不在社区矫正期间，不能再给予奖惩")


def _notify_subject(sanction: Sanction, title: str, body: str = "") -> None:
    account = sanction.subject.account
    if account is not None:
        notifications.notify(
            account,
            title=title,
            body=body,
            link=reverse("correction:sanction-detail", args=[sanction.pk]),
            category="correction",
        )


def _ledger(sanction: Sanction, *, actor, event: str) -> None:
    """Tamper evidence (issue item 11): the decision, its number and document digest go into the ledger."""
    from smartjustice.ledger.services import append_entry

    record = {
        "type": "correction.sanction",
        "event": event,
        "sanction": sanction.pk,
        "subject": sanction.subject.number,
        "kind": sanction.kind,
        "status": sanction.status,
        "document_number": sanction.document_number,
        "court_outcome": sanction.court_outcome,
        "at": timezone.now().isoformat(),
    }
    payload = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    append_entry(LEDGER_LOG, payload, kind="sanction", actor=actor)


# --- drafting ------------------------------------------------------------------------------------------------------


@transaction.atomic
def draft_sanction(
    subject: CorrectionSubject, *, actor, kind: str, facts: str, legal_basis: str = "", evidence: str = ""
) -> Sanction:
    """拟办: an officer of the executing agency (or its 司法所) drafts a commendation, sanction or proposal."""
    _require_subject(subject, actor)
    if kind not in SanctionKind.values:
        raise _invalid("kind", "请选择奖惩种类")
    problem = kind_fits(subject, kind)
    if problem:
        raise _invalid("kind", problem)
    facts = _text(facts, "facts", "请填写事实和理由", limit=5000)
    if kind in COURT_PROPOSALS:
        if not str(evidence or "").strip():
            # 第四十六条第三款: the proposal states its reasons and provides the evidence.
            raise _invalid(
                "evidence", f"提出建议应当说明理由并提供证据材料（{rules.REVOCATION_PROPOSAL.citation}）"
            )
        if Sanction.objects.filter(
            subject=subject, kind__in=COURT_PROPOSALS, status__in=OPEN_STATES
        ).exists():
            raise _invalid("kind", "该对象已有正在办理的撤销缓刑、假释或收监执行建议")
    basis = str(legal_basis or "").strip() or conduct_documents.default_basis(kind)
    sanction = Sanction(
        subject=subject,
        kind=kind,
        facts=facts,
        legal_basis=basis[:500],
        evidence=str(evidence or "").strip(),
        drafted_by=actor,
    )
    with audit.operation(CorrectionAuditEvent.SANCTION_DRAFTED, obj=audit.NEW, actor=actor):
        sanction.save()
    return sanction


@transaction.atomic
def update_sanction(
    sanction: Sanction,
    *,
    actor,
    facts: str | None = None,
    legal_basis: str | None = None,
    evidence: str | None = None,
) -> Sanction:
    """Amend a draft (or one returned by the approver)."""
    if not access.can(actor, "change", sanction):
        raise PermissionDenied("您不能修改该奖惩事项")
    if sanction.status != SanctionStatus.DRAFT:
        raise TransitionNotAllowed(f"奖惩事项当前为“{sanction.get_status_display()}”，不能修改")
    changed = []
    if facts is not None:
        sanction.facts = _text(facts, "facts", "请填写事实和理由", limit=5000)
        changed.append("facts")
    if legal_basis is not None:
        sanction.legal_basis = _text(legal_basis, "legal_basis", "请填写法律依据", limit=500)
        changed.append("legal_basis")
    if evidence is not None:
        sanction.evidence = str(evidence).strip()
        changed.append("evidence")
    if changed:
        with audit.operation(CorrectionAuditEvent.SANCTION_UPDATED, obj=sanction, actor=actor):
            sanction.save(update_fields=[*changed, "updated_at"])
    return sanction


# --- the workflow steps ----------------------------------------------------------------------------------------------


@transaction.atomic
def submit_sanction(sanction: Sanction, *, actor) -> Sanction:
    """提交审批 to the county agency's head."""
    with audit.operation(CorrectionAuditEvent.SANCTION_SUBMITTED, obj=sanction, actor=actor):
        problem = kind_fits(sanction.subject, sanction.kind)
        if problem:
            raise _invalid("kind", problem)
        workflow.transition(sanction, "submit", actor=actor)
    return sanction


@transaction.atomic
def approve_sanction(sanction: Sanction, *, actor, opinion: str = "") -> Sanction:
    """批准 (approve_sanction, the county agency's head; never the drafter)."""
    with audit.operation(
        CorrectionAuditEvent.SANCTION_APPROVED, obj=sanction, actor=actor, detail=opinion[:200]
    ):
        workflow.transition(sanction, "approve", actor=actor, comment=str(opinion or "").strip()[:500])
        sanction.approved_by = actor
        sanction.approved_on = timezone.localdate()
        sanction.save(update_fields=["approved_by", "approved_on", "updated_at"])
    return sanction


@transaction.atomic
def return_sanction(sanction: Sanction, *, actor, reason: str) -> Sanction:
    """退回修改 with the reason."""
    reason = _text(reason, "reason", "请填写退回理由", limit=500)
    with audit.operation(CorrectionAuditEvent.SANCTION_RETURNED, obj=sanction, actor=actor, detail=reason):
        workflow.transition(sanction, "return", actor=actor, payload={"reason": reason}, comment=reason)
    return sanction


@transaction.atomic
def issue_sanction(sanction: Sanction, *, actor) -> Sanction:
    """制发决定书（建议书）并送达: the numbered document, the ledger entry, the subject told."""
    with audit.operation(CorrectionAuditEvent.SANCTION_ISSUED, obj=sanction, actor=actor):
        workflow.transition(sanction, "issue", actor=actor)
        generated = conduct_documents.generate_sanction_document(sanction, actor=actor)
        sanction.document_number = generated.number
        sanction.issued_on = timezone.localdate()
        sanction.save(update_fields=["document_number", "issued_on", "updated_at"])
        _ledger(sanction, actor=actor, event="issued")
        _notify_subject(
            sanction,
            f"您收到一份{conduct_documents.SANCTION_TITLES[SanctionKind(sanction.kind)]}",
            f"文号：{generated.number}。如有异议，可以向社区矫正机构提出。",
        )
    return sanction


@transaction.atomic
def send_to_court(sanction: Sanction, *, actor, court: str = "") -> Sanction:
    """提请裁定（决定）: the 建议书 to the court or deciding authority, copied to the procuratorate; its thirty days
    (第四十八条第一款 / 第四十九条第二款) start today."""
    court = str(court or "").strip()[:100] or sanction.subject.deciding_authority
    with audit.operation(
        CorrectionAuditEvent.SANCTION_SENT_TO_COURT, obj=sanction, actor=actor, detail=court
    ):
        sanction.court = court
        sanction.sent_on = timezone.localdate()
        sanction.court_due_on = conduct_documents.period_rule(sanction).ends(sanction.sent_on)
        workflow.transition(sanction, "send_to_court", actor=actor, payload={"court": court})
        generated = conduct_documents.generate_sanction_document(sanction, actor=actor)
        sanction.document_number = generated.number
        sanction.issued_on = sanction.sent_on
        sanction.save(
            update_fields=["court", "sent_on", "court_due_on", "document_number", "issued_on", "updated_at"]
        )
        _ledger(sanction, actor=actor, event="sent_to_court")
        _notify_subject(
            sanction,
            f"社区矫正机构已向{court}提出{sanction.get_kind_display()}",
            "人民法院（决定机关）将在三十日内作出裁定（决定）；拟撤销的，将听取您的申辩及您委托的律师的意见。",
        )
    return sanction


def _terminate(subject: CorrectionSubject, *, reason: str, on: datetime.date, actor, note: str) -> None:
    """End the term (第四十五条) through helper A's service (the head holds release_correctionsubject)."""
    from .subjects import terminate_subject  # subjects imports much of the module: loaded when needed

    terminate_subject(subject, actor=actor, reason=reason, terminated_on=on, note=note[:500])


@transaction.atomic
def record_court_decision(
    sanction: Sanction, *, actor, outcome: str, decision_number: str, decided_on=None
) -> Sanction:
    """登记裁定（决定）: revoked or committed ⇒ the community correction ends (第四十五条); not revoked ⇒ it goes on."""
    outcome = str(getattr(outcome, "value", outcome) or "")
    if outcome not in CourtOutcome.values:
        raise _invalid("outcome", "请选择裁定（决定）结果")
    decision_number = _text(decision_number, "decision_number", "请填写裁定书（决定书）文号", limit=100)
    decided_on = _day(decided_on, "decided_on")
    if decided_on > timezone.localdate():
        raise _invalid("decided_on", "裁定（决定）日期不能晚于今天")
    if sanction.sent_on and decided_on < sanction.sent_on:
        raise _invalid("decided_on", "裁定（决定）日期不能早于提请日期")
    payload = {"outcome": outcome, "decision_number": decision_number}
    with audit.operation(
        CorrectionAuditEvent.SANCTION_COURT_DECIDED, obj=sanction, actor=actor, detail=decision_number
    ):
        workflow.transition(sanction, "record_court_decision", actor=actor, payload=payload)
        sanction.court_outcome = outcome
        sanction.court_decision_number = decision_number
        sanction.court_decided_on = decided_on
        sanction.save(
            update_fields=["court_outcome", "court_decision_number", "court_decided_on", "updated_at"]
        )
        _ledger(sanction, actor=actor, event="court_decided")
        if outcome == CourtOutcome.ACCEPTED:
            _terminate(
                sanction.subject,
                reason=TERMINATION_REASONS[SanctionKind(sanction.kind)],
                on=decided_on,
                actor=actor,
                note=f"{sanction.court}{decision_number}",
            )
    return sanction


@transaction.atomic
def cancel_sanction(sanction: Sanction, *, actor, reason: str) -> Sanction:
    """撤销拟办 (a draft that will not go on), with the reason."""
    reason = _text(reason, "reason", "请填写撤销理由", limit=500)
    with audit.operation(CorrectionAuditEvent.SANCTION_CANCELLED, obj=sanction, actor=actor, detail=reason):
        workflow.transition(sanction, "cancel", actor=actor, payload={"reason": reason}, comment=reason)
    return sanction


def court_overdue(sanction: Sanction, *, today: datetime.date | None = None) -> bool:
    """Whether the court's thirty days have run out without a decision recorded."""
    today = today or timezone.localdate()
    return (
        sanction.status == SanctionStatus.SENT_TO_COURT
        and sanction.court_due_on is not None
        and sanction.court_due_on < today
    )


TRANSITION_SERVICES = {
    "submit": submit_sanction,
    "approve": approve_sanction,
    "return": return_sanction,
    "issue": issue_sanction,
    "send_to_court": send_to_court,
    "record_court_decision": record_court_decision,
    "cancel": cancel_sanction,
}
