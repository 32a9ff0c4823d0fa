"""行政执法 in the module registry: the power list's pages, API, navigation, roles and demo (and the extraction of
penalty provisions behind its proposals)."""

from smartjustice.core.modules import EVERYONE, LAW, STAFF, WORK, Module, NavItem

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
    ),
    demo="smartjustice.enforcement.demo.load",
    demo_order=50,  # after the statute library's laws and the demo accounts
)
