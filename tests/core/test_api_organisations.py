"""Organisations through /api/v1: jurisdiction isolation, validation in Chinese, audited writes, exports."""

import pytest

from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import Organisation
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    assert_list_queries_constant,
    csv_rows,
    items_of,
)

from .factories import (
    GUANGZHOU,
    TIANHE,
    YUEXIU,
    OrganisationFactory,
    UserFactory,
    jurisdiction,
    staff_in,
    valid_uscc,
)

pytestmark = pytest.mark.django_db


def notary_office(code: str) -> Organisation:
    place = jurisdiction(code)
    return OrganisationFactory(jurisdiction=place, kind="notary_office", name=f"{place.name}第一公证处")


def test_organisations_are_isolated_by_jurisdiction_for_administrators():
    assert_jurisdiction_isolation(
        make_record=notary_office,
        list_url="organisations",
        detail_url=lambda org: f"organisations/{org.pk}",
        export_url="organisations/export.csv",
        roles=["system_admin"],
    )


def test_organisations_are_isolated_by_jurisdiction_for_supervisors():
    assert_jurisdiction_isolation(
        make_record=notary_office,
        list_url="organisations",
        detail_url=lambda org: f"organisations/{org.pk}",
        export_url="organisations/export.csv",
        roles=["enforcement_supervisor"],
    )


def new_organisation(**overrides) -> dict:
    return {"name": "天河区法律援助中心", "kind": "legal_aid_centre", "jurisdiction": TIANHE, **overrides}


def test_administrator_registers_an_organisation_in_their_county_and_it_is_audited():
    admin = staff_in(TIANHE, "system_admin")
    response = ApiClient(admin).post(
        "organisations", new_organisation(uscc=valid_uscc(), phone="020-12345678")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "天河区法律援助中心"
    assert body["kind_label"] == "法律援助中心"
    assert body["jurisdiction_code"] == TIANHE
    assert body["jurisdiction_name"].endswith("天河区")
    org = Organisation.objects.get(pk=body["id"])
    entry = assert_audited(AuditEvent.ORGANISATION_CREATED, obj=org, actor=admin, count=1)
    assert entry.request_id == response["X-Request-ID"]
    assert entry.jurisdiction_code == TIANHE
    assert entry.after["name"] == "天河区法律援助中心"


def test_city_administrator_registers_organisations_in_its_counties():
    admin = staff_in(GUANGZHOU, "system_admin")
    response = ApiClient(admin).post(
        "organisations", new_organisation(jurisdiction=YUEXIU, name="越秀区公证处")
    )
    assert response.status_code == 201, response.content


def test_registering_in_another_jurisdiction_is_refused():
    admin = staff_in(TIANHE, "system_admin")
    response = ApiClient(admin).post("organisations", new_organisation(jurisdiction=YUEXIU))
    assert_api_error(response, 403, "permission_denied")
    assert not Organisation.objects.filter(name="天河区法律援助中心").exists()
    # Not even to the city above.
    response = ApiClient(admin).post("organisations", new_organisation(jurisdiction=GUANGZHOU))
    assert_api_error(response, 403, "permission_denied")


def test_registering_needs_the_add_permission():
    supervisor = staff_in(TIANHE, "enforcement_supervisor")
    response = ApiClient(supervisor).post("organisations", new_organisation())
    assert_api_error(response, 403, "permission_denied")
    assert_api_error(ApiClient(None).post("organisations", new_organisation()), 401, "not_authenticated")


def test_unknown_jurisdiction_code_is_not_found():
    admin = staff_in(TIANHE, "system_admin")
    response = ApiClient(admin).post("organisations", new_organisation(jurisdiction="449999000000"))
    assert_api_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"uscc": "91440106MA0000007X"}, "uscc"),  # wrong check digit
        ({"uscc": "123"}, "uscc"),
        ({"name": "天"}, "name"),  # too short
        ({"name": None}, "name"),
        ({"jurisdiction": "4401"}, "jurisdiction"),
        ({"kind": "unknown_kind"}, "kind"),
        ({"kind": "enforcement_agency"}, "enforcement_domain"),  # an enforcement body must name its domain
    ],
)
def test_invalid_organisations_are_refused_with_chinese_field_errors(payload, field):
    admin = staff_in(TIANHE, "system_admin")
    data = {k: v for k, v in new_organisation(**payload).items() if v is not None}
    before = Organisation.objects.count()
    response = ApiClient(admin).post("organisations", data)
    assert_api_error(response, 422, "validation_failed", fields=[field])
    assert Organisation.objects.count() == before


def test_the_same_name_twice_in_one_county_is_refused_but_allowed_in_another():
    admin = staff_in(GUANGZHOU, "system_admin")
    client = ApiClient(admin)
    assert client.post("organisations", new_organisation()).status_code == 201
    assert_api_error(
        client.post("organisations", new_organisation()), 422, "validation_failed", fields=["name"]
    )
    assert client.post("organisations", new_organisation(jurisdiction=YUEXIU)).status_code == 201


def test_parent_must_be_in_the_same_or_a_superior_jurisdiction():
    admin = staff_in(GUANGZHOU, "system_admin")
    yuexiu_bureau = OrganisationFactory(jurisdiction=jurisdiction(YUEXIU), name="越秀区公证处")
    city_bureau = OrganisationFactory(jurisdiction=jurisdiction(GUANGZHOU), name="广州市公证协会")
    client = ApiClient(admin)
    response = client.post("organisations", new_organisation(parent_id=yuexiu_bureau.pk))
    assert_api_error(response, 422, "validation_failed", fields=["parent"])
    response = client.post("organisations", new_organisation(parent_id=city_bureau.pk))
    assert response.status_code == 201, response.content
    assert response.json()["parent_id"] == city_bureau.pk


def test_a_parent_outside_ones_jurisdiction_is_not_found():
    admin = staff_in(TIANHE, "system_admin")
    other = OrganisationFactory(jurisdiction=jurisdiction(YUEXIU))
    response = ApiClient(admin).post("organisations", new_organisation(parent_id=other.pk))
    assert_api_error(response, 404, "not_found")


def test_changing_an_organisation_records_before_and_after():
    admin = staff_in(TIANHE, "system_admin")
    org = notary_office(TIANHE)
    response = ApiClient(admin).patch(
        f"organisations/{org.pk}", {"address": "天河路 1 号", "is_active": False}
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "天河路 1 号"
    assert response.json()["is_active"] is False
    # Switching it off is what the entry says it did (with the address changed in the same edit).
    entry = assert_audited(AuditEvent.ORGANISATION_DISABLED, obj=org, actor=admin, count=1)
    assert entry.event_label == "停用组织机构"
    assert sorted(entry.changed_fields) == ["address", "is_active"]
    assert entry.before == {"address": "", "is_active": True}
    assert entry.after == {"address": "天河路 1 号", "is_active": False}
    assert entry.request_id == response["X-Request-ID"]


def test_changing_with_an_invalid_uscc_is_refused_and_nothing_changes():
    admin = staff_in(TIANHE, "system_admin")
    org = notary_office(TIANHE)
    response = ApiClient(admin).patch(f"organisations/{org.pk}", {"uscc": "91440106MA0000007X"})
    assert_api_error(response, 422, "validation_failed", fields=["uscc"])
    org.refresh_from_db()
    assert org.uscc == ""


def test_a_null_for_a_required_field_is_refused_in_chinese_not_a_server_error():
    # What the API fuzzer sent: null for every field an organisation cannot be without (NOT NULL in the database).
    admin = staff_in(TIANHE, "system_admin")
    org = notary_office(TIANHE)
    nulls = {"enforcement_domain": None, "uscc": None, "address": None, "phone": None}
    response = ApiClient(admin).patch(
        f"organisations/{org.pk}", {"name": "00", **nulls, "parent_id": None, "is_active": None}
    )
    body = assert_api_error(response, 422, "validation_failed", fields=[*nulls, "is_active"])
    assert body["fields"]["address"] == ["此字段不能为 null（不修改请不要提交该字段）"]
    assert "parent_id" not in body["fields"]  # an organisation may be without a parent unit
    org.refresh_from_db()
    assert org.name != "00" and org.is_active


def test_null_removes_the_parent_unit():
    admin = staff_in(TIANHE, "system_admin")
    parent = notary_office(TIANHE)
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), kind="notary_office", parent=parent)
    response = ApiClient(admin).patch(f"organisations/{org.pk}", {"parent_id": None})
    assert response.status_code == 200, response.content
    assert response.json()["parent_id"] is None


def test_only_changers_in_the_jurisdiction_may_change():
    org = notary_office(TIANHE)
    for user in (staff_in(YUEXIU, "system_admin"), staff_in(TIANHE, "enforcement_supervisor")):
        response = ApiClient(user).patch(f"organisations/{org.pk}", {"address": "别处"})
        assert_api_error(response, 404, "not_found")
    org.refresh_from_db()
    assert org.address == ""


def test_list_is_paginated_and_filterable():
    admin = staff_in(TIANHE, "system_admin")
    for n in range(3):
        OrganisationFactory(jurisdiction=jurisdiction(TIANHE), kind="law_firm", name=f"天河律师事务所{n}")
    client = ApiClient(admin)
    body = client.get("organisations", {"kind": "law_firm", "page_size": 2}).json()
    assert body["count"] == 3
    assert body["pages"] == 2
    assert len(body["items"]) == 2
    assert {row["kind"] for row in body["items"]} == {"law_firm"}
    assert [row["name"] for row in items_of(client.get("organisations", {"q": "律师事务所2"}))] == [
        "天河律师事务所2"
    ]
    assert_api_error(
        client.get("organisations", {"page_size": 1000}), 422, "validation_failed", fields=["page_size"]
    )


def test_list_runs_a_constant_number_of_queries():
    admin = staff_in(GUANGZHOU, "system_admin")
    counter = iter(range(1000))

    def make_rows(n):
        for _ in range(n):
            i = next(counter)
            parent = OrganisationFactory(jurisdiction=jurisdiction(GUANGZHOU), name=f"市级单位{i}")
            OrganisationFactory(jurisdiction=jurisdiction(TIANHE), name=f"下级单位{i}", parent=parent)

    assert_list_queries_constant(ApiClient(admin), "organisations", make_rows=make_rows, budget=8)


def test_export_contains_chinese_headers_and_is_audited():
    admin = staff_in(TIANHE, "system_admin")
    org = notary_office(TIANHE)
    response = ApiClient(admin).get("organisations/export.csv", {"kind": "notary_office"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["名称"] for row in rows] == [org.name]
    assert rows[0]["类型"] == "公证处"
    entry = assert_audited(AuditEvent.DATA_EXPORTED, actor=admin, object_type="core.organisation")
    assert "1" in entry.object_repr
    assert "notary_office" in entry.detail


def test_export_needs_the_export_permission():
    notary_office(TIANHE)
    officer = staff_in(TIANHE, "enforcement_officer")  # may view, may not export
    response = ApiClient(officer).get("organisations/export.csv")
    if response.status_code == 200:
        assert csv_rows(response) == []
    else:
        assert_api_error(response, 403, "permission_denied")


def test_signed_in_users_browse_the_divisions():
    client = ApiClient(UserFactory())
    rows = items_of(client.get("jurisdictions", {"parent": GUANGZHOU, "page_size": 100}))
    assert {"天河区", "越秀区"} <= {row["name"] for row in rows}
    assert all(row["level"] == 3 for row in rows)
    assert client.get(f"jurisdictions/{TIANHE}").json()["parent_id"] == GUANGZHOU
    assert_api_error(client.get("jurisdictions/449999000000"), 404, "not_found")
    assert_api_error(ApiClient(None).get("jurisdictions"), 401, "not_authenticated")
