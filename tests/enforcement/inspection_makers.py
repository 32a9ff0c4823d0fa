"""Factories of 双随机、一公开 records (the API tests, the service tests and the access matrix share them)."""

import itertools

from django.utils import timezone

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import Place, organisation_in
from smartjustice.core.validators import uscc_check_digit
from smartjustice.enforcement.choices import InspectionPlanStatus, InspectionResult
from smartjustice.enforcement.models import ConflictOfInterest, Inspection, InspectionPlan, RegulatedEntity
from tests.enforcement import officer_makers

MARKET = "market_regulation"
_serial = itertools.count(1)


def make_uscc(code: str, n: int | None = None) -> str:
    """A valid 统一社会信用代码 registered in division `code` (serial `n`, or the next one)."""
    first17 = f"91{code[:6]}{(n if n is not None else next(_serial)) % 10**9:09d}"
    return first17 + uscc_check_digit(first17)


def enforcement_agency(code: str, domain: str = MARKET):
    return officer_makers.agency_in(code, domain)


def entity(place: Place, **fields) -> RegulatedEntity:
    values = {
        "uscc": make_uscc(place.code),
        "name": f"测试商贸有限公司{next(_serial)}",
        "jurisdiction_id": place.code,
        "domains": [MARKET],
        "risk_level": "high",
        "legal_representative": "王法人",
        "business_address": "天河路1号",
        **fields,
    }
    return RegulatedEntity.objects.create(**values)


def entity_payload(place: Place) -> dict:
    return {
        "uscc": make_uscc(place.code),
        "name": "新登记商贸有限公司",
        "jurisdiction": place.code,
        "domains": [MARKET],
        "risk_level": "medium",
    }


def plan(place: Place, **fields) -> InspectionPlan:
    """A draft plan of `place.organisation` in `place.code`."""
    values = {
        "name": f"2026年第{next(_serial)}批市场监管双随机抽查",
        "agency": place.organisation,
        "jurisdiction_id": place.code,
        "domain": MARKET,
        **fields,
    }
    return InspectionPlan.objects.create(**values)


def plan_payload(place: Place) -> dict:
    return {
        "name": "2026年食品经营双随机抽查",
        "domain": MARKET,
        "sampling_ratios": {"high": 0.5, "medium": 0.2, "low": 0.1},
    }


def inspection(place: Place) -> Inspection:
    """An inspection drawn by a plan of `place` (rows made directly: the draw itself is tested in the services)."""
    drawn = plan(place, status=InspectionPlanStatus.DRAWN, drawn_at=timezone.now())
    return Inspection.objects.create(plan=drawn, entity=entity(place))


def published_plan(place: Place) -> InspectionPlan:
    done = plan(
        place, status=InspectionPlanStatus.PUBLISHED, drawn_at=timezone.now(), published_at=timezone.now()
    )
    Inspection.objects.create(
        plan=done, entity=entity(place), result=InspectionResult.PASSED, inspected_at=timezone.now()
    )
    return done


def conflict(place: Place) -> ConflictOfInterest:
    officer = officer_makers.officer(place)
    return ConflictOfInterest.objects.create(
        officer=officer, entity=entity(place), reason="近亲属任法定代表人"
    )


def agency_place(code: str) -> Place:
    return Place(code, organisation_in(code, OrganisationKind.ENFORCEMENT_AGENCY))


def conflict_payload(place: Place) -> dict:
    officer = officer_makers.officer(place)
    return {"officer_id": officer.pk, "entity_id": entity(place).pk, "reason": "配偶任该企业股东"}
