"""The module registry: each app declares itself in its own folder and core reads the declarations.

An app (core included) declares in ``<app>/module.py``::

    MODULE = Module(
        label="govinfo",
        name="政府信息公开",
        url_prefix="govinfo/", urls="smartjustice.govinfo.urls",
        api_prefix="/govinfo", api_router="smartjustice.govinfo.api.router",
        navigation=(NavItem("政府信息公开", "file-earmark-text", "govinfo:list", section=CASES), ...),
        tiles=(Tile("govinfo.open", "在办信息公开申请", "file-earmark-text", collect=open_requests, ...),),
        roles="data/roles.json",          # the app's roles, and permissions it grants to roles defined elsewhere
        demo="smartjustice.govinfo.demo.load", demo_order=10,
    )

Core discovers the declarations by importing ``module`` from every installed app (``INSTALLED_APPS`` stays the
only list of apps), so adding a module touches only its folder and that list. Core never names a domain app:
config/urls.py, config/api.py, the navigation, the workbench, the demo loader, role definitions, the hub catalogue
and the credential types all read from here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import import_string

# Who an item is for: staff on the workbench side, portal users (citizens and enterprises), visitors not signed in.
STAFF = "staff"
PORTAL = "portal"
PUBLIC = "public"
AUDIENCES = (STAFF, PORTAL, PUBLIC)
EVERYONE = AUDIENCES

# Navigation sections, in the order the side navigation shows them. A module may name a section of its own; it is
# placed between the business sections and 法律知识.
TOP = ""  # the untitled first section (visitors' navigation)
SERVICES = "我的服务"
WORK = "业务工作"
SHARING = "数据共享"
CASES = "业务办理"
LAW = "法律知识"
PERSONAL = "个人"
SECTION_ORDER = {TOP: 0, SERVICES: 10, WORK: 10, SHARING: 20, CASES: 30, LAW: 90, PERSONAL: 100}
OTHER_SECTION = 50

Predicate = Callable[[Any], bool]


def _resolve(target):
    """A callable given directly or as a dotted path (so module.py need not import its app at load time)."""
    return import_string(target) if isinstance(target, str) else target


def may(user, *, permission: str = "", visible: Predicate | str | None = None) -> bool:
    """Whether `user` passes an item's permission (through core.access) and its predicate."""
    from . import access

    if permission and not access.may(user, permission):
        return False
    return visible is None or bool(_resolve(visible)(user))


def _href(url: str, query: str = "") -> str:
    """A URL name ("hub:catalogue") reversed, or an href ("/api/v1/docs") as it is."""
    if url.startswith("/") or "://" in url:
        return url + query
    try:
        return reverse(url) + query
    except NoReverseMatch as exc:
        raise ImproperlyConfigured(f"导航项的地址 {url} 无法解析") from exc


@dataclass(frozen=True)
class NavItem:
    """One link of the side navigation."""

    label: str
    icon: str  # a Bootstrap Icons name
    url: str  # a URL name ("hub:catalogue") or an href ("/govinfo/staff/")
    section: str = TOP
    audience: tuple[str, ...] = (STAFF,)
    match: str = ""  # path prefix that marks it active ("…$" for the exact path); default: its own href
    permission: str = ""  # checked through core.access
    visible: Predicate | str | None = None  # predicate(user) -> bool, or its dotted path
    query: str = ""  # appended to the href, e.g. "?status=dead"
    order: int = 100

    def href(self) -> str:
        return _href(self.url, self.query)

    def shown_to(self, user) -> bool:
        return may(user, permission=self.permission, visible=self.visible)


@dataclass(frozen=True)
class Card:
    """A card on the public home page or the portal home page (audience PUBLIC or PORTAL)."""

    title: str
    icon: str
    url: str
    description: str = ""
    audience: tuple[str, ...] = (PUBLIC,)
    permission: str = ""
    visible: Predicate | str | None = None
    order: int = 100

    def href(self) -> str:
        return _href(self.url)

    def shown_to(self, user) -> bool:
        return may(user, permission=self.permission, visible=self.visible)


@dataclass(frozen=True)
class TodoItem:
    """One thing on a user's to-do list: what it is, where to handle it, and its deadline when it has one."""

    title: str
    href: str
    due_on: date | None = None
    due_label: str = "期限"  # what the deadline is: 答复期限, 补正告知期限, 有效期至 …
    status: str = ""
    detail: str = ""

    @property
    def days_left(self) -> int | None:
        """Calendar days until the deadline (negative once it has passed)."""
        return None if self.due_on is None else (self.due_on - timezone.localdate()).days

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass(frozen=True)
class TileContent:
    """What a tile shows one user: how many things wait and the first of them (earliest deadline first)."""

    count: int
    items: tuple[TodoItem, ...] = ()
    href: str = ""  # the full list
    empty: str = ""  # said when count is 0 (the tile is left out when this is blank)


@dataclass(frozen=True)
class Tile:
    """A workbench tile: `collect(user) -> TileContent | None` for the users the permission/predicate admit."""

    key: str
    title: str
    icon: str
    collect: Callable[[Any], TileContent | None] | str
    permission: str = ""
    visible: Predicate | str | None = None
    order: int = 100

    def shown_to(self, user) -> bool:
        return may(user, permission=self.permission, visible=self.visible)

    def content_for(self, user) -> TileContent | None:
        return _resolve(self.collect)(user)


@dataclass(frozen=True)
class Module:
    """What an app contributes to the platform; declared as `MODULE` in `<app>/module.py`."""

    label: str  # the app label (AppConfig.label)
    name: str  # Chinese name, for pages and the module guide
    url_prefix: str = ""  # "govinfo/" — pages mounted there from `urls`
    urls: str = ""  # dotted path of the URLconf module
    api_prefix: str = ""  # "/govinfo" — the router mounted there under /api/v1
    api_router: str = ""  # dotted path of the ninja Router
    navigation: tuple[NavItem, ...] = ()
    cards: tuple[Card, ...] = ()
    tiles: tuple[Tile, ...] = ()
    roles: str = ""  # path, relative to the app folder, of its roles file (format of core/data/roles.json)
    demo: str = ""  # dotted path of `load() -> core.demo.Step`
    demo_order: int = 100  # later loaders use what earlier ones made
    hub_datasets: str = ""  # path, relative to the app folder, of its hub catalogue file
    credential_types: str = ""  # path, relative to the app folder, of its credential types file
    path: Path | None = field(default=None, compare=False)  # the app folder, filled in on discovery

    def file(self, relative: str) -> Path:
        return Path(self.path) / relative


# --- discovery ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def modules() -> tuple[Module, ...]:
    """Every installed app's declaration, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.module"
        try:
            if find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        declared = getattr(import_module(name), "MODULE", None)
        if not isinstance(declared, Module):
            continue
        if declared.label != config.label:
            raise ImproperlyConfigured(
                f"{name}: MODULE.label 应为 {config.label!r}，而不是 {declared.label!r}"
            )
        found.append(replace(declared, path=Path(config.path)))
    return tuple(found)


def get(label: str) -> Module | None:
    return next((m for m in modules() if m.label == label), None)


def is_installed(label: str) -> bool:
    return get(label) is not None


def clear_cache() -> None:
    """Forget the discovered modules and what was derived from them (tests that swap a declaration)."""
    from . import access

    modules.cache_clear()
    access.role_definitions.cache_clear()


def declared_files(kind: str) -> list[Path]:
    """The files modules declare for `kind` ("roles", "hub_datasets", "credential_types"), in module order."""
    return [m.file(getattr(m, kind)) for m in modules() if getattr(m, kind)]


# --- URLs and API ------------------------------------------------------------------------------------------------


def url_patterns() -> list:
    """`path(prefix, include(urls))` for every module that has pages."""
    from django.urls import include, path

    return [path(m.url_prefix, include(m.urls)) for m in modules() if m.urls]


def add_routers(api) -> None:
    """Mount every module's router on the NinjaAPI."""
    for m in modules():
        if m.api_router:
            api.add_router(m.api_prefix or f"/{m.label}", m.api_router)


# --- roles -------------------------------------------------------------------------------------------------------


def role_definitions() -> dict[str, dict]:
    """Every module's roles by code, each with the permissions other modules grant to it.

    A roles file holds ``{"roles": [{code, name, description, permissions}], "grants": {code: [permission]}}``:
    `roles` are the module's own; `grants` add the module's permissions to roles defined elsewhere (so the system
    administrator's role, defined by core, can read 政府信息公开 requests without core naming that app).
    """
    roles: dict[str, dict] = {}
    grants: list[tuple[str, str, list[str]]] = []
    for m in modules():
        if not m.roles:
            continue
        data = json.loads(m.file(m.roles).read_text(encoding="utf-8"))
        for role in data.get("roles", []):
            if role["code"] in roles:
                raise ImproperlyConfigured(
                    f"角色 {role['code']} 重复定义（{roles[role['code']]['module']} 与 {m.label}）"
                )
            roles[role["code"]] = {
                **role,
                "permissions": list(role.get("permissions", [])),
                "module": m.label,
            }
        grants.extend((m.label, code, perms) for code, perms in data.get("grants", {}).items())
    for label, code, perms in grants:
        if code not in roles:
            raise ImproperlyConfigured(f"{label} 向不存在的角色 {code} 授予权限")
        roles[code]["permissions"] += [p for p in perms if p not in roles[code]["permissions"]]
    return roles


# --- navigation, cards, tiles, demo ------------------------------------------------------------------------------


def audience_of(user) -> str:
    if not user.is_authenticated:
        return PUBLIC
    return STAFF if (user.is_staff_member or user.is_superuser) else PORTAL


def navigation_for(user) -> list[dict]:
    """The side navigation of `user`: sections of {label, icon, href, match} the user may open."""
    audience = audience_of(user)
    entries = [
        item for m in modules() for item in m.navigation if audience in item.audience and item.shown_to(user)
    ]
    sections: dict[str, list[NavItem]] = {}
    for item in sorted(entries, key=lambda i: (SECTION_ORDER.get(i.section, OTHER_SECTION), i.order)):
        sections.setdefault(item.section, []).append(item)
    result = []
    for title, items in sections.items():
        links = []
        for item in items:
            href = item.href()
            links.append({"label": item.label, "icon": item.icon, "href": href, "match": item.match or href})
        result.append({"title": title, "items": links})
    return result


def cards_for(user, audience: str) -> list[dict]:
    """Cards of the public (PUBLIC) or portal (PORTAL) home page that `user` may open."""
    shown = [c for m in modules() for c in m.cards if audience in c.audience and c.shown_to(user)]
    return [
        {"title": c.title, "icon": c.icon, "href": c.href(), "description": c.description}
        for c in sorted(shown, key=lambda c: c.order)
    ]


def tiles_for(user) -> list[tuple[Tile, TileContent]]:
    """The workbench tiles of `user` with their content; a tile with nothing to say is left out."""
    shown = sorted((t for m in modules() for t in m.tiles if t.shown_to(user)), key=lambda t: t.order)
    result = []
    for tile in shown:
        content = tile.content_for(user)
        if content is None or (content.count == 0 and not content.empty):
            continue
        result.append((tile, content))
    return result


def demo_loaders() -> list[tuple[str, Callable[[], Any]]]:
    """(module label, load) for every module with demo records, in declared order (ties: INSTALLED_APPS order)."""
    declared = [(m.demo_order, index, m) for index, m in enumerate(modules()) if m.demo]
    return [(m.label, import_string(m.demo)) for _, _, m in sorted(declared, key=lambda d: d[:2])]


def by_deadline(items: Iterable[TodoItem]) -> list[TodoItem]:
    """To-do items with the earliest deadline first; those without a deadline last."""
    return sorted(items, key=lambda i: (i.due_on is None, i.due_on or date.max))
