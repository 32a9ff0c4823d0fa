"""The access matrix's registry: every endpoint (URLconf pages + OpenAPI operations), the records (subjects) that
fill their path parameters, the people who call them, and the endpoints exempted with a reason.

A module extends it in `tests/<app>/matrix.py` (imported by `discover()`): `subject(...)` for each record kind its
routes take, `exempt(route, reason)` for an endpoint the matrix must not call. An endpoint whose path parameters no
subject fills and that is not exempted fails `test_every_endpoint_is_covered`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

API_PREFIX = "/api/v1"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Endpoint:
    """One thing a client can call: `route` is the URLconf or OpenAPI template, `method` the HTTP method."""

    kind: str  # "page" or "api"
    method: str
    route: str  # "/hub/consumers/<int:pk>/" or "/api/v1/hub/consumers/{consumer_id}"
    public: bool = False  # the OpenAPI operation declares no security

    @property
    def params(self) -> list[str]:
        return _names(self.route)

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"


def _names(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)]


@dataclass
class Subject:
    """A kind of record the matrix makes once per run, and the routes whose parameters it fills.

    `make(world)` builds the record in the world's own place (天河区, the own organisation). `params(obj)` gives
    path parameter values by name. `marker(obj)` is text that identifies the record in any answer (a page, a list
    row, an export line): it must never reach someone `visible(user, obj)` refuses. `visible` defaults to
    core.access.can(user, "view", obj); `writable` (who may change it) to can(user, "change", obj).
    """

    key: str
    make: Callable[[Any], Any]
    routes: tuple[str, ...]
    params: Callable[[Any], dict]
    marker: Callable[[Any], str] | None = None
    visible: Callable[[Any, Any], bool] | None = None
    writable: Callable[[Any, Any], bool] | None = None
    order: int = 100  # creation order (a subject may use records of earlier ones through the world)

    def matches(self, route: str) -> bool:
        return any(fnmatchcase(route, pattern) for pattern in self.routes)

    def specificity(self, route: str) -> int:
        return max((len(p) for p in self.routes if fnmatchcase(route, p)), default=-1)


SUBJECTS: dict[str, Subject] = {}
EXEMPT: dict[str, str] = {}  # "METHOD route" or "route" (glob) -> reason


def subject(key: str, **kwargs) -> Subject:
    SUBJECTS[key] = Subject(key=key, **kwargs)
    return SUBJECTS[key]


def exempt(route: str, reason: str) -> None:
    """Keep the matrix away from `route` ("METHOD /path" or a glob over routes); the reason is required."""
    assert reason and len(reason) > 10, f"exempting {route} needs a reason"
    EXEMPT[route] = reason


def exemption(endpoint: Endpoint) -> str | None:
    for pattern, reason in EXEMPT.items():
        if fnmatchcase(endpoint.id, pattern) or fnmatchcase(endpoint.route, pattern):
            return reason
    return None


def discover() -> None:
    """Import the harness's own subjects and every `tests/<app>/matrix.py`."""
    import tests

    importlib.import_module("tests.harness.subjects")
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg and info.name != "harness":
            try:
                importlib.import_module(f"tests.{info.name}.matrix")
            except ModuleNotFoundError as error:
                if error.name != f"tests.{info.name}.matrix":
                    raise


# --- endpoints ---------------------------------------------------------------------------------------------------------


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            text = _route_text(pattern.pattern)
            if text.startswith(API_PREFIX.strip("/")):
                continue  # the API is enumerated from its OpenAPI document
            yield from _walk(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            yield prefix + _route_text(pattern.pattern)


def _route_text(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):  # re_path: the literal path it matches
        text = text.lstrip("^").rstrip("$").replace("\\", "").replace("/?", "/")
    return text


def page_endpoints() -> list[Endpoint]:
    routes = sorted({"/" + route for route in _walk(get_resolver().url_patterns)})
    return [Endpoint("page", "GET", route) for route in routes]


def api_endpoints() -> list[Endpoint]:
    from smartjustice.config.api import api

    # The trailing slash: ninja strips child routers' leading slashes, so "" sub-routers would read "/api/v1enforcement".
    schema = api.get_openapi_schema(path_prefix=API_PREFIX + "/")
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method.upper() in ("GET", *WRITE_METHODS):
                found.append(Endpoint("api", method.upper(), path, public=not operation.get("security")))
    return sorted(found, key=lambda e: (e.route, e.method))


def all_endpoints() -> list[Endpoint]:
    return page_endpoints() + api_endpoints()


def subject_for(endpoint: Endpoint) -> Subject | None:
    candidates = [s for s in SUBJECTS.values() if s.matches(endpoint.route)]
    return max(candidates, key=lambda s: s.specificity(endpoint.route), default=None)


def concrete_url(endpoint: Endpoint, values: dict) -> str | None:
    """The endpoint's route with its parameters filled from `values`, or None when one is missing."""
    missing = [name for name in _names(endpoint.route) if name not in values]
    if missing:
        return None

    def fill(match):
        return str(values[match.group(1) or match.group(2)])

    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", fill, endpoint.route)


# --- people ------------------------------------------------------------------------------------------------------------


@dataclass
class Identity:
    """Someone the matrix calls as: `position` relative to the records (own / other_org / subordinate / peer /
    superior / citizen / anonymous) and the roles held."""

    name: str
    position: str
    roles: tuple[str, ...] = ()
    user: Any = None
    clients: dict = field(default_factory=dict)
    token: str = ""  # a personal access token (Bearer) for the API


def contains_marker(body: bytes, marker: str) -> bool:
    text = body.decode("utf-8", "replace")
    return marker in text or json.dumps(marker)[1:-1] in text
