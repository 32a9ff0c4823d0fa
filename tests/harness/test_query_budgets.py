"""Query budgets: every list page and list API answers with the same, bounded number of SQL queries for a few rows
as for many (no N+1). The rows come from the matrix's subjects: a subject feeds the lists its routes hang under."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from .registry import SUBJECTS, all_endpoints, exemption

pytestmark = pytest.mark.django_db

BUDGET = 40  # queries for one list answer, whatever the number of rows
MORE = 8  # rows added between the two measurements


def _plain(route: str) -> str:
    return re.sub(r"<[^>]+>|\{\w+\}", "{}", route)


def _feeds(endpoint) -> list[str]:
    """The subjects whose detail routes sit right under this list route."""
    child = _plain(endpoint.route.rstrip("/") + ("/{id}" if endpoint.kind == "api" else "/<int:pk>/"))
    return sorted(
        key for key, item in SUBJECTS.items() if any(fnmatchcase(child, _plain(p)) for p in item.routes)
    )


LISTS = [
    (endpoint, key)
    for endpoint in all_endpoints()
    if endpoint.method == "GET" and not endpoint.params and exemption(endpoint) is None
    for key in _feeds(endpoint)
]


def _count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get(url, {"page_size": 100} if url.startswith("/api/") else {})
    return len(queries), response.status_code


READERS = ("all_roles@own", "all_roles@superior", "all_roles@province", "citizen_owner")


@pytest.mark.parametrize(("endpoint", "key"), LISTS, ids=[f"{e.route}:{k}" for e, k in LISTS])
def test_list_queries_do_not_grow_with_rows(world, endpoint, key):
    item = SUBJECTS[key]
    item.make(world)
    for name in READERS:
        reader = next(p for p in world.identities if p.name == name)
        client = reader.clients["session"]
        if world.visible(reader, key) and client.get(endpoint.route).status_code == 200:
            break  # (that request also warmed per-process caches: content types, roles, the menu)
    else:
        pytest.skip(f"no reader among {READERS} lists {key} at {endpoint.route}")
    few, _ = _count(client, endpoint.route)
    for _ in range(MORE):
        item.make(world)
    many, status = _count(client, endpoint.route)
    assert status == 200
    assert many == few, f"N+1 on {endpoint.route}: {few} queries before {MORE} more {key} rows, {many} after"
    assert many <= BUDGET, f"{endpoint.route} runs {many} queries (budget {BUDGET})"
