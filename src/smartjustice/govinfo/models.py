"""政府信息公开申请: an application by a citizen or enterprise, handled by a 司法局/司法厅 within statutory periods."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from smartjustice.core import deadlines
from smartjustice.core.clocks import Clock
from smartjustice.core.models import ClockedModel, DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from . import rules
from .choices import DeliveryMethod, ReplyType, SubmissionChannel


class Status(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    CORRECTION_REQUESTED = "correction_requested", "待补正"
    ACCEPTED = "accepted", "已登记"
    EXTENDED = "extended", "已延期"
    CONSULTING = "consulting", "征求意见中"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "已撤回"


def _needs_due_date(request, actor) -> str | None:
    return None if request.due_on else "该申请尚未登记答复期限，不能延期"


def _correction_asked_only_once(request, actor) -> str | None:
    # 第三十条: a correction may be asked for once, within 7 working days of receipt; a request sent back once
    # and corrected is registered, not sent back again.
    return "该申请已告知过补正，不能再次要求补正" if request.correction_notice else None


def _correction_within_notice_period(request, actor) -> str | None:
    # 第三十条: the notice must go out within 7 working days of receipt; after that the office registers the
    # application and answers it as it stands.
    due = request.correction_notice_due_on
    if due is None or not deadlines.is_overdue(due):
        return None
    return (
        f"已超过补正告知期限：{rules.CORRECTION_NOTICE.citation}规定，申请内容不明确的，应当自收到申请之日起"
        f"{rules.CORRECTION_NOTICE.days}个工作日内一次性告知补正。本申请的告知期限已于 {due:%Y年%m月%d日} 届满，"
        "不能再要求补正，请登记受理并依法答复"
    )


# The office's clocks (core.clocks): the correction notice while the application waits to be registered (once:
# a corrected application is not sent back again), then the answer period from the receipt date, which keeps
# running when the period is extended (第三十三条第二款).
CORRECTION_NOTICE_CLOCK = Clock(
    "correction_notice",
    "补正告知期限",
    rules.CORRECTION_NOTICE,
    start=lambda request: request.submitted_on,
    when=lambda request: not request.correction_notice,
)
ANSWER_CLOCK = Clock("answer", "答复期限", rules.ANSWER_PERIOD, start=lambda request: request.received_on)


def _not_extended(request, actor) -> str | None:
    return "该申请已延期，征求意见完毕后回到“已延期”" if request.extended_due_on else None


def _was_extended(request, actor) -> str | None:
    return None if request.extended_due_on else "该申请未延期，征求意见完毕后回到“已登记”"


CHANGE = "govinfo.change_govinforequest"

WORKFLOW = Workflow(
    name="govinfo_request",
    initial=Status.SUBMITTED,
    states=[
        State(Status.SUBMITTED, Status.SUBMITTED.label, clock=CORRECTION_NOTICE_CLOCK),
        State(Status.CORRECTION_REQUESTED, Status.CORRECTION_REQUESTED.label),
        State(Status.ACCEPTED, Status.ACCEPTED.label, clock=ANSWER_CLOCK),
        State(Status.EXTENDED, Status.EXTENDED.label, clock=ANSWER_CLOCK),
        # 第三十三条第三款: the time spent consulting third parties and other offices is not counted.
        State(Status.CONSULTING, Status.CONSULTING.label, pauses=ANSWER_CLOCK),
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
            guards=(_correction_asked_only_once, _correction_within_notice_period),
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
            "consult",
            "征求第三方意见",
            (Status.ACCEPTED, Status.EXTENDED),
            Status.CONSULTING,
            permission=CHANGE,
            style="secondary",
        ),
        # Back to the state it came from (a request extended once is not extended again).
        Transition(
            "end_consultation",
            "征求意见完毕",
            (Status.CONSULTING,),
            Status.ACCEPTED,
            permission=CHANGE,
            guards=(_not_extended,),
        ),
        Transition(
            "end_consultation_extended",
            "征求意见完毕",
            (Status.CONSULTING,),
            Status.EXTENDED,
            permission=CHANGE,
            guards=(_was_extended,),
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
            (
                Status.SUBMITTED,
                Status.CORRECTION_REQUESTED,
                Status.ACCEPTED,
                Status.EXTENDED,
                Status.CONSULTING,
            ),
            Status.WITHDRAWN,
            owner_may=True,
            style="danger",
        ),
    ],
)


class GovInfoRequest(DomainModel, ClockedModel):
    """One application for government information (《政府信息公开条例》第二十九条) and its handling."""

    jurisdiction_field = "jurisdiction"
    owner_field = "applicant"
    owner_actions = ("view",)
    pii_fields = ("applicant_id_number", "applicant_phone", "applicant_address", "applicant_email")
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
    # Where the information goes when it is asked for by e-mail (获取信息的方式和途径, 第二十九条第二款第三项).
    applicant_email = models.EmailField("电子邮箱", blank=True)
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
    def submitted_on(self):
        """The day the application reached the office through the platform."""
        return timezone.localdate(self.created_at) if self.created_at else timezone.localdate()

    @property
    def correction_notice_due_on(self):
        """The last day to ask for a correction (第三十条), counted from the day the application arrived."""
        if self.correction_notice or self.status != Status.SUBMITTED:
            return None
        try:
            return rules.correction_notice_due(self.submitted_on)
        except deadlines.CalendarNotCovered:
            return None

    @property
    def effective_due_on(self):
        """The deadline in force: the answer clock's (extension and excluded consultation time included), else the
        extended one once an extension was approved."""
        if self.clock_code == ANSWER_CLOCK.code and self.clock_due_on:
            return self.clock_due_on
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in (Status.ACCEPTED, Status.EXTENDED, Status.CONSULTING)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and not self.clock_paused_on and deadlines.is_overdue(self.effective_due_on)

    @property
    def remaining_working_days(self) -> int | None:
        if not self.is_open or self.effective_due_on is None:
            return None
        if self.clock_paused_on:  # frozen while the clock is paused (第三十三条第三款)
            view = self.clock
            return view.remaining if view else None
        try:
            return deadlines.remaining_working_days(self.effective_due_on)
        except deadlines.CalendarNotCovered:
            return None
