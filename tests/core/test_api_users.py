"""Accounts through /api/v1: isolation, validation in Chinese, personal information masked unless lawfully viewed."""

import json

import pytest

from smartjustice.core.choices import AccountKind, AuditEvent
from smartjustice.core.models import AuditEntry, User
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    assert_list_queries_constant,
    assert_not_audited,
    csv_rows,
    items_of,
)

from .factories import (
    GUANGZHOU,
    PASSWORD,
    TIANHE,
    YUEXIU,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    jurisdiction,
    staff_in,
)

pytestmark = pytest.mark.django_db


def clerk(code: str) -> User:
    """A staff member holding personal information (generated ID number and mobile) in jurisdiction `code`."""
    org = OrganisationFactory(jurisdiction=jurisdiction(code), kind="justice_station")
    return StaffFactory(organisation=org, roles=["mediator"])


def assert_masked(shown: str, raw: str) -> None:
    assert raw, "the record must hold a value to mask"
    assert shown and shown != raw, f"{raw!r} shown as {shown!r}"
    assert raw not in shown


def test_accounts_are_isolated_by_jurisdiction():
    assert_jurisdiction_isolation(
        make_record=clerk,
        list_url="users",
        detail_url=lambda user: f"users/{user.pk}",
        export_url="users/export.csv",
        roles=["system_admin"],
    )


def test_auditors_see_accounts_of_their_jurisdiction_only():
    assert_jurisdiction_isolation(
        make_record=clerk, list_url="users", detail_url=lambda user: f"users/{user.pk}", roles=["auditor"]
    )


# --- personal information ---------------------------------------------------------------------------------------


def test_personal_information_is_masked_in_lists_even_for_administrators():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    response = ApiClient(admin).get("users", {"organisation": person.organisation_id})
    [row] = items_of(response)
    assert row["pii_masked"] is True
    assert_masked(row["id_number"], person.id_number)
    assert_masked(row["phone"], person.phone)
    assert person.id_number not in response.content.decode()
    assert_not_audited(AuditEvent.PII_VIEWED, obj=person)


def test_personal_information_is_masked_in_exports():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    response = ApiClient(admin).get("users/export.csv", {"organisation": person.organisation_id})
    [row] = csv_rows(response)
    assert row["账号"] == person.username
    assert_masked(row["身份证号码"], person.id_number)
    assert_masked(row["手机号码"], person.phone)
    assert row["角色"] == "调解员"
    assert_audited(AuditEvent.DATA_EXPORTED, actor=admin, object_type="core.user")


def test_detail_reveals_personal_information_to_holders_of_view_pii_and_records_the_view():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    plain = ApiClient(admin).get(f"users/{person.pk}").json()  # masked by default, even for an administrator
    assert plain["pii_masked"] is True and plain["id_number"] != person.id_number
    assert_not_audited(AuditEvent.PII_VIEWED, obj=person)
    response = ApiClient(admin).post(f"users/{person.pk}/reveal")  # the audited reveal action
    body = response.json()
    assert body["pii_masked"] is False
    assert body["id_number"] == person.id_number
    assert body["phone"] == person.phone
    entry = assert_audited(AuditEvent.PII_VIEWED, obj=person, actor=admin, count=1)
    assert set(entry.changed_fields) == {"id_number", "phone"}
    assert "身份证号码" in entry.detail
    assert entry.request_id == response["X-Request-ID"]
    assert entry.jurisdiction_code == TIANHE


def test_detail_stays_masked_without_view_pii_and_nothing_is_recorded():
    auditor = staff_in(TIANHE, "auditor")
    person = clerk(TIANHE)
    body = ApiClient(auditor).get(f"users/{person.pk}").json()
    assert body["pii_masked"] is True
    assert_masked(body["id_number"], person.id_number)
    assert_not_audited(AuditEvent.PII_VIEWED, obj=person)


def test_users_see_their_own_personal_information_without_a_trail_entry():
    citizen = UserFactory(jurisdiction=jurisdiction(TIANHE))
    body = ApiClient(citizen, bearer=True).post(f"users/{citizen.pk}/reveal").json()
    assert body["id_number"] == citizen.id_number and body["pii_masked"] is False
    assert_not_audited(AuditEvent.PII_VIEWED, obj=citizen)


def test_portal_users_see_only_themselves():
    citizen = UserFactory(jurisdiction=jurisdiction(TIANHE))
    neighbour = UserFactory(jurisdiction=jurisdiction(TIANHE))
    client = ApiClient(citizen)
    assert [row["id"] for row in items_of(client.get("users"))] == [citizen.pk]
    assert_api_error(client.get(f"users/{neighbour.pk}"), 404, "not_found")
    assert_api_error(client.patch(f"users/{citizen.pk}", {"real_name": "改名"}), 404, "not_found")
    station = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    assert_api_error(client.post("users", staff_payload(station.pk)), 404, "not_found")


# --- creating staff accounts ----------------------------------------------------------------------------------------


def staff_payload(organisation_id: int, **overrides) -> dict:
    return {
        "username": "zhang.san",
        "real_name": "张三",
        "organisation_id": organisation_id,
        "password": "Qiang-Mima-2025",
        "roles": ["mediator"],
        "phone": "13800138000",
        "title": "科员",
        **overrides,
    }


def test_administrator_opens_a_staff_account_and_the_trail_hides_secrets():
    admin = staff_in(TIANHE, "system_admin")
    response = ApiClient(admin).post("users", staff_payload(admin.organisation_id))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == AccountKind.STAFF
    assert body["roles"] == ["mediator"]
    assert body["jurisdiction_code"] == TIANHE
    assert "password" not in body
    assert body["phone"] != "13800138000", "even the response to a create masks personal information"
    user = User.objects.get(username="zhang.san")
    assert user.check_password("Qiang-Mima-2025")
    created = assert_audited(AuditEvent.USER_CREATED, obj=user, actor=admin, count=1)
    assert created.after["password"] == "[已隐藏]"
    assert created.after["phone"] != "13800138000"
    roles = assert_audited(AuditEvent.ROLES_CHANGED, obj=user, actor=admin)
    assert roles.after == {"roles": ["mediator"]}
    assert roles.parent_id == created.pk, "the role grant is a step of opening the account"
    assert created.request_id == roles.request_id == response["X-Request-ID"]
    trail = json.dumps(list(AuditEntry.objects.values("before", "after", "detail")), ensure_ascii=False)
    assert "13800138000" not in trail
    assert "Qiang-Mima-2025" not in trail
    # The new account can sign in.
    token = ApiClient(None).post("auth/token", {"username": "zhang.san", "password": "Qiang-Mima-2025"})
    assert token.status_code == 201 and "no-store" in token["Cache-Control"]


def test_opening_an_account_in_another_jurisdiction_is_refused():
    admin = staff_in(TIANHE, "system_admin")
    yuexiu_org = OrganisationFactory(jurisdiction=jurisdiction(YUEXIU))
    response = ApiClient(admin).post("users", staff_payload(yuexiu_org.pk))
    assert_api_error(response, 404, "not_found")
    assert not User.objects.filter(username="zhang.san").exists()


def test_opening_accounts_needs_the_add_permission():
    auditor = staff_in(TIANHE, "auditor")  # may view accounts, not open them
    response = ApiClient(auditor).post("users", staff_payload(auditor.organisation_id))
    assert_api_error(response, 403, "permission_denied")
    assert not User.objects.filter(username="zhang.san").exists()


def test_city_administrator_opens_accounts_in_its_counties():
    admin = staff_in(GUANGZHOU, "system_admin")
    yuexiu_org = OrganisationFactory(jurisdiction=jurisdiction(YUEXIU))
    response = ApiClient(admin).post("users", staff_payload(yuexiu_org.pk))
    assert response.status_code == 201, response.content
    assert response.json()["jurisdiction_code"] == YUEXIU


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "23800138000"}, "phone"),
        ({"id_number": "440106198805170000"}, "id_number"),  # wrong check digit
        ({"password": "12345678"}, "password"),  # entirely numeric / too common
        ({"password": "short"}, "password"),
        ({"username": "zs"}, "username"),
        ({"roles": ["no_such_role"]}, "roles"),
        ({"organisation_id": "abc"}, "organisation_id"),  # not a number
    ],
)
def test_invalid_accounts_are_refused_with_chinese_field_errors(overrides, field):
    admin = staff_in(TIANHE, "system_admin")
    before = User.objects.count()
    payload = {**staff_payload(admin.organisation_id), **overrides}
    response = ApiClient(admin).post("users", payload)
    assert_api_error(response, 422, "validation_failed", fields=[field])
    assert User.objects.count() == before


def test_a_username_can_be_taken_only_once():
    admin = staff_in(TIANHE, "system_admin")
    client = ApiClient(admin)
    assert client.post("users", staff_payload(admin.organisation_id)).status_code == 201
    response = client.post("users", staff_payload(admin.organisation_id, phone=""))
    assert_api_error(response, 422, "validation_failed", fields=["username"])


# --- changing accounts ----------------------------------------------------------------------------------------------


def test_changing_a_phone_number_is_audited_with_masked_values():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    old = person.phone
    response = ApiClient(admin).patch(f"users/{person.pk}", {"phone": "13900139000", "title": "副所长"})
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.phone == "13900139000"
    entry = assert_audited(AuditEvent.USER_UPDATED, obj=person, actor=admin, count=1)
    assert set(entry.changed_fields) == {"phone", "title"}
    assert entry.after["title"] == "副所长"
    assert_masked(entry.after["phone"], "13900139000")
    assert_masked(entry.before["phone"], old)


def test_changing_to_an_invalid_phone_number_is_refused():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    response = ApiClient(admin).patch(f"users/{person.pk}", {"phone": "1380013800x"})
    assert_api_error(response, 422, "validation_failed", fields=["phone"])
    old = person.phone
    person.refresh_from_db()
    assert person.phone == old


def test_a_null_for_an_account_field_is_refused_in_chinese_not_a_server_error():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    nulls = {"real_name": None, "phone": None, "id_number": None, "title": None}
    response = ApiClient(admin).patch(f"users/{person.pk}", {**nulls, "is_active": False})
    assert_api_error(response, 422, "validation_failed", fields=list(nulls))
    person.refresh_from_db()
    assert person.is_active and person.real_name


def test_accounts_of_another_jurisdiction_cannot_be_changed():
    admin = staff_in(YUEXIU, "system_admin")
    person = clerk(TIANHE)
    assert_api_error(ApiClient(admin).patch(f"users/{person.pk}", {"title": "x"}), 404, "not_found")
    assert_api_error(ApiClient(admin).put(f"users/{person.pk}/roles", {"roles": []}), 404, "not_found")


def test_deactivated_accounts_can_no_longer_use_the_api():
    admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    theirs = ApiClient(person, bearer=True)
    assert theirs.get("me").status_code == 200
    assert ApiClient(admin).patch(f"users/{person.pk}", {"is_active": False}).status_code == 200
    assert_api_error(theirs.get("me"), 401, "not_authenticated")
    assert_audited(AuditEvent.USER_DISABLED, obj=person, actor=admin, changed_fields=["is_active"], count=1)


def test_setting_roles_replaces_them_and_records_one_event():
    admin = staff_in(GUANGZHOU, "system_admin")
    person = clerk(TIANHE)
    response = ApiClient(admin).put(f"users/{person.pk}/roles", {"roles": ["notary", "auditor"]})
    assert response.status_code == 200, response.content
    assert response.json()["roles"] == ["auditor", "notary"]
    entry = assert_audited(AuditEvent.ROLES_CHANGED, obj=person, actor=admin, count=1)
    assert entry.before == {"roles": ["mediator"]}
    assert entry.after == {"roles": ["auditor", "notary"]}
    # The new role takes effect on the person's next request.
    assert ApiClient(person).get("audit").status_code == 200
    response = ApiClient(admin).put(f"users/{person.pk}/roles", {"roles": ["no_such_role"]})
    assert_api_error(response, 422, "validation_failed", fields=["roles"])


def test_administrator_and_auditor_roles_are_granted_from_the_level_above():
    county_admin = staff_in(TIANHE, "system_admin")
    person = clerk(TIANHE)
    response = ApiClient(county_admin).put(f"users/{person.pk}/roles", {"roles": ["auditor"]})
    assert_api_error(response, 403, "permission_denied")
    assert "上级机关" in response.json()["message"]
    assert sorted(person.roles.values_list("code", flat=True)) == ["mediator"]
    # Ordinary roles are the county's own business.
    response = ApiClient(county_admin).put(f"users/{person.pk}/roles", {"roles": ["notary"]})
    assert response.status_code == 200, response.content
    # Nobody edits their own roles, not even to drop one.
    response = ApiClient(county_admin).put(f"users/{county_admin.pk}/roles", {"roles": []})
    assert_api_error(response, 403, "permission_denied")
    assert list(county_admin.roles.values_list("code", flat=True)) == ["system_admin"]


def test_portal_accounts_cannot_be_given_roles():
    admin = staff_in(TIANHE, "system_admin")
    citizen = UserFactory(jurisdiction=jurisdiction(TIANHE))
    response = ApiClient(admin).put(f"users/{citizen.pk}/roles", {"roles": ["system_admin"]})
    assert_api_error(response, 422, "validation_failed", fields=["roles"])
    assert citizen.roles.count() == 0


def test_me_describes_the_signed_in_user():
    person = staff_in(TIANHE, "mediator", "notary")
    body = ApiClient(person).get("me").json()
    assert body["username"] == person.username
    assert body["jurisdiction_code"] == TIANHE
    assert sorted(role["name"] for role in body["roles"]) == ["公证员", "调解员"]
    assert_api_error(ApiClient(None).get("me"), 401, "not_authenticated")


def test_changing_ones_password_requires_the_old_one():
    person = staff_in(TIANHE, "mediator")
    client = ApiClient(person)
    response = client.post("me/password", {"old_password": "wrong", "new_password": "Xin-Mima-2025!"})
    assert_api_error(response, 422, "validation_failed", fields=["old_password"])
    response = client.post("me/password", {"old_password": PASSWORD, "new_password": "Xin-Mima-2025!"})
    assert response.status_code == 204
    person.refresh_from_db()
    assert person.check_password("Xin-Mima-2025!")
    assert_audited(AuditEvent.PASSWORD_CHANGED, obj=person, actor=person)


def test_user_list_runs_a_constant_number_of_queries():
    admin = staff_in(TIANHE, "system_admin")

    def make_rows(n):
        for _ in range(n):
            clerk(TIANHE)

    assert_list_queries_constant(ApiClient(admin), "users", make_rows=make_rows, budget=8)
