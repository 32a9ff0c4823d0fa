"""执法监督 in the module registry: pages, API, navigation, the supervisors' and agencies' 督办 tile, roles."""

from __future__ import annotations

from django.urls import reverse

from smartjustice.core.modules import STAFF, WORK, Module, NavItem, Tile, TileContent, TodoItem

TILE_ITEMS = 8


def open_orders(user) -> TileContent:
    """督办 waiting on someone: the agency's to rectify (待整改、已退回), the supervisor's to review (已回复),
    the nearest deadline first."""
    from smartjustice.core import clocks

    from . import queries

    waiting = queries.open_orders(user)
    items = [
        TodoItem(
            title=f"{order.number} {order.case.cause}"[:80],
            href=reverse("supervision:order-detail", args=[order.pk]),
            due_on=order.deadline_on,
            due_label="整改期限",
            status=order.status_label,
            detail=order.agency.name,
        )
        for order in clocks.order_by_remaining(waiting)[:TILE_ITEMS]
    ]
    return TileContent(
        count=waiting.count(),
        items=tuple(items),
        href=reverse("supervision:orders"),
        empty="没有待办的督办事项",
    )


MODULE = Module(
    label="supervision",
    name="执法监督",
    url_prefix="supervision/",
    urls="smartjustice.supervision.urls",
    api_prefix="/supervision",
    api_router="smartjustice.supervision.api.router",
    roles="data/roles.json",
    demo="smartjustice.supervision.demo.load",
    demo_order=55,  # after the enforcement demo's cases, before the disclosure reports
    navigation=(
        NavItem(
            "执法监督",
            "binoculars",
            "supervision:dashboard",
            section=WORK,
            audience=(STAFF,),
            permission="supervision.supervise_supervisionflag",
            match="/supervision/$",
            order=70,
        ),
        NavItem(
            "监督预警",
            "exclamation-triangle",
            "supervision:flags",
            section=WORK,
            audience=(STAFF,),
            permission="supervision.view_supervisionflag",
            match="/supervision/flags/",
            order=71,
        ),
        NavItem(
            "督办",
            "flag",
            "supervision:orders",
            section=WORK,
            audience=(STAFF,),
            permission="supervision.view_supervisionorder",
            match="/supervision/orders/",
            order=72,
        ),
        NavItem(
            "案卷评查",
            "clipboard-check",
            "supervision:reviews",
            section=WORK,
            audience=(STAFF,),
            permission="supervision.view_casefilereview",
            match="/supervision/reviews/",
            order=73,
        ),
    ),
    tiles=(
        Tile(
            "supervision.orders",
            "督办事项",
            "flag",
            collect=open_orders,
            permission="supervision.view_supervisionorder",
        ),
    ),
)
