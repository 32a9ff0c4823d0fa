"""The access matrix: every page and API operation × every role × own / other organisation / superior / peer /
subordinate place, against one record of every kind. Zero server errors, zero leaks, every endpoint covered.

A leak is: a detail, download or write of a record answering 2xx to someone the access policy keeps away from it,
or any answer (list, page, export) carrying the marker of a record its caller may not see.
"""

from __future__ import annotations

import json

import pytest

from .registry import (
    SUBJECTS,
    WRITE_METHODS,
    Endpoint,
    all_endpoints,
    concrete_url,
    contains_marker,
    exemption,
    subject_for,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = all_endpoints()


def _plan(endpoint: Endpoint):
    """(subject key or None, values for the path parameters) — or None when nothing fills them."""
    if not endpoint.params:
        return None, {}
    item = subject_for(endpoint)
    return (item.key, None) if item else None


def _covered() -> list[Endpoint]:
    return [e for e in ENDPOINTS if exemption(e) is None and _plan(e) is not None]


def test_every_endpoint_is_covered(world):
    """An endpoint the matrix neither calls nor exempts (with a reason) fails: add a subject or an exemption."""
    uncovered = []
    for endpoint in ENDPOINTS:
        if exemption(endpoint) is not None:
            continue
        plan = _plan(endpoint)
        if plan is None:
            uncovered.append(f"{endpoint.id}: no subject fills {endpoint.params}")
            continue
        key, _ = plan
        values = SUBJECTS[key].params(world.get(key)) if key else {}
        if concrete_url(endpoint, values) is None:
            uncovered.append(f"{endpoint.id}: subject {key} lacks {set(endpoint.params) - set(values)}")
    assert not uncovered, "endpoints the access matrix does not cover:\n" + "\n".join(uncovered)


def _call(identity, endpoint: Endpoint, url: str):
    client = identity.clients["session"]
    if endpoint.kind == "page":
        response = client.get(url)
        if response.status_code == 405:  # an action page: it takes a form POST
            response = client.post(url, {})
        return "POST" if response.request["REQUEST_METHOD"] == "POST" else "GET", response
    method = endpoint.method.lower()
    if method == "get":
        return "GET", client.get(url)
    if method == "delete":
        return "DELETE", client.delete(url)
    return endpoint.method, getattr(client, method)(url, "{}", content_type="application/json")


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def matrix_problems(world, endpoint: Endpoint) -> list[str]:
    """Call `endpoint` as every identity of the world; the server errors and leaks found."""
    key, _ = _plan(endpoint)
    values = SUBJECTS[key].params(world.get(key)) if key else {}
    url = concrete_url(endpoint, values)
    # Whoever may change the record goes last, so their writes do not change what the others are answered.
    people = sorted(world.identities, key=lambda p: key is not None and world.writable(p, key))
    problems = []
    for person in people:
        method, response = _call(person, endpoint, url)
        status = response.status_code
        where = f"{method} {url} as {person.name}"
        if status >= 500:
            problems.append(f"HTTP {status}: {where}: {_body(response)[:200]!r}")
            continue
        if key is not None:
            if method == "GET" and status == 200 and not world.visible(person, key):
                problems.append(f"LEAK (opened a record it may not see): {where}")
            if method in WRITE_METHODS and 200 <= status < 300 and not world.writable(person, key):
                problems.append(f"LEAK (changed a record it may not change): {where} → {status}")
            if (
                endpoint.kind == "page"
                and method == "POST"
                and status in (301, 302, 303)
                and not world.visible(person, key)  # who may see it may be sent back with a message
                and person.user is not None
                and not response["Location"].startswith("/login")
            ):
                problems.append(f"LEAK? (form POST accepted): {where} → {status} {response['Location']}")
        if status == 200:
            body = _body(response)
            for other, item in SUBJECTS.items():
                if item.marker is None or other not in world.objects or world.visible(person, other):
                    continue
                marker = item.marker(world.objects[other])
                if marker and contains_marker(body, marker):
                    problems.append(f"LEAK ({other} {marker!r} shown): {where}")
    return problems


@pytest.mark.parametrize("endpoint", _covered(), ids=lambda e: e.id)
def test_access_matrix(world, endpoint):
    problems = matrix_problems(world, endpoint)
    assert not problems, "\n".join(problems)


def test_the_matrix_sees_a_leak(world, monkeypatch):
    """The checker itself: were hub consumers secret to everyone, their list and detail would be reported."""
    monkeypatch.setattr(SUBJECTS["hub.consumer"], "visible", lambda user, obj: False)
    world._visible.clear()
    try:
        listed = matrix_problems(world, Endpoint("api", "GET", "/api/v1/hub/consumers"))
        opened = matrix_problems(world, Endpoint("api", "GET", "/api/v1/hub/consumers/{consumer_id}"))
    finally:
        world._visible.clear()
    assert any("LEAK (hub.consumer" in p and "all_roles@own" in p for p in listed), listed
    assert any("LEAK (opened a record" in p and "data_sharing_admin@own" in p for p in opened), opened


def test_the_world_has_every_subject(world):
    missing = [key for key in SUBJECTS if world.objects.get(key) is None]
    assert not missing, f"subjects whose maker made nothing: {missing}"
    assert json.dumps(sorted(world.objects))  # every key is a plain string
