"""Schemathesis over the platform's OpenAPI document, in-process (WSGI), as several roles with personal tokens.

Every operation gets a few derandomized examples per caller: no answer may be a server error, and every answer
with a documented status must match its schema. `make fuzz` (SMARTJUSTICE_FUZZ=long) runs many more examples as
every identity of the matrix's world in turn (SMARTJUSTICE_FUZZ_EXAMPLES sets the number).
"""

from __future__ import annotations

import itertools
import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from .registry import Endpoint, subject_for

LONG = os.environ.get("SMARTJUSTICE_FUZZ", "") == "long"
EXAMPLES = int(os.environ.get("SMARTJUSTICE_FUZZ_EXAMPLES", "100" if LONG else "5"))
# Anonymous, a citizen, staff holding every role in a county, and the province (platform-owned records).
CALLERS = ("anonymous", "citizen_owner", "all_roles@own", "all_roles@province")

pytestmark = pytest.mark.django_db


def _schema():
    from smartjustice.config.api import api
    from smartjustice.config.wsgi import application

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    loaded.app = application
    return loaded


schema = _schema()
_turn = itertools.count()


@pytest.fixture(autouse=True, scope="module")
def _keep_the_test_connection():
    """The WSGI app is called directly: keep Django from closing the test's database connection after each request
    (as its test client does), or PostgreSQL would lose the world's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_without_server_errors_and_as_documented(case, world):
    # Each example is sent as the next caller in turn (under `make fuzz`: every identity of the world in turn), so
    # the CI run stays at a few requests per operation.
    callers = world.identities if LONG else [p for p in world.identities if p.name in CALLERS]
    turn = next(_turn)
    person = callers[turn % len(callers)]
    if turn % 2 == 0 and case.path_parameters:
        # Every other example addresses the matrix's real records, so answers with data are checked as well as
        # the not-found ones random ids get.
        item = subject_for(Endpoint("api", case.method.upper(), case.operation.path))
        if item is not None:
            values = item.params(world.get(item.key))
            case.path_parameters = {k: values.get(k, v) for k, v in case.path_parameters.items()}
    headers = {"Authorization": f"Bearer {person.token}"} if person.token else {}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_openapi_schema_names_are_unique():
    """django-ninja names a component after its class: two schemas of one name silently share one definition, so
    one of them documents the other's shape (and clients generated from the document break)."""
    from ninja import Schema

    from smartjustice.config.api import api

    documented = set(api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"])
    classes: dict[str, dict[str, str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("smartjustice.") and cls.__name__ in documented:
            shape = json.dumps(cls.model_json_schema(), sort_keys=True, default=str)
            classes.setdefault(cls.__name__, {})[f"{cls.__module__}.{cls.__qualname__}"] = shape
    # Two classes of one name and the same shape document each other correctly; different shapes do not.
    clashes = {name: sorted(found) for name, found in classes.items() if len(set(found.values())) > 1}
    assert not clashes, f"schemas sharing one OpenAPI name (rename one of each): {clashes}"
