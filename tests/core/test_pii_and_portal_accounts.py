"""Masking once (PiiSchema) and portal accounts' home in the access policy.

Administrators read personal information masked by default and unmasked only through the audited reveal action;
self-registered portal accounts belong to the province, so province administrators and auditors can find, audit and
disable them while county administrators still do not see them."""

from __future__ import annotations

import pytest

from smartjustice.core import access, authevents, services
from smartjustice.core.choices import AccountKind, AuditEvent
from smartjustice.core.models import AuditEntry, User
from smartjustice.core.schemas import UserOut
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_not_audited,
    make_staff,
)
from tests.core.factories import GUANGZHOU, PROVINCE, TIANHE, StaffFactory, UserFactory, jurisdiction

pytestmark = pytest.mark.django_db

ID_NUMBER = "440106198805171379"


def register(username: str = "citizen-zhang") -> User:
    return services.register_portal_account(
        username=username,
        password="Zhang-2026-pass",
        kind=AccountKind.CITIZEN,
        real_name="张小明",
        id_number=ID_NUMBER,
        phone="13812345678",
    )


# --- masking ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [TIANHE, PROVINCE])
def test_administrators_get_masked_id_numbers_and_phones_by_default(code):
    admin = make_staff(code, "system_admin")
    person = make_staff(TIANHE, "mediator", id_number=ID_NUMBER, phone="13812345678")
    client = ApiClient(admin)
    detail = client.get(f"users/{person.pk}").json()
    assert detail["id_number"] == "4401**********1379" and detail["phone"] == "138****5678"
    assert detail["pii_masked"] is True
    listed = {row["id"]: row for row in client.get("users").json()["items"]}
    assert listed[person.pk]["id_number"] == "4401**********1379"
    assert_not_audited(AuditEvent.PII_VIEWED, obj=person)


def test_the_reveal_action_is_the_only_unmasked_path_and_is_audited_once():
    admin = make_staff(PROVINCE, "system_admin")
    person = make_staff(TIANHE, "mediator", id_number=ID_NUMBER, phone="13812345678")
    revealed = ApiClient(admin).post(f"users/{person.pk}/reveal").json()
    assert revealed["id_number"] == ID_NUMBER and revealed["phone"] == "13812345678"
    assert revealed["pii_masked"] is False
    entry = assert_audited(AuditEvent.PII_VIEWED, obj=person, actor=admin, count=1)
    assert set(entry.changed_fields) == {"id_number", "phone"}
    # Reading again afterwards is masked again.
    assert ApiClient(admin).get(f"users/{person.pk}").json()["pii_masked"] is True


def test_reveal_without_view_pii_is_refused_and_leaves_no_entry():
    auditor = make_staff(TIANHE, "auditor")
    person = make_staff(TIANHE, "mediator", id_number=ID_NUMBER)
    assert_api_error(ApiClient(auditor).post(f"users/{person.pk}/reveal"), 403, "permission_denied")
    assert_not_audited(AuditEvent.PII_VIEWED, obj=person)
    outsider = make_staff(GUANGZHOU.replace("0100", "0300"), "system_admin")  # 深圳市: not theirs
    assert_api_error(ApiClient(outsider).post(f"users/{person.pk}/reveal"), 404, "not_found")


def test_a_revealed_record_stays_masked_for_any_other_reader():
    admin = make_staff(TIANHE, "system_admin")
    person = make_staff(TIANHE, "mediator", id_number=ID_NUMBER)
    assert services.reveal_personal_information(person, actor=admin)
    unrelated = make_staff(TIANHE, "auditor")

    class Request:
        auth = unrelated

    out = UserOut.model_validate(person, context={"request": Request()})
    assert out.id_number == "4401**********1379" and out.pii_masked is True
    assert UserOut.model_validate(person).pii_masked is True  # no reader: masked


# --- portal accounts -------------------------------------------------------------------------------------------


def test_a_self_registered_account_belongs_to_the_province():
    citizen = register()
    assert citizen.jurisdiction_id is None
    province_admin = make_staff(PROVINCE, "system_admin")
    assert ApiClient(province_admin).get(f"users/{citizen.pk}").status_code == 200
    ids = [row["id"] for row in ApiClient(province_admin).get("users", {"kind": "citizen"}).json()["items"]]
    assert citizen.pk in ids
    assert ApiClient(make_staff(PROVINCE, "auditor")).get(f"users/{citizen.pk}").status_code == 200
    for code in (TIANHE, GUANGZHOU):
        assert_api_error(
            ApiClient(make_staff(code, "system_admin")).get(f"users/{citizen.pk}"), 404, "not_found"
        )


def test_a_province_administrator_can_disable_an_impostor_account():
    citizen = register()
    response = ApiClient(make_staff(PROVINCE, "system_admin")).patch(
        f"users/{citizen.pk}", {"is_active": False}
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    citizen.refresh_from_db()
    assert not citizen.is_active
    county = ApiClient(make_staff(TIANHE, "system_admin")).patch(f"users/{citizen.pk}", {"is_active": True})
    assert_api_error(county, 404, "not_found")


def test_a_superuser_without_jurisdiction_is_not_a_portal_account():
    root = StaffFactory(is_superuser=True, kind=AccountKind.CITIZEN, organisation=None, jurisdiction=None)
    assert_api_error(
        ApiClient(make_staff(PROVINCE, "system_admin")).get(f"users/{root.pk}"), 404, "not_found"
    )


def test_portal_accounts_with_an_address_belong_to_its_jurisdiction():
    citizen = UserFactory(jurisdiction=jurisdiction(TIANHE))
    assert ApiClient(make_staff(TIANHE, "system_admin")).get(f"users/{citizen.pk}").status_code == 200


def test_registration_sign_in_and_lockout_are_in_the_province_auditors_view():
    citizen = register()
    authevents.on_logged_in(sender=None, request=None, user=citizen)
    authevents.on_login_failed(sender=None, credentials={"username": citizen.username})
    authevents.on_locked_out(sender=None, request=None, username=citizen.username)
    authevents.on_login_failed(sender=None, credentials={"username": "nobody-like-this"})
    entries = AuditEntry.objects.filter(object_type="core.user", object_id=str(citizen.pk))
    assert entries.count() >= 4
    assert set(entries.values_list("jurisdiction_code", flat=True)) == {PROVINCE}
    province_auditor = make_staff(PROVINCE, "auditor")
    seen = access.restrict(AuditEntry.objects.all(), province_auditor, "view")
    assert set(entries.values_list("pk", flat=True)) <= set(seen.values_list("pk", flat=True))
    assert seen.filter(object_repr="nobody-like-this").exists()
    county_auditor = make_staff(TIANHE, "auditor")
    assert not access.restrict(entries, county_auditor, "view").exists()
