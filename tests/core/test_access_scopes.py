"""Access with more than one axis: a model declares per action who may act (jurisdiction range, own organisation,
the organisation's domain, owner, public, everywhere, platform), and core.access alone decides."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from smartjustice.core import access
from smartjustice.core.choices import EnforcementDomain, OrganisationKind
from smartjustice.core.models import Organisation, Role
from smartjustice.core.testing import make_staff
from smartjustice.ledger.models import Log, SigningKey
from tests.core.factories import (
    GUANGZHOU,
    PROVINCE,
    SHENZHEN_FUTIAN,
    TIANHE,
    YUEXIU,
    StaffFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db

# Test roles: an enforcement officer may view (their organisation's records), a supervisor may also supervise
# (every record in their jurisdiction range).
TEST_ROLES = {
    "scope_officer": ["ledger.view_signingkey"],
    "scope_supervisor": ["ledger.view_signingkey", "ledger.supervise_signingkey"],
    "scope_keeper": ["ledger.change_signingkey"],
}


@pytest.fixture
def roles(monkeypatch):
    definitions = dict(access.role_definitions())
    for code, permissions in TEST_ROLES.items():
        Role.objects.get_or_create(code=code, defaults={"name": code})
        definitions[code] = {"code": code, "name": code, "permissions": permissions}
    monkeypatch.setattr(access, "role_definitions", lambda: definitions)


@pytest.fixture
def declare(monkeypatch):
    """Give SigningKey other access declarations for one test (it has an organisation and a jurisdiction)."""

    def _declare(scopes, **fields):
        monkeypatch.setattr(SigningKey, "access_scopes", scopes)
        for name, value in fields.items():
            monkeypatch.setattr(SigningKey, name, value)

    return _declare


def bureau(code: str, name: str, domain: str = "", **fields) -> Organisation:
    return Organisation.objects.create(
        jurisdiction=jurisdiction(code),
        name=name,
        kind=OrganisationKind.ENFORCEMENT_AGENCY,
        enforcement_domain=domain,
        **fields,
    )


def key_of(organisation: Organisation | None, name: str) -> SigningKey:
    return SigningKey.objects.create(
        organisation=organisation, algorithm="sm2", key_id=name, public_key=b"p", private_key_encrypted=b"s"
    )


def visible(user, action: str = "view") -> set[str]:
    return set(access.restrict(SigningKey.objects.all(), user, action).values_list("key_id", flat=True))


@pytest.fixture
def county():
    """Two bureaus of 天河区 (market regulation, environment) and one of 越秀区, each with a record."""
    market = bureau(TIANHE, "天河区市场监督管理局", EnforcementDomain.MARKET_REGULATION)
    environment = bureau(TIANHE, "天河区生态环境分局", EnforcementDomain.ECOLOGY_ENVIRONMENT)
    yuexiu_market = bureau(YUEXIU, "越秀区市场监督管理局", EnforcementDomain.MARKET_REGULATION)
    key_of(market, "market-case")
    key_of(environment, "environment-case")
    key_of(yuexiu_market, "yuexiu-case")
    return {"market": market, "environment": environment, "yuexiu_market": yuexiu_market}


def test_an_officer_sees_only_their_bureaus_records_and_the_county_supervisor_sees_both(
    roles, declare, county
):
    declare({"view": ("organisation", "jurisdiction:supervise")})
    market_officer = make_staff(TIANHE, "scope_officer", organisation=county["market"])
    environment_officer = make_staff(TIANHE, "scope_officer", organisation=county["environment"])
    supervisor = make_staff(TIANHE, "scope_supervisor")  # of the county's 司法局
    assert visible(market_officer) == {"market-case"}
    assert visible(environment_officer) == {"environment-case"}
    assert visible(supervisor) == {"market-case", "environment-case"}
    assert visible(make_staff(GUANGZHOU, "scope_supervisor")) == {
        "market-case",
        "environment-case",
        "yuexiu-case",
    }
    # One answer for a record of the other bureau and for a missing one.
    other = SigningKey.objects.get(key_id="environment-case")
    assert not access.can(market_officer, "view", other)
    with pytest.raises(access.NotFound):
        access.get_for(market_officer, SigningKey, other.pk)
    assert access.get_for(supervisor, SigningKey, other.pk) == other


def test_the_organisation_scope_still_needs_the_role_permission(roles, declare, county):
    declare({"view": ("organisation",)})
    assert visible(make_staff(TIANHE, "mediator", organisation=county["market"])) == set()
    assert not access.may_do(
        make_staff(TIANHE, "mediator", organisation=county["market"]), "view", SigningKey
    )


def test_the_domain_scope_follows_the_organisations_domains_inside_its_jurisdiction(roles, declare, county):
    declare({"view": ("domain",)}, domain_field="organisation__enforcement_domain")
    city_market = bureau(GUANGZHOU, "广州市市场监督管理局", EnforcementDomain.MARKET_REGULATION)
    assert visible(make_staff(GUANGZHOU, "scope_officer", organisation=city_market)) == {
        "market-case",
        "yuexiu-case",
    }
    # An organisation may work in several domains (Organisation.domains); outside its range it sees nothing.
    city_justice = make_staff(GUANGZHOU, "scope_officer")
    city_justice.organisation.domains = [EnforcementDomain.ECOLOGY_ENVIRONMENT]
    city_justice.organisation.save()
    assert visible(city_justice) == {"environment-case"}
    futian_market = bureau(SHENZHEN_FUTIAN, "福田区市场监督管理局", EnforcementDomain.MARKET_REGULATION)
    assert visible(make_staff(SHENZHEN_FUTIAN, "scope_officer", organisation=futian_market)) == set()


def test_public_records_are_read_by_anyone_even_anonymous(county):
    log = Log.objects.create(name="receipts", origin="test/receipts", organisation=county["market"])
    for reader in (None, AnonymousUser(), StaffFactory()):
        assert list(access.restrict(Log.objects.all(), reader, "view")) == [log]
        assert access.may_do(reader, "view", Log)
    # Signing the same log is for ledger staff of the operator's jurisdiction only.
    assert not access.restrict(Log.objects.all(), AnonymousUser(), "sign").exists()
    with pytest.raises(access.NotAuthenticated):
        access.require(AnonymousUser(), "sign", Log)
    with pytest.raises(access.PermissionDenied):
        access.require(StaffFactory(), "sign", Log)


def test_platform_scope_is_for_province_wide_staff(roles, declare, county):
    declare({"change": ("platform",)})
    assert visible(make_staff(PROVINCE, "scope_keeper"), "change") == {
        "market-case",
        "environment-case",
        "yuexiu-case",
    }
    assert visible(make_staff(GUANGZHOU, "scope_keeper"), "change") == set()
    assert visible(make_staff(PROVINCE, "mediator"), "change") == set()  # the permission is still needed


def test_platform_owned_records_belong_to_the_province_under_the_default_scope(roles, county):
    platform_key = key_of(None, "platform-key")
    assert "platform-key" in visible(make_staff(PROVINCE, "scope_keeper"), "change")
    assert "platform-key" not in visible(make_staff(GUANGZHOU, "scope_keeper"), "change")
    assert access.jurisdiction_code_of(platform_key) == PROVINCE
    assert access.jurisdiction_code_of(SigningKey.objects.get(key_id="market-case")) == TIANHE


def test_the_hub_catalogue_is_read_everywhere_and_changed_by_the_province(county):
    from smartjustice.hub.models import Dataset

    dataset = Dataset.objects.create(
        code="province.cases", name="全省案件", owner=Organisation.objects.create(
            jurisdiction=jurisdiction(PROVINCE), name="省司法厅", kind=OrganisationKind.JUSTICE_DEPARTMENT
        ), sharing_class="conditional", update_frequency="daily",
    )  # fmt: skip
    city = make_staff(GUANGZHOU, "data_sharing_admin")
    assert access.can(city, "view", dataset) and not access.can(city, "change", dataset)
    assert access.can(make_staff(PROVINCE, "data_sharing_admin"), "change", dataset)
    assert not access.can(make_staff(GUANGZHOU, "mediator"), "view", dataset)


def test_may_act_in_a_jurisdiction():
    county = make_staff(TIANHE, "mediator")
    province = make_staff(PROVINCE, "mediator")
    assert access.may_act_in(county, TIANHE) and not access.may_act_in(county, YUEXIU)
    assert not access.may_act_in(county, None) and not access.may_act_in(county, "")
    assert access.may_act_in(province, TIANHE) and access.may_act_in(
        province, None
    )  # platform-owned: province
    assert access.may_act_in(make_staff(GUANGZHOU, "mediator"), TIANHE)
    assert access.may_act_in(StaffFactory(is_superuser=True), None)
    assert not access.may_act_in(None, TIANHE) and not access.may_act_in(AnonymousUser(), TIANHE)
    county.is_active = False
    assert not access.may_act_in(county, TIANHE)


def test_an_unknown_scope_kind_is_a_programming_error(declare):
    declare({"view": ("neighbourhood",)})
    with pytest.raises(ValueError, match="neighbourhood"):
        visible(make_staff(TIANHE, "ledger_admin"))
