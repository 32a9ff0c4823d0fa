"""Reads of 考核奖惩 and 审批 (helper E), every one restricted (core.access): officers see their jurisdiction (a town
account only its 街道), a subject's portal account only its own records, everyone else nothing."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from smartjustice.core import access

from .models import CorrectionSubject
from .models.conduct import ApprovalRequest, ApprovalStatus, Assessment, Sanction, SanctionStatus

OPEN_REQUESTS = (ApprovalStatus.SUBMITTED, ApprovalStatus.REVIEWED)


def get_subject_for(user, pk, *, action: str = "change") -> CorrectionSubject:
    """The subject an officer records about (NotFound for missing and forbidden alike)."""
    return access.get_for(user, CorrectionSubject.objects.select_related("agency", "station"), pk, action)


def subjects_for_choice(user, *, limit: int = 500) -> list[CorrectionSubject]:
    """Subjects under correction the officer may act on (the pages' select boxes)."""
    return list(
        access.restrict(CorrectionSubject.objects.all(), user, "change")
        .filter(status__in=("active", "transferring"))
        .only("pk", "name", "number", "category")
        .order_by("name", "pk")[:limit]
    )


# --- assessments -------------------------------------------------------------------------------------------------


def list_assessments(
    user, *, subject=None, kind: str = "", period: str = "", grade: str = "", q: str = ""
) -> QuerySet:
    qs = access.restrict(Assessment.objects.select_related("subject", "assessor"), user, "view")
    if subject:
        qs = qs.filter(subject_id=subject)
    if kind:
        qs = qs.filter(kind=kind)
    if period:
        qs = qs.filter(period=period.strip().upper())
    if grade:
        qs = qs.filter(grade=grade)
    if q:
        qs = qs.filter(Q(subject__name__contains=q.strip()) | Q(subject__number=q.strip()))
    return qs.order_by("-period", "-id")


def get_assessment_for(user, pk, *, action: str = "view") -> Assessment:
    return access.get_for(user, Assessment.objects.select_related("subject", "assessor"), pk, action)


# --- sanctions -----------------------------------------------------------------------------------------------------


def list_sanctions(user, *, subject=None, kind: str = "", status: str = "", q: str = "") -> QuerySet:
    qs = access.restrict(
        Sanction.objects.select_related("subject", "drafted_by", "approved_by"), user, "view"
    )
    if subject:
        qs = qs.filter(subject_id=subject)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(subject__name__contains=q.strip()) | Q(subject__number=q.strip()) | Q(document_number=q.strip())
        )
    return qs.order_by("-created_at", "-id")


def get_sanction_for(user, pk, *, action: str = "view") -> Sanction:
    return access.get_for(
        user,
        Sanction.objects.select_related("subject__agency", "subject__station", "drafted_by", "approved_by"),
        pk,
        action,
    )


def sanctions_awaiting(user) -> QuerySet:
    """Sanctions waiting for this user's approval (submitted, not drafted by them)."""
    return (
        list_sanctions(user, status=SanctionStatus.SUBMITTED)
        .exclude(drafted_by=user)
        .filter(subject__agency_id=getattr(user, "organisation_id", None))
    )


# --- approval requests ------------------------------------------------------------------------------------------------


def list_requests(
    user, *, subject=None, kind: str = "", status: str = "", route: str = "", overdue=None, q: str = ""
) -> QuerySet:
    qs = access.restrict(
        ApprovalRequest.objects.select_related("subject", "submitted_by", "decided_by"), user, "view"
    )
    if subject:
        qs = qs.filter(subject_id=subject)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if route:
        qs = qs.filter(route=route)
    if overdue is True:
        qs = qs.filter(status__in=OPEN_REQUESTS, decide_by__lt=timezone.localdate())
    elif overdue is False:
        qs = qs.exclude(status__in=OPEN_REQUESTS, decide_by__lt=timezone.localdate())
    if q:
        qs = qs.filter(Q(subject__name__contains=q.strip()) | Q(destination__contains=q.strip()))
    return qs.order_by("-created_at", "-id")


def get_request_for(user, pk, *, action: str = "view") -> ApprovalRequest:
    return access.get_for(
        user,
        ApprovalRequest.objects.select_related(
            "subject__agency", "subject__station", "submitted_by", "reviewed_by", "decided_by"
        ),
        pk,
        action,
    )


def requests_awaiting(user) -> QuerySet:
    """Undecided requests this user's organisation decides or reviews, oldest deadline first (the 待审批 tile)."""
    organisation = getattr(user, "organisation_id", None)
    if organisation is None:
        return ApprovalRequest.objects.none()
    station_routed = Q(route="station") & (
        Q(subject__station_id=organisation) | Q(subject__agency_id=organisation)
    )
    county_routed = Q(route="county", subject__agency_id=organisation)
    review = Q(route="county", status=ApprovalStatus.SUBMITTED, subject__station_id=organisation)
    qs = list_requests(user).filter(status__in=OPEN_REQUESTS)
    if not access.has_permission(user, "correction.approve_approvalrequest"):
        county_routed = Q(pk__in=[])
    return (
        qs.filter(station_routed | county_routed | review)
        .exclude(submitted_by=user)
        .order_by("decide_by", "id")
    )


def pending_tile(user):
    """The 待审批 tile: requests this user decides or reviews, and sanctions waiting for their approval."""
    from django.urls import reverse

    from smartjustice.core.modules import TileContent, TodoItem, by_deadline

    requests = list(requests_awaiting(user)[:5])
    count = requests_awaiting(user).count()
    items = [
        TodoItem(
            title=f"{r.subject.name}：{r.get_kind_display()}（{r.days}日）",
            href=reverse("correction:approval-detail", args=[r.pk]),
            due_on=r.decide_by,
            due_label="审批期限",
            status=r.get_status_display(),
        )
        for r in requests
    ]
    if access.has_permission(user, "correction.approve_sanction"):
        waiting = sanctions_awaiting(user)
        count += waiting.count()
        items += [
            TodoItem(
                title=f"{s.subject.name}：{s.get_kind_display()}",
                href=reverse("correction:sanction-detail", args=[s.pk]),
                status=s.get_status_display(),
            )
            for s in waiting[:5]
        ]
    return TileContent(
        count=count,
        items=tuple(by_deadline(items)[:5]),
        href=reverse("correction:approval-list") + "?status=submitted",
        empty="没有待审批的事项",
    )
