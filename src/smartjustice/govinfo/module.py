"""政府信息公开 in the module registry: pages, API, navigation, the handlers' to-do tile, roles and demo."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from smartjustice.core import deadlines
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
    by_deadline,
)

HANDLE = "govinfo.change_govinforequest"
TILE_ITEMS = 8


def open_requests(user) -> TileContent:
    """Requests waiting for the user's office: new ones to register (已提交) and registered ones to answer."""
    from django.db.models.functions import Coalesce

    from . import queries
    from .models import Status

    waiting = queries.list_requests(user, action="change")
    new = waiting.filter(status=Status.SUBMITTED).order_by("created_at", "id")
    registered = waiting.filter(status__in=(Status.ACCEPTED, Status.EXTENDED)).order_by(
        Coalesce("extended_due_on", "due_on").asc(nulls_last=True), "id"
    )
    items = [_item(r) for r in new[:TILE_ITEMS]] + [_item(r) for r in registered[:TILE_ITEMS]]
    return TileContent(
        count=new.count() + registered.count(),
        items=tuple(by_deadline(items)[:TILE_ITEMS]),
        href=reverse("govinfo:list"),
        empty="没有待办的信息公开申请",
    )


def _item(request) -> TodoItem:
    from . import rules
    from .models import Status

    if request.status == Status.SUBMITTED:
        # Not registered yet: the office may ask for a correction within 7 working days of receipt (第三十条).
        try:
            due, label = rules.correction_notice_due(timezone.localdate(request.created_at)), "补正告知期限"
        except deadlines.CalendarNotCovered:
            due, label = None, ""
    else:
        due, label = request.effective_due_on, "答复期限"
    return TodoItem(
        title=f"{request.reference} {request.applicant_name}",
        href=reverse("govinfo:detail", args=[request.pk]),
        due_on=due,
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
