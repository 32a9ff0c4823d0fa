"""Every read of case handling, already restricted by core.access: cases (ordered by the days their statutory clock
has left) and parties."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from smartjustice.core import access, clocks

from .choices import CaseStatus, Procedure
from .models import EnforcementCase, Party

RELATED = ("agency", "agency__jurisdiction", "jurisdiction", "party", "item")


def _cases(user, action: str = "view"):
    return EnforcementCase.objects.restrict(user, action).select_related(*RELATED)


def list_cases(
    user,
    *,
    q: str | None = None,
    status: str | None = None,
    procedure: str | None = None,
    domain: str | None = None,
    agency: int | None = None,
    overdue: bool | None = None,
):
    """The cases `user` may see, fewest days left first (running clocks, then paused, then none).

    `q` matches the case number or decision number exactly, or the cause / party name in part; `agency` is an
    organisation id; `overdue` keeps the cases whose statutory clock has run out (True) or has not (False)."""
    qs = _cases(user)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(number=q)
            | Q(decision_number=q)
            | Q(cause__contains=q)
            | Q(party__name__contains=q)
            | Q(party__id_number=q)
        )
    if status:
        qs = qs.filter(status=status) if status in CaseStatus.values else qs.none()
    if procedure:
        qs = qs.filter(procedure=procedure) if procedure in Procedure.values else qs.none()
    if domain:
        qs = qs.filter(domain=domain)
    if agency:
        qs = qs.filter(agency_id=agency)
    if overdue is not None:
        today = timezone.localdate()
        running = Q(clock_due_on__isnull=False, clock_paused_on__isnull=True)
        qs = (
            qs.filter(running & Q(clock_due_on__lt=today))
            if overdue
            else qs.exclude(running & Q(clock_due_on__lt=today))
        )
    return clocks.order_by_remaining(qs)


def get_case_for(user, pk, action: str = "view") -> EnforcementCase:
    """One case, or NotFound for missing and forbidden alike."""
    return access.get_for(user, EnforcementCase.objects.select_related(*RELATED), pk, action=action)


def list_parties(user, *, agency: int | None = None):
    """The parties `user` may see (their own agency's, or a supervisor's jurisdiction), by name."""
    qs = Party.objects.restrict(user, "view").select_related("agency", "jurisdiction")
    if agency:
        qs = qs.filter(agency_id=agency)
    return qs.order_by("name", "id")


def get_party_for(user, pk, action: str = "view") -> Party:
    """One party, or NotFound for missing and forbidden alike."""
    return access.get_for(user, Party.objects.select_related("agency", "jurisdiction"), pk, action=action)


def find_parties(user, q: str | None, *, limit: int = 20):
    """Parties by name (in part) or by ID number / 统一社会信用代码 (exactly, case-insensitive), for pickers."""
    q = (q or "").strip()
    if not q:
        return Party.objects.none()
    number = q.replace(" ", "").upper()
    return list_parties(user).filter(Q(name__contains=q) | Q(id_number=number))[:limit]
