"""Every read about subjects, their contacts and 矫正小组, transfers and archive items, already restricted by
core.access: staff see the subjects executed in their jurisdiction (a 司法所 only its 街道), a subject their own."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.choices import JurisdictionLevel, OrganisationKind
from smartjustice.core.models import Organisation

from .choices import UNDER_CORRECTION, SubjectStatus
from .models import (
    ArchiveItem,
    CorrectionGroupMember,
    CorrectionSubject,
    SubjectContact,
    SubjectTransfer,
    TransferStatus,
)

SUBJECT_RELATED = ("agency", "station", "jurisdiction", "account")
TRANSFER_RELATED = (
    "subject",
    "from_agency",
    "from_station",
    "to_agency",
    "to_station",
    "requested_by",
    "decided_by",
)


def list_subjects(
    user,
    *,
    q: str | None = None,
    status: str | None = None,
    category: str | None = None,
    level: str | None = None,
    agency: int | None = None,
    station: int | None = None,
    ending_within: int | None = None,
    is_minor: bool | None = None,
):
    """The subjects `user` may see, newest intake first. `q` matches the number or the full ID number exactly, or
    the name in part; `ending_within` keeps those under correction whose term ends within that many days."""
    qs = CorrectionSubject.objects.restrict(user, "view").select_related(*SUBJECT_RELATED)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number=q) | Q(id_number=q.upper()) | Q(name__contains=q))
    if status:
        qs = qs.filter(status=status) if status in SubjectStatus.values else qs.none()
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(level=level)
    if agency:
        qs = qs.filter(agency_id=agency)
    if station:
        qs = qs.filter(station_id=station)
    if is_minor is not None:
        qs = qs.filter(is_minor=is_minor)
    if ending_within is not None:
        today = timezone.localdate()
        qs = qs.filter(
            status__in=UNDER_CORRECTION,
            ends_on__lte=today + datetime.timedelta(days=ending_within),
        )
    return qs.order_by("-intake_on", "-id")


def get_subject_for(user, pk, action: str = "view") -> CorrectionSubject:
    """One subject, or NotFound for missing and forbidden alike."""
    return access.get_for(user, CorrectionSubject.objects.select_related(*SUBJECT_RELATED), pk, action=action)


def list_contacts(user, *, subject: int | None = None):
    qs = SubjectContact.objects.restrict(user, "view").select_related("subject")
    if subject:
        qs = qs.filter(subject_id=subject)
    return qs.order_by("subject_id", "-is_guardian", "id")


def get_contact_for(user, pk, action: str = "view") -> SubjectContact:
    return access.get_for(user, SubjectContact.objects.select_related("subject"), pk, action=action)


def list_group_members(user, *, subject: int | None = None):
    qs = CorrectionGroupMember.objects.restrict(user, "view").select_related("subject")
    if subject:
        qs = qs.filter(subject_id=subject)
    return qs.order_by("subject_id", "id")


def get_group_member_for(user, pk, action: str = "view") -> CorrectionGroupMember:
    return access.get_for(user, CorrectionGroupMember.objects.select_related("subject"), pk, action=action)


def list_transfers(
    user, *, status: str | None = None, direction: str | None = None, subject: int | None = None
):
    """Transfers the user's side takes part in: incoming (to the user's jurisdiction) and outgoing (from the
    user's agency). `direction` = "in" / "out" narrows to one side."""
    qs = SubjectTransfer.objects.restrict(user, "view").select_related(*TRANSFER_RELATED)
    if status:
        qs = qs.filter(status=status) if status in TransferStatus.values else qs.none()
    if subject:
        qs = qs.filter(subject_id=subject)
    bounds = access.jurisdiction_bounds(user)
    if direction == "in" and bounds:
        qs = qs.filter(to_jurisdiction_id__gte=bounds[0], to_jurisdiction_id__lte=bounds[1])
    elif direction == "out":
        qs = qs.filter(from_agency_id=getattr(user, "organisation_id", None))
    return qs.order_by("-requested_on", "-id")


def get_transfer_for(user, pk, action: str = "view") -> SubjectTransfer:
    return access.get_for(user, SubjectTransfer.objects.select_related(*TRANSFER_RELATED), pk, action=action)


def list_archive_items(user, *, subject: int | None = None, kind: str | None = None):
    qs = ArchiveItem.objects.restrict(user, "view").select_related("subject", "attachment", "filed_by")
    if subject:
        qs = qs.filter(subject_id=subject)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("subject_id", "filed_on", "id")


def get_archive_item_for(user, pk, action: str = "view") -> ArchiveItem:
    return access.get_for(
        user, ArchiveItem.objects.select_related("subject", "attachment", "filed_by"), pk, action=action
    )


def agencies_for_intake(user):
    """County correction agencies (or 司法局) and 司法所 inside the user's jurisdiction, for the intake form."""
    bounds = access.jurisdiction_bounds(user)
    if not bounds:
        return Organisation.objects.none(), Organisation.objects.none()
    inside = Organisation.objects.filter(
        is_active=True, jurisdiction_id__gte=bounds[0], jurisdiction_id__lte=bounds[1]
    ).select_related("jurisdiction")
    agencies = inside.filter(
        kind__in=(OrganisationKind.CORRECTION_AGENCY, OrganisationKind.JUSTICE_BUREAU),
        jurisdiction__level=JurisdictionLevel.COUNTY,
    ).order_by("jurisdiction_id", "kind", "name")
    stations = inside.filter(kind=OrganisationKind.JUSTICE_STATION).order_by("jurisdiction_id", "name")
    return agencies, stations


def receiving_agencies():
    """County correction agencies a subject may be transferred to (any county of the province)."""
    return (
        Organisation.objects.filter(
            is_active=True,
            kind=OrganisationKind.CORRECTION_AGENCY,
            jurisdiction__level=JurisdictionLevel.COUNTY,
        )
        .select_related("jurisdiction")
        .order_by("jurisdiction_id", "name")
    )


def stations_of_county(code: str):
    """The 司法所 of one county (the receiving head entrusts one on acceptance)."""
    return Organisation.objects.filter(
        is_active=True,
        kind=OrganisationKind.JUSTICE_STATION,
        jurisdiction__code__startswith=str(code)[:6],
    ).order_by("jurisdiction_id", "name")


def find_portal_account(username: str):
    """A citizen (粤矫通) account by its exact username, for linking."""
    from smartjustice.core.choices import AccountKind
    from smartjustice.core.models import User

    return User.objects.filter(username=str(username or "").strip(), kind=AccountKind.CITIZEN).first()


def pending_transfers_for(user):
    """Incoming transfers waiting for the user's county to decide (the workbench tile)."""
    return list_transfers(user, status=TransferStatus.REQUESTED, direction="in")


def ending_soon_for(user, days: int = 30):
    return list_subjects(user, ending_within=days).order_by("ends_on", "id")


TILE_ITEMS = 8


def subject_tile(user):
    """The workbench tile 待接收/期满将至: incoming transfers to decide, then terms ending within 30 days."""
    from django.urls import reverse

    from smartjustice.core.modules import TileContent, TodoItem

    items = []
    pending = pending_transfers_for(user)
    for transfer in pending[:TILE_ITEMS]:
        items.append(
            TodoItem(
                title=f"待接收：{transfer.subject.name}（{transfer.from_agency.name}转入）",
                href=reverse("correction:transfer-detail", args=[transfer.pk]),
                due_on=None,
                status=transfer.get_status_display(),
                detail=transfer.new_address,
            )
        )
    ending = ending_soon_for(user)
    for subject in ending[: max(TILE_ITEMS - len(items), 0)]:
        items.append(
            TodoItem(
                title=f"期满将至：{subject.name}（{subject.number}）",
                href=reverse("correction:subject-detail", args=[subject.pk]),
                due_on=subject.ends_on,
                due_label="矫正期满",
                status=subject.get_status_display(),
                detail=subject.get_category_display(),
            )
        )
    return TileContent(
        count=pending.count() + ending.count(),
        items=tuple(items),
        href=reverse("correction:subject-list"),
        empty="没有待接收的变更执行地，也没有30日内期满的社区矫正对象",
    )
