"""Every read of 行政执法, already restricted by core.access: the power list (published items are public)."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from smartjustice.core import access
from smartjustice.core.errors import NotFound

from .choices import ItemStatus
from .models import EnforcementItem, ItemBasis

# --- power list (权责清单) ---------------------------------------------------------------------------------------------


def _with_parts(qs):
    return qs.select_related("organisation").prefetch_related(
        Prefetch("bases", queryset=ItemBasis.objects.order_by("id")), "sanctions", "benchmarks"
    )


def _filtered(
    qs,
    *,
    q: str = "",
    item_type: str = "",
    domain: str = "",
    organisation_id: int | None = None,
    flagged: bool | None = None,
    status: str = "",
):
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code=q) | Q(bases__law__contains=q)).distinct()
    if item_type:
        qs = qs.filter(item_type=item_type)
    if domain:
        qs = qs.filter(domain=domain)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if status:
        qs = qs.filter(status=status)
    if flagged is True:
        qs = qs.exclude(basis_status__in=("valid", "none"))
    elif flagged is False:
        qs = qs.filter(basis_status__in=("valid", "none"))
    return _with_parts(qs).order_by("code", "id")


def published_items(**filters):
    """The public power list: published items, optionally searched and filtered."""
    filters.pop("status", None)
    return _filtered(EnforcementItem.objects.filter(status=ItemStatus.PUBLISHED), **filters)


def get_published_item(pk) -> EnforcementItem:
    """One published item, or NotFound (drafts and withdrawn items answer like missing ones)."""
    item = (
        _with_parts(EnforcementItem.objects.filter(status=ItemStatus.PUBLISHED, pk=pk)).first()
        if str(pk).isdigit()
        else None
    )
    if item is None:
        raise NotFound("该执法事项不存在或尚未发布")
    return item


def list_items_for(user, *, action: str = "view", **filters):
    """Staff maintenance: every item (any state) of the agencies in the user's reach."""
    return _filtered(EnforcementItem.objects.restrict(user, action), **filters)


def get_item_for(user, pk, *, action: str = "view") -> EnforcementItem:
    return access.get_for(user, _with_parts(EnforcementItem.objects.all()), pk, action)


def get_item_to_change(user, pk) -> EnforcementItem:
    """An item the user may edit or take a review step on (not found otherwise)."""
    return get_item_for(user, pk, action="change")


def readable_item(user, pk) -> EnforcementItem:
    """A published item for anyone, else one the user may view as staff (not found otherwise)."""
    try:
        return get_published_item(pk)
    except NotFound:
        if not getattr(user, "is_authenticated", False):
            raise
        return get_item_for(user, pk)


def require_editor(user) -> None:
    """401/403 unless the user may maintain a power list somewhere."""
    access.require(user, "change", EnforcementItem)
