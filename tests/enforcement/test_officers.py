"""Enforcement officers: registration, the 行政执法证 issued through the credential service, and eligibility for
assignments read from the certificate's live status (《行政处罚法》第四十二条)."""

import datetime

import pytest
from django.utils import timezone

from smartjustice.core import access, modules
from smartjustice.core.assignments import assignee_ids
from smartjustice.core.errors import PermissionDenied, ValidationFailed
from smartjustice.core.models import Organisation, Role
from smartjustice.core.testing import CITY, COUNTY_A, COUNTY_B, assert_audited, make_staff
from smartjustice.credentials import queries as credential_queries
from smartjustice.credentials import services as credentials
from smartjustice.credentials.models import Credential
from smartjustice.enforcement import eligibility, officers
from smartjustice.enforcement.choices import EnforcementAuditEvent
from smartjustice.enforcement.models import EnforcementOfficer

MARKET = "market_regulation"
URBAN = "urban_management"
# The role the tests register officers with, until the enforcement module ships its roles file (added to the
# module registry's role definitions, which core.access reads).
REGISTRAR_ROLE = {
    "code": "officer_manager",
    "name": "执法人员管理员",
    "description": "登记本单位的行政执法人员",
    "permissions": ["enforcement.*_enforcementofficer", "core.view_organisation"],
}


@pytest.fixture(autouse=True)
def roles(db, monkeypatch):
    declared = modules.role_definitions
    if REGISTRAR_ROLE["code"] not in declared():
        monkeypatch.setattr(
            modules, "role_definitions", lambda: {**declared(), REGISTRAR_ROLE["code"]: dict(REGISTRAR_ROLE)}
        )
        access.role_definitions.cache_clear()
    Role.objects.update_or_create(
        code=REGISTRAR_ROLE["code"],
        defaults={"name": REGISTRAR_ROLE["name"], "permissions": REGISTRAR_ROLE["permissions"]},
    )
    yield
    access.role_definitions.cache_clear()


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


def make_agency(code=COUNTY_A, domain=MARKET, name=None, domains=()):
    return Organisation.objects.create(
        jurisdiction_id=code,
        name=name or f"{code}{domain}执法局",
        kind="enforcement_agency",
        enforcement_domain=domain,
        domains=list(domains),
    )


@pytest.fixture
def agency(db):
    return make_agency()


@pytest.fixture
def registrar(agency):
    return make_staff(COUNTY_A, "officer_manager", organisation=agency, real_name="人事专员")


@pytest.fixture
def issuer(db):
    return make_staff(COUNTY_A, "credential_officer", real_name="发证专员")


def new_officer(
    agency, registrar, issuer, *, name="张执法", domains=(MARKET,), jurisdiction=None, issue=True
):
    user = make_staff(agency.jurisdiction_id, "enforcement_officer", organisation=agency, real_name=name)
    officer = officers.register_officer(
        actor=registrar, user=user, agency=agency, domains=list(domains), jurisdiction=jurisdiction
    )
    if issue:
        officer = officers.issue_certificate(officer, actor=issuer)
    return officer


@pytest.fixture
def officer(agency, registrar, issuer):
    return new_officer(agency, registrar, issuer)


@pytest.fixture
def record(agency):
    """A stand-in for a case: any record with a jurisdiction takes assignments."""
    return agency


def fresh(officer):
    return EnforcementOfficer.objects.select_related("user", "jurisdiction", "credential").get(pk=officer.pk)


# --- registration and the certificate ------------------------------------------------------------------------------


def test_registering_an_officer_is_one_audited_operation(agency, registrar):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    officer = officers.register_officer(actor=registrar, user=user, agency=agency, domains=[MARKET])
    assert officer.jurisdiction_id == COUNTY_A and officer.domains == [MARKET]
    assert_audited(EnforcementAuditEvent.OFFICER_REGISTERED, obj=officer, actor=registrar, count=1)


def test_the_certificate_is_a_verifiable_credential_of_type_enforcement_certificate(officer, issuer):
    credential = officer.credential
    assert credential.type_code == "administrative_enforcement_certificate"
    assert credential.holder_id == officer.user_id
    assert credential.claims["enforcementArea"].endswith("天河区")
    assert credential.claims["enforcementDomain"] == "市场监管"
    assert credential.claims["employer"] == officer.agency.name
    assert credential_queries.verify_online(credential, ["name", "certificateNumber"]).state == "valid"
    assert_audited(EnforcementAuditEvent.OFFICER_CERTIFICATE_ISSUED, obj=officer, actor=issuer, count=1)


def test_a_second_valid_certificate_is_refused(officer, issuer):
    with pytest.raises(ValidationFailed):
        officers.issue_certificate(officer, actor=issuer)
    assert Credential.objects.filter(holder=officer.user).count() == 1


def test_only_staff_of_an_enforcement_agency_are_registered(registrar, agency):
    bureau_staff = make_staff(COUNTY_A, "enforcement_officer")
    with pytest.raises(ValidationFailed):
        officers.register_officer(actor=registrar, user=bureau_staff, agency=agency, domains=[MARKET])
    with pytest.raises(ValidationFailed):
        officers.register_officer(
            actor=registrar, user=bureau_staff, agency=bureau_staff.organisation, domains=[MARKET]
        )


def test_domains_must_be_among_the_agencys_statutory_domains(agency, registrar):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    with pytest.raises(ValidationFailed) as error:
        officers.register_officer(actor=registrar, user=user, agency=agency, domains=[URBAN])
    assert "城市管理" in str(error.value)
    assert not EnforcementOfficer.objects.exists()


def test_the_area_lies_inside_the_agencys_jurisdiction(agency, registrar):
    from smartjustice.core.models import Jurisdiction

    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    with pytest.raises(ValidationFailed):
        officers.register_officer(
            actor=registrar,
            user=user,
            agency=agency,
            domains=[MARKET],
            jurisdiction=Jurisdiction.objects.get(code=COUNTY_B),
        )


def test_staff_of_another_agency_cannot_register(agency):
    other = make_agency(name="另一执法局")
    outsider = make_staff(COUNTY_A, "officer_manager", organisation=other)
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    with pytest.raises(PermissionDenied):
        officers.register_officer(actor=outsider, user=user, agency=agency, domains=[MARKET])


def test_training_hours_are_recorded_per_year(officer, registrar):
    officers.record_training(officer, year=2026, hours=40, actor=registrar)
    assert fresh(officer).hours_in(2026) == 40 and fresh(officer).hours_in(2025) == 0
    assert_audited(EnforcementAuditEvent.OFFICER_TRAINING_RECORDED, obj=officer, actor=registrar, count=1)


# --- agencies --------------------------------------------------------------------------------------------------------


def test_agencies_are_listed_by_jurisdiction_and_domain(agency):
    urban = make_agency(COUNTY_B, URBAN)
    both = make_agency(COUNTY_B, MARKET, name="越秀综合执法局", domains=[URBAN])
    viewer = make_staff(CITY, "enforcement_supervisor")
    assert set(officers.list_agencies(viewer, jurisdiction_code=COUNTY_B)) == {urban, both}
    assert set(officers.list_agencies(viewer, domain=URBAN)) == {urban, both}
    assert set(officers.list_agencies(viewer, jurisdiction_code=CITY, domain=MARKET)) == {agency, both}
    assert officers.agency_domains(both) == [MARKET, URBAN]


# --- eligibility (《行政处罚法》第四十二条) --------------------------------------------------------------------------


def test_an_officer_with_a_valid_certificate_is_eligible_in_their_domain_and_area(officer):
    assert eligibility.is_eligible(fresh(officer), MARKET, COUNTY_A)
    assert eligibility.is_eligible(fresh(officer), MARKET, "440106001000")  # a street inside the area
    assert officer in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_wrong_domain_is_not_eligible(officer):
    assert "城市管理" in eligibility.ineligibility(fresh(officer), URBAN, COUNTY_A)
    assert officer not in eligibility.eligible_officers(URBAN, COUNTY_A)


def test_wrong_area_is_not_eligible(officer):
    assert "执法区域" in eligibility.ineligibility(fresh(officer), MARKET, COUNTY_B)
    assert officer not in eligibility.eligible_officers(MARKET, COUNTY_B)


def test_an_officer_without_a_certificate_is_not_eligible(agency, registrar, issuer):
    uncertified = new_officer(agency, registrar, issuer, issue=False)
    assert "未取得行政执法证" in eligibility.ineligibility(fresh(uncertified), MARKET, COUNTY_A)
    assert uncertified not in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_a_suspended_certificate_is_not_eligible_until_reinstated(officer, issuer):
    credentials.suspend_credential(officer.credential, actor=issuer, reason="停职调查")
    assert "已暂停" in eligibility.ineligibility(fresh(officer), MARKET, COUNTY_A)
    assert officer not in eligibility.eligible_officers(MARKET, COUNTY_A)
    credentials.reinstate_credential(
        Credential.objects.get(pk=officer.credential_id), actor=issuer, reason="复职"
    )
    assert officer in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_a_revoked_certificate_is_not_eligible(officer, issuer):
    credentials.revoke_credential(officer.credential, actor=issuer, reason="调离执法岗位")
    assert "已吊销" in eligibility.ineligibility(fresh(officer), MARKET, COUNTY_A)
    assert officer not in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_an_expired_certificate_is_not_eligible(officer):
    Credential.objects.filter(pk=officer.credential_id).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert "已过期" in eligibility.ineligibility(fresh(officer), MARKET, COUNTY_A)
    assert officer not in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_an_expired_certificate_can_be_replaced(officer, issuer):
    Credential.objects.filter(pk=officer.credential_id).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    renewed = officers.issue_certificate(fresh(officer), actor=issuer)
    assert renewed.credential_id != officer.credential_id
    assert officer in eligibility.eligible_officers(MARKET, COUNTY_A)


# --- assignments and guards -------------------------------------------------------------------------------------------


def test_only_an_eligible_officer_is_assigned(officer, agency, registrar, issuer, record):
    officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)
    assert officer.user_id in assignee_ids(record)
    stranger = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    with pytest.raises(ValidationFailed, match="不是登记的行政执法人员"):
        officers.assign_officer(record, user=stranger, domain=MARKET, actor=registrar)
    with pytest.raises(ValidationFailed, match="城市管理"):
        officers.assign_officer(record, user=officer.user, domain=URBAN, role="reviewer", actor=registrar)


def test_an_investigation_needs_two_certified_officers(officer, agency, registrar, issuer, record):
    guard = eligibility.investigation_guard(domain_of=lambda obj: MARKET)
    officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)
    message = guard(record, registrar)
    assert "至少指派2名" in message and "第四十二条" in message
    second = new_officer(agency, registrar, issuer, name="李执法")
    officers.assign_officer(record, user=second.user, domain=MARKET, actor=registrar)
    assert guard(record, registrar) is None


def test_revocation_removes_the_officer_from_new_assignments_at_once(
    officer, agency, registrar, issuer, record
):
    second = new_officer(agency, registrar, issuer, name="李执法")
    guard = eligibility.investigation_guard(domain_of=lambda obj: MARKET)
    for member in (officer, second):
        officers.assign_officer(record, user=member.user, domain=MARKET, actor=registrar)
    assert guard(record, registrar) is None
    credentials.revoke_credential(second.credential, actor=issuer, reason="吊销执法资格")
    # No flag was copied anywhere: the very next check reads the credential's status.
    assert "已吊销" in guard(record, registrar)
    with pytest.raises(ValidationFailed, match="已吊销"):
        officers.assign_officer(record, user=second.user, domain=MARKET, role="reviewer", actor=registrar)
    assert second not in eligibility.eligible_officers(MARKET, COUNTY_A)


def test_the_certified_actor_guard_reads_the_actors_certificate(officer, registrar, issuer, record):
    guard = eligibility.certified_actor_guard(domain_of=lambda obj: MARKET)
    assert "只有本事项的承办人" in guard(record, officer.user)
    officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)
    assert guard(record, officer.user) is None
    credentials.suspend_credential(officer.credential, actor=issuer, reason="停职")
    assert "已暂停" in guard(record, officer.user)


def test_the_rules_cite_article_42_of_the_administrative_penalty_law():
    from smartjustice.core import rules

    minimum = rules.get("enforcement", "minimum_officers")
    assert minimum.value == 2 and minimum.cites("行政处罚法", 42)
    assert rules.get("enforcement", "certified_officers").cites("中华人民共和国行政处罚法", 42)


# --- pages -------------------------------------------------------------------------------------------------------------


def test_the_officer_pages_show_the_certificate_state(client, officer, registrar, issuer):
    client.force_login(registrar)
    page = client.get("/enforcement/officers/", {"domain": MARKET})
    assert page.status_code == 200 and "张执法" in page.content.decode() and "有效" in page.content.decode()
    credentials.revoke_credential(officer.credential, actor=issuer, reason="调离")
    detail = client.get(f"/enforcement/officers/{officer.pk}/").content.decode()
    assert "已吊销" in detail and officer.credential.number in detail and "第四十二条" in detail


def test_an_officer_of_another_county_is_not_found(client, officer):
    client.force_login(make_staff(COUNTY_B, "officer_manager"))
    assert client.get(f"/enforcement/officers/{officer.pk}/").status_code == 404
    assert "张执法" not in client.get("/enforcement/officers/").content.decode()


def test_a_person_assigned_around_the_check_still_fails_the_guard(officer, agency, registrar, record):
    from smartjustice.core.assignments import assign

    clerk = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    officers.assign_officer(record, user=officer.user, domain=MARKET, actor=registrar)
    assign(record, user=clerk, actor=registrar)  # bypassing assign_officer
    assert "不是登记的行政执法人员" in eligibility.investigation_guard(domain_of=lambda obj: MARKET)(
        record, registrar
    )


def test_training_hours_out_of_range_are_refused(agency, registrar):
    user = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    with pytest.raises(ValidationFailed):
        officers.register_officer(
            actor=registrar, user=user, agency=agency, domains=[MARKET], training_hours={"2026": -1}
        )
