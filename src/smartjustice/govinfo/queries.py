"""Every read of 政府信息公开申请, already restricted by core.access (pages and API share these)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.models import Organisation

from .models import GovInfoRequest, Status
from .services import HANDLING_ORGANISATIONS

OPEN_STATES = (Status.ACCEPTED, Status.EXTENDED)


def list_requests(
    user,
    *,
    action: str = "view",
    status: str = "",
    q: str = "",
    organisation: int | None = None,
    overdue: bool | None = None,
    mine: bool = False,
):
    """Staff: the requests of their jurisdiction and below; portal users: their own."""
    qs = GovInfoRequest.objects.restrict(user, action).select_related(
        "organisation", "jurisdiction", "applicant"
    )
    if mine:
        qs = qs.filter(applicant_id=user.pk)
    if status:
        qs = qs.filter(status=status)
    if q:
        q = q.strip()
        by_reference = Q()
        digits = q.upper().removeprefix("GK").split("-")[-1]
        if digits.isdigit():
            by_reference = Q(pk=int(digits))
        qs = qs.filter(Q(description__contains=q) | Q(applicant_name__contains=q) | by_reference)
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if overdue is not None:
        today = timezone.localdate()
        late = Q(status__in=OPEN_STATES) & (
            Q(extended_due_on__lt=today) | Q(extended_due_on__isnull=True, due_on__lt=today)
        )
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("-created_at", "-id")


def get_request_for(user, pk, *, action: str = "view") -> GovInfoRequest:
    """One request the user may `action`, or NotFound (missing and forbidden alike)."""
    qs = GovInfoRequest.objects.select_related("organisation", "jurisdiction", "applicant", "handled_by")
    return access.get_for(user, qs, pk, action)


def handling_organisations(*, q: str = ""):
    """The offices that take applications (public: nothing personal in them)."""
    qs = Organisation.objects.filter(kind__in=HANDLING_ORGANISATIONS, is_active=True).select_related(
        "jurisdiction"
    )
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(jurisdiction__full_name__contains=q))
    return qs.order_by("jurisdiction_id", "id")


def get_handling_organisation(pk) -> Organisation:
    from smartjustice.core.errors import NotFound

    organisation = handling_organisations().filter(pk=pk).first() if str(pk).isdigit() else None
    if organisation is None:
        raise NotFound("受理机关不存在")
    return organisation
