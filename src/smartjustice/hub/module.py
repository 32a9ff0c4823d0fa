"""The data-sharing hub in the module registry: pages, API, navigation, the dead-letter tile, catalogue, demo."""

from __future__ import annotations

from django.urls import reverse

from smartjustice.core.modules import (
    PORTAL,
    PUBLIC,
    SERVICES,
    SHARING,
    Card,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

TILE_ITEMS = 8


def dead_letters(user) -> TileContent:
    """Deliveries that failed for good in the user's jurisdiction: each waits for a fix and a replay."""
    from . import queries
    from .choices import DeliveryStatus

    dead = queries.list_deliveries(user, status=DeliveryStatus.DEAD)
    href = reverse("hub:deliveries") + "?status=dead"
    return TileContent(
        count=dead.count(),
        items=tuple(
            TodoItem(
                title=f"{d.subscription.dataset.name} → {d.subscription.consumer.name}",
                href=href,
                status="死信",
                detail=d.last_error,
            )
            for d in dead[:TILE_ITEMS]
        ),
        href=href,
        empty="没有死信",
    )


MODULE = Module(
    label="hub",
    name="共享协同平台",
    url_prefix="hub/",
    urls="smartjustice.hub.urls",
    api_prefix="/hub",
    api_router="smartjustice.hub.api.router",
    roles="data/roles.json",
    demo="smartjustice.hub.demo.load",
    demo_order=40,  # shares what the other modules published
    hub_datasets="data/catalogue.json",  # lists the datasets of modules to come too (enforcement.case …)
    navigation=(
        NavItem(
            "共享数据目录",
            "diagram-3",
            "hub:catalogue",
            section=SHARING,
            match="/hub/$",
            permission="hub.view_dataset",
            order=10,
        ),
        NavItem(
            "数据使用方", "plug", "hub:consumers", section=SHARING, permission="hub.view_dataset", order=20
        ),
        NavItem(
            "投递与死信",
            "envelope-exclamation",
            "hub:deliveries",
            section=SHARING,
            query="?status=dead",
            match="/hub/deliveries/",
            permission="hub.view_dataset",
            order=30,
        ),
        NavItem(
            "共享统计",
            "bar-chart",
            "hub:statistics",
            section=SHARING,
            permission="hub.view_dataset",
            order=40,
        ),
        NavItem(
            "我的数据共享记录", "share", "hub:my_disclosures", section=SERVICES, audience=(PORTAL,), order=30
        ),
    ),
    cards=(
        Card(
            "我的数据共享记录",
            "share",
            "hub:my_disclosures",
            "登录后查看哪些部门因何事由使用了您的个人信息。",
            audience=(PUBLIC,),
            order=40,
        ),
        Card(
            "我的数据共享记录",
            "share",
            "hub:my_disclosures",
            "查看哪些部门因何事由使用了您的个人信息（须先完成实名核验）。",
            audience=(PORTAL,),
            order=40,
        ),
    ),
    tiles=(
        Tile(
            "hub.dead_letters",
            "死信待处理",
            "envelope-exclamation",
            collect=dead_letters,
            permission="hub.change_delivery",
        ),
    ),
)
