"""The published OpenAPI document is valid and describes every route the API serves."""

import re

import pytest
from ninja.utils import normalize_path
from openapi_spec_validator import validate

from smartjustice.config.api import api
from smartjustice.core.testing import API_ROOT, ApiClient, has_chinese

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def spec(django_db_blocker):
    with django_db_blocker.unblock():
        response = ApiClient(None).get("openapi.json")
    assert response.status_code == 200
    return response.json()


def registered_operations() -> set[tuple[str, str]]:
    """(METHOD, /api/v1/path) for every operation on every router mounted on the NinjaAPI object."""
    api.urls  # noqa: B018 - binding the routers happens when the URLs are built
    operations = set()
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = normalize_path("/".join(part for part in (API_ROOT, bound.prefix, path) if part))
            full = re.sub(r"{[^}:]+:", "{", full)  # {int:id} → {id}
            for operation in path_view.operations:
                if operation.include_in_schema:
                    operations.update((method.upper(), full) for method in operation.methods)
    return operations


def documented_operations(spec) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def test_the_document_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_registered_route_is_documented_and_nothing_else(spec):
    registered = registered_operations()
    assert len(registered) >= 20, "the core routers alone register about twenty operations"
    assert documented_operations(spec) == registered


def test_operations_are_described_in_chinese(spec):
    missing = [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS and not has_chinese(operation.get("summary", ""))
    ]
    assert missing == [], "operations without a Chinese summary"
    assert has_chinese(spec["info"]["title"])


def test_token_authentication_is_declared(spec):
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values()), schemes
    me = spec["paths"][f"{API_ROOT}/me"]["get"]
    assert me.get("security"), "authenticated operations declare their security"
    obtain = spec["paths"][f"{API_ROOT}/auth/token"]["post"]
    assert not obtain.get("security"), "signing in needs no prior authentication"


# PATCH schemas whose service reads null as "leave this field unchanged" (documented there), not as a value.
NULL_MEANS_UNCHANGED = {
    "ClientPatch": "oauth.services.update_client: None leaves a field alone",
    "WitnessPatch": "ledger.services.witnesses.change_witness: None leaves a field alone",
}


def test_patch_bodies_offer_null_only_where_the_record_may_hold_it(spec):
    """A null in a PATCH body for a field the model cannot hold was a NOT NULL error (500); PatchSchema refuses it
    with a 422 and the document does not offer it, so clients and the fuzzer are not told to send it."""
    from smartjustice.core.schemas import PatchSchema

    bodies = {
        name: schema
        for path in spec["paths"].values()
        for method, operation in path.items()
        if method == "patch"
        for content in operation.get("requestBody", {}).get("content", {}).values()
        for name in [content["schema"].get("$ref", "").rsplit("/", 1)[-1]]
        if (schema := spec["components"]["schemas"].get(name))
    }
    assert {"OrganisationPatch", "UserPatch", "ConsumerPatch", "FaqEntryPatch"} <= set(bodies)
    classes = {cls.__name__: cls for cls in _subclasses(PatchSchema)}
    for name, schema in bodies.items():
        if name in NULL_MEANS_UNCHANGED:
            continue
        assert name in classes, (
            f"{name}: derive it from core.schemas.PatchSchema (or say why null is harmless)"
        )
        offered = {
            field
            for field, prop in schema["properties"].items()
            if any(branch.get("type") == "null" for branch in prop.get("anyOf", ()))
        }
        assert offered == {f for f in schema["properties"] if classes[name].accepts_null(f)}, name


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
