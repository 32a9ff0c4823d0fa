"""The statute library in the module registry: pages under /laws/, the API, and its navigation."""

from smartjustice.core.modules import EVERYONE, LAW, Module, NavItem, Tile, TileContent, TodoItem


def open_alerts(user) -> TileContent:
    """Rules whose cited article was amended or repealed, not yet acknowledged (province administrators)."""
    from django.urls import reverse

    from . import queries

    alerts = queries.alerts_for(user, show="open")
    return TileContent(
        count=alerts.count(),
        items=tuple(
            TodoItem(
                title=f"{a.citation_text}{a.get_status_display()}",
                href=reverse("statutes:alerts"),
                status=a.get_law_status_display() or a.get_status_display(),
                detail=a.rule_summary,
            )
            for a in alerts[:5]
        ),
        href=reverse("statutes:alerts"),
        empty="没有待处理的法条变更提醒",
    )


MODULE = Module(
    label="statutes",
    name="法律法规库",
    url_prefix="laws/",
    urls="smartjustice.statutes.urls",
    api_prefix="/statutes",
    api_router="smartjustice.statutes.api.router",
    navigation=(
        NavItem(
            "法律法规库", "book", "statutes:list", section=LAW, audience=EVERYONE, match="/laws/", order=10
        ),
        NavItem("引用核验", "check2-square", "statutes:citation-check", section=LAW, order=40),
        NavItem("规则与法条", "diagram-3", "statutes:rules", section=LAW, order=50, match="/laws/rules/$"),
        NavItem(
            "法条变更提醒",
            "bell",
            "statutes:alerts",
            section=LAW,
            order=60,
            visible="smartjustice.statutes.queries.may_manage_alerts",
        ),
    ),
    tiles=(
        Tile(
            "statutes.alerts",
            "法条变更提醒",
            "bell",
            collect=open_alerts,
            visible="smartjustice.statutes.queries.may_manage_alerts",
        ),
    ),
    roles="data/roles.json",  # grants system_admin the 法条变更提醒 page (rules whose cited article changed)
    demo="smartjustice.statutes.demo.load",
    demo_order=90,  # checks the rules after the law library and the other modules are loaded
)
