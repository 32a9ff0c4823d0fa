"""执法公示 in the module registry: the public pages (执法主体、人员、权责清单、程序、处罚决定、年度数据), the staff's
annual reports, the to-do tile, roles."""

from __future__ import annotations

from django.urls import reverse

from smartjustice.core.modules import (
    PORTAL,
    PUBLIC,
    STAFF,
    TOP,
    WORK,
    Card,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
    by_deadline,
)

TILE_ITEMS = 8


def reports_due(user) -> TileContent:
    """Reports the user's office still has to file (with the configured filing date) and reports from the level
    below waiting for the user's review."""
    from . import queries

    to_file = list(queries.reports_to_file(user)[:TILE_ITEMS])
    to_review = list(queries.reports_to_review(user)[:TILE_ITEMS])
    items = [
        TodoItem(
            title=f"填报：{r.jurisdiction.name}{r.year} 年度行政执法数据",
            href=reverse("disclosure:report-detail", args=[r.pk]),
            due_on=r.due_on,
            due_label="报送期限",
            status=r.status_label,
            detail=r.return_reason[:60] if r.return_reason else "",
        )
        for r in to_file
    ] + [
        TodoItem(
            title=f"审核：{r.jurisdiction.name}{r.year} 年度行政执法数据",
            href=reverse("disclosure:report-detail", args=[r.pk]),
            due_on=r.due_on,
            due_label="报送期限",
            status=r.status_label,
            detail=r.organisation.name,
        )
        for r in to_review
    ]
    return TileContent(
        count=len(items),
        items=tuple(by_deadline(items)[:TILE_ITEMS]),
        href=reverse("disclosure:reports"),
        empty="没有待填报或待审核的年度行政执法数据",
    )


MODULE = Module(
    label="disclosure",
    name="执法公示",
    url_prefix="disclosure/",
    urls="smartjustice.disclosure.urls",
    api_prefix="/disclosure",
    api_router="smartjustice.disclosure.api.router",
    roles="data/roles.json",
    navigation=(
        NavItem(
            "行政执法公示",
            "megaphone",
            "disclosure:index",
            section=TOP,
            audience=(PUBLIC,),
            match="/disclosure/",
            order=40,
        ),
        NavItem(
            "行政执法公示",
            "megaphone",
            "disclosure:index",
            section=WORK,
            audience=(STAFF, PORTAL),
            match="/disclosure/",
            order=62,
        ),
        NavItem(
            "年度行政执法数据",
            "bar-chart-line",
            "disclosure:reports",
            section=WORK,
            audience=(STAFF,),
            permission="disclosure.view_annualreport",
            match="/disclosure/reports/",
            order=63,
        ),
    ),
    cards=(
        Card(
            "行政执法公示",
            "megaphone",
            "disclosure:index",
            "执法主体、执法人员、执法程序、行政处罚决定和年度行政执法数据。",
            audience=(PUBLIC,),
            order=40,
        ),
    ),
    tiles=(
        Tile(
            "disclosure.reports",
            "年度行政执法数据",
            "bar-chart-line",
            collect=reports_due,
            permission="disclosure.view_annualreport",
        ),
    ),
    demo="smartjustice.disclosure.demo.load",
    demo_order=60,  # after the enforcement demo: the reports' figures are computed from its cases
)
