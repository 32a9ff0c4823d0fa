"""Factories of 考核奖惩 and 审批 tests (helper E): records made directly (not through the services), so a page or API
test does not depend on every step; the service tests make theirs through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.models import Jurisdiction
from smartjustice.core.testing import COUNTY_A, Place, make_staff, organisation_in
from smartjustice.correction.models.conduct import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalRoute,
    Assessment,
    AssessmentGrade,
    AssessmentKind,
    Sanction,
    SanctionKind,
)
from tests.correction import makers

ITEMS = [
    {"code": "obey_law", "points": 28},
    {"code": "supervision", "points": 27},
    {"code": "education", "points": 18},
    {"code": "public_service", "points": 17},
]


def officer(place: Place, *roles: str):
    return make_staff(place.code, *(roles or ("correction_officer",)), organisation=place.organisation)


def head(place: Place):
    return make_staff(place.code, "correction_officer", "correction_head", organisation=place.organisation)


def town_place(county: Place) -> tuple[Place, object]:
    """A town of `county` with its 司法所: (the station's place, the station)."""
    town = Jurisdiction.objects.filter(parent_id=county.code).order_by("code").first()
    station = organisation_in(town.code, OrganisationKind.JUSTICE_STATION)
    return Place(town.code, station), station


def entrusted_subject(county: Place, **fields):
    """A subject of `county`'s agency entrusted to one of its 司法所 (jurisdiction: the town)."""
    station_place, station = town_place(county)
    return makers.subject(Place(station_place.code, county.organisation), station=station, **fields)


def assessment(place: Place, **fields) -> Assessment:
    subject = fields.pop("subject", None) or makers.subject(place)
    values = {
        "subject": subject,
        "kind": AssessmentKind.MONTHLY,
        "period": (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
        "points": 90,
        "grade": AssessmentGrade.GOOD,
        "items": [],
        "assessor": officer(place),
        "assessed_on": timezone.localdate(),
    }
    values.update(fields)
    return Assessment.objects.create(**values)


def sanction(place: Place, **fields) -> Sanction:
    subject = fields.pop("subject", None) or makers.subject(place)
    values = {
        "subject": subject,
        "kind": SanctionKind.WARNING,
        "facts": "未经批准离开所居住的县（测试）",
        "legal_basis": "《中华人民共和国社区矫正法》第二十八条第一款",
        "drafted_by": officer(place),
    }
    values.update(fields)
    return Sanction.objects.create(**values)


def approval(place: Place, **fields) -> ApprovalRequest:
    subject = fields.pop("subject", None) or makers.subject(place)
    today = timezone.localdate()
    values = {
        "subject": subject,
        "kind": ApprovalKind.LEAVE,
        "route": ApprovalRoute.COUNTY,
        "destination": "深圳市福田区（测试）",
        "reason": "探望住院的母亲",
        "starts_on": today + timedelta(days=3),
        "ends_on": today + timedelta(days=5),
        "submitted_by": officer(place),
        "decide_by": today + timedelta(days=3),
    }
    values.update(fields)
    return ApprovalRequest.objects.create(**values)


def assessment_payload(place: Place) -> dict:
    subject = makers.subject(place)
    return {
        "subject_id": subject.pk,
        "kind": "monthly",
        "period": timezone.localdate().strftime("%Y-%m"),
        "items": ITEMS,
        "note": "表现良好",
    }


def sanction_payload(place: Place) -> dict:
    subject = makers.subject(place)
    return {"subject_id": subject.pk, "kind": "warning", "facts": "无正当理由未按时报告两次"}


def approval_payload(place: Place) -> dict:
    subject = makers.subject(place)
    today = timezone.localdate()
    return {
        "subject_id": subject.pk,
        "kind": "leave",
        "destination": "佛山市南海区",
        "reason": "参加亲属婚礼",
        "starts_on": (today + timedelta(days=4)).isoformat(),
        "ends_on": (today + timedelta(days=6)).isoformat(),
    }


__all__ = ["COUNTY_A"]
