"""Every read of the FAQ knowledge base: published entries are public; staff see drafts through core.access."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from smartjustice.core import access
from smartjustice.core.errors import NotFound

from . import faq_search
from .choices import FaqStatus
from .models import FaqEntry


def _ranked(qs, q: str):
    """Order by FAQ search relevance when there is a query (entries sharing no word are left out)."""
    hits = faq_search.search(q, limit=200, floor=False)
    if not hits:
        return qs.none()
    ids = [h.entry_id for h in hits]
    order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
    return qs.filter(pk__in=ids).order_by(order)


def published_entries(*, scenario: str = "", q: str = "", service: str = ""):
    """The public FAQ: published entries, by scenario, optionally searched."""
    qs = FaqEntry.objects.filter(status=FaqStatus.PUBLISHED)
    if scenario:
        qs = qs.filter(scenario=scenario)
    if service:
        # JSON containment differs between SQLite and PostgreSQL; the list is small, so filter by ids.
        ids = [pk for pk, codes in qs.values_list("pk", "services") if service in (codes or [])]
        qs = qs.filter(pk__in=ids)
    q = (q or "").strip()
    return _ranked(qs, q) if q else qs.order_by("scenario", "code")


def get_published_entry(pk) -> FaqEntry:
    """One published entry, or NotFound (drafts and withdrawn entries answer like missing ones)."""
    entry = FaqEntry.objects.filter(status=FaqStatus.PUBLISHED, pk=pk).first() if str(pk).isdigit() else None
    if entry is None:
        raise NotFound("该常见问题不存在或尚未发布")
    return entry


def list_entries_for(user, *, action: str = "view", scenario: str = "", status: str = "", q: str = ""):
    """Staff authoring: every entry (any status) in the user's jurisdiction and below that they may `action`."""
    qs = FaqEntry.objects.restrict(user, action)
    if scenario:
        qs = qs.filter(scenario=scenario)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(question__contains=q) | qs.filter(code=q)
    return qs.order_by("-updated_at", "-id")


def get_entry_for(user, pk, *, action: str = "view") -> FaqEntry:
    return access.get_for(user, FaqEntry, pk, action)


def get_entry_to_change(user, pk) -> FaqEntry:
    """An entry the user may edit or take a review step on (not found otherwise)."""
    return get_entry_for(user, pk, action="change")


def require_author(user) -> None:
    """401/403 unless the user may author FAQ entries somewhere (qa.change_faqentry)."""
    access.require(user, "change", FaqEntry)
