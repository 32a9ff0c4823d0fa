"""Out-of-range numbers in any query or path parameter answer 422 in Chinese (or an empty page), never a 500.

The endpoints and their integer parameters are read from the OpenAPI document, so a new list endpoint is covered
the day it is added.
"""

import pytest

from smartjustice.config.api import api
from smartjustice.core.models import User
from smartjustice.core.testing import API_ROOT, ApiClient, has_chinese

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # more than any 64-bit database integer holds


def _integer(schema: dict) -> bool:
    if schema.get("type") == "integer":
        return True
    return any(_integer(option) for option in schema.get("anyOf", []) + schema.get("allOf", []))


def integer_parameters() -> list[tuple[str, str, str]]:
    """(path template, parameter, "query"/"path") for every integer parameter of every GET operation."""
    spec = api.get_openapi_schema()
    found = []
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] in ("query", "path") and _integer(parameter.get("schema", {})):
                found.append((path, parameter["name"], parameter["in"]))
    return sorted(found)


CASES = integer_parameters()


def test_the_document_has_integer_filters_to_check():
    names = {(path.removeprefix(API_ROOT), name) for path, name, _ in CASES}
    assert ("/users", "organisation") in names and ("/statutes/laws", "page") in names


def _url(path: str, name: str, where: str) -> tuple[str, dict]:
    """The request: the huge number in `name`, every other path parameter a plain 1."""
    filled = path
    params = {}
    for part in [p for p in path.split("/") if p.startswith("{")]:
        filled = filled.replace(part, HUGE if part[1:-1] == name else "1")
    if where == "query":
        params[name] = HUGE
    return filled, params


@pytest.fixture
def superuser():
    return User.objects.create_superuser("bounds-root", password="Pw-0123456789")


@pytest.mark.parametrize(("path", "name", "where"), CASES, ids=[f"{p}?{n}" for p, n, _ in CASES])
def test_a_huge_number_is_refused_in_chinese_never_a_server_error(path, name, where, superuser):
    url, params = _url(path, name, where)
    for who in (None, superuser):
        response = ApiClient(who).get(url, params)
        assert response.status_code != 500, (who, url, params, response.content[:300])
        if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and "message" in body:
                assert has_chinese(body["message"]), body


def test_a_page_beyond_the_range_answers_422_naming_the_field():
    response = ApiClient(None).get("statutes/laws", {"page": HUGE})
    assert response.status_code == 422
    assert "page" in response.json()["fields"]
