"""Crafted enforcement cases and annual reports for the disclosure tests (written straight to the tables: the
figures must equal hand counts of exactly these rows)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import Place, make_staff, organisation_in
from smartjustice.disclosure.choices import FigureSource, ReportStatus
from smartjustice.disclosure.models import AnnualReport, ReportFigure
from smartjustice.enforcement.choices import CaseStatus, PartyKind, Procedure
from smartjustice.enforcement.models import EnforcementCase, Party
from tests.enforcement.officer_makers import agency_in

YEAR = 2025
PERSON_NAME = "王小明"
PERSON_ID = "440106199001011234"
PERSON_PHONE = "13812345678"
PERSON_ADDRESS = "广州市天河区天河路123号4栋501房"
COMPANY_NAME = "广州示例餐饮管理有限公司"
COMPANY_USCC = "91440101MA59XXXX1X"

_serial = itertools.count(1)


def person(agency, *, name=PERSON_NAME, id_number=PERSON_ID):
    return Party.objects.get_or_create(
        agency=agency,
        id_number=id_number,
        defaults={
            "jurisdiction_id": agency.jurisdiction_id,
            "kind": PartyKind.PERSON,
            "name": name,
            "phone": PERSON_PHONE,
            "address": PERSON_ADDRESS,
        },
    )[0]


def company(agency):
    return Party.objects.get_or_create(
        agency=agency,
        id_number=COMPANY_USCC,
        defaults={
            "jurisdiction_id": agency.jurisdiction_id,
            "kind": PartyKind.ORGANISATION,
            "name": COMPANY_NAME,
            "legal_representative": "李大力",
            "phone": "020-12345678",
            "address": "广州市天河区体育西路1号",
        },
    )[0]


def case(
    code: str,
    *,
    party=None,
    procedure=Procedure.ORDINARY,
    status=CaseStatus.CLOSED,
    filed_on=date(YEAR, 3, 1),
    decided_on=date(YEAR, 4, 1),
    fine=Decimal("5000"),
    confiscated=None,
    reviewed_on=None,
    hearing_on=None,
    grave=False,
    revoked_on=None,
    cause="未按规定明码标价",
    facts="",
    agency=None,
) -> EnforcementCase:
    """A case of the enforcement agency of `code`, in the given state, with the given dates and amounts."""
    agency = agency or agency_in(code)
    n = next(_serial)
    return EnforcementCase.objects.create(
        number=f"测试立字〔{YEAR}〕{n}号",
        procedure=procedure,
        agency=agency,
        jurisdiction_id=agency.jurisdiction_id,
        domain="market_regulation",
        party=party or company(agency),
        cause=cause,
        facts=facts,
        status=status,
        discovered_on=filed_on or date(YEAR, 1, 1),
        filed_on=filed_on,
        decided_on=decided_on,
        decision_number=f"测试罚字〔{YEAR}〕{n}号" if decided_on else "",
        fine_amount=fine,
        confiscated_amount=confiscated,
        reviewed_on=reviewed_on,
        hearing_on=hearing_on,
        grave=grave,
        revoked_on=revoked_on,
        revocation_reason="经行政复议决定撤销" if revoked_on else "",
    )


def reporter(code: str, *roles):
    """A 统计填报员 of the 司法局 of `code`."""
    return make_staff(code, *(roles or ("statistics_reporter",)), organisation=organisation_in(code))


def reviewer(code: str):
    return make_staff(code, "enforcement_data_reviewer", organisation=organisation_in(code))


def report(place: Place, *, year: int = YEAR, status=ReportStatus.DRAFT, values: dict | None = None):
    """An annual report of `place` written directly (the API tests and the matrix), with optional figures."""
    from smartjustice.core.models import Jurisdiction

    jurisdiction = Jurisdiction.objects.get(code=place.code)
    obj = AnnualReport.objects.create(
        organisation=place.organisation,
        jurisdiction=jurisdiction,
        level=jurisdiction.level,
        year=year,
        status=status,
    )
    for metric, value in (values or {}).items():
        ReportFigure.objects.create(
            report=obj, metric=metric, value=Decimal(value), source=FigureSource.COMPUTED
        )
    return obj


def report_payload(place: Place) -> dict:
    return {"year": YEAR}


def justice_bureau(code: str):
    return organisation_in(code, OrganisationKind.JUSTICE_BUREAU)


def any_report(place: Place, *, status=ReportStatus.DRAFT):
    """A report of `place` for a year it has none for yet (the generated API tests and the query budgets make
    several per place)."""
    taken = set(AnnualReport.objects.filter(jurisdiction_id=place.code).values_list("year", flat=True))
    year = next(y for y in range(YEAR, 2000, -1) if y not in taken)
    return report(place, year=year, status=status, values={"cases_filed": 1})
