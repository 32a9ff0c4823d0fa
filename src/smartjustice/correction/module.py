"""社区矫正 in the module registry: pages, API, navigation, workbench tiles, roles and demo. Each part adds its
navigation items and tiles inside its own block (see /work/correction-plan.md)."""

from smartjustice.core.modules import (  # noqa: F401  (parts use these)
    CASES,
    EVERYONE,
    PORTAL,
    STAFF,
    TOP,
    WORK,
    Card,
    Module,
    NavItem,
    Tile,
    TileContent,
    TodoItem,
)

NAVIGATION: list = []
TILES: list = []
CARDS: list = []

# block A module
# block B module
# block D module
# block E module
# block F module
# block G module
# block H module

MODULE = Module(
    label="correction",
    name="社区矫正",
    url_prefix="correction/",
    urls="smartjustice.correction.urls",
    api_prefix="/correction",
    api_router="smartjustice.correction.api.router",
    roles="data/roles.json",
    navigation=tuple(NAVIGATION),
    tiles=tuple(TILES),
    cards=tuple(CARDS),
    demo="smartjustice.correction.demo.load",
    demo_order=70,
)
