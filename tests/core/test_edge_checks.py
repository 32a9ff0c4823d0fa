"""No permission logic at the edges: pages and API endpoints outside core ask core.access (restrict / get_for /
can / may_act_in / may), never check roles, superusers or jurisdictions themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import smartjustice

PACKAGE = Path(smartjustice.__file__).parent
FORBIDDEN_CALLS = {"has_permission", "require_permission"}
FORBIDDEN_ATTRIBUTES = {"is_superuser", "is_staff_member", "in_jurisdiction"}


def edge_modules() -> list[Path]:
    """Every app's views.py / api.py and views/*.py / api/*.py, core excluded."""
    found = []
    for app in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name not in {"core", "config"}):
        for name in ("views", "api"):
            if (app / f"{name}.py").exists():
                found.append(app / f"{name}.py")
            if (app / name).is_dir():
                found.extend(sorted((app / name).glob("*.py")))
    return found


def hand_written_checks(source: str, filename: str = "<source>") -> list[str]:
    """`line: what` for each forbidden call or attribute in `source`."""
    problems = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS or isinstance(func, ast.Name) and name in FORBIDDEN_ATTRIBUTES:
                problems.append(f"{node.lineno}: {name}()")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            problems.append(f"{node.lineno}: .{node.attr}")
    return sorted(set(problems), key=lambda p: (int(p.split(":")[0]), p))


def test_the_scan_covers_the_apps_edges():
    names = {f"{p.parent.name}/{p.name}" for p in edge_modules()}
    assert {"hub/views.py", "hub/api.py", "govinfo/views.py", "ledger/api.py", "qa/views.py"} <= names


def test_the_scan_finds_the_idioms_it_forbids():
    source = (
        "def page(request):\n"
        "    access.require_permission(request.user, 'hub.view_consumer')\n"
        "    if request.user.is_superuser or access.in_jurisdiction(request.user, code):\n"
        "        staff = request.user.is_staff_member\n"
        "    return has_permission(request.user, 'x')\n"
    )
    assert [p.split(": ")[1] for p in hand_written_checks(source)] == [
        "require_permission()",
        ".in_jurisdiction",
        ".is_superuser",
        ".is_staff_member",
        "has_permission()",
    ]
    assert (
        hand_written_checks("queries.list_consumers(request.user)\naccess.may(user, 'hub.add_consumer')\n")
        == []
    )


def test_no_view_or_api_module_outside_core_checks_access_by_hand():
    found = {
        str(path.relative_to(PACKAGE)): problems
        for path in edge_modules()
        if (problems := hand_written_checks(path.read_text(encoding="utf-8"), str(path)))
    }
    assert found == {}, "ask core.access (restrict/get_for/can/may_act_in/may) instead:\n" + "\n".join(
        f"  {name}: {', '.join(problems)}" for name, problems in found.items()
    )
