"""行政执法 in the module registry: the power list's pages, API, navigation, roles and demo (and the extraction of
penalty provisions behind its proposals)."""

from smartjustice.core.modules import (
    CASES,
    EVERYONE,
    LAW,
    STAFF,
    TOP,
    WORK,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

# --- 办案 (helper H2): the handler's to-do tile ------------------------------------------------------------------

OPEN_CASE_STATES = (
    "lead",
    "investigating",
    "legal_review",
    "notified",
    "hearing",
    "discussion",
    "decided",
    "served",
)
TILE_ITEMS = 8


def open_cases(user) -> TileContent:
    """在办案件 of the user's agency, fewest days left on their statutory clock first (立案期限、决定期限、缴款期限 …)."""
    from django.urls import reverse

    from smartjustice.core import clocks

    from . import case_queries

    waiting = case_queries.list_cases(user).filter(
        agency_id=getattr(user, "organisation_id", None), status__in=OPEN_CASE_STATES
    )
    items = []
    for case in clocks.order_by_remaining(waiting)[:TILE_ITEMS]:
        clock = clocks.clock_of(case)
        items.append(
            TodoItem(
                title=f"{case.number or '线索'} {case.cause}",
                href=reverse("enforcement:case-detail", args=[case.pk]),
                due_on=case.clock_due_on,
                due_label=(clock.label if clock is not None else "期限")
                + ("（已暂停）" if case.clock_paused_on else ""),
                status=case.get_status_display(),
                detail=case.party.name,
            )
        )
    return TileContent(
        count=waiting.count(),
        items=tuple(items),
        href=reverse("enforcement:cases"),
        empty="没有在办的行政处罚案件",
    )


# --- 双随机 (helper H4): the officer's to-do tile -----------------------------------------------------------------


def pending_inspections(user) -> TileContent:
    """Inspections the user was drawn for and has not recorded yet (enforcement/inspection_queries.py)."""
    from .inspection_queries import pending_inspections_tile

    return pending_inspections_tile(user)


MODULE = Module(
    label="enforcement",
    name="行政执法",
    url_prefix="enforcement/",
    urls="smartjustice.enforcement.urls",
    api_prefix="/enforcement",
    api_router="smartjustice.enforcement.api.router",
    roles="data/roles.json",
    navigation=(
        NavItem(
            "权责清单",
            "list-check",
            "enforcement:items",
            section=LAW,
            audience=EVERYONE,
            match="/enforcement/items/$",
            order=60,
        ),
        NavItem(
            "权责清单维护",
            "pencil-square",
            "enforcement:item-manage",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.change_enforcementitem",
            order=60,
        ),
        NavItem(
            "行政执法人员",
            "person-badge",
            "enforcement:officers",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.view_enforcementofficer",
            order=61,
        ),
        # 我的执法证 (H8): the signed-in officer's 行政执法证 and its QR code.
        NavItem(
            "我的执法证",
            "qr-code",
            "enforcement:officer-me",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.view_enforcementofficer",
            match="/enforcement/officers/me/",
            order=62,
        ),
        # 双随机、一公开 (H4): plans, the registry, the officer's tasks, and the public results.
        NavItem(
            "双随机抽查",
            "shuffle",
            "enforcement:plans",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.view_inspectionplan",
            order=62,
        ),
        NavItem(
            "监管对象名录",
            "buildings",
            "enforcement:entities",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.view_regulatedentity",
            order=63,
        ),
        NavItem(
            "我的抽查任务",
            "clipboard-check",
            "enforcement:my-inspections",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.change_inspection",
            order=64,
        ),
        NavItem(
            "双随机抽查结果公示",
            "megaphone",
            "enforcement:public-plans",
            section=TOP,
            audience=EVERYONE,
            order=65,
        ),
        # 移动执法 (H3): an officer's phone pages — cases and deadlines, party look-up, 亮证, on-site records, 当场处罚.
        NavItem(
            "移动执法",
            "phone",
            "enforcement:m-home",
            section=WORK,
            audience=(STAFF,),
            permission="enforcement.add_enforcementcase",
            match="/enforcement/m/",
            order=66,
        ),
        # 办案 (H2): the case list and the party lookup.
        NavItem(
            "行政处罚案件",
            "folder2-open",
            "enforcement:cases",
            section=CASES,
            audience=(STAFF,),
            permission="enforcement.view_enforcementcase",
            match="/enforcement/cases/",
            order=20,
        ),
        NavItem(
            "当事人查询",
            "person-vcard",
            "enforcement:parties",
            section=CASES,
            audience=(STAFF,),
            permission="enforcement.view_party",
            match="/enforcement/parties/",
            order=21,
        ),
    ),
    tiles=(
        Tile(
            "enforcement.open_cases",
            "在办案件",
            "folder2-open",
            collect=open_cases,
            permission="enforcement.change_enforcementcase",
        ),
        # 双随机 (H4): the officer's pending inspections.
        Tile(
            "enforcement.pending_inspections",
            "待检查的抽查任务",
            "clipboard-check",
            collect=pending_inspections,
            permission="enforcement.change_inspection",
        ),
    ),
    demo="smartjustice.enforcement.demo.load",
    # After the ledger (evidence hashes) and the credentials (certificates); before the hub's demo (40), which fans out
    # what the modules published — the decisions of the demo cases among them.
    demo_order=35,
)
