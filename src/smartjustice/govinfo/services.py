"""Every write to 政府信息公开申请: submit, register, ask for correction, extend, answer, withdraw.

Each runs in one transaction, moves the request through its workflow (core.workflow: permission, jurisdiction,
guards and history) and tells the applicant through core.notifications, which sends only after commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, attachments, audit, documents, notifications, workflow
from smartjustice.core.choices import AccountKind
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import Organisation, User

from . import rules
from .choices import DeliveryMethod, GovInfoAuditEvent, ReplyType, SubmissionChannel
from .models import GovInfoRequest, Status

HANDLING_ORGANISATIONS = rules.HANDLING_ORGANISATIONS.value  # 《政府信息公开条例》第二十七条 (a cited rule)
HANDLER_PERMISSION = (
    "govinfo.change_govinforequest"  # who is told of a new application: whoever may handle it
)
APPLICATION_MATERIAL = "申请材料"
CORRECTION_MATERIAL = "补正材料"
REPLY_LETTER = "政府信息公开申请答复书"


def _link(request: GovInfoRequest) -> str:
    return reverse("govinfo:detail", args=[request.pk])


def _notify(recipient: User, request: GovInfoRequest, *, title: str, body: str) -> None:
    """Tell the applicant or a handler about a step on `request` (sent after commit), linking to its page."""
    notifications.notify(recipient, title=title, body=body, link=_link(request), category="govinfo")


def _tell_applicant(request: GovInfoRequest, what: str, body: str) -> None:
    """Tell the applicant what happened to their request: “您的政府信息公开申请 <编号> <what>”."""
    _notify(request.applicant, request, title=f"您的政府信息公开申请 {request.reference} {what}", body=body)


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    return value


def _store_files(request: GovInfoRequest, files, *, actor, purpose: str) -> None:
    for upload in files or ():
        attachments.store_attachment(upload, actor=actor, owner=request, purpose=purpose)


def _delivery_email(delivery_method: str, email: str) -> str:
    """The address the information is sent to: required when it is asked for by e-mail (rules.APPLICATION_CONTENTS,
    《政府信息公开条例》第二十九条第二款第三项: the application states how the information is to be obtained, and an
    e-mail delivery without an address states nothing)."""
    email = (email or "").strip()
    if delivery_method == DeliveryMethod.EMAIL and not email:
        raise ValidationFailed(
            "选择以电子邮件方式获取信息的，请填写电子邮箱", fields={"email": ["请填写接收信息的电子邮箱"]}
        )
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise ValidationFailed(
                "电子邮箱格式不正确", fields={"email": ["电子邮箱格式不正确，如 name@example.com"]}
            ) from None
    return email


@transaction.atomic
def submit_request(
    *,
    actor: User,
    organisation: Organisation,
    description: str,
    delivery_method: str = DeliveryMethod.ONLINE,
    purpose: str = "",
    address: str = "",
    email: str = "",
    files=(),
) -> GovInfoRequest:
    """A citizen or enterprise applies online (《政府信息公开条例》第二十九条), optionally with materials."""
    if actor is None or actor.kind not in (AccountKind.CITIZEN, AccountKind.ENTERPRISE):
        raise PermissionDenied("政府信息公开申请须以个人或企业账号在线提交")
    if organisation.kind not in HANDLING_ORGANISATIONS or not organisation.is_active:
        raise ValidationFailed(
            "请选择受理申请的司法局或司法厅", fields={"organisation": ["该单位不受理政府信息公开申请"]}
        )
    description = _required(description, "description", "请填写所需政府信息的名称、文号或便于查询的特征描述")
    if delivery_method not in DeliveryMethod.values:
        raise ValidationFailed("请选择获取信息的方式", fields={"delivery_method": ["请选择获取信息的方式"]})
    if delivery_method == DeliveryMethod.POST and not address.strip():
        raise ValidationFailed("选择邮寄的，请填写通讯地址", fields={"address": ["请填写通讯地址"]})
    email = _delivery_email(delivery_method, email)
    with audit.operation(GovInfoAuditEvent.SUBMITTED, obj=audit.NEW, actor=actor):
        request = GovInfoRequest.objects.create(
            applicant=actor,
            applicant_name=actor.display_name,
            applicant_id_number=actor.id_number or actor.uscc,
            applicant_phone=actor.phone,
            applicant_address=address.strip()[:300],
            applicant_email=email,
            organisation=organisation,
            jurisdiction_id=organisation.jurisdiction_id,
            channel=SubmissionChannel.ONLINE,
            description=description,
            purpose=purpose.strip()[:500],
            delivery_method=delivery_method,
        )
        _store_files(request, files, actor=actor, purpose=APPLICATION_MATERIAL)
        handlers = access.holders_of(HANDLER_PERMISSION, User.objects.filter(organisation=organisation))
        for handler in handlers:
            _notify(
                handler, request, title=f"新的政府信息公开申请 {request.reference}", body=description[:200]
            )
    return request


@transaction.atomic
def add_materials(request: GovInfoRequest, *, actor: User, files) -> list:
    """The applicant adds materials to an application that is still open."""
    if request.applicant_id != getattr(actor, "pk", None):
        raise PermissionDenied("只有申请人本人可以上传申请材料")
    if request.status in (Status.ANSWERED, Status.WITHDRAWN):
        raise TransitionNotAllowed(f"申请已{request.status_label}，不能再上传材料")
    if not files:
        raise ValidationFailed("请选择要上传的文件", fields={"files": ["请选择要上传的文件"]})
    purpose = CORRECTION_MATERIAL if request.status == Status.CORRECTION_REQUESTED else APPLICATION_MATERIAL
    with audit.operation(GovInfoAuditEvent.MATERIALS_ADDED, obj=request, actor=actor):
        return [attachments.store_attachment(f, actor=actor, owner=request, purpose=purpose) for f in files]


@transaction.atomic
def accept_request(request: GovInfoRequest, *, actor: User, comment: str = "") -> GovInfoRequest:
    """Register the application: the receipt date is fixed (第三十一条) and the answer period starts (第三十三条)."""
    with audit.operation(GovInfoAuditEvent.ACCEPTED, obj=request, actor=actor):
        today = timezone.localdate()
        # Fixed before the step, so the answer clock entered with it counts from the receipt date.
        request.received_on = rules.receipt_date(
            request.channel, submitted_on=timezone.localdate(request.created_at), confirmed_on=today
        )
        workflow.transition(request, "accept", actor=actor, payload={"comment": comment}, comment=comment)
        request.due_on = rules.answer_due(request.received_on)
        request.handled_by = actor
        request.save(update_fields=["received_on", "due_on", "handled_by", "updated_at"])
        _tell_applicant(
            request,
            "已登记",
            f"收到申请之日为 {request.received_on:%Y年%m月%d日}，本机关将于 {request.due_on:%Y年%m月%d日} 前答复"
            f"（{rules.ANSWER_PERIOD.citation}）。",
        )
    return request


@transaction.atomic
def request_correction(request: GovInfoRequest, *, actor: User, notice: str) -> GovInfoRequest:
    """Tell the applicant, once, what to correct (第三十条); the answer period restarts when the correction arrives."""
    notice = _required(notice, "notice", "请写明需要补正的事项和合理的补正期限")
    with audit.operation(GovInfoAuditEvent.CORRECTION_REQUESTED, obj=request, actor=actor):
        workflow.transition(
            request, "request_correction", actor=actor, payload={"notice": notice}, comment=notice
        )
        request.correction_notice = notice
        request.handled_by = actor
        request.save(update_fields=["correction_notice", "handled_by", "updated_at"])
        _tell_applicant(request, "需要补正", request.correction_notice)
    return request


@transaction.atomic
def resubmit_request(
    request: GovInfoRequest, *, actor: User, description: str = "", files=()
) -> GovInfoRequest:
    """The applicant sends the corrected application; it goes back to the office for registration."""
    with audit.operation(GovInfoAuditEvent.RESUBMITTED, obj=request, actor=actor):
        workflow.transition(
            request, "resubmit", actor=actor, payload={"description": description}, comment="已按要求补正"
        )
        if description.strip():
            request.description = description.strip()
            request.save(update_fields=["description", "updated_at"])
        _store_files(request, files, actor=actor, purpose=CORRECTION_MATERIAL)
        if request.handled_by_id:
            _notify(
                request.handled_by,
                request,
                title=f"政府信息公开申请 {request.reference} 已补正",
                body=request.description[:200],
            )
    return request


@transaction.atomic
def extend_request(
    request: GovInfoRequest, *, actor: User, reason: str, days: int = rules.EXTENSION.days
) -> GovInfoRequest:
    """Extend the answer period with the head of office's approval, and tell the applicant (第三十三条第二款)."""
    reason = _required(reason, "reason", "请填写延期理由")
    with audit.operation(GovInfoAuditEvent.EXTENDED, obj=request, actor=actor):
        workflow.transition(
            request, "extend", actor=actor, payload={"reason": reason, "days": days}, comment=reason
        )
        request.extension_reason = reason
        # From the deadline in force (consultation time already excluded, 第三十三条第三款); the clock runs on to it.
        request.extended_due_on = rules.extended_due(request.clock_due_on or request.due_on, days)
        request.clock_due_on = request.extended_due_on
        request.save(update_fields=["extension_reason", "extended_due_on", "clock_due_on", "updated_at"])
        _tell_applicant(
            request,
            "答复期限已延长",
            f"延期理由：{reason}。答复期限延长至 {request.extended_due_on:%Y年%m月%d日}"
            f"（{rules.EXTENSION.citation}）。",
        )
    return request


@transaction.atomic
def consult_third_party(request: GovInfoRequest, *, actor: User, parties: str) -> GovInfoRequest:
    """Ask third parties or other offices for their opinion; the answer clock pauses meanwhile (第三十三条第三款)."""
    parties = _required(parties, "parties", "请写明征求意见的第三方或机关及事项")
    with audit.operation(GovInfoAuditEvent.CONSULTATION_STARTED, obj=request, actor=actor):
        workflow.transition(request, "consult", actor=actor, payload={"parties": parties}, comment=parties)
        _tell_applicant(
            request,
            "正在征求意见",
            f"本机关正在征求第三方或其他机关的意见，所需时间不计算在答复期限内（{rules.CONSULTATION_EXCLUDED.citation}）。",
        )
    return request


@transaction.atomic
def end_consultation(request: GovInfoRequest, *, actor: User, opinion: str = "") -> GovInfoRequest:
    """The opinions are in: the answer clock runs again, its due date moved on by the working days excluded."""
    name = "end_consultation_extended" if request.extended_due_on else "end_consultation"
    with audit.operation(GovInfoAuditEvent.CONSULTATION_ENDED, obj=request, actor=actor):
        workflow.transition(request, name, actor=actor, payload={"opinion": opinion}, comment=opinion.strip())
        _tell_applicant(
            request,
            "征求意见完毕",
            f"答复期限顺延至 {request.clock_due_on:%Y年%m月%d日}（{rules.CONSULTATION_EXCLUDED.citation}）。",
        )
    return request


@transaction.atomic
def answer_request(
    request: GovInfoRequest, *, actor: User, reply_type: str, reply_text: str
) -> GovInfoRequest:
    """Answer (第三十六条/第三十七条): the reply letter is generated as PDF and Word, stored, and the applicant told."""
    if reply_type not in ReplyType.values:
        raise ValidationFailed("请选择答复类型", fields={"reply_type": ["请选择答复类型"]})
    reply_text = _required(reply_text, "reply_text", "请填写答复内容")
    with audit.operation(GovInfoAuditEvent.ANSWERED, obj=request, actor=actor):
        workflow.transition(
            request,
            "answer",
            actor=actor,
            payload={"reply_type": reply_type, "reply_text": reply_text},
            comment=ReplyType(reply_type).label,
        )
        request.reply_type = reply_type
        request.reply_text = reply_text
        request.answered_on = timezone.localdate()
        organisation = request.organisation
        generated = documents.generate_document(
            template="govinfo_reply",
            title=REPLY_LETTER,
            number_prefix=rules.reply_number_prefix(organisation),
            owner=request,
            actor=actor,
            context={
                "organisation_name": organisation.name,
                "applicant_name": request.applicant_name,
                "reference": request.reference,
                "received_on": f"{request.received_on:%Y年%m月%d日}" if request.received_on else "",
                "description": request.description,
                "reply_type_label": ReplyType(reply_type).label,
                "reply_text": request.reply_text,
                "legal_basis": rules.reply_legal_basis(reply_type),
                "remedy": rules.remedy_notice(reply_type),
                "answered_on": f"{request.answered_on:%Y年%m月%d日}",
            },
        )
        request.reply_number = generated.number
        request.save(update_fields=["reply_type", "reply_text", "answered_on", "reply_number", "updated_at"])
        _tell_applicant(
            request,
            "已答复",
            f"答复类型：{ReplyType(reply_type).label}。答复书（{generated.number}）可在申请详情中下载。",
        )
    return request


@transaction.atomic
def withdraw_request(request: GovInfoRequest, *, actor: User, reason: str = "") -> GovInfoRequest:
    """The applicant withdraws the application before it is answered."""
    with audit.operation(GovInfoAuditEvent.WITHDRAWN, obj=request, actor=actor):
        workflow.transition(
            request, "withdraw", actor=actor, payload={"reason": reason}, comment=reason.strip()
        )
        if request.handled_by_id:
            _notify(
                request.handled_by,
                request,
                title=f"政府信息公开申请 {request.reference} 已撤回",
                body=reason.strip(),
            )
    return request


# The service behind each workflow step: the generic transition endpoint and page (core.workflow_api) call these
# with the step's validated input as keyword arguments.
TRANSITION_SERVICES = {
    "accept": accept_request,
    "request_correction": request_correction,
    "resubmit": resubmit_request,
    "extend": extend_request,
    "consult": consult_third_party,
    "end_consultation": end_consultation,
    "end_consultation_extended": end_consultation,
    "answer": answer_request,
    "withdraw": withdraw_request,
}
