"""Education and help (教育帮扶, 《社区矫正法》第三十六条、第四十二条): learning tasks, assigning them, and the learning
sessions a subject attends. A session starts and ends with an identity check (correction/identity.py); its hours
are credited only when both checks passed — a pending live-challenge check holds the hours until an officer
approves it, a refused one credits nothing. Every write is one audited operation."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from smartjustice.core import access, audit
from smartjustice.core.errors import (
    NotAuthenticated,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)

from . import rules
from .choices import CorrectionAuditEvent
from .models import (
    AssignmentStatus,
    CorrectionSubject,
    IdentityCheck,
    IdentityPurpose,
    IdentityStatus,
    LearningAssignment,
    LearningKind,
    LearningSession,
    LearningTask,
    SessionStatus,
)

TENTH = Decimal("0.1")
# An identity check opens a session only shortly after it was made (a check of yesterday proves nothing today).
CHECK_FRESH_MINUTES = 30


def _hours(value, *, field: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(TENTH)
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationFailed("学时须为数字", fields={field: ["学时须为数字"]}) from None
    if hours <= 0 or hours > 200:
        raise ValidationFailed("学时须在 0.1 至 200 之间", fields={field: ["学时须在 0.1 至 200 之间"]})
    return hours


def _require_staff(actor, perm: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not access.may(actor, perm):
        raise PermissionDenied()


# --- tasks -------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_task(
    *, actor, title: str, kind: str, hours, content: str = "", is_active: bool = True
) -> LearningTask:
    """Publish a learning task for the actor's agency (or 司法所)."""
    _require_staff(actor, "correction.add_learningtask")
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not access.may_act_in(actor, organisation.jurisdiction_id):
        raise PermissionDenied("只有社区矫正机构或司法所的工作人员可以发布学习任务")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写任务名称", fields={"title": ["请填写任务名称"]})
    if kind not in LearningKind.values:
        raise ValidationFailed("学习类别不正确", fields={"kind": ["学习类别不正确"]})
    with audit.operation(CorrectionAuditEvent.LEARNING_TASK_CREATED, obj=audit.NEW, actor=actor):
        return LearningTask.objects.create(
            title=title[:200],
            kind=kind,
            hours=_hours(hours),
            content=content or "",
            agency=organisation,
            jurisdiction_id=organisation.jurisdiction_id,
            is_active=is_active,
            created_by=actor,
        )


TASK_FIELDS = ("title", "kind", "hours", "content", "is_active")


@transaction.atomic
def update_task(task: LearningTask, *, actor, **changes) -> LearningTask:
    """Change a task's title, kind, hours, content or whether it may still be assigned (assignments made keep the
    hours they were given)."""
    if not access.can(actor, "change", task):
        raise PermissionDenied("您无权修改该学习任务")
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}")
    with audit.operation(CorrectionAuditEvent.LEARNING_TASK_UPDATED, obj=task, actor=actor):
        if "title" in changes:
            title = (changes["title"] or "").strip()
            if not title:
                raise ValidationFailed("请填写任务名称", fields={"title": ["请填写任务名称"]})
            task.title = title[:200]
        if "kind" in changes:
            if changes["kind"] not in LearningKind.values:
                raise ValidationFailed("学习类别不正确", fields={"kind": ["学习类别不正确"]})
            task.kind = changes["kind"]
        if "hours" in changes:
            task.hours = _hours(changes["hours"])
        if "content" in changes:
            task.content = changes["content"] or ""
        if "is_active" in changes:
            task.is_active = bool(changes["is_active"])
        task.save()
    return task


# --- assignments -------------------------------------------------------------------------------------------------


def task_assignable_to(actor, task: LearningTask, subject: CorrectionSubject) -> bool:
    """A task the actor may see, or one published by the subject's own agency or 司法所 (a station assigns its
    county's courses to the subjects it is entrusted with)."""
    if task.agency_id in (subject.agency_id, subject.station_id):
        return True
    return access.can(actor, "view", task)


@transaction.atomic
def assign_task(
    subject: CorrectionSubject, *, actor, task: LearningTask, due_on: date, note: str = ""
) -> LearningAssignment:
    """Assign a learning task to a subject (第三十六条: 因人施教), due by `due_on` within the correction term."""
    _require_staff(actor, "correction.add_learningassignment")
    if not access.can(actor, "change", subject):
        raise PermissionDenied("您无权为该社区矫正对象布置学习任务")
    if not subject.under_correction:
        raise ValidationFailed("该社区矫正对象已不在社区矫正期内")
    if not task.is_active or not task_assignable_to(actor, task, subject):
        raise ValidationFailed("该学习任务不可布置", fields={"task_id": ["该学习任务不可布置"]})
    today = timezone.localdate()
    if due_on < today:
        raise ValidationFailed("完成期限不能早于今天", fields={"due_on": ["完成期限不能早于今天"]})
    if due_on > subject.ends_on:
        raise ValidationFailed(
            f"完成期限不能晚于矫正期满日期（{subject.ends_on:%Y-%m-%d}）",
            fields={"due_on": ["完成期限不能晚于矫正期满日期"]},
        )
    if LearningAssignment.objects.filter(subject=subject, task=task).exists():
        raise ValidationFailed("该学习任务已布置给该社区矫正对象", fields={"task_id": ["该任务已布置"]})
    try:
        with audit.operation(
            CorrectionAuditEvent.LEARNING_ASSIGNED,
            obj=audit.NEW,
            actor=actor,
            detail=f"{subject}：{task.title}"[:500],
        ):
            return LearningAssignment.objects.create(
                subject=subject,
                task=task,
                due_on=due_on,
                required_hours=task.hours,
                assigned_by=actor,
                note=(note or "")[:300],
            )
    except IntegrityError:  # assigned concurrently
        raise ValidationFailed(
            "该学习任务已布置给该社区矫正对象", fields={"task_id": ["该任务已布置"]}
        ) from None


# --- sessions ----------------------------------------------------------------------------------------------------


def _require_may_attend(actor, assignment: LearningAssignment) -> None:
    """The subject through their own account, or staff who may change the assignment (a class or a kiosk)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    subject = assignment.subject
    if subject.account_id and actor.pk == subject.account_id:
        return
    if access.can(actor, "change", assignment):
        return
    raise PermissionDenied("只有社区矫正对象本人或执行地社区矫正工作人员可以登记学习")


def _usable_check(check: IdentityCheck, subject: CorrectionSubject, *, field: str) -> IdentityCheck:
    """A check of this subject, for learning, recent, not used by another session, and not refused."""

    def refuse(message: str):
        return ValidationFailed(message, fields={field: [message]})

    if check is None:
        raise refuse("请先完成身份核验")
    check = IdentityCheck.objects.select_for_update().get(pk=check.pk)
    if check.subject_id != subject.pk:
        raise refuse("身份核验记录不属于该社区矫正对象")
    if check.purpose != IdentityPurpose.LEARNING:
        raise refuse("请使用教育学习签到的身份核验")
    if check.status == IdentityStatus.REFUSED:
        raise refuse(f"身份核验未通过，不能登记学习：{check.reason}")
    if check.status == IdentityStatus.ISSUED:
        raise refuse("尚未提交身份核验照片")
    if (
        check.submitted_at
        and (timezone.now() - check.submitted_at).total_seconds() > CHECK_FRESH_MINUTES * 60
    ):
        raise refuse(f"身份核验已超过 {CHECK_FRESH_MINUTES} 分钟，请重新核验")
    if (
        LearningSession.objects.filter(identity_check=check).exists()
        or LearningSession.objects.filter(end_check=check).exists()
    ):
        raise refuse("该身份核验已用于其他学习记录，请重新核验")
    return check


@transaction.atomic
def start_session(assignment: LearningAssignment, *, actor, identity_check: IdentityCheck) -> LearningSession:
    """Begin a learning session of the assignment, opened by a passed (or pending-review) identity check."""
    _require_may_attend(actor, assignment)
    subject = assignment.subject
    if not subject.under_correction:
        raise ValidationFailed("该社区矫正对象已不在社区矫正期内")
    if assignment.status == AssignmentStatus.COMPLETED:
        raise TransitionNotAllowed("该学习任务已完成")
    check = _usable_check(identity_check, subject, field="identity_check_id")
    if LearningSession.objects.filter(subject=subject, status=SessionStatus.OPEN).exists():
        raise ValidationFailed("已有正在进行的学习，请先结束后再开始新的学习")
    with audit.operation(
        CorrectionAuditEvent.LEARNING_SESSION_STARTED,
        obj=audit.NEW,
        actor=actor,
        detail=f"{subject}：{assignment.task.title}"[:500],
    ):
        session = LearningSession.objects.create(
            assignment=assignment,
            subject=subject,
            started_at=timezone.now(),
            identity_check=check,
            status=SessionStatus.OPEN,
        )
        if assignment.status == AssignmentStatus.ASSIGNED:
            assignment.status = AssignmentStatus.IN_PROGRESS
            assignment.save(update_fields=["status", "updated_at"])
    return session


@transaction.atomic
def finish_session(session: LearningSession, *, actor, identity_check: IdentityCheck) -> LearningSession:
    """End a learning session with a second identity check; the time attended is credited (at most
    rules.SESSION_HOURS_CAP and what the task still needs) once both checks passed."""
    session = (
        LearningSession.objects.select_for_update().select_related("assignment__subject").get(pk=session.pk)
    )
    _require_may_attend(actor, session.assignment)
    if session.status != SessionStatus.OPEN:
        raise TransitionNotAllowed("该学习已结束")
    check = _usable_check(identity_check, session.subject, field="identity_check_id")
    now = timezone.now()
    attended = Decimal((now - session.started_at).total_seconds() / 3600).quantize(TENTH, rounding=ROUND_DOWN)
    with audit.operation(CorrectionAuditEvent.LEARNING_SESSION_FINISHED, obj=session, actor=actor):
        session.ended_at = now
        session.end_check = check
        session.hours_attended = max(attended, Decimal("0"))
        _settle(session)
    return session


def _settle(session: LearningSession) -> None:
    """Credit an ended session's hours when both checks passed; hold them while one is pending; none if refused.
    Runs inside the caller's operation."""
    checks = [c for c in (session.identity_check, session.end_check) if c is not None]
    if any(c.status == IdentityStatus.REFUSED for c in checks):
        session.status = SessionStatus.NOT_CREDITED
        session.hours_credited = Decimal("0")
        session.note = "身份核验未通过，本次学习不计入学时"
    elif any(c.status != IdentityStatus.PASSED for c in checks):
        session.status = SessionStatus.PENDING
        session.note = "身份核验待工作人员复核，复核通过后计入学时"
    else:
        assignment = LearningAssignment.objects.select_for_update().get(pk=session.assignment_id)
        cap = Decimal(rules.SESSION_HOURS_CAP.value)
        credit = min(session.hours_attended, cap, assignment.remaining_hours)
        session.hours_credited = credit
        session.status = SessionStatus.CREDITED
        session.note = f"计入 {credit} 学时" + (
            "（单次最多计入四学时）" if session.hours_attended > cap else ""
        )
        if credit > 0:
            assignment.completed_hours += credit
            if assignment.remaining_hours <= 0:
                assignment.status = AssignmentStatus.COMPLETED
                assignment.completed_on = timezone.localdate()
            assignment.save(update_fields=["completed_hours", "status", "completed_on", "updated_at"])
        session.assignment = assignment
    session.save()


def settle_sessions_for(check: IdentityCheck) -> int:
    """After an officer reviewed `check`: credit (or not) the ended sessions that waited on it. Called inside the
    review operation (correction/identity.review_identity_check)."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to end_check.
    waiting = (
        LearningSession.objects.select_for_update(of=("self",))
        .filter(status=SessionStatus.PENDING, ended_at__isnull=False)
        .filter(identity_check=check)
        .select_related("identity_check", "end_check")
    )
    ending = (
        LearningSession.objects.select_for_update(of=("self",))
        .filter(status=SessionStatus.PENDING, ended_at__isnull=False, end_check=check)
        .select_related("identity_check", "end_check")
    )
    settled = 0
    for session in {s.pk: s for s in [*waiting, *ending]}.values():
        _settle(session)
        settled += 1
    return settled


__all__ = [
    "assign_task",
    "create_task",
    "finish_session",
    "settle_sessions_for",
    "start_session",
    "task_assignable_to",
    "update_task",
]
