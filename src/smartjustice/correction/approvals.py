"""审批事项 (helper E): a subject's request to leave the city or county (外出), change residence (迁居), enter a special
place or meet a specific person — submitted from 粤矫通 by the subject or by an officer on their behalf, routed by
kind and duration (rules.LEAVE_STATION_DAYS) to the entrusted 司法所 or to the county agency's head
(approve_approvalrequest; a county-routed request of an entrusted subject first gets the station's opinion), with a
deadline to decide (rules.APPROVAL_DECISION_PERIOD / RESIDENCE_DECISION_PERIOD), a reason for every refusal, the
decision as a numbered document, the subject told at every step, and the return report (销假) after leave.
Each service: one transaction, one audit entry, the step through APPROVAL_WORKFLOW (models/conduct.py).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from smartjustice.core import access, audit, notifications, workflow
from smartjustice.core.errors import PermissionDenied, ValidationFailed
from smartjustice.core.models import User

from . import conduct_documents, rules
from .choices import UNDER_CORRECTION, CorrectionAuditEvent
from .models import CorrectionSubject
from .models.conduct import (
    APPROVE_REQUEST,
    CHANGE_REQUEST,
    ApprovalKind,
    ApprovalRequest,
    ApprovalRoute,
    ApprovalStatus,
)

OPEN_STATES = (ApprovalStatus.SUBMITTED, ApprovalStatus.REVIEWED)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _text(value, field: str, message: str, *, limit: int) -> str:
    value = str(value or "").strip()
    if not value:
        raise _invalid(field, message)
    if len(value) > limit:
        raise _invalid(field, f"内容过长（不超过{limit}字）")
    return value


def _day(value, field: str, label: str) -> datetime.date:
    if value in (None, ""):
        raise _invalid(field, f"请填写{label}")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(field, f"{label}格式不正确") from None


def route_for(subject: CorrectionSubject, kind: str, starts_on: datetime.date, ends_on: datetime.date) -> str:
    """Who decides: the entrusted 司法所 for a short request (外出等 up to rules.LEAVE_STATION_DAYS days), else the
    county agency's head; 迁居 (变更执行地, 第二十七条第二款) always the county."""
    days = (ends_on - starts_on).days + 1
    if (
        kind != ApprovalKind.RESIDENCE_CHANGE
        and subject.station_id
        and days <= rules.LEAVE_STATION_DAYS.value
    ):
        return ApprovalRoute.STATION
    return ApprovalRoute.COUNTY


def decision_due(kind: str, submitted_on: datetime.date, starts_on: datetime.date) -> datetime.date:
    """The last day to decide: three days (迁居: fifteen) from submission, and not after the request's start."""
    period = (
        rules.RESIDENCE_DECISION_PERIOD
        if kind == ApprovalKind.RESIDENCE_CHANGE
        else rules.APPROVAL_DECISION_PERIOD
    )
    due = period.ends(submitted_on)
    return max(submitted_on, min(due, starts_on))


def _is_owner(subject: CorrectionSubject, actor) -> bool:
    return subject.account_id is not None and subject.account_id == getattr(actor, "pk", None)


def _deciders(request: ApprovalRequest):
    """Who is told of a new (or reviewed) request: the station's officers, or the county's heads."""
    subject = request.subject
    if request.route == ApprovalRoute.STATION or (
        request.status == ApprovalStatus.SUBMITTED
        and request.route == ApprovalRoute.COUNTY
        and subject.station_id
    ):
        organisation_id = subject.station_id or subject.agency_id
        return access.holders_of(CHANGE_REQUEST, User.objects.filter(organisation_id=organisation_id))
    return access.holders_of(APPROVE_REQUEST, User.objects.filter(organisation_id=subject.agency_id))


def _tell_deciders(request: ApprovalRequest, title: str) -> None:
    link = reverse("correction:approval-detail", args=[request.pk])
    for user in _deciders(request)[:20]:
        if user.pk != request.submitted_by_id:
            notifications.notify(user, title=title, body=str(request), link=link, category="correction")


def _subject_link(request: ApprovalRequest) -> str:
    """The request as the subject reads it: 粤矫通's page (helper H) where it exists, else the request page."""
    try:
        return reverse("correction:app-request", args=[request.pk])
    except NoReverseMatch:
        return reverse("correction:approval-detail", args=[request.pk])


def _tell_subject(request: ApprovalRequest, title: str, body: str = "") -> None:
    account = request.subject.account
    if account is not None:
        notifications.notify(
            account, title=title, body=body, link=_subject_link(request), category="correction"
        )


@transaction.atomic
def submit_request(
    subject: CorrectionSubject,
    *,
    actor,
    kind: str,
    destination: str,
    reason: str,
    starts_on,
    ends_on,
) -> ApprovalRequest:
    """提交申请 (the subject from 粤矫通, or an officer on their behalf): validated, routed, given its deadline."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    if not _is_owner(subject, actor):
        access.require(actor, "add", ApprovalRequest)
        if not access.can(actor, "change", subject):
            raise PermissionDenied("您只能为本辖区的社区矫正对象代为提交申请")
    if subject.status not in UNDER_CORRECTION:
        raise _invalid("subject", "该对象已不在社区矫正期间，无需申请")
    if kind not in ApprovalKind.values:
        raise _invalid("kind", "请选择申请事项")
    destination = _text(destination, "destination", "请填写目的地（新居住地、场所或人员）", limit=200)
    reason = _text(reason, "reason", "请填写申请事由", limit=2000)
    starts_on = _day(starts_on, "starts_on", "开始日期")
    ends_on = _day(ends_on, "ends_on", "结束日期")
    today = timezone.localdate()
    if starts_on < today:
        raise _invalid("starts_on", "开始日期不能早于今天")
    if ends_on < starts_on:
        raise _invalid("ends_on", "结束日期不能早于开始日期")
    if ends_on > subject.ends_on:
        raise _invalid("ends_on", f"结束日期不能晚于矫正期满日期（{subject.ends_on:%Y年%m月%d日}）")
    days = (ends_on - starts_on).days + 1
    if kind == ApprovalKind.LEAVE and days > rules.LEAVE_MAX_DAYS.value:
        raise _invalid(
            "ends_on",
            f"每次外出不得超过{rules.LEAVE_MAX_DAYS.value}日；确需更长的，须报上一级社区矫正机构审批"
            f"（{rules.LEAVE_MAX_DAYS.citation}）",
        )
    overlapping = ApprovalRequest.objects.filter(
        subject=subject,
        kind=kind,
        status__in=(*OPEN_STATES, ApprovalStatus.APPROVED),
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    ).exists()
    if overlapping:
        raise _invalid("starts_on", "该期间已有同类申请正在办理或已获批准")
    request = ApprovalRequest(
        subject=subject,
        kind=kind,
        route=route_for(subject, kind, starts_on, ends_on),
        destination=destination,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        submitted_by=actor,
        decide_by=decision_due(kind, today, starts_on),
    )
    with audit.operation(CorrectionAuditEvent.APPROVAL_SUBMITTED, obj=audit.NEW, actor=actor):
        request.save()
        _tell_deciders(request, f"新的{request.get_kind_display()}申请待审核")
        if not _is_owner(subject, actor):
            _tell_subject(
                request, f"工作人员已为您提交{request.get_kind_display()}申请", "审批进度可在此查看。"
            )
    return request


@transaction.atomic
def review_request(request: ApprovalRequest, *, actor, opinion: str) -> ApprovalRequest:
    """司法所初审: the station's opinion on a request the county decides."""
    opinion = _text(opinion, "opinion", "请填写初审意见", limit=1000)
    with audit.operation(
        CorrectionAuditEvent.APPROVAL_REVIEWED, obj=request, actor=actor, detail=opinion[:200]
    ):
        workflow.transition(
            request, "review", actor=actor, payload={"opinion": opinion}, comment=opinion[:200]
        )
        request.review_opinion = opinion
        request.reviewed_by = actor
        request.save(update_fields=["review_opinion", "reviewed_by", "updated_at"])
        _tell_deciders(request, f"{request.get_kind_display()}申请已经司法所初审，待审批")
        _tell_subject(
            request, f"您的{request.get_kind_display()}申请已经司法所初审", "正在等待县级社区矫正机构审批。"
        )
    return request


def _decide(request: ApprovalRequest, name: str, *, actor, note: str) -> None:
    workflow.transition(request, name, actor=actor, payload={"reason": note}, comment=note[:200])
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    generated = conduct_documents.generate_approval_document(request, actor=actor)
    request.document_number = generated.number
    request.save(update_fields=["decided_by", "decided_at", "decision_note", "document_number", "updated_at"])


@transaction.atomic
def approve_request(request: ApprovalRequest, *, actor, note: str = "") -> ApprovalRequest:
    """批准 (第二十七条第一款: a request with a proper reason shall be approved); the subject is told."""
    note = str(note or "").strip()[:1000]
    with audit.operation(CorrectionAuditEvent.APPROVAL_APPROVED, obj=request, actor=actor):
        _decide(request, "approve", actor=actor, note=note)
        body = f"{request.starts_on:%Y年%m月%d日}至{request.ends_on:%Y年%m月%d日}，{request.destination}。"
        if request.kind == ApprovalKind.LEAVE:
            body += "外出期间请保持通讯畅通，返回后及时销假。"
        _tell_subject(request, f"您的{request.get_kind_display()}申请已获批准", body)
    return request


@transaction.atomic
def refuse_request(request: ApprovalRequest, *, actor, reason: str) -> ApprovalRequest:
    """不予批准, always with the reason the subject reads."""
    reason = _text(reason, "reason", "不予批准的，请说明理由", limit=1000)
    with audit.operation(
        CorrectionAuditEvent.APPROVAL_REFUSED, obj=request, actor=actor, detail=reason[:200]
    ):
        _decide(request, "refuse", actor=actor, note=reason)
        _tell_subject(request, f"您的{request.get_kind_display()}申请未获批准", f"理由：{reason}")
    return request


@transaction.atomic
def withdraw_request(request: ApprovalRequest, *, actor) -> ApprovalRequest:
    """撤回 by the subject while it is undecided."""
    with audit.operation(CorrectionAuditEvent.APPROVAL_WITHDRAWN, obj=request, actor=actor):
        workflow.transition(request, "withdraw", actor=actor)
    return request


@transaction.atomic
def report_return(request: ApprovalRequest, *, actor, returned_on=None, note: str = "") -> ApprovalRequest:
    """销假: the subject (or an officer) reports the return from approved leave (rules.RETURN_REPORT)."""
    returned_on = returned_on or timezone.localdate()
    if not isinstance(returned_on, datetime.date):
        returned_on = _day(returned_on, "returned_on", "返回日期")
    if returned_on > timezone.localdate():
        raise _invalid("returned_on", "返回日期不能晚于今天")
    if returned_on < request.starts_on:
        raise _invalid("returned_on", "返回日期不能早于外出开始日期")
    with audit.operation(CorrectionAuditEvent.APPROVAL_RETURNED, obj=request, actor=actor):
        workflow.transition(request, "report_return", actor=actor)
        request.returned_on = returned_on
        request.return_note = str(note or "").strip()[:1000]
        request.save(update_fields=["returned_on", "return_note", "updated_at"])
        if returned_on > request.ends_on:
            _tell_deciders(request, f"{request.subject.name}逾期返回（批准至{request.ends_on:%Y年%m月%d日}）")
    return request


def overdue(request: ApprovalRequest, *, today: datetime.date | None = None) -> bool:
    """Undecided past its deadline, or approved leave not reported back after its last day."""
    today = today or timezone.localdate()
    if request.status in OPEN_STATES:
        return request.decide_by < today
    return (
        request.status == ApprovalStatus.APPROVED
        and request.kind == ApprovalKind.LEAVE
        and request.ends_on < today
    )


TRANSITION_SERVICES = {
    "review": review_request,
    "approve": approve_request,
    "refuse": refuse_request,
    "withdraw": withdraw_request,
    "report_return": report_return,
}
