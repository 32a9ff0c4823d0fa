"""Factories for enforcement agencies and officers (the API tests and the access matrix share them)."""

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import Place, make_staff, organisation_in
from smartjustice.enforcement.models import EnforcementOfficer

MARKET = "market_regulation"


def agency_in(code: str, domain: str = MARKET):
    """The 行政执法主体 of `code` (created when missing), enforcing in `domain`."""
    agency = organisation_in(code, OrganisationKind.ENFORCEMENT_AGENCY)
    if agency.enforcement_domain != domain:
        agency.enforcement_domain = domain
        agency.save(update_fields=["enforcement_domain"])
    return agency


def officer(place: Place) -> EnforcementOfficer:
    """An officer of the enforcement agency in `place.code`, valid in that division (no certificate yet)."""
    agency = agency_in(place.code)
    user = make_staff(place.code, "enforcement_officer", organisation=agency, real_name="测试执法员")
    return EnforcementOfficer.objects.create(
        user=user, agency=agency, domains=[MARKET], jurisdiction_id=place.code
    )
