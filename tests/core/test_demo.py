"""The demo (`smartjustice load_demo`): a coherent province whose documented accounts work as documented."""

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory, override_settings

from smartjustice.core import access, demo, validators
from smartjustice.core.choices import AccountKind, AuditEvent, JurisdictionLevel, OrganisationKind
from smartjustice.core.models import AuditEntry, Jurisdiction, Organisation, User

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo-accounts.md"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The full demo, loaded once for this module inside a transaction that is rolled back afterwards."""
    # Module fixtures run before conftest's per-test fast hasher, so hash with the same one here.
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        report = demo.load()
        list(demo.load_domains())  # as `load_demo` does
        yield report
        transaction.set_rollback(True)


def documented_rows() -> list[dict]:
    """The account table of docs/demo-accounts.md: username, password and role codes per row."""
    rows = []
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].startswith("`"):
            continue
        rows.append(
            {
                "username": cells[0].strip("`"),
                "password": cells[1].strip("`"),
                "codes": re.findall(r"`([a-z_]+)`", cells[2]),
            }
        )
    return rows


def test_every_city_and_county_has_a_justice_bureau(loaded):
    divisions = Jurisdiction.objects.filter(
        code__startswith="44", level__in=[JurisdictionLevel.CITY, JurisdictionLevel.COUNTY]
    )
    with_bureau = set(
        Organisation.objects.filter(kind=OrganisationKind.JUSTICE_BUREAU).values_list(
            "jurisdiction_id", flat=True
        )
    )
    assert divisions.filter(level=JurisdictionLevel.CITY).count() == 21
    assert [str(j) for j in divisions if j.code not in with_bureau] == []
    assert Organisation.objects.get(kind=OrganisationKind.JUSTICE_DEPARTMENT).name == "广东省司法厅"


def test_justice_offices_form_one_chain_from_station_to_department(loaded):
    station = Organisation.objects.get(name="天河区五山街道司法所")
    chain = [station.name]
    org = station
    while org.parent_id:
        org = org.parent
        chain.append(org.name)
    assert chain == ["天河区五山街道司法所", "广州市天河区司法局", "广州市司法局", "广东省司法厅"]


def test_every_town_of_the_two_station_counties_has_a_justice_station(loaded):
    for county in ("440106", "440104"):
        towns = set(
            Jurisdiction.objects.filter(code__startswith=county, level=JurisdictionLevel.TOWN).values_list(
                "code", flat=True
            )
        )
        stations = Organisation.objects.filter(
            kind=OrganisationKind.JUSTICE_STATION, jurisdiction_id__in=towns
        )
        assert towns and set(stations.values_list("jurisdiction_id", flat=True)) == towns
        assert all(s.parent.kind == OrganisationKind.JUSTICE_BUREAU for s in stations)


def test_every_organisation_kind_is_present_and_enforcement_agencies_name_their_domain(loaded):
    present = set(Organisation.objects.values_list("kind", flat=True))
    assert present >= set(OrganisationKind.values) - {OrganisationKind.LEGAL_SERVICE_ROOM}
    agencies = Organisation.objects.filter(kind=OrganisationKind.ENFORCEMENT_AGENCY)
    assert agencies.count() >= 10
    assert not agencies.filter(enforcement_domain="").exists()
    assert len(set(agencies.values_list("enforcement_domain", flat=True))) >= 5


def test_documented_accounts_exist_with_the_documented_roles(loaded):
    rows = documented_rows()
    assert [row["username"] for row in rows] == [entry["username"] for entry in demo.accounts()]
    users = {u.username: u for u in User.objects.prefetch_related("roles")}
    for row in rows:
        user = users[row["username"]]
        assert row["password"] == demo.password()
        if user.kind == AccountKind.STAFF:
            assert sorted(r.code for r in user.roles.all()) == sorted(row["codes"]), user.username
            assert user.organisation is not None and user.jurisdiction_id == user.organisation.jurisdiction_id
        else:
            assert row["codes"] == [user.kind] and user.jurisdiction_id
    staff_roles = {code for row in rows for code in row["codes"]} - set(AccountKind.values)
    assert staff_roles == set(access.role_definitions())  # every role has a demo account


def test_documented_accounts_sign_in_with_the_documented_password(loaded):
    request = RequestFactory().post("/accounts/login/")
    for row in documented_rows():
        user = authenticate(request, username=row["username"], password=row["password"])
        assert user is not None and user.username == row["username"]


def test_staff_sit_in_organisations_that_fit_their_role(loaded):
    fits = {
        "notary": OrganisationKind.NOTARY_OFFICE,
        "lawyer": OrganisationKind.LAW_FIRM,
        "mediator": OrganisationKind.MEDIATION_COMMITTEE,
    }
    for user in User.objects.filter(kind=AccountKind.STAFF).select_related("organisation"):
        for code in user.role_codes() & set(fits):
            assert user.organisation.kind == fits[code], user.username
        if "enforcement_officer" in user.role_codes():
            assert user.organisation.kind in (
                OrganisationKind.ENFORCEMENT_AGENCY,
                OrganisationKind.JUSTICE_BUREAU,
            )


def test_generated_identities_are_valid_and_match_where_people_live(loaded):
    reference = date.fromisoformat(demo.spec()["reference_date"])  # ages as of the demo's fixed date
    people = User.objects.exclude(id_number="").select_related("jurisdiction")
    assert people.count() == User.objects.exclude(kind=AccountKind.ENTERPRISE).count()
    for user in people:
        info = validators.parse_citizen_id(user.id_number)
        # Adults, except the 粤矫通 account of a minor under community correction (社区矫正法第五十二条).
        subject = getattr(user, "correction_subject", None)
        youngest = 14 if subject is not None and subject.is_minor else 18
        assert youngest <= (reference - info.birth_date).days // 365 <= 80, user.username
        if user.jurisdiction.level >= JurisdictionLevel.COUNTY:
            assert info.region_code == user.jurisdiction.code[:6], user.username
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", user.real_name)
        validators.validate_mobile(user.phone)
    for uscc in User.objects.exclude(uscc="").values_list("uscc", flat=True):
        validators.validate_uscc(uscc)
    usccs = list(Organisation.objects.exclude(uscc="").values_list("uscc", flat=True))
    assert len(usccs) > 500 and len(set(usccs)) == len(usccs)
    for uscc in usccs:
        validators.validate_uscc(uscc)


def test_every_created_record_is_in_the_audit_trail(loaded):
    # Created through a service (a typed event) or directly (the model's own creation entry): one each.
    created = (
        AuditEvent.OBJECT_CREATED,
        AuditEvent.ORGANISATION_CREATED,
        AuditEvent.USER_CREATED,
        AuditEvent.USER_REGISTERED,
    )
    entries = AuditEntry.objects.filter(channel="command", event__in=created)
    assert entries.filter(object_type="core.organisation").count() == Organisation.objects.count()
    assert entries.filter(object_type="core.user").count() == User.objects.count()
    staff = User.objects.filter(kind=AccountKind.STAFF).count()
    assert AuditEntry.objects.filter(event=AuditEvent.ROLES_CHANGED, channel="command").count() == staff
    # Organisations below the province were created by the province's system administrator, through the service.
    assert entries.filter(object_type="core.organisation", actor_username="gd_admin").count() == (
        Organisation.objects.count() - 1
    )


def test_loading_again_creates_nothing_and_says_so(loaded):
    counts = (Organisation.objects.count(), User.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "未新增任何记录" in out.getvalue()
    assert (Organisation.objects.count(), User.objects.count(), AuditEntry.objects.count()) == counts
    assert demo.load().created == 0


def test_docs_table_is_the_loaded_demo(loaded):
    assert demo.accounts_table() in DOCS.read_text(encoding="utf-8")


def test_missing_jurisdictions_are_reported_with_the_command_to_run(monkeypatch):
    elsewhere = {
        **demo.spec(),
        "province": {"code": "45", "name": "广西壮族自治区司法厅", "area_code": "0771"},
    }
    monkeypatch.setattr(demo, "spec", lambda: elsewhere)
    before = (Organisation.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="load_jurisdictions"):
        call_command("load_demo", stdout=StringIO())
    assert (Organisation.objects.count(), User.objects.count()) == before
