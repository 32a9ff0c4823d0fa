"""法宝宝 and the FAQ in the module registry: pages, API, navigation, home-page cards and the FAQ editors' grants."""

from django.urls import reverse

from smartjustice.core.modules import (
    EVERYONE,
    LAW,
    PORTAL,
    PUBLIC,
    STAFF,
    Card,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

TILE_ITEMS = 8


def entries_to_review(user) -> TileContent:
    """Submitted FAQ entries this reviewer may publish (the workflow decides: a province-wide entry waits for a
    province reviewer)."""
    from smartjustice.core import access, workflow

    from . import queries
    from .choices import FaqStatus
    from .models import publication_scope

    submitted = queries.list_entries_for(user, status=FaqStatus.SUBMITTED).order_by("updated_at", "id")
    waiting = [
        entry
        for entry in submitted
        if any(t.name == "publish" for t in workflow.available_transitions(entry, user))
    ]
    return TileContent(
        count=len(waiting),
        items=tuple(
            TodoItem(
                title=entry.question,
                href=reverse("qa:manage-edit", args=[entry.pk]),
                status=entry.get_status_display(),
            )
            for entry in waiting[:TILE_ITEMS]
        ),
        href=reverse("qa:manage") + f"?status={FaqStatus.SUBMITTED}",
        # Only a province reviewer ever publishes (the publication scope is the province): county and city staff
        # holding the permission get no tile that would always say "nothing to review".
        empty="没有待审核的常见问题" if access.may_act_in(user, publication_scope(None)) else "",
    )


def entries_returned(user) -> TileContent:
    """Entries a reviewer returned to this office (written at the user's own level), waiting for the author to
    revise and submit them again; left out when there are none."""
    from . import queries
    from .choices import FaqStatus

    returned = (
        queries.list_entries_for(user, action="change", status=FaqStatus.RETURNED)
        .filter(jurisdiction=getattr(user, "jurisdiction_id", None) or "")
        .order_by("updated_at", "id")
    )
    entries = list(returned[: TILE_ITEMS + 1])
    return TileContent(
        count=returned.count() if len(entries) > TILE_ITEMS else len(entries),
        items=tuple(
            TodoItem(
                title=entry.question,
                href=reverse("qa:manage-edit", args=[entry.pk]),
                status=entry.get_status_display(),
            )
            for entry in entries[:TILE_ITEMS]
        ),
        href=reverse("qa:manage") + f"?status={FaqStatus.RETURNED}",
    )


MODULE = Module(
    label="qa",
    name="法宝宝问答",
    url_prefix="qa/",
    urls="smartjustice.qa.urls",
    api_prefix="/qa",
    api_router="smartjustice.qa.api.router",
    roles="data/roles.json",
    navigation=(
        NavItem("法宝宝问答", "chat-dots", "qa:ask", section=LAW, audience=EVERYONE, match="/qa/$", order=20),
        NavItem(
            "常见问题",
            "question-circle",
            "qa:faq",
            section=LAW,
            audience=EVERYONE,
            match="/qa/faq/",
            order=30,
        ),
        NavItem(
            "常见问题维护",
            "pencil-square",
            "qa:manage",
            section=LAW,
            audience=(STAFF,),
            permission="qa.change_faqentry",
            order=50,
        ),
    ),
    cards=(
        Card(
            "法宝宝问答",
            "chat-dots",
            "qa:ask",
            "用日常语言提问法律问题，回答附有法律条文出处和办事指引。",
            audience=(PUBLIC, PORTAL),
            order=30,
        ),
    ),
    tiles=(
        Tile(
            "qa.review",
            "待审核的常见问题",
            "pencil-square",
            collect=entries_to_review,
            permission="qa.review_faqentry",
        ),
        Tile(
            "qa.returned",
            "退回修改的常见问题",
            "arrow-return-left",
            collect=entries_returned,
            permission="qa.change_faqentry",
        ),
    ),
)
