"""Officers' pages and API: issuing the 行政执法证 through the credential service (its QR code verifies), recording
training hours, the list filtered by agency, domain and certificate state, "我的执法证" with its QR code, and a
revoked or expired certificate taking the officer off new assignments at once (《行政处罚法》第四十二条)."""

# ruff: noqa: F811  (the fixtures of test_officers.py are imported by name and taken as arguments)

import datetime
import re

import pytest
from django.utils import timezone

from smartjustice.core.errors import ValidationFailed
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    assert_api_error,
    assert_audited,
    make_staff,
)
from smartjustice.credentials import queries as credential_queries
from smartjustice.credentials.models import Credential
from smartjustice.enforcement import eligibility, officers
from smartjustice.enforcement.choices import EnforcementAuditEvent
from tests.enforcement.test_officers import (  # noqa: F401  (fixtures: roles and public_url are autouse)
    MARKET,
    URBAN,
    agency,
    issuer,
    make_agency,
    new_officer,
    officer,
    public_url,
    record,
    registrar,
    roles,
)


@pytest.fixture
def uncertified(agency, registrar, issuer):
    return new_officer(agency, registrar, issuer, name="王待证", issue=False)


def _expire(officer):
    Credential.objects.filter(pk=officer.credential_id).update(
        valid_from=timezone.now() - datetime.timedelta(days=400),
        valid_until=timezone.now() - datetime.timedelta(days=1),
    )


# --- issuing the certificate -------------------------------------------------------------------------------------------


def test_an_issuer_issues_the_certificate_on_the_officer_page_and_its_qr_verifies(
    client, uncertified, issuer
):
    client.force_login(issuer)
    page = client.get(f"/enforcement/officers/{uncertified.pk}/").content.decode()
    assert "签发行政执法证" in page and "未发证" in page
    response = client.post(
        f"/enforcement/officers/{uncertified.pk}/certificate/", {"valid_until": "2030-12-31"}
    )
    assert response.status_code == 302
    uncertified.refresh_from_db()
    credential = uncertified.credential
    assert (
        credential.type_code == eligibility.CERTIFICATE_TYPE and credential.holder_id == uncertified.user_id
    )
    assert credential.valid_until.date() == datetime.date(2030, 12, 31)
    assert_audited(EnforcementAuditEvent.OFFICER_CERTIFICATE_ISSUED, obj=uncertified, actor=issuer, count=1)
    link = credential_queries.default_link(credential)
    client.logout()
    verified = client.get(f"/credentials/v/{link.token}/").content.decode()
    assert 'data-testid="verification-state">有效' in verified


def test_issuing_needs_the_credential_role_and_is_refused_in_chinese(client, uncertified, registrar):
    client.force_login(registrar)
    page = client.post(f"/enforcement/officers/{uncertified.pk}/certificate/", {})
    assert page.status_code == 422
    response = ApiClient(registrar).post(f"enforcement/officers/{uncertified.pk}/certificate", {})
    assert response.status_code == 403
    uncertified.refresh_from_db()
    assert uncertified.credential is None


def test_the_api_issues_once_and_refuses_a_second_valid_certificate(uncertified, issuer):
    api = ApiClient(issuer)
    first = api.post(f"enforcement/officers/{uncertified.pk}/certificate", {})
    assert first.status_code == 201
    body = first.json()
    assert body["certificate_state"] == "valid" and body["certificate_number"] and body["assignable"] is True
    second = api.post(f"enforcement/officers/{uncertified.pk}/certificate", {})
    assert_api_error(second, 422, "validation_failed", fields=["officer"])
    past = api.post(
        f"enforcement/officers/{uncertified.pk}/certificate", {"valid_until": "2001-01-01T00:00:00Z"}
    )
    assert past.status_code == 422
    assert Credential.objects.filter(holder=uncertified.user).count() == 1


def test_an_officer_of_another_county_cannot_be_issued_or_trained(officer):
    outsider = make_staff(COUNTY_B, "credential_officer", "officer_manager")
    api = ApiClient(outsider)
    assert api.post(f"enforcement/officers/{officer.pk}/certificate", {}).status_code == 404
    assert (
        api.post(f"enforcement/officers/{officer.pk}/training", {"year": 2026, "hours": 8}).status_code == 404
    )


# --- training hours ----------------------------------------------------------------------------------------------------


def test_training_hours_are_recorded_on_the_page_and_through_the_api(client, officer, registrar):
    client.force_login(registrar)
    response = client.post(f"/enforcement/officers/{officer.pk}/training/", {"year": 2026, "hours": 40})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.training_hours == {"2026": 40}
    assert_audited(EnforcementAuditEvent.OFFICER_TRAINING_RECORDED, obj=officer, actor=registrar, count=1)
    bad = client.post(f"/enforcement/officers/{officer.pk}/training/", {"year": 2026, "hours": -5})
    assert bad.status_code == 422
    api = ApiClient(registrar)
    body = api.post(f"enforcement/officers/{officer.pk}/training", {"year": 2025, "hours": 32}).json()
    assert body["training_hours"] == {"2026": 40, "2025": 32}
    assert (
        api.post(f"enforcement/officers/{officer.pk}/training", {"year": 2026, "hours": 5000}).status_code
        == 422
    )
    page = client.get(f"/enforcement/officers/{officer.pk}/").content.decode()
    assert "2025 年：32 学时" in page and "2026 年：40 学时" in page


def test_training_hours_for_a_future_year_are_refused(officer, registrar):
    with pytest.raises(ValidationFailed, match="培训年份无效"):
        officers.record_training(officer, year=timezone.now().year + 5, hours=10, actor=registrar)


# --- the list ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def four(officer, agency, registrar, issuer):
    """A valid, a revoked, an expired and an uncertified officer of one agency."""
    revoked = new_officer(agency, registrar, issuer, name="李吊销")
    officers.revoke_certificate(revoked, actor=issuer, reason="调离执法岗位")
    expired = new_officer(agency, registrar, issuer, name="赵过期")
    _expire(expired)
    none = new_officer(agency, registrar, issuer, name="钱未证", issue=False)
    return {"valid": officer, "revoked": revoked, "expired": expired, "none": none}


def test_the_api_filters_officers_by_certificate_state(four, registrar):
    api = ApiClient(registrar)
    for state, expected in four.items():
        rows = api.get("enforcement/officers", {"certificate": state}).json()["items"]
        assert [row["id"] for row in rows] == [expected.pk], state
        assert rows[0]["certificate_state"] == state
        assert rows[0]["assignable"] is (state == "valid")
    assert api.get("enforcement/officers", {"certificate": "bogus"}).status_code == 422


def test_the_list_page_filters_by_state_agency_and_searches_by_certificate_number(
    client, four, registrar, issuer
):
    other_agency = make_agency(COUNTY_A, URBAN, name="天河区城市管理综合执法局")
    other_manager = make_staff(COUNTY_A, "officer_manager", organisation=other_agency)
    urban = new_officer(other_agency, other_manager, issuer, name="孙城管", domains=(URBAN,))
    client.force_login(registrar)
    revoked_page = client.get("/enforcement/officers/", {"certificate": "revoked"}).content.decode()
    assert "李吊销" in revoked_page and "张执法" not in revoked_page and "不可指派" in revoked_page
    assert "已吊销" in revoked_page
    by_agency = client.get("/enforcement/officers/", {"agency_id": other_agency.pk}).content.decode()
    assert "孙城管" in by_agency and "张执法" not in by_agency
    number = four["valid"].credential.number
    found = client.get("/enforcement/officers/", {"q": number}).content.decode()
    assert "张执法" in found and "李吊销" not in found and "可指派" in found
    assert urban.pk
    empty = client.get("/enforcement/officers/", {"q": "查无此人"}).content.decode()
    assert "没有找到行政执法人员" in empty


def test_the_detail_page_shows_where_the_officer_may_be_assigned(client, four, registrar):
    client.force_login(registrar)
    valid = client.get(f"/enforcement/officers/{four['valid'].pk}/").content.decode()
    assert "可指派" in valid and "市场监管" in valid
    expired = client.get(f"/enforcement/officers/{four['expired'].pk}/").content.decode()
    assert "行政执法证已过期" in expired and "已过期" in expired


# --- revocation and expiry take effect at once --------------------------------------------------------------------------


def test_revoking_through_the_api_refuses_the_next_assignment(officer, agency, registrar, issuer, record):
    officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)
    response = ApiClient(issuer).post(
        f"enforcement/officers/{officer.pk}/certificate/revoke", {"reason": "违纪"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["certificate_state"] == "revoked" and body["assignable"] is False
    assert "已吊销" in body["not_assignable_reason"]
    with pytest.raises(ValidationFailed, match="已吊销"):
        officers.assign_officer(record, user=officer.user, domain=MARKET, role="reviewer", actor=registrar)
    assert officer not in eligibility.eligible_officers(MARKET, COUNTY_A)
    again = ApiClient(issuer).post(
        f"enforcement/officers/{officer.pk}/certificate/revoke", {"reason": "再吊销"}
    )
    assert again.status_code == 422


def test_an_expired_certificate_refuses_the_next_assignment(officer, registrar, record):
    _expire(officer)
    with pytest.raises(ValidationFailed, match="已过期"):
        officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)
    assert officer not in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_a_revoked_certificate_can_be_replaced_and_the_officer_assigned_again(
    officer, registrar, issuer, record
):
    officers.revoke_certificate(officer, actor=issuer, reason="证件遗失")
    officers.issue_certificate(officer, actor=issuer)
    officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)


# --- 我的执法证 ----------------------------------------------------------------------------------------------------------


def test_my_certificate_shows_the_qr_code_of_the_verification_page(client, officer):
    body = ApiClient(officer.user).get("enforcement/officers/me").json()
    assert body["state"] == "valid" and body["officer"]["id"] == officer.pk
    assert "/credentials/v/" in body["verification_url"] and "<svg" in body["qr_svg"]
    client.force_login(officer.user)
    page = client.get("/enforcement/officers/me/").content.decode()
    assert 'data-testid="certificate-qr"' in page and officer.credential.number in page
    token = re.search(r"/credentials/v/([^/]+)/", body["verification_url"])[1]
    client.logout()
    assert "有效" in client.get(f"/credentials/v/{token}/").content.decode()


def test_my_certificate_after_revocation_shows_the_state_and_no_qr(client, officer, issuer):
    officers.revoke_certificate(officer, actor=issuer, reason="调离")
    client.force_login(officer.user)
    page = client.get("/enforcement/officers/me/").content.decode()
    assert "已吊销" in page and 'data-testid="certificate-qr"' not in page and "不能被指派" in page
    assert ApiClient(officer.user).get("enforcement/officers/me").json()["qr_svg"] == ""


def test_my_certificate_for_staff_who_are_not_officers(client, agency):
    clerk = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    body = ApiClient(clerk).get("enforcement/officers/me").json()
    assert body == {"officer": None, "state": "none", "verification_url": "", "qr_svg": ""}
    client.force_login(clerk)
    assert "您不是登记的行政执法人员" in client.get("/enforcement/officers/me/").content.decode()
    assert ApiClient(None).get("enforcement/officers/me").status_code == 401


# --- registration ------------------------------------------------------------------------------------------------------


def test_a_manager_registers_a_staff_member_of_their_agency_on_the_page(client, agency, registrar):
    clerk = make_staff(COUNTY_A, "enforcement_officer", organisation=agency, real_name="周新员")
    client.force_login(registrar)
    page = client.get("/enforcement/officers/new/").content.decode()
    assert "周新员" in page and "市场监管" in page
    response = client.post("/enforcement/officers/new/", {"user_id": clerk.pk, "domains": [MARKET]})
    assert response.status_code == 302
    officer = officers.officer_of(clerk)
    assert officer.agency_id == agency.pk and officer.domains == [MARKET] and officer.credential is None
    assert "周新员" not in client.get("/enforcement/officers/new/").content.decode()  # registered once


def test_registration_refuses_bad_input_in_chinese_and_stores_nothing(client, agency, registrar):
    clerk = make_staff(COUNTY_A, "enforcement_officer", organisation=agency, real_name="吴新员")
    client.force_login(registrar)
    bad_area = client.post(
        "/enforcement/officers/new/", {"user_id": clerk.pk, "domains": [MARKET], "jurisdiction": COUNTY_B}
    )
    assert bad_area.status_code == 422 and "执法区域须在" in bad_area.content.decode()
    no_domain = client.post("/enforcement/officers/new/", {"user_id": clerk.pk})
    assert no_domain.status_code == 422
    assert officers.officer_of(clerk) is None


def test_registration_needs_the_role(client, agency):
    client.force_login(make_staff(COUNTY_A, "enforcement_officer", organisation=agency))
    assert client.get("/enforcement/officers/new/").status_code == 403
