"""The officers API: generated access tests (ApiModelTests) and registration through the API."""

import pytest

from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    ApiModelTests,
    assert_api_error,
    make_staff,
)
from smartjustice.enforcement.choices import EnforcementAuditEvent
from smartjustice.enforcement.models import EnforcementOfficer
from tests.enforcement import officer_makers
from tests.enforcement.officer_makers import MARKET


class TestEnforcementOfficerApi(ApiModelTests):
    model = EnforcementOfficer
    list_url = "enforcement/officers"
    detail_url = "enforcement/officers/{pk}"
    roles = ("officer_manager",)
    factory = staticmethod(officer_makers.officer)


@pytest.fixture
def agency(db):
    return officer_makers.agency_in(COUNTY_A)


@pytest.fixture
def manager(agency):
    return make_staff(COUNTY_A, "officer_manager", organisation=agency)


def test_a_manager_registers_an_officer_of_their_agency(agency, manager):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency, real_name="王执法")
    response = ApiClient(manager).post(
        "/enforcement/officers",
        {"user_id": user.pk, "agency_id": agency.pk, "domains": [MARKET], "training_hours": {"2026": 40}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "王执法" and body["certificate_state"] == "none"
    assert body["jurisdiction_code"] == COUNTY_A and body["training_hours"] == {"2026": 40}
    officer = EnforcementOfficer.objects.get(pk=body["id"])
    from smartjustice.core.testing import assert_audited

    assert_audited(EnforcementAuditEvent.OFFICER_REGISTERED, obj=officer, actor=manager, count=1)


def test_a_domain_outside_the_agencys_duties_is_refused_in_chinese(agency, manager):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    response = ApiClient(manager).post(
        "/enforcement/officers", {"user_id": user.pk, "agency_id": agency.pk, "domains": ["urban_management"]}
    )
    assert_api_error(response, 422, "validation_failed", fields=["domains"])
    assert not EnforcementOfficer.objects.exists()


def test_an_unknown_user_is_a_validation_error(agency, manager):
    response = ApiClient(manager).post(
        "/enforcement/officers", {"user_id": 999999, "agency_id": agency.pk, "domains": [MARKET]}
    )
    assert_api_error(response, 422, "validation_failed", fields=["user_id"])


def test_staff_without_the_role_cannot_register(agency):
    clerk = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    response = ApiClient(clerk).post(
        "/enforcement/officers", {"user_id": user.pk, "agency_id": agency.pk, "domains": [MARKET]}
    )
    assert_api_error(response, 403, "permission_denied")


def test_officers_are_filtered_by_domain_area_and_name(agency, manager):
    own = officer_makers.officer(officer_makers.Place(COUNTY_A, agency))
    client = ApiClient(manager)
    rows = client.get("/enforcement/officers", {"domain": MARKET}).json()["items"]
    assert [row["id"] for row in rows] == [own.pk]
    assert client.get("/enforcement/officers", {"domain": "urban_management"}).json()["items"] == []
    assert client.get("/enforcement/officers", {"jurisdiction": COUNTY_B}).json()["items"] == []
    assert client.get("/enforcement/officers", {"q": "测试执法员"}).json()["items"][0]["id"] == own.pk


def test_agencies_are_listed_by_jurisdiction_and_domain(agency, manager):
    officer_makers.agency_in(COUNTY_B, "urban_management")
    client = ApiClient(manager)
    rows = client.get("/enforcement/agencies", {"jurisdiction": COUNTY_A, "domain": MARKET}).json()["items"]
    assert [row["id"] for row in rows] == [agency.pk]
    assert rows[0]["domains"] == [MARKET]
