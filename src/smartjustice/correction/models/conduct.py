"""考核奖惩 and 审批事项 (helper E): monthly and quarterly assessments, commendations and sanctions with their approval
chain and the proposals to the court (撤销缓刑、假释 / 收监执行), and the subject's requests for leave, change of
residence, entering special places and meeting specific persons. Written only by correction/assessments.py,
correction/sanctions.py and correction/approvals.py; the guards below read the record as it stands."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core import access
from smartjustice.core.clocks import Clock
from smartjustice.core.models import DomainModel
from smartjustice.core.models.workflow import ClockedModel
from smartjustice.core.workflow import State, Transition, Workflow

from .. import rules
from .subjects import SUBJECT_SCOPES, CorrectionSubject

APPROVE_SANCTION = "correction.approve_sanction"
CHANGE_SANCTION = "correction.change_sanction"
APPROVE_REQUEST = "correction.approve_approvalrequest"
CHANGE_REQUEST = "correction.change_approvalrequest"


# --- 考核 -----------------------------------------------------------------------------------------------------------


class AssessmentKind(models.TextChoices):
    MONTHLY = "monthly", "月度考核"
    QUARTERLY = "quarterly", "季度考核"


class AssessmentGrade(models.TextChoices):
    GOOD = "good", "表现良好"
    FAIR = "fair", "表现一般"
    POOR = "poor", "表现较差"


class Assessment(DomainModel):
    """One monthly or quarterly 考核 of a subject (第二十八条): the points of each item and their total."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="assessments"
    )
    kind = models.CharField("考核类型", max_length=16, choices=AssessmentKind.choices)
    # "2026-11" for a month, "2026-Q4" for a quarter.
    period = models.CharField("考核期间", max_length=7)
    points = models.IntegerField("考核得分")
    grade = models.CharField("考核结果", max_length=8, choices=AssessmentGrade.choices)
    items = models.JSONField("考核项目", default=list, blank=True)
    note = models.TextField("考核意见", blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考核人", on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField("考核日期")

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "period"], name="correction_one_assessment_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject.name} {self.period} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("correction:assessment-detail", args=[self.pk])


# --- 奖惩 -----------------------------------------------------------------------------------------------------------


class SanctionKind(models.TextChoices):
    COMMENDATION = "commendation", "表扬"
    ADMONITION = "admonition", "训诫"
    WARNING = "warning", "警告"
    SECURITY_PUNISHMENT = "security_punishment", "提请治安管理处罚"
    PROBATION_REVOCATION = "probation_revocation", "撤销缓刑建议"
    PAROLE_REVOCATION = "parole_revocation", "撤销假释建议"
    COMMITTAL = "committal", "收监执行建议"


# Proposals that a court (or the deciding authority) decides within thirty days (第四十八条、第四十九条).
COURT_PROPOSALS = (SanctionKind.PROBATION_REVOCATION, SanctionKind.PAROLE_REVOCATION, SanctionKind.COMMITTAL)


class SanctionStatus(models.TextChoices):
    DRAFT = "draft", "拟办"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    ISSUED = "issued", "已送达执行"
    SENT_TO_COURT = "sent_to_court", "已提请，待裁定（决定）"
    COURT_DECIDED = "court_decided", "已作出裁定（决定）"
    CANCELLED = "cancelled", "已撤销"


class CourtOutcome(models.TextChoices):
    ACCEPTED = "accepted", "撤销缓刑、假释或收监执行"
    REJECTED = "rejected", "不予撤销（不予收监）"


def _is_proposal(sanction) -> bool:
    return sanction.kind in COURT_PROPOSALS


def _same_agency(sanction, actor, payload=None) -> str | None:
    """Only the executing agency (and its entrusted 司法所) handles its subjects' sanctions."""
    subject = sanction.subject
    if getattr(actor, "organisation_id", None) in (subject.agency_id, subject.station_id):
        return None
    return f"只有{subject.agency.name}的工作人员可以办理"


def _head_of_agency(sanction, actor, payload=None) -> str | None:
    """The approval is the executing county agency's (县级社区矫正机构负责人), not the 司法所's."""
    if getattr(actor, "organisation_id", None) == sanction.subject.agency_id:
        return None
    return f"奖惩事项由{sanction.subject.agency.name}负责人审批"


def _approver_not_drafter(sanction, actor, payload=None) -> str | None:
    if actor is not None and sanction.drafted_by_id == getattr(actor, "pk", None):
        return "拟办人不能审批自己拟办的奖惩事项"
    return None


def _reason_given(obj, actor, payload=None) -> str | None:
    if payload is not None and not str(payload.get("reason") or "").strip():
        return "请填写理由"
    return None


def _not_proposal(sanction, actor, payload=None) -> str | None:
    if _is_proposal(sanction):
        return "撤销缓刑、假释和收监执行建议须提请人民法院（决定机关）裁定，请使用“提请裁定”"
    return None


def _proposal(sanction, actor, payload=None) -> str | None:
    if not _is_proposal(sanction):
        return "只有撤销缓刑、假释和收监执行建议需要提请裁定"
    return None


def _decision_given(sanction, actor, payload=None) -> str | None:
    if payload is None:
        return None
    if payload.get("outcome") not in CourtOutcome.values:
        return "请选择裁定（决定）结果"
    if not str(payload.get("decision_number") or "").strip():
        return "请填写裁定书（决定书）文号"
    return None


COURT_CLOCK = Clock(
    "court_decision",
    "裁定（决定）期限",
    rules.COURT_DECISION_PERIOD,
    start=lambda sanction: sanction.sent_on,
)

SANCTION_WORKFLOW = Workflow(
    name="correction.sanction",
    initial=SanctionStatus.DRAFT,
    states=[
        State(SanctionStatus.DRAFT, SanctionStatus.DRAFT.label),
        State(SanctionStatus.SUBMITTED, SanctionStatus.SUBMITTED.label),
        State(SanctionStatus.APPROVED, SanctionStatus.APPROVED.label),
        State(SanctionStatus.ISSUED, SanctionStatus.ISSUED.label, final=True),
        State(SanctionStatus.SENT_TO_COURT, SanctionStatus.SENT_TO_COURT.label, clock=COURT_CLOCK),
        State(SanctionStatus.COURT_DECIDED, SanctionStatus.COURT_DECIDED.label, final=True),
        State(SanctionStatus.CANCELLED, SanctionStatus.CANCELLED.label, final=True),
    ],
    transitions=[
        Transition(
            "submit",
            "提交审批",
            (SanctionStatus.DRAFT,),
            SanctionStatus.SUBMITTED,
            permission=CHANGE_SANCTION,
            guards=(_same_agency,),
        ),
        Transition(
            "approve",
            "批准",
            (SanctionStatus.SUBMITTED,),
            SanctionStatus.APPROVED,
            permission=APPROVE_SANCTION,
            guards=(_head_of_agency, _approver_not_drafter),
        ),
        Transition(
            "return",
            "退回修改",
            (SanctionStatus.SUBMITTED,),
            SanctionStatus.DRAFT,
            permission=APPROVE_SANCTION,
            style="secondary",
            guards=(_head_of_agency, _approver_not_drafter, _reason_given),
        ),
        Transition(
            "issue",
            "制发决定书并送达",
            (SanctionStatus.APPROVED,),
            SanctionStatus.ISSUED,
            permission=CHANGE_SANCTION,
            guards=(_same_agency, _not_proposal),
        ),
        Transition(
            "send_to_court",
            "制发建议书并提请裁定（决定）",
            (SanctionStatus.APPROVED,),
            SanctionStatus.SENT_TO_COURT,
            permission=CHANGE_SANCTION,
            guards=(_head_of_agency, _proposal),
        ),
        Transition(
            "record_court_decision",
            "登记裁定（决定）结果",
            (SanctionStatus.SENT_TO_COURT,),
            SanctionStatus.COURT_DECIDED,
            permission=APPROVE_SANCTION,
            guards=(_head_of_agency, _decision_given),
        ),
        Transition(
            "cancel",
            "撤销拟办",
            (SanctionStatus.DRAFT,),
            SanctionStatus.CANCELLED,
            permission=CHANGE_SANCTION,
            style="secondary",
            guards=(_same_agency, _reason_given),
        ),
    ],
)


class Sanction(ClockedModel, DomainModel):
    """A commendation, 训诫, 警告, or a proposal (治安管理处罚; 撤销缓刑、假释; 收监执行) about one subject, with its facts,
    legal basis, approval and document (第二十八条、第四十六条、第四十九条)."""

    workflow = SANCTION_WORKFLOW
    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField("奖惩种类", max_length=24, choices=SanctionKind.choices, db_index=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=SANCTION_WORKFLOW.choices,
        default=SANCTION_WORKFLOW.initial,
        db_index=True,
    )
    facts = models.TextField("事实和理由")
    legal_basis = models.CharField("法律依据", max_length=500)
    evidence = models.TextField("证据材料", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="拟办人", on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField("审批日期", null=True, blank=True)
    document_number = models.CharField("文书文号", max_length=64, blank=True)
    issued_on = models.DateField("送达（制发）日期", null=True, blank=True)
    # Proposals: the court or deciding authority, when it was sent, and its answer (第四十八条、第四十九条).
    court = models.CharField("受理法院（决定机关）", max_length=100, blank=True)
    sent_on = models.DateField("提请日期", null=True, blank=True)
    court_due_on = models.DateField("裁定（决定）期限", null=True, blank=True)
    court_outcome = models.CharField(
        "裁定（决定）结果", max_length=16, choices=CourtOutcome.choices, blank=True
    )
    court_decision_number = models.CharField("裁定书（决定书）文号", max_length=100, blank=True)
    court_decided_on = models.DateField("裁定（决定）日期", null=True, blank=True)

    class Meta:
        verbose_name = "奖惩"
        verbose_name_plural = "奖惩"
        ordering = ["-created_at", "-id"]
        permissions = [("approve_sanction", "审批奖惩事项")]
        indexes = [models.Index(fields=["subject", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject.name}"

    def get_absolute_url(self) -> str:
        return reverse("correction:sanction-detail", args=[self.pk])

    @property
    def is_proposal(self) -> bool:
        return _is_proposal(self)


# --- 审批事项 ---------------------------------------------------------------------------------------------------------


class ApprovalKind(models.TextChoices):
    LEAVE = "leave", "外出"
    RESIDENCE_CHANGE = "residence_change", "迁居（变更执行地）"
    SPECIAL_PLACE = "special_place", "进入特定场所"
    MEET_PERSON = "meet_person", "会见特定人员"


class ApprovalRoute(models.TextChoices):
    STATION = "station", "司法所审批"
    COUNTY = "county", "县级社区矫正机构负责人审批"


class ApprovalStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    REVIEWED = "reviewed", "司法所已初审，待县级审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"
    WITHDRAWN = "withdrawn", "已撤回"
    RETURNED = "returned", "已销假"


def _approver_in_route(request, actor, payload=None) -> str | None:
    """A station-routed request is decided by its 司法所 (or the county agency); a county-routed one by the county
    agency's head only (approve_approvalrequest)."""
    subject = request.subject
    organisation = getattr(actor, "organisation_id", None)
    if request.route == ApprovalRoute.STATION:
        if organisation in (subject.station_id, subject.agency_id):
            return None
        return "该申请由受委托的司法所审批"
    if organisation == subject.agency_id and access.has_permission(actor, APPROVE_REQUEST):
        return None
    return f"该申请须由{subject.agency.name}负责人审批"


def _station_review_pending(request, actor, payload=None) -> str | None:
    subject = request.subject
    if request.route != ApprovalRoute.COUNTY or not subject.station_id:
        return "该申请无需司法所初审"
    if getattr(actor, "organisation_id", None) != subject.station_id:
        return "由受委托的司法所出具初审意见"
    if payload is not None and not str(payload.get("opinion") or "").strip():
        return "请填写初审意见"
    return None


def _reviewed_first(request, actor, payload=None) -> str | None:
    """A county-routed request of a subject entrusted to a 司法所 waits for the station's opinion."""
    if (
        request.route == ApprovalRoute.COUNTY
        and request.subject.station_id
        and request.status == ApprovalStatus.SUBMITTED
    ):
        return "请等待司法所出具初审意见"
    return None


def _decider_not_submitter(request, actor, payload=None) -> str | None:
    if actor is not None and request.submitted_by_id == getattr(actor, "pk", None):
        return "代为提交申请的工作人员不能审批该申请"
    return None


def _refusal_reason(request, actor, payload=None) -> str | None:
    if payload is not None and not str(payload.get("reason") or "").strip():
        return "不予批准的，请说明理由"
    return None


def _is_leave(request, actor, payload=None) -> str | None:
    if request.kind != ApprovalKind.LEAVE:
        return "只有外出申请需要销假"
    return None


APPROVAL_WORKFLOW = Workflow(
    name="correction.approval",
    initial=ApprovalStatus.SUBMITTED,
    states=[
        State(ApprovalStatus.SUBMITTED, ApprovalStatus.SUBMITTED.label),
        State(ApprovalStatus.REVIEWED, ApprovalStatus.REVIEWED.label),
        State(ApprovalStatus.APPROVED, ApprovalStatus.APPROVED.label),
        State(ApprovalStatus.REFUSED, ApprovalStatus.REFUSED.label, final=True),
        State(ApprovalStatus.WITHDRAWN, ApprovalStatus.WITHDRAWN.label, final=True),
        State(ApprovalStatus.RETURNED, ApprovalStatus.RETURNED.label, final=True),
    ],
    transitions=[
        Transition(
            "review",
            "司法所初审",
            (ApprovalStatus.SUBMITTED,),
            ApprovalStatus.REVIEWED,
            permission=CHANGE_REQUEST,
            guards=(_station_review_pending, _decider_not_submitter),
        ),
        Transition(
            "approve",
            "批准",
            (ApprovalStatus.SUBMITTED, ApprovalStatus.REVIEWED),
            ApprovalStatus.APPROVED,
            permission=CHANGE_REQUEST,
            guards=(_approver_in_route, _reviewed_first, _decider_not_submitter),
        ),
        Transition(
            "refuse",
            "不予批准",
            (ApprovalStatus.SUBMITTED, ApprovalStatus.REVIEWED),
            ApprovalStatus.REFUSED,
            permission=CHANGE_REQUEST,
            style="danger",
            guards=(_approver_in_route, _decider_not_submitter, _refusal_reason),
        ),
        Transition(
            "withdraw",
            "撤回申请",
            (ApprovalStatus.SUBMITTED, ApprovalStatus.REVIEWED),
            ApprovalStatus.WITHDRAWN,
            owner_may=True,
            style="secondary",
        ),
        Transition(
            "report_return",
            "销假",
            (ApprovalStatus.APPROVED,),
            ApprovalStatus.RETURNED,
            permission=CHANGE_REQUEST,
            owner_may=True,
            guards=(_is_leave,),
        ),
    ],
)


class ApprovalRequest(DomainModel):
    """A subject's request to leave the city or county, change residence, enter a special place or meet a specific
    person (第二十三条、第二十七条), routed by kind and duration to the 司法所 or the county agency's head."""

    workflow = APPROVAL_WORKFLOW
    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    # Officers hold view/change only (data/roles.json): submitting on a subject's behalf needs change.
    access_scopes = {**SUBJECT_SCOPES, "add": ("jurisdiction:change",)}

    subject = models.ForeignKey(
        CorrectionSubject,
        verbose_name="社区矫正对象",
        on_delete=models.CASCADE,
        related_name="approval_requests",
    )
    kind = models.CharField("申请事项", max_length=24, choices=ApprovalKind.choices, db_index=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=APPROVAL_WORKFLOW.choices,
        default=APPROVAL_WORKFLOW.initial,
        db_index=True,
    )
    route = models.CharField("审批层级", max_length=16, choices=ApprovalRoute.choices)
    destination = models.CharField("目的地（新居住地、场所或人员）", max_length=200)
    reason = models.TextField("事由")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    decide_by = models.DateField("审批期限", db_index=True)
    review_opinion = models.TextField("司法所初审意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="初审人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见（不予批准的理由）", blank=True)
    document_number = models.CharField("审批文书文号", max_length=64, blank=True)
    returned_on = models.DateField("销假日期", null=True, blank=True)
    return_note = models.TextField("销假情况", blank=True)

    class Meta:
        verbose_name = "审批事项"
        verbose_name_plural = "审批事项"
        ordering = ["-created_at", "-id"]
        permissions = [("approve_approvalrequest", "审批外出、迁居等事项（县级）")]
        indexes = [models.Index(fields=["status", "decide_by"]), models.Index(fields=["subject", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="correction_request_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}申请：{self.subject.name}"

    def get_absolute_url(self) -> str:
        return reverse("correction:approval-detail", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def open(self) -> bool:
        return self.status in (ApprovalStatus.SUBMITTED, ApprovalStatus.REVIEWED)
