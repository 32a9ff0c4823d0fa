"""政府信息公开申请: an application by a citizen or enterprise, handled by a 司法局/司法厅 within statutory periods."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartjustice.core import deadlines
from smartjustice.core.models import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from .choices import DeliveryMethod, ReplyType, SubmissionChannel


class Status(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    CORRECTION_REQUESTED = "correction_requested", "待补正"
    ACCEPTED = "accepted", "已登记"
    EXTENDED = "extended", "已延期"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "已撤回"


def _needs_due_date(request, actor) -> str | None:
    return None if request.due_on else "该申请尚未登记答复期限，不能延期"


def _correction_asked_only_once(request, actor) -> str | None:
    # 第三十条: a correction may be asked for once, within 7 working days of receipt; a request sent back once
    # and corrected is registered, not sent back again.
    return "该申请已告知过补正，不能再次要求补正" if request.correction_notice else None


CHANGE = "govinfo.change_govinforequest"

WORKFLOW = Workflow(
    name="govinfo_request",
    initial=Status.SUBMITTED,
    states=[
        State(Status.SUBMITTED, Status.SUBMITTED.label),
        State(Status.CORRECTION_REQUESTED, Status.CORRECTION_REQUESTED.label),
        State(Status.ACCEPTED, Status.ACCEPTED.label),
        State(Status.EXTENDED, Status.EXTENDED.label),
        State(Status.ANSWERED, Status.ANSWERED.label, final=True),
        State(Status.WITHDRAWN, Status.WITHDRAWN.label, final=True),
    ],
    transitions=[
        Transition("accept", "登记受理", (Status.SUBMITTED,), Status.ACCEPTED, permission=CHANGE),
        Transition(
            "request_correction",
            "告知补正",
            (Status.SUBMITTED,),
            Status.CORRECTION_REQUESTED,
            permission=CHANGE,
            guards=(_correction_asked_only_once,),
            style="secondary",
        ),
        Transition("resubmit", "提交补正", (Status.CORRECTION_REQUESTED,), Status.SUBMITTED, owner_may=True),
        Transition(
            "extend",
            "延期答复",
            (Status.ACCEPTED,),
            Status.EXTENDED,
            permission="govinfo.extend_govinforequest",
            guards=(_needs_due_date,),
            style="warning",
        ),
        Transition(
            "answer",
            "作出答复",
            (Status.ACCEPTED, Status.EXTENDED),
            Status.ANSWERED,
            permission=CHANGE,
            style="success",
        ),
        Transition(
            "withdraw",
            "撤回申请",
            (Status.SUBMITTED, Status.CORRECTION_REQUESTED, Status.ACCEPTED, Status.EXTENDED),
            Status.WITHDRAWN,
            owner_may=True,
            style="danger",
        ),
    ],
)


class GovInfoRequest(DomainModel):
    """One application for government information (《政府信息公开条例》第二十九条) and its handling."""

    jurisdiction_field = "jurisdiction"
    owner_field = "applicant"
    owner_actions = ("view",)
    pii_fields = ("applicant_id_number", "applicant_phone")
    workflow = WORKFLOW

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人账号",
        on_delete=models.PROTECT,
        related_name="govinfo_requests",
    )
    # Snapshots of who applied (第二十九条第二款第一项), kept as they were on the day of the application.
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    applicant_id_number = models.CharField("身份证明号码", max_length=18, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=32, blank=True)
    applicant_address = models.CharField("通讯地址", max_length=300, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="受理机关",
        on_delete=models.PROTECT,
        related_name="govinfo_requests",
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        "提交方式", max_length=16, choices=SubmissionChannel.choices, default=SubmissionChannel.ONLINE
    )
    description = models.TextField("所需信息的名称、文号或特征描述")
    purpose = models.CharField("用途（选填）", max_length=500, blank=True)
    delivery_method = models.CharField(
        "获取方式", max_length=16, choices=DeliveryMethod.choices, default=DeliveryMethod.ONLINE
    )
    status = models.CharField(
        "状态", max_length=32, choices=WORKFLOW.choices, default=WORKFLOW.initial, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_on = models.DateField("收到申请之日", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    extended_due_on = models.DateField("延长后的答复期限", null=True, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    correction_notice = models.TextField("补正告知", blank=True)
    reply_type = models.CharField("答复类型", max_length=32, choices=ReplyType.choices, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    reply_number = models.CharField("答复书文号", max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        indexes = [
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["applicant", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.applicant_name}"

    @property
    def reference(self) -> str:
        """申请编号 shown to the applicant, e.g. GK2026-000123."""
        year = self.created_at.year if self.created_at else ""
        return f"GK{year}-{self.pk or 0:06d}"

    @property
    def status_label(self) -> str:
        return WORKFLOW.state_label(self.status)

    @property
    def effective_due_on(self):
        """The deadline in force: the extended one once an extension was approved."""
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in (Status.ACCEPTED, Status.EXTENDED)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and deadlines.is_overdue(self.effective_due_on)

    @property
    def remaining_working_days(self) -> int | None:
        if not self.is_open or self.effective_due_on is None:
            return None
        try:
            return deadlines.remaining_working_days(self.effective_due_on)
        except deadlines.CalendarNotCovered:
            return None
