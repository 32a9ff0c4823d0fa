"""Shared test helpers (NetBox-style): every module's tests use these instead of writing their own.

- `ApiClient` speaks JSON to /api/v1 as one user: a session (force_login) or a real personal token (Bearer).
- `assert_api_error` checks the one error convention `{code, message, fields}` with Chinese text.
- `assert_audited` checks that an audit entry was written (and returns it for further assertions).
- `assert_jurisdiction_isolation` is the one-line check every module runs on its list/detail/export endpoints.
- `assert_max_queries` / `assert_list_queries_constant` keep list endpoints free of N+1 queries.
- `ApiModelTests` is the class-based base a module's test subclasses with one line per model: it generates the
  anonymous / no permission / other jurisdiction / other organisation / own tests, the audit check on writes and
  the list query budget (see its docstring).

Only tests import this module; it ships in the package so every app's tests share one implementation.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .choices import AccountKind, AuditEvent, OrganisationKind
from .models import AuditEntry, Jurisdiction, Organisation, Role, User

API_ROOT = "/api/v1"
PASSWORD = "Test-Passw0rd!"

# The four places the isolation check builds staff in (real Guangdong codes, loaded by the test session).
COUNTY_A = "440106000000"  # 广州市天河区
COUNTY_B = "440104000000"  # 广州市越秀区
CITY = "440100000000"  # 广州市
PROVINCE = "440000000000"  # 广东省
OTHER_CITY_COUNTY = "440304000000"  # 深圳市福田区: outside the city, inside the province

_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


# --- people ------------------------------------------------------------------------------------------------------


def organisation_in(code: str, kind: str = OrganisationKind.JUSTICE_BUREAU, *, name: str | None = None):
    """The first organisation of `kind` in jurisdiction `code` (named `name` when given), created when missing."""
    found = Organisation.objects.filter(jurisdiction_id=code, kind=kind)
    if name:
        found = found.filter(name=name)
    organisation = found.order_by("pk").first()
    if organisation is None:
        place = Jurisdiction.objects.get(code=code)
        label = OrganisationKind(kind).label if kind in OrganisationKind.values else "单位"
        organisation = Organisation.objects.create(
            jurisdiction=place, name=name or f"{place.name}{label}", kind=kind
        )
    return organisation


def make_staff(
    code: str,
    *roles: str,
    username: str | None = None,
    organisation: Organisation | None = None,
    **fields,
) -> User:
    """A staff member in jurisdiction `code` holding `roles` (unknown role codes are an error): of the 司法局
    there, or of `organisation` (which must lie in `code`)."""
    found = dict(Role.objects.filter(code__in=roles).values_list("code", "pk"))
    if set(roles) - set(found):  # a module's roles not synced into this test database yet
        from .roles import sync_roles

        sync_roles()
        found = dict(Role.objects.filter(code__in=roles).values_list("code", "pk"))
    unknown = set(roles) - set(found)
    if unknown:
        raise AssertionError(f"unknown role codes: {sorted(unknown)}")
    if organisation is None:
        organisation = organisation_in(code)
    user = User(
        username=username or f"staff-{uuid.uuid4().hex[:12]}",
        real_name=fields.pop("real_name", "测试工作人员"),
        kind=AccountKind.STAFF,
        organisation=organisation,
        jurisdiction_id=code,
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    user.roles.set(found.values())
    user._role_codes = None
    return user


# --- the API client ----------------------------------------------------------------------------------------------


class ApiClient:
    """A Django test client that calls the API as `user` (None: anonymous).

    `bearer=True` issues a real personal token through the service and sends `Authorization: Bearer …`, so the
    token path is exercised; otherwise the user's session is forced. Paths may omit the /api/v1 prefix.
    """

    def __init__(self, user: User | None = None, *, bearer: bool = False, token: str | None = None):
        self.user = user
        self.client = Client()
        self.token = token
        if bearer and token is None:
            if user is None:
                raise ValueError("a Bearer client needs a user")
            from . import services

            _, self.token = services.issue_api_token(actor=user, name="测试令牌")
        if self.token is None and user is not None:
            self.client.force_login(user)

    def _url(self, path: str) -> str:
        return (
            path if path.startswith(API_ROOT) or path.startswith("http") else f"{API_ROOT}/{path.lstrip('/')}"
        )

    def _headers(self, headers: dict | None) -> dict:
        merged = dict(headers or {})
        if self.token:
            merged.setdefault("Authorization", f"Bearer {self.token}")
        return merged

    def get(self, path: str, params: dict | None = None, *, headers: dict | None = None):
        return self.client.get(self._url(path), params or {}, headers=self._headers(headers))

    def _send(self, method: str, path: str, data: Any, headers: dict | None):
        body = json.dumps(data if data is not None else {}, ensure_ascii=False)
        return getattr(self.client, method)(
            self._url(path), body, content_type="application/json", headers=self._headers(headers)
        )

    def post(self, path: str, data: Any = None, *, headers: dict | None = None):
        return self._send("post", path, data, headers)

    def patch(self, path: str, data: Any = None, *, headers: dict | None = None):
        return self._send("patch", path, data, headers)

    def put(self, path: str, data: Any = None, *, headers: dict | None = None):
        return self._send("put", path, data, headers)

    def delete(self, path: str, *, headers: dict | None = None):
        return self.client.delete(self._url(path), headers=self._headers(headers))


def api_client(user: User | None = None, *, bearer: bool = False) -> ApiClient:
    return ApiClient(user, bearer=bearer)


def items_of(response) -> list[dict]:
    """The rows of a list response, paginated (`{items: …}`) or plain."""
    assert response.status_code == 200, (response.status_code, response.content[:500])
    body = response.json()
    return body["items"] if isinstance(body, dict) else body


def csv_rows(response) -> list[dict[str, str]]:
    """The rows of a CSV export (UTF-8 with BOM) as dicts keyed by the header."""
    assert response.status_code == 200, (response.status_code, getattr(response, "content", b"")[:500])
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8")
    assert text.startswith("\ufeff"), "CSV exports start with a BOM so Excel reads Chinese correctly"
    return list(csv.DictReader(io.StringIO(text[1:])))


# --- assertions --------------------------------------------------------------------------------------------------


def assert_api_error(response, status: int, code: str, *, fields: Iterable[str] = ()) -> dict:
    """The response is the JSON error `{code, message, fields}` with a Chinese message (and field errors)."""
    assert response.status_code == status, (
        f"expected HTTP {status}, got {response.status_code}: {response.content[:500]!r}"
    )
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["code"] == code, body
    assert has_chinese(body["message"]), f"error message is not Chinese: {body['message']!r}"
    for name in fields:
        assert name in body["fields"], f"no error for field {name!r}: {body['fields']}"
        messages = body["fields"][name]
        assert messages and all(has_chinese(m) for m in messages), f"field {name!r} messages: {messages}"
    return body


def _event_label(event) -> str:
    if event is None:
        return "任意事件"
    return str(getattr(event, "label", None) or event)


def audit_entries(event: AuditEvent | None = None, *, obj=None, actor=None, **lookups):
    qs = AuditEntry.objects.all()
    if event is not None:
        qs = qs.filter(event=event)
    if obj is not None:
        qs = qs.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if actor is not None:
        qs = qs.filter(actor_id=actor.pk)
    return qs.filter(**lookups).order_by("-id")


def assert_audited(
    event: AuditEvent | None, *, obj=None, actor=None, count: int | None = None, **lookups
) -> AuditEntry:
    """An entry of `event` (None: any event) exists (for `obj`, by `actor`, matching lookups); returns the newest
    such entry."""
    entries = list(audit_entries(event, obj=obj, actor=actor, **lookups))
    if not entries:
        recent = list(
            AuditEntry.objects.order_by("-id").values("event", "object_type", "object_id", "actor_id")[:10]
        )
        raise AssertionError(
            f"no audit entry {_event_label(event)} for {obj!r} by {actor!r} {lookups}; recent: {recent}"
        )
    if count is not None:
        assert len(entries) == count, f"expected {count} entries of {_event_label(event)}, got {len(entries)}"
    return entries[0]


def assert_not_audited(event: AuditEvent, *, obj=None, actor=None, **lookups) -> None:
    found = audit_entries(event, obj=obj, actor=actor, **lookups).count()
    assert found == 0, f"unexpected {found} audit entries of {_event_label(event)}"


# --- jurisdiction isolation ----------------------------------------------------------------------------------------


class _MissingRecord:
    """Stands in for a record that does not exist: every attribute is an id no row has."""

    def __getattr__(self, name):
        return 2_000_000_000


def assert_jurisdiction_isolation(
    *,
    make_record: Callable[[str], Any],
    list_url: str,
    detail_url: Callable[[Any], str],
    roles: Iterable[str],
    export_url: str | None = None,
    missing_url: str | None = None,
    row_id: Callable[[dict], Any] = lambda row: row["id"],
    record_id: Callable[[Any], Any] = lambda obj: obj.pk,
    export_id_column: str = "ID",
) -> None:
    """The one isolation check: staff see their jurisdiction and below, peers see nothing of each other.

    Builds staff holding `roles` in 天河区 (county A), 越秀区 (county B), 广州市 (city) and the province, one staff
    member in county A without the roles, and an anonymous client; `make_record(code)` makes a record in each of
    county A, county B and 深圳市福田区 (outside the city). Then asserts, through list, detail and export:
    county A never sees county B (detail answers 404 exactly like a missing record), the city sees both counties
    but not 福田区, the province sees everything, the role-less user sees nothing, anonymous gets 401.
    """
    roles = list(roles)
    records = {code: make_record(code) for code in (COUNTY_A, COUNTY_B, OTHER_CITY_COUNTY)}
    ids = {code: str(record_id(obj)) for code, obj in records.items()}
    ours = set(ids.values())
    people = {
        "county_a": make_staff(COUNTY_A, *roles),
        "county_b": make_staff(COUNTY_B, *roles),
        "city": make_staff(CITY, *roles),
        "province": make_staff(PROVINCE, *roles),
        "no_role": make_staff(COUNTY_A),
    }
    expected = {
        "county_a": {ids[COUNTY_A]},
        "county_b": {ids[COUNTY_B]},
        "city": {ids[COUNTY_A], ids[COUNTY_B]},
        "province": set(ours),
        "no_role": set(),
    }
    missing = missing_url or detail_url(_MissingRecord())
    for who, user in people.items():
        client = ApiClient(user)
        # List: exactly the records in the user's jurisdiction and below.
        response = client.get(list_url, {"page_size": 100})
        if who == "no_role" and response.status_code == 403:
            assert_api_error(response, 403, "permission_denied")
        else:
            seen = {str(row_id(row)) for row in items_of(response)} & ours
            assert seen == expected[who], f"{who} lists {sorted(seen)}, expected {sorted(expected[who])}"
        # Detail: visible records open; the others answer exactly like a record that does not exist.
        not_found = client.get(missing)
        assert_api_error(not_found, 404, "not_found")
        for code, obj in records.items():
            response = client.get(detail_url(obj))
            if ids[code] in expected[who]:
                assert response.status_code == 200, (
                    f"{who} cannot open its record {code}: {response.content[:300]!r}"
                )
            else:
                assert response.status_code == 404, (
                    f"{who} opened the record of {code}: HTTP {response.status_code}"
                )
                assert response.json() == not_found.json(), "forbidden and missing must be indistinguishable"
        # Export: the same rows as the list.
        if export_url:
            response = client.get(export_url)
            if who == "no_role" and response.status_code == 403:
                assert_api_error(response, 403, "permission_denied")
            else:
                exported = {row[export_id_column] for row in csv_rows(response)} & ours
                assert exported == expected[who], (
                    f"{who} exports {sorted(exported)}, expected {sorted(expected[who])}"
                )
    anonymous = ApiClient(None)
    for url in [list_url, detail_url(records[COUNTY_A]), *([export_url] if export_url else [])]:
        assert_api_error(anonymous.get(url), 401, "not_authenticated")


# --- query budgets ---------------------------------------------------------------------------------------------------


@contextmanager
def assert_max_queries(budget: int, *, using: str = "default"):
    """Fail when the block runs more than `budget` SQL queries (listing them)."""
    with CaptureQueriesContext(connections[using]) as captured:
        yield captured
    if len(captured) > budget:
        listing = "\n".join(f"{i + 1}. {q['sql'][:300]}" for i, q in enumerate(captured.captured_queries))
        raise AssertionError(f"{len(captured)} queries, budget {budget}:\n{listing}")


def assert_list_queries_constant(
    client: ApiClient, url: str, *, make_rows: Callable[[int], Any], budget: int, params: dict | None = None
) -> int:
    """A list endpoint runs the same (bounded) number of queries for 2 rows as for 12: no N+1.

    `make_rows(n)` must add n rows visible to the client's user. Returns the query count.
    """
    params = {"page_size": 100, **(params or {})}
    make_rows(2)
    client.get(url, params)  # warm caches (content types, roles) so both measurements compare like with like
    with CaptureQueriesContext(connections["default"]) as few:
        first = client.get(url, params)
    assert first.status_code == 200, first.content[:300]
    make_rows(10)
    with CaptureQueriesContext(connections["default"]) as many:
        second = client.get(url, params)
    assert second.status_code == 200, second.content[:300]
    assert len(items_of(second)) >= len(items_of(first)) + 10, (
        "make_rows(n) must add rows visible in the list"
    )
    listing = "\n".join(q["sql"][:200] for q in many.captured_queries)
    assert len(many) == len(few), f"N+1: {len(few)} queries for few rows, {len(many)} for more:\n{listing}"
    assert len(many) <= budget, f"{len(many)} queries, budget {budget}:\n{listing}"
    return len(many)


# --- class-based API tests (NetBox style) --------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a record (or a person) sits: a jurisdiction code and one organisation there."""

    code: str
    organisation: Organisation


def _organisation_scoped_note(model) -> str:
    from . import access

    scopes = getattr(access, "scopes_of", None)
    return f" (view scopes: {scopes(model, 'view')})" if scopes else ""


class ApiModelTests:
    """Generated API tests for one model: subclass it with one line per attribute and pytest collects the tests.

        class TestConsumerApi(ApiModelTests):
            model = Consumer
            list_url = "hub/consumers"
            detail_url = "hub/consumers/{pk}"
            roles = ("data_sharing_admin",)
            factory = make_consumer                 # factory(place: Place) -> a record in place.code / place.organisation
            create_payload = consumer_payload       # a dict, or payload(place) -> dict; None: no create test
            create_event = HubAuditEvent.CONSUMER_REGISTERED  # None: any audit entry for the new record by the actor

    Generated: anonymous → 401 (or 200 when `public_read`); staff of the same organisation without the roles →
    403 or not listed, detail 404; staff with the roles in a peer jurisdiction → not listed, detail 404 exactly
    like a missing record; staff with the roles in another organisation of the same jurisdiction → the same, where
    the access policy keeps the model to the organisation (skipped otherwise, with the reason); own → listed, detail
    200; create (and update) through the API leave an audit entry by the actor for the record; the list runs a
    bounded number of queries that does not grow with the rows.

    Records are made in `own_code` (天河区 by default; the province for what the platform owns) and the peer is
    `peer_code` (越秀区). `record_id(obj)` / `row_id(row)` name a record in URLs and list rows (default: pk / "id").
    """

    model: ClassVar[type]
    list_url: ClassVar[str]
    detail_url: ClassVar[str | None] = None  # formatted with pk=record_id(obj) and obj=obj
    roles: ClassVar[tuple[str, ...]] = ()
    factory: ClassVar[Callable[[Place], Any]]
    create_url: ClassVar[str | None] = None  # default: list_url
    create_payload: ClassVar[dict | Callable[[Place], dict] | None] = None
    create_event: ClassVar[Any] = None
    update_url: ClassVar[str | None] = None  # default: detail_url (formatted the same way)
    update_payload: ClassVar[dict | Callable[[Any], dict] | None] = None
    update_method: ClassVar[str] = "patch"
    update_event: ClassVar[Any] = None
    public_read: ClassVar[bool] = False
    own_code: ClassVar[str] = COUNTY_A
    peer_code: ClassVar[str] = COUNTY_B
    other_organisation_kind: ClassVar[str] = OrganisationKind.NOTARY_OFFICE
    list_query_budget: ClassVar[int] = 30
    record_id: ClassVar[Callable[[Any], Any]] = staticmethod(lambda obj: obj.pk)
    row_id: ClassVar[Callable[[dict], Any]] = staticmethod(lambda row: row["id"])
    lookup_field: ClassVar[str] = "pk"  # the model field row_id() values match
    created_id: ClassVar[Callable[[dict], Any] | None] = (
        None  # the new record's id in the create answer (row_id)
    )

    # -- helpers --------------------------------------------------------------------------------------------------

    @pytest.fixture(autouse=True)
    def _api_model_places(self, db):
        self.own = Place(self.own_code, organisation_in(self.own_code))
        self.peer = Place(self.peer_code, organisation_in(self.peer_code))
        self.other_organisation = Place(
            self.own_code, organisation_in(self.own_code, self.other_organisation_kind)
        )

    def make(self, place: Place | None = None):
        return type(self).factory(place or self.own)

    def staff(self, place: Place, *roles: str) -> User:
        return make_staff(place.code, *roles, organisation=place.organisation)

    def detail(self, obj) -> str:
        assert self.detail_url, "no detail_url"
        return self.detail_url.format(pk=type(self).record_id(obj), obj=obj)

    def listed(self, response) -> set[str]:
        return {str(type(self).row_id(row)) for row in items_of(response)}

    def _assert_kept_out(self, client: ApiClient, obj, who: str) -> None:
        """`client` neither lists `obj` nor opens it (404, the same answer as a missing record)."""
        response = client.get(self.list_url, {"page_size": 100})
        if response.status_code != 403:
            assert str(type(self).record_id(obj)) not in self.listed(response), f"{who} lists {obj!r}"
        if self.detail_url:
            response = client.get(self.detail(obj))
            assert response.status_code in (403, 404), (
                f"{who} opened {obj!r}: HTTP {response.status_code} {response.content[:300]!r}"
            )
            if response.status_code == 404:
                missing = client.get(self.detail_url.format(pk=2_000_000_000, obj=_MissingRecord()))
                assert response.json() == missing.json(), "forbidden and missing must be indistinguishable"

    def _assert_sees(self, client: ApiClient, obj, who: str) -> None:
        assert str(type(self).record_id(obj)) in self.listed(client.get(self.list_url, {"page_size": 100})), (
            f"{who} does not list {obj!r}"
        )
        if self.detail_url:
            response = client.get(self.detail(obj))
            assert response.status_code == 200, f"{who} cannot open {obj!r}: {response.content[:300]!r}"

    # -- generated tests -----------------------------------------------------------------------------------------

    def test_anonymous(self):
        obj = self.make()
        client = ApiClient(None)
        if self.public_read:
            self._assert_sees(client, obj, "anonymous")
            return
        assert_api_error(client.get(self.list_url), 401, "not_authenticated")
        if self.detail_url:
            assert_api_error(client.get(self.detail(obj)), 401, "not_authenticated")

    def test_no_permission(self):
        obj = self.make()
        client = ApiClient(self.staff(self.own))
        if self.public_read:
            self._assert_sees(client, obj, "staff without the roles")
        else:
            self._assert_kept_out(client, obj, "staff without the roles")

    def test_other_jurisdiction(self):
        obj = self.make()
        client = ApiClient(self.staff(self.peer, *self.roles))
        if self.public_read:
            self._assert_sees(client, obj, f"staff of {self.peer_code}")
        else:
            self._assert_kept_out(client, obj, f"staff of {self.peer_code}")

    def test_other_organisation(self):
        from . import access

        obj = self.make()
        user = self.staff(self.other_organisation, *self.roles)
        if self.public_read or access.can(user, "view", obj):
            pytest.skip(
                f"{self.model._meta.label} is visible across organisations of a jurisdiction"
                f"{_organisation_scoped_note(self.model)}"
            )
        self._assert_kept_out(ApiClient(user), obj, "staff of another organisation")

    def test_own(self):
        obj = self.make()
        self._assert_sees(ApiClient(self.staff(self.own, *self.roles)), obj, "staff with the roles")

    def test_create_is_audited(self):
        payload = type(self).create_payload
        if payload is None:
            pytest.skip("no create_payload: records of this model are not created through this API")
        user = self.staff(self.own, *self.roles)
        body = payload(self.own) if callable(payload) else payload
        response = ApiClient(user).post(self.create_url or self.list_url, body)
        assert response.status_code in (200, 201), (response.status_code, response.content[:500])
        created_id = type(self).created_id or type(self).row_id
        created = self.model._default_manager.get(**{self.lookup_field: created_id(response.json())})
        assert_audited(self.create_event, obj=created, actor=user)

    def test_update_is_audited(self):
        payload = type(self).update_payload
        if payload is None or not (self.update_url or self.detail_url):
            pytest.skip("no update_payload: records of this model are not changed through this API")
        obj = self.make()
        user = self.staff(self.own, *self.roles)
        body = payload(obj) if callable(payload) else payload
        client = ApiClient(user)
        url = (self.update_url or self.detail_url).format(pk=type(self).record_id(obj), obj=obj)
        response = getattr(client, self.update_method)(url, body)
        assert response.status_code == 200, (response.status_code, response.content[:500])
        assert_audited(self.update_event, obj=obj, actor=user)
        # A peer with the same roles cannot change it, nor can another organisation where the policy keeps changes
        # to the organisation.
        from . import access

        outsiders = [self.staff(self.peer, *self.roles)]
        other = self.staff(self.other_organisation, *self.roles)
        if not access.can(other, "change", obj):
            outsiders.append(other)
        for outsider in outsiders:
            refused = getattr(ApiClient(outsider), self.update_method)(url, body)
            assert refused.status_code in (403, 404), (
                f"{outsider.organisation} changed {obj!r}: HTTP {refused.status_code} {refused.content[:300]!r}"
            )

    def test_list_query_budget(self):
        client = ApiClient(self.staff(self.own, *self.roles))
        assert_list_queries_constant(
            client,
            self.list_url,
            make_rows=lambda n: [self.make() for _ in range(n)],
            budget=self.list_query_budget,
        )
