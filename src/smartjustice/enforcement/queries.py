"""Every read of 行政执法, already restricted by core.access: the power list (published items are public)."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from smartjustice.core import access
from smartjustice.core.errors import NotFound, ValidationFailed
from smartjustice.core.validators import contains_null_character

from . import library, power_list
from .choices import ItemStatus
from .extraction import extract_sanctions
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
    level: str = "",
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
    if level:
        # levels is a JSON list of quoted codes: a text match works on SQLite and PostgreSQL alike.
        qs = qs.filter(levels__icontains=f'"{level}"')
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


# --- proposals from the statute library (the extractor's, before staff accept them) -----------------------------------


def proposals_for(law: str) -> list[dict]:
    """What the extractor proposes for the laws whose title contains `law` (nothing stored): one row per article
    that provides for sanctions — law, article number, source, text, sanctions and the item already drafted from
    it (if any). The proposal page shows these for review before `propose_items` drafts the accepted ones."""
    law = (law or "").strip()
    if len(law) < 2 or len(law) > 300 or contains_null_character(law):
        raise ValidationFailed(
            "请输入法律法规名称（二至三百字）", fields={"law": ["请输入法律法规名称（二至三百字）"]}
        )
    rows = []
    _, articles = library.penalty_articles(law=law)
    for article in articles:
        sanctions = extract_sanctions(article.text)
        citation = library.article_citation(article.id)
        if not sanctions or citation is None:
            continue
        title, number = citation
        rows.append(
            {
                "id": article.id,
                "law": title,
                "article": number,
                "source": power_list.article_source(title, number),
                "text": article.text,
                "sanctions": [
                    {name: getattr(s, name) for name in power_list.SANCTION_FIELDS} for s in sanctions
                ],
                "descriptions": [s.describe() for s in sanctions],
            }
        )
    existing = dict(
        EnforcementItem.objects.filter(source__in=[row["source"] for row in rows]).values_list("source", "pk")
    )
    for row in rows:
        row["existing_id"] = existing.get(row["source"])
    return rows


def require_proposer(user) -> None:
    """401/403 unless the user may draft items (the proposal page drafts them)."""
    access.require(user, "add", EnforcementItem)


def require_editor(user) -> None:
    """401/403 unless the user may maintain a power list somewhere."""
    access.require(user, "change", EnforcementItem)
