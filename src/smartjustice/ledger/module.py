"""The trusted ledger in the module registry: pages, API, navigation, the ledger administrators' tile, demo."""

from __future__ import annotations

from django.urls import reverse

from smartjustice.core.modules import PUBLIC, STAFF, TOP, WORK, Module, NavItem, Tile, TileContent, TodoItem


def may_manage(user) -> bool:
    from .queries import may_manage as allowed

    return allowed(user)


def unsigned_logs(user) -> TileContent:
    """Logs in the user's scope that grew past their newest checkpoint: a checkpoint is to be signed."""
    from . import queries

    in_scope = {log.pk for log in queries.management_for(user)["logs"]}
    pending = [log for log in queries.logs_needing_checkpoint() if log.pk in in_scope]
    href = reverse("ledger:manage")
    return TileContent(
        count=len(pending),
        items=tuple(
            TodoItem(
                title=f"{log.name}：{log.tree_size - (log.signed or 0)} 条新条目尚未签入检查点",
                href=href,
                status="待签发检查点",
            )
            for log in pending
        ),
        href=href,
        empty="各账本的检查点均已签发",
    )


MODULE = Module(
    label="ledger",
    name="可信存证账本",
    url_prefix="ledger/",
    urls="smartjustice.ledger.urls",
    api_prefix="/ledger",
    api_router="smartjustice.ledger.api.router",
    roles="data/roles.json",
    demo="smartjustice.ledger.demo.load",
    demo_order=20,  # credentials are recorded in the ledger
    navigation=(
        NavItem(
            "存证透明公示",
            "shield-check",
            "ledger:transparency",
            section=TOP,
            audience=(PUBLIC,),
            match="/ledger/$",
            order=40,
        ),
        NavItem("验证存证证明", "patch-question", "ledger:verify", section=TOP, audience=(PUBLIC,), order=50),
        NavItem("存证账本管理", "shield-lock", "ledger:manage", section=WORK, visible=may_manage, order=70),
        NavItem(
            "存证透明公示",
            "shield-check",
            "ledger:transparency",
            section=WORK,
            audience=(STAFF,),
            match="/ledger/$",
            order=80,
        ),
    ),
    tiles=(
        Tile(
            "ledger.checkpoints",
            "待签发检查点",
            "shield-lock",
            collect=unsigned_logs,
            permission="ledger.add_checkpoint",
        ),
    ),
)
