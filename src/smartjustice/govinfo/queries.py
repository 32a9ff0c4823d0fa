"""Every read of 政府信息公开申请, already restricted by core.access (pages and API share these)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from smartjustice.core import access, clocks
from smartjustice.core.choices import JurisdictionLevel
from smartjustice.core.models import Jurisdiction, Organisation

from .models import GovInfoRequest, Status
from .services import HANDLING_ORGANISATIONS

OPEN_STATES = (Status.ACCEPTED, Status.EXTENDED, Status.CONSULTING)


def list_requests(
    user,
    *,
    action: str = "view",
    status: str = "",
    q: str = "",
    organisation: int | None = None,
    overdue: bool | None = None,
    mine: bool = False,
    ordering: str = "-created_at",
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
        # The running answer clock (extension in, consultation time out: 第三十三条第二款、第三款) is past its day.
        late = Q(
            status__in=OPEN_STATES, clock_code="answer", clock_paused_on__isnull=True, clock_due_on__lt=today
        )
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if ordering in ("remaining_days", "-remaining_days"):
        return clocks.order_by_remaining(qs, descending=ordering.startswith("-"))
    if ordering == "created_at":
        return qs.order_by("created_at", "id")
    return qs.order_by("-created_at", "-id")


def handles_requests(user) -> bool:
    """Staff who see a jurisdiction's requests (govinfo.view_govinforequest), not only their own applications."""
    return access.may(user, "govinfo.view_govinforequest")


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


def handling_organisations_by_city() -> list[tuple[str, list[Organisation]]]:
    """The offices that take applications grouped by city, the province's own office first (the 受理机关 choice)."""
    offices = list(handling_organisations())

    def city_code(office: Organisation) -> str:
        return office.jurisdiction_id[:4].ljust(len(office.jurisdiction_id), "0")

    cities = dict(
        Jurisdiction.objects.filter(code__in={city_code(o) for o in offices}).values_list("code", "name")
    )
    groups: dict[str, list[Organisation]] = {}
    for office in offices:
        if office.jurisdiction.level <= JurisdictionLevel.PROVINCE:
            label = "省级"
        else:
            label = cities.get(city_code(office), office.jurisdiction.name)
        groups.setdefault(label, []).append(office)
    return list(groups.items())


def get_handling_organisation(pk) -> Organisation:
    from smartjustice.core.errors import NotFound

    organisation = handling_organisations().filter(pk=pk).first() if str(pk).isdigit() else None
    if organisation is None:
        raise NotFound("受理机关不存在")
    return organisation
