"""Every write of 执法监督: dismiss a flag, 督办 through its workflow (issue, reply, accept, return, close), sample
and score 案卷评查. One audit.operation each; notifications leave after commit."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, attachments, audit, notifications, workflow
from smartjustice.core.documents import issue_number
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import User
from smartjustice.enforcement.choices import CaseStatus
from smartjustice.enforcement.models import EnforcementCase

from . import checks, rules
from .choices import FlagStatus, OrderStatus, ReviewGrade, ReviewStatus, SupervisionAuditEvent
from .models import REPLY_ORDER, CaseFileReview, SupervisionFlag, SupervisionOrder

ORDER_NUMBER_PREFIX = "执法监督督办"
RECTIFICATION_FILES = "整改材料"
MAX_DEADLINE_DAYS = 366
MAX_SAMPLE = 200
NOTIFY_AT_MOST = 20


def _required(value: str, field: str, message: str, *, max_length: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    if len(value) > max_length:
        raise ValidationFailed(f"内容过长（最多{max_length}字）", fields={field: [f"最多{max_length}字"]})
    return value


def _link(order: SupervisionOrder) -> str:
    return reverse("supervision:order-detail", args=[order.pk])


def run_scan(
    *, actor=None, today: datetime.date | None = None, rules=None, progress=None
) -> checks.ScanResult:
    """Run the supervision checks over every case and upsert the flags (the periodic job and the command)."""
    return checks.scan(today=today, rules=rules, actor=actor, progress=progress)


# --- flags ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def dismiss_flag(flag: SupervisionFlag, *, actor, reason: str) -> SupervisionFlag:
    """核销: the supervisor records why a finding is not a violation; the scan does not raise it again."""
    reason = _required(reason, "reason", "请填写核销理由", max_length=500)
    if flag.status != FlagStatus.OPEN:
        raise TransitionNotAllowed(f"该预警已{flag.get_status_display()}，不能核销")
    with audit.operation(SupervisionAuditEvent.FLAG_DISMISSED, obj=flag, actor=actor, detail=reason):
        flag.status = FlagStatus.DISMISSED
        flag.dismissed_reason = reason
        flag.dismissed_by = actor
        flag.resolved_at = timezone.now()
        flag.save(update_fields=["status", "dismissed_reason", "dismissed_by", "resolved_at", "updated_at"])
    return flag


# --- 督办 -------------------------------------------------------------------------------------------------------------


def _deadline(value, *, today: datetime.date) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        raise ValidationFailed("请填写整改期限", fields={"deadline_on": ["请填写整改期限（日期）"]})
    if value <= today:
        raise ValidationFailed("整改期限须晚于今天", fields={"deadline_on": ["整改期限须晚于今天"]})
    if value > today + datetime.timedelta(days=MAX_DEADLINE_DAYS):
        raise ValidationFailed("整改期限不能超过一年", fields={"deadline_on": ["整改期限不能超过一年"]})
    return value


def default_deadline(today: datetime.date | None = None) -> datetime.date:
    """The default rectification deadline (rules.RECTIFICATION_PERIOD working days from today)."""
    return rules.RECTIFICATION_PERIOD.ends(today or timezone.localdate())


def _agency_staff(order: SupervisionOrder):
    staff = User.objects.filter(organisation_id=order.agency_id, is_active=True)
    return access.holders_of(REPLY_ORDER, staff).order_by("pk")[:NOTIFY_AT_MOST]


@transaction.atomic
def issue_order(*, case: EnforcementCase, actor, requirement: str, deadline_on, flags=()) -> SupervisionOrder:
    """督办: order the case's agency to rectify by `deadline_on` (《行政处罚法》第七十六条 责令改正)."""
    access.require(actor, "add", SupervisionOrder)
    if not access.may_act_in(actor, case.jurisdiction_id):
        raise PermissionDenied("您不能督办本辖区以外的案件")
    if not getattr(actor, "organisation_id", None):
        raise PermissionDenied("督办须以所在机关的名义发出")
    today = timezone.localdate()
    requirement = _required(requirement, "requirement", "请填写督办事项和整改要求")
    deadline_on = _deadline(deadline_on, today=today)
    flags = list(flags)
    if any(f.case_id != case.pk for f in flags):
        raise ValidationFailed("所选预警不属于该案件", fields={"flag_ids": ["所选预警不属于该案件"]})
    with audit.operation(SupervisionAuditEvent.ORDER_ISSUED, obj=audit.NEW, actor=actor):
        order = SupervisionOrder(
            number=issue_number(ORDER_NUMBER_PREFIX),
            case=case,
            requirement=requirement,
            deadline_on=deadline_on,
            issued_by=actor,
            issuing_organisation_id=actor.organisation_id,
            issued_on=today,
            agency_id=case.agency_id,
            jurisdiction_id=case.jurisdiction_id,
            domain=case.domain,
            # The supervisor's deadline is the clock's due day (the default period only when none is chosen).
            clock_code="rectification",
            clock_started_on=today,
            clock_due_on=deadline_on,
        )
        order.save()
        if flags:
            order.flags.set(flags)
    for person in _agency_staff(order):
        notifications.notify(
            person,
            title=f"督办通知：{order.number}",
            body=f"{order.issuing_organisation.name}督办案件“{case.cause}”，请于 {deadline_on:%Y年%m月%d日} 前整改并回复。",
            link=_link(order),
            category="supervision",
        )
    return order


def _store(order, files, *, actor) -> list:
    return [
        attachments.store_attachment(f, actor=actor, owner=order, purpose=RECTIFICATION_FILES)
        for f in files or ()
    ]


@transaction.atomic
def reply_order(order: SupervisionOrder, *, actor, reply_text: str, files=()) -> SupervisionOrder:
    """The agency reports what it rectified (with the rectification files)."""
    reply_text = _required(reply_text, "reply_text", "请填写整改情况")
    with audit.operation(SupervisionAuditEvent.ORDER_REPLIED, obj=order, actor=actor):
        workflow.transition(order, "reply", actor=actor, payload={"reply_text": reply_text})
        order.reply_text = reply_text
        order.replied_by = actor
        order.replied_on = timezone.localdate()
        order.save(update_fields=["reply_text", "replied_by", "replied_on", "updated_at"])
        _store(order, files, actor=actor)
    notifications.notify(
        order.issued_by,
        title=f"督办已回复：{order.number}",
        body=f"{order.agency.name}已回复整改情况，请审核。",
        link=_link(order),
        category="supervision",
    )
    return order


@transaction.atomic
def add_order_files(order: SupervisionOrder, *, actor, files) -> list:
    """The agency adds rectification files before it replies."""
    if getattr(actor, "organisation_id", None) != order.agency_id:
        raise PermissionDenied("只有被督办单位可以上传整改材料")
    if order.status not in (OrderStatus.ISSUED, OrderStatus.RETURNED):
        raise TransitionNotAllowed(f"督办{order.status_label}，不能再上传整改材料")
    if not files:
        raise ValidationFailed("请选择要上传的文件", fields={"files": ["请选择要上传的文件"]})
    with audit.operation(SupervisionAuditEvent.ORDER_ATTACHMENTS_ADDED, obj=order, actor=actor):
        return _store(order, files, actor=actor)


@transaction.atomic
def accept_order(order: SupervisionOrder, *, actor, comment: str = "") -> SupervisionOrder:
    """The supervisor accepts the rectification."""
    with audit.operation(SupervisionAuditEvent.ORDER_ACCEPTED, obj=order, actor=actor):
        workflow.transition(order, "accept", actor=actor, payload={"comment": comment}, comment=comment[:200])
        order.review_comment = (comment or "").strip()
        order.save(update_fields=["review_comment", "updated_at"])
    return order


@transaction.atomic
def return_order(order: SupervisionOrder, *, actor, comment: str, deadline_on=None) -> SupervisionOrder:
    """The supervisor returns the reply: rectify again, by a new deadline (default: the rectification period)."""
    comment = (comment or "").strip()
    new_deadline = _deadline(deadline_on, today=timezone.localdate()) if deadline_on else None
    with audit.operation(SupervisionAuditEvent.ORDER_RETURNED, obj=order, actor=actor, detail=comment[:200]):
        workflow.transition(order, "return", actor=actor, payload={"comment": comment}, comment=comment[:200])
        order.review_comment = comment
        order.deadline_on = new_deadline or order.clock_due_on or order.deadline_on
        order.clock_due_on = order.deadline_on
        order.save(update_fields=["review_comment", "deadline_on", "clock_due_on", "updated_at"])
    for person in _agency_staff(order):
        notifications.notify(
            person,
            title=f"督办整改被退回：{order.number}",
            body=f"退回理由：{comment}。请于 {order.deadline_on:%Y年%m月%d日} 前重新整改并回复。",
            link=_link(order),
            category="supervision",
        )
    return order


@transaction.atomic
def close_order(order: SupervisionOrder, *, actor, comment: str = "") -> SupervisionOrder:
    """办结 an accepted 督办."""
    with audit.operation(SupervisionAuditEvent.ORDER_CLOSED, obj=order, actor=actor):
        workflow.transition(order, "close", actor=actor, payload={"comment": comment}, comment=comment[:200])
        order.closed_on = timezone.localdate()
        order.save(update_fields=["closed_on", "updated_at"])
    return order


TRANSITION_SERVICES = {
    "reply": reply_order,
    "accept": accept_order,
    "return": return_order,
    "close": close_order,
}


# --- 案卷评查 ---------------------------------------------------------------------------------------------------------

REVIEWED_STATES = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


def sample_order(seed: str, case_ids) -> list[int]:
    """The deterministic sample order: case ids sorted by SHA-256 of "<seed>:<id>" (anyone can recompute it)."""
    return sorted(case_ids, key=lambda pk: (hashlib.sha256(f"{seed}:{pk}".encode()).hexdigest(), pk))


@transaction.atomic
def sample_reviews(
    *,
    actor,
    batch: str,
    size: int,
    seed: str = "",
    region: str = "",
    closed_from: datetime.date | None = None,
    closed_to: datetime.date | None = None,
) -> list[CaseFileReview]:
    """抽取评查案卷: `size` closed cases of the actor's jurisdiction (or `region` inside it), in the order the seed
    gives, skipping cases already in the batch."""
    access.require(actor, "add", CaseFileReview)
    batch = _required(batch, "batch", "请填写评查批次", max_length=64)
    if not isinstance(size, int) or not 1 <= size <= MAX_SAMPLE:
        raise ValidationFailed(
            f"抽取数量须为1至{MAX_SAMPLE}", fields={"size": [f"抽取数量须为1至{MAX_SAMPLE}"]}
        )
    seed = (seed or "").strip()[:64] or batch
    bounds = access.jurisdiction_bounds(actor)
    if not bounds:
        raise PermissionDenied("您没有可评查的辖区")
    if region and not access.may_act_in(actor, region):
        raise ValidationFailed("只能抽取本辖区的案卷", fields={"region": ["只能抽取本辖区的案卷"]})
    cases = EnforcementCase.objects.filter(
        jurisdiction_id__gte=bounds[0], jurisdiction_id__lte=bounds[1], status__in=REVIEWED_STATES
    )
    if region:
        from smartjustice.core.models import Jurisdiction

        place = Jurisdiction.objects.filter(code=region).first()
        cases = cases.filter(jurisdiction_id__range=place.bounds()) if place else cases.none()
    if closed_from:
        cases = cases.filter(closed_on__gte=closed_from)
    if closed_to:
        cases = cases.filter(closed_on__lte=closed_to)
    taken = CaseFileReview.objects.filter(batch=batch).values("case_id")
    ids = list(cases.exclude(pk__in=taken).values_list("pk", flat=True))
    if not ids:
        raise ValidationFailed(
            "没有可抽取的已结案案卷", fields={"batch": ["本辖区没有符合条件、尚未抽取的已结案案卷"]}
        )
    chosen = sample_order(seed, ids)[:size]
    scope = {
        pk: (jurisdiction_id, agency_id, domain)
        for pk, jurisdiction_id, agency_id, domain in EnforcementCase.objects.filter(
            pk__in=chosen
        ).values_list("pk", "jurisdiction_id", "agency_id", "domain")
    }
    version = rules.load_checklist()["version"]
    detail = f"{batch}：从 {len(ids)} 件中抽取 {len(chosen)} 件（种子 {seed}）"
    with audit.operation(
        SupervisionAuditEvent.REVIEW_SAMPLED,
        obj=None,
        actor=actor,
        detail=detail,
        object_type=CaseFileReview._meta.label_lower,
        jurisdiction_code=actor.jurisdiction_id,
    ):
        return CaseFileReview.objects.bulk_create(
            [
                CaseFileReview(
                    batch=batch,
                    seed=seed,
                    case_id=pk,
                    sampled_by=actor,
                    checklist_version=version,
                    jurisdiction_id=scope[pk][0],
                    agency_id=scope[pk][1],
                    domain=scope[pk][2],
                )
                for pk in chosen
            ]
        )


def grade_for(total: Decimal, checklist: dict | None = None) -> str:
    checklist = checklist or rules.load_checklist()
    for band in sorted(checklist["grades"], key=lambda b: -b["min"]):
        if total >= band["min"]:
            return ReviewGrade(band["grade"]).value
    return ReviewGrade.FAILED.value


def score(checklist: dict, scores: dict, notes: dict | None = None) -> tuple[dict, dict, Decimal]:
    """Validate the scores against the checklist (every item, 0 … its weight): (scores, notes, total)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for item in checklist["items"]:
        code, weight = item["code"], Decimal(item["weight"])
        raw = (scores or {}).get(code)
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            errors[code] = [f"请为“{item['title']}”评分（0至{item['weight']}分）"]
            continue
        if not value.is_finite() or not Decimal(0) <= value <= weight:
            errors[code] = [f"“{item['title']}”的得分须在0至{item['weight']}分之间"]
            continue
        clean[code] = str(value)
    unknown = set(scores or {}) - {item["code"] for item in checklist["items"]}
    if unknown:
        errors["scores"] = [f"评查标准中没有这些项目：{'、'.join(sorted(unknown))}"]
    if errors:
        raise ValidationFailed("评分不完整或超出分值", fields=errors)
    notes = {k: str(v).strip()[:500] for k, v in (notes or {}).items() if k in clean and str(v).strip()}
    return clean, notes, sum((Decimal(v) for v in clean.values()), Decimal(0))


@transaction.atomic
def score_review(review: CaseFileReview, *, actor, scores: dict, notes: dict | None = None) -> CaseFileReview:
    """评查评分: every checklist item scored (0 … its weight); the total and grade follow."""
    checklist = rules.load_checklist()
    clean, notes, total = score(checklist, scores, notes)
    with audit.operation(
        SupervisionAuditEvent.REVIEW_SCORED, obj=review, actor=actor, detail=f"总分 {total}"
    ):
        review.scores = clean
        review.notes = notes
        review.total = total
        review.grade = grade_for(total, checklist)
        review.status = ReviewStatus.SCORED
        review.reviewer = actor
        review.reviewed_at = timezone.now()
        review.checklist_version = checklist["version"]
        review.save(
            update_fields=[
                "scores",
                "notes",
                "total",
                "grade",
                "status",
                "reviewer",
                "reviewed_at",
                "checklist_version",
                "updated_at",
            ]
        )
    return review
