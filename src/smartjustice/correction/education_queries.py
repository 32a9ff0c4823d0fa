"""Every read of education and identity checks, already restricted (core.access): tasks, assignments, sessions,
identity checks and the review queue; a subject's learning record with the hours of each month against
rules.MONTHLY_LEARNING_HOURS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from smartjustice.core import access, attachments
from smartjustice.core.errors import NotFound

from . import rules
from .models import (
    CorrectionSubject,
    IdentityCheck,
    IdentityStatus,
    LearningAssignment,
    LearningSession,
    LearningTask,
    SessionStatus,
)

# --- tasks -------------------------------------------------------------------------------------------------------


def list_tasks(user, action: str = "view"):
    return LearningTask.objects.restrict(user, action).select_related("agency", "jurisdiction")


def filter_tasks(qs, *, kind: str = "", q: str = "", active: bool | None = None):
    if kind:
        qs = qs.filter(kind=kind)
    if q := (q or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(content__icontains=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-is_active", "kind", "id")


def get_task_for(user, pk, action: str = "view") -> LearningTask:
    return access.get_for(user, list_tasks(user, action), pk, action)


def assignable_tasks(user, subject: CorrectionSubject | None = None):
    """Active tasks the user may assign: those they see, and those of the subject's agency or 司法所 (the subject
    was loaded through access)."""
    visible = LearningTask.objects.restrict(user, "view").values("pk")
    condition = Q(pk__in=visible)
    if subject is not None:
        condition |= Q(agency_id__in=[pk for pk in (subject.agency_id, subject.station_id) if pk])
    return LearningTask.objects.filter(condition, is_active=True).order_by("kind", "title", "id")


def get_assignable_task_for(user, subject: CorrectionSubject, pk) -> LearningTask:
    """One task the user may assign to `subject`, or NotFound."""
    try:
        return assignable_tasks(user, subject).get(pk=pk)
    except (LearningTask.DoesNotExist, ValueError, TypeError):
        raise NotFound("学习任务不存在或不可布置") from None


# --- subjects ----------------------------------------------------------------------------------------------------


def get_subject_for(user, pk, action: str = "view") -> CorrectionSubject:
    return access.get_for(user, CorrectionSubject.objects.select_related("photo", "agency"), pk, action)


def assignable_subjects(user):
    """Subjects under correction the user may assign tasks to."""
    return (
        CorrectionSubject.objects.restrict(user, "change")
        .filter(status__in=("active", "transferring"))
        .order_by("name", "id")
    )


# --- assignments -------------------------------------------------------------------------------------------------


def list_assignments(user, action: str = "view"):
    return LearningAssignment.objects.restrict(user, action).select_related("subject", "task")


def filter_assignments(qs, *, subject_id=None, status: str = "", overdue: bool | None = None):
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate()).exclude(status="completed")
    return qs.order_by("status", "due_on", "id")


def get_assignment_for(user, pk, action: str = "view") -> LearningAssignment:
    return access.get_for(user, list_assignments(user, action), pk, action)


# --- sessions ----------------------------------------------------------------------------------------------------


def list_sessions(user, action: str = "view"):
    return LearningSession.objects.restrict(user, action).select_related(
        "subject", "assignment__task", "identity_check", "end_check"
    )


def filter_sessions(qs, *, subject_id=None, assignment_id=None, status: str = ""):
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if assignment_id:
        qs = qs.filter(assignment_id=assignment_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-started_at", "-id")


def sessions_of_check(user, check: IdentityCheck):
    """The learning sessions a check opened or closed."""
    return list_sessions(user).filter(Q(identity_check=check) | Q(end_check=check)).order_by("-started_at")


def get_session_for(user, pk, action: str = "view") -> LearningSession:
    return access.get_for(user, list_sessions(user, action), pk, action)


# --- identity checks ---------------------------------------------------------------------------------------------


def list_identity_checks(user, action: str = "view"):
    return IdentityCheck.objects.restrict(user, action).select_related("subject", "reviewed_by", "photo")


def filter_identity_checks(qs, *, status: str = "", subject_id=None, method: str = ""):
    if status:
        qs = qs.filter(status=status)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if method:
        qs = qs.filter(method=method)
    return qs.order_by("-created_at", "-id")


def review_queue(user):
    """Checks waiting for an officer's review, oldest submission first."""
    return (
        IdentityCheck.objects.restrict(user, "change")
        .filter(status=IdentityStatus.PENDING)
        .select_related("subject", "photo")
        .order_by("submitted_at", "id")
    )


def get_identity_check_for(user, pk, action: str = "view") -> IdentityCheck:
    return access.get_for(user, list_identity_checks(user, action), pk, action)


def identity_photo_for(user, check: IdentityCheck, which: str):
    """The live photo of a check, or the subject's intake photo ("reference"), through the attachment's owner."""
    attachment_id = check.photo_id if which == "live" else check.subject.photo_id
    if attachment_id is None:
        raise NotFound("没有照片")
    return attachments.get_attachment_for(user, attachment_id)


# --- a subject's learning record ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthHours:
    month: date
    credited: Decimal
    required: Decimal

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.credited, Decimal("0"))


def monthly_hours(
    subject: CorrectionSubject, *, months: int = 6, today: date | None = None
) -> list[MonthHours]:
    """Credited hours of each of the last `months` calendar months (newest first) against the monthly requirement
    (rules.MONTHLY_LEARNING_HOURS), counting only months of the correction term."""
    today = today or timezone.localdate()
    required = Decimal(rules.MONTHLY_LEARNING_HOURS.value)
    credited = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["hours"] or Decimal("0")
        for row in LearningSession.objects.filter(subject=subject, status=SessionStatus.CREDITED)
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(hours=Sum("hours_credited"))
    }
    rows = []
    year, month = today.year, today.month
    start = subject.starts_on.replace(day=1)
    for _ in range(months):
        first = date(year, month, 1)
        if first < start:
            break
        rows.append(MonthHours(first, Decimal(credited.get(first, Decimal("0"))), required))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return rows


@dataclass
class LearningRecord:
    subject: CorrectionSubject
    assignments: list
    sessions: list
    checks: list
    months: list[MonthHours]


def learning_record(user, subject: CorrectionSubject) -> LearningRecord:
    """A subject's assignments, sessions, identity checks and monthly hours (the subject was loaded through access;
    each list is restricted again)."""
    return LearningRecord(
        subject=subject,
        assignments=list(filter_assignments(list_assignments(user), subject_id=subject.pk)),
        sessions=list(filter_sessions(list_sessions(user), subject_id=subject.pk)[:50]),
        checks=list(filter_identity_checks(list_identity_checks(user), subject_id=subject.pk)[:20]),
        months=monthly_hours(subject),
    )


def identity_review_tile(user):
    """The workbench tile: pending live-challenge checks the user may review, oldest first."""
    from django.urls import reverse

    from smartjustice.core.modules import TileContent, TodoItem

    waiting = review_queue(user)
    items = tuple(
        TodoItem(
            title=f"{check.subject.name}（{check.subject.number}）",
            href=reverse("correction:identity-check-detail", args=[check.pk]),
            status=check.get_status_display(),
            detail=f"{check.get_purpose_display()}，提交于 {timezone.localtime(check.submitted_at):%m-%d %H:%M}"
            if check.submitted_at
            else check.get_purpose_display(),
        )
        for check in waiting[:8]
    )
    return TileContent(
        count=waiting.count(),
        items=items,
        href=reverse("correction:identity-check-list"),
        empty="没有待复核的身份核验",
    )
