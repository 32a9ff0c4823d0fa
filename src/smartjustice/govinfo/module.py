"""政府信息公开 in the module registry: pages, API, navigation, the handlers' to-do tile, roles and demo."""

from __future__ import annotations

from django.urls import reverse

from smartjustice.core.modules import (
    CASES,
    PORTAL,
    PUBLIC,
    SERVICES,
    STAFF,
    TOP,
    Card,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

HANDLE = "govinfo.change_govinforequest"
TILE_ITEMS = 8


def open_requests(user) -> TileContent:
    """Requests waiting for the user's office: new ones to register (已提交) and open ones (已登记, 已延期, 征求意见中),
    fewest days left first (core.clocks: running clocks by due date, then paused ones)."""
    from smartjustice.core import clocks

    from . import queries
    from .models import Status

    waiting = queries.list_requests(user, action="change").filter(
        status__in=(Status.SUBMITTED, *queries.OPEN_STATES)
    )
    items = [_item(r) for r in clocks.order_by_remaining(waiting)[:TILE_ITEMS]]
    return TileContent(
        count=waiting.count(),
        items=tuple(items),
        href=reverse("govinfo:list"),
        empty="没有待办的信息公开申请",
    )


def _item(request) -> TodoItem:
    """One request on the tile, with the deadline of the clock it is on (补正告知期限 or 答复期限)."""
    from smartjustice.core import clocks

    clock = clocks.clock_of(request)
    label = clock.label if clock is not None else ""
    if label and request.clock_paused_on:  # 征求意见中: the time is not counted (第三十三条第三款)
        label += "（已暂停）"
    return TodoItem(
        title=f"{request.reference} {request.applicant_name}",
        href=reverse("govinfo:detail", args=[request.pk]),
        due_on=request.clock_due_on,
        due_label=label,
        status=request.status_label,
        detail=request.organisation.name if request.organisation_id else "",
    )


MODULE = Module(
    label="govinfo",
    name="政府信息公开",
    url_prefix="govinfo/",
    urls="smartjustice.govinfo.urls",
    api_prefix="/govinfo",
    api_router="smartjustice.govinfo.api.router",
    roles="data/roles.json",
    demo="smartjustice.govinfo.demo.load",
    demo_order=10,
    navigation=(
        NavItem(
            "政府信息公开", "file-earmark-text", "govinfo:index", section=TOP, audience=(PUBLIC,), order=30
        ),
        NavItem(
            "政府信息公开",
            "file-earmark-text",
            "govinfo:mine",
            section=SERVICES,
            audience=(PORTAL,),
            match="/govinfo/",
            order=20,
        ),
        NavItem(
            "政府信息公开",
            "file-earmark-text",
            "govinfo:list",
            section=CASES,
            audience=(STAFF,),
            match="/govinfo/",
            permission="govinfo.view_govinforequest",
            order=10,
        ),
    ),
    cards=(
        Card(
            "政府信息公开申请",
            "file-earmark-text",
            "govinfo:index",
            "在线提交申请，查询办理进度和答复。",
            audience=(PUBLIC,),
            order=10,
        ),
        Card(
            "政府信息公开申请",
            "file-earmark-text",
            "govinfo:mine",
            "提交新申请，查看我的申请的办理进度和答复。",
            audience=(PORTAL,),
            order=10,
        ),
    ),
    tiles=(
        Tile(
            "govinfo.open", "在办信息公开申请", "file-earmark-text", collect=open_requests, permission=HANDLE
        ),
    ),
)
