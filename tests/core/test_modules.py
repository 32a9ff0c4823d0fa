"""The module registry: every app declares itself in its own folder, core reads the declarations and names no app."""

import ast
import json
import re
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from smartjustice.config.api import api
from smartjustice.core import access, modules
from smartjustice.core.models import Role
from smartjustice.core.roles import sync_roles
from smartjustice.core.scheduler import Job, Scheduler, discover
from tests.core.factories import TIANHE, staff_in

CORE = Path(apps.get_app_config("core").path)


def domain_apps() -> dict[str, str]:
    """Installed apps of the platform other than core, {dotted name: label}, from INSTALLED_APPS itself."""
    return {
        config.name: config.label
        for config in apps.get_app_configs()
        if config.name in settings.INSTALLED_APPS
        and config.name.startswith("smartjustice.")
        and config.name != "smartjustice.core"
    }


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def core_references_to_domain_apps() -> list[str]:
    """Every import of a domain app in core, and every string in core's code or data that names one (a dotted
    path, a permission or URL name such as "govinfo.view_…" / "hub:catalogue", or the bare label)."""
    names = domain_apps()
    labels = sorted(set(names.values()) | {n.rsplit(".", 1)[-1] for n in names})
    dotted = re.compile(r"\bsmartjustice\.(" + "|".join(map(re.escape, labels)) + r")\b")
    prefixed = re.compile(r"^(" + "|".join(map(re.escape, labels)) + r")([.:]|$)")
    found = []
    for path in sorted(CORE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        where = path.relative_to(CORE.parent)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = ".".join(path.relative_to(CORE.parent.parent).with_suffix("").parts[:-1])
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            imported: list[str] = []
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                imported = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for name in imported:
                if any(name == app or name.startswith(app + ".") for app in names):
                    found.append(f"{where}:{node.lineno} imports {name}")
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and (dotted.search(node.value) or prefixed.match(node.value))
            ):
                found.append(f"{where}:{node.lineno} names {node.value!r}")
    for path in sorted((CORE / "data").rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'"(' + "|".join(map(re.escape, labels)) + r')[.:][^"]*"', text):
            found.append(f"{path.relative_to(CORE.parent)} names {match.group(0)}")
        if dotted.search(text):
            found.append(f"{path.relative_to(CORE.parent)} names {dotted.search(text).group(0)}")
    return found


def test_core_neither_imports_nor_names_a_domain_app():
    assert domain_apps(), "INSTALLED_APPS lists no domain app: the test would prove nothing"
    assert core_references_to_domain_apps() == []


def test_the_check_catches_an_import_and_a_permission_string(tmp_path, monkeypatch):
    """The guard itself works: a core file that imports a domain app or names its permission is reported."""
    fake_core = tmp_path / "smartjustice" / "core"
    (fake_core / "data").mkdir(parents=True)
    label = next(iter(domain_apps().values()))
    (fake_core / "leak.py").write_text(
        f"from smartjustice.{label} import queries\nPERM = '{label}.view_thing'\n", encoding="utf-8"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["CORE"]), "CORE", fake_core)
    found = core_references_to_domain_apps()
    assert any("imports" in f for f in found) and any("names" in f for f in found)


# --- discovery ------------------------------------------------------------------------------------------------


def test_every_installed_app_of_the_platform_declares_a_module_in_installed_apps_order():
    declared = [m.label for m in modules.modules()]
    installed = [apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in domain_apps()]
    assert declared[0] == "core"
    assert declared[1:] == installed
    for module in modules.modules():
        assert module.path == Path(apps.get_app_config(module.label).path)


def test_each_module_s_pages_and_api_are_mounted_where_it_declares():
    paths = api.get_openapi_schema()["paths"]
    mounted = {str(p.pattern) for p in import_module(settings.ROOT_URLCONF).urlpatterns}
    for module in modules.modules():
        if module.urls:
            assert module.url_prefix in mounted, module.label
        if module.api_router:
            assert any(p.startswith(f"/api/v1{module.api_prefix}/") for p in paths), module.label
    app_folder = {m.label: m.path for m in modules.modules()}
    for label, folder in app_folder.items():
        if label != "core" and (folder / "api.py").exists():
            assert modules.get(label).api_router, f"{label} has an api.py but declares no router"
        if label != "core" and (folder / "urls.py").exists():
            assert modules.get(label).urls, f"{label} has a urls.py but declares no pages"


def test_every_navigation_item_card_and_declared_file_resolves():
    for module in modules.modules():
        for item in module.navigation:
            assert item.href().startswith("/"), (module.label, item.label)
            assert set(item.audience) <= set(modules.AUDIENCES)
        for card in module.cards:
            assert card.href().startswith("/")
        for kind in ("roles", "hub_datasets", "credential_types"):
            if getattr(module, kind):
                assert module.file(getattr(module, kind)).is_file(), (module.label, kind)
    assert modules.declared_files("hub_datasets"), "the hub declares its catalogue"
    assert modules.declared_files("credential_types"), "credentials declare their types"


def test_a_declaration_for_another_app_is_refused(monkeypatch):
    import smartjustice.hub.module as hub_module

    monkeypatch.setattr(hub_module, "MODULE", modules.Module(label="not_hub", name="错误"))
    modules.clear_cache()
    try:
        with pytest.raises(ImproperlyConfigured):
            modules.modules()
    finally:
        monkeypatch.undo()
        modules.clear_cache()


def test_demo_loaders_run_in_declared_order():
    order = [label for label, _ in modules.demo_loaders()]
    # Credentials are recorded in the ledger; the hub shares what the others published.
    assert order.index("ledger") < order.index("credentials") < order.index("hub")


# --- roles ----------------------------------------------------------------------------------------------------


def test_each_module_s_roles_are_role_definitions_and_role_rows(db):
    roles = access.role_definitions()
    for module in modules.modules():
        if not module.roles:
            continue
        data = json.loads(module.file(module.roles).read_text(encoding="utf-8"))
        for role in data.get("roles", []):
            assert roles[role["code"]]["module"] == module.label
            assert set(role["permissions"]) <= set(roles[role["code"]]["permissions"])
            assert Role.objects.filter(code=role["code"], name=role["name"]).exists()  # synced after migrate
        for code, permissions in data.get("grants", {}).items():
            assert set(permissions) <= set(roles[code]["permissions"])
            assert set(permissions) <= set(Role.objects.get(code=code).permissions)


def test_a_module_grants_its_permission_to_a_role_core_defines(db):
    """The system administrator reads 政府信息公开 requests because govinfo says so, not core."""
    core_file = json.loads((CORE / "data" / "roles.json").read_text(encoding="utf-8"))
    core_admin = next(r for r in core_file["roles"] if r["code"] == "system_admin")
    assert "govinfo.view_govinforequest" not in core_admin["permissions"]
    admin = staff_in(TIANHE, "system_admin")
    assert access.has_permission(admin, "govinfo.view_govinforequest")
    assert not access.has_permission(staff_in(TIANHE, "auditor"), "govinfo.view_govinforequest")


@pytest.fixture
def new_module(tmp_path, monkeypatch):
    """A module added to the platform in its own folder: a role of its own, a grant, a credential type."""
    (tmp_path / "roles.json").write_text(
        json.dumps(
            {
                "roles": [{"code": "patrol_officer", "name": "巡查员", "permissions": ["patrol.*_visit"]}],
                "grants": {"auditor": ["patrol.view_visit"]},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    types = json.loads(modules.declared_files("credential_types")[0].read_text(encoding="utf-8"))
    kind = dict(types["types"][0], code="patrol_badge", name="巡查证")
    (tmp_path / "types.json").write_text(json.dumps({"types": [kind]}, ensure_ascii=False), encoding="utf-8")
    declared = modules.Module(
        label="patrol",
        name="巡查",
        roles="roles.json",
        credential_types="types.json",
        navigation=(
            modules.NavItem("巡查任务", "map", "/patrol/", section="巡查", permission="patrol.view_visit"),
        ),
        path=tmp_path,
    )
    real = modules.modules()
    modules.clear_cache()
    monkeypatch.setattr(modules, "modules", lambda: (*real, declared))
    access.role_definitions.cache_clear()
    yield declared
    monkeypatch.undo()
    modules.clear_cache()


def test_a_new_module_s_roles_grants_navigation_and_types_need_no_core_change(db, new_module):
    from smartjustice.credentials import types

    roles = access.role_definitions()
    assert roles["patrol_officer"]["module"] == "patrol"
    assert "patrol.view_visit" in roles["auditor"]["permissions"]
    sync_roles()
    assert Role.objects.get(code="patrol_officer").name == "巡查员"
    officer = staff_in(TIANHE, "patrol_officer")
    sections = {s["title"]: [i["label"] for i in s["items"]] for s in modules.navigation_for(officer)}
    assert sections["巡查"] == ["巡查任务"]
    assert list(sections).index("巡查") < list(sections).index(modules.LAW)
    assert "巡查" not in {s["title"] for s in modules.navigation_for(staff_in(TIANHE, "mediator"))}
    types.credential_types.cache_clear()
    try:
        assert "patrol_badge" in types.credential_types()
    finally:
        types.credential_types.cache_clear()


def test_a_role_defined_twice_is_refused(new_module, monkeypatch, tmp_path):
    (tmp_path / "roles.json").write_text(
        json.dumps({"roles": [{"code": "auditor", "name": "另一个审计员", "permissions": []}]}),
        encoding="utf-8",
    )
    access.role_definitions.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        access.role_definitions()


# --- navigation -----------------------------------------------------------------------------------------------


def labels(user) -> set[str]:
    return {item["label"] for section in modules.navigation_for(user) for item in section["items"]}


def test_visitors_see_public_pages_and_the_legal_information():
    seen = labels(AnonymousUser())
    assert {"首页", "政府信息公开", "法律法规库", "法宝宝问答"} <= seen
    assert not seen & {"工作台", "访问令牌", "API 文档", "通知"}


# --- the scheduler moved to core ------------------------------------------------------------------------------


def test_periodic_jobs_of_every_module_are_discovered_by_core_s_scheduler():
    jobs = discover()
    assert {"hub.delivery", "ledger.checkpoints"} <= set(jobs)
    assert find_spec("smartjustice.hub.scheduler") is None  # one home: core.scheduler


def test_the_worker_command_is_core_s_and_runs_a_due_job(db):
    from django.core.management import get_commands

    assert get_commands()["worker"] == "smartjustice.core"
    ran = []
    scheduler = Scheduler("test", {"t": Job("t", 60, lambda *, worker_id: ran.append(1))})
    scheduler.tick()
    scheduler.tick()  # not due again within the minute
    assert ran == [1]
    call_command("worker", "--once", "--no-queue", verbosity=0)


def test_the_hub_catalogue_command_loads_every_declared_datasets_file(db):
    from io import StringIO

    from smartjustice.hub.models import Dataset

    codes = {
        spec["code"]
        for path in modules.declared_files("hub_datasets")
        for spec in json.loads(path.read_text(encoding="utf-8"))["datasets"]
    }
    out = StringIO()
    call_command("hub", "load_catalogue", stdout=out)
    assert f"新增 {len(codes)} 项" in out.getvalue()
    assert set(Dataset.objects.values_list("code", flat=True)) == codes
