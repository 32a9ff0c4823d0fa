"""demo_conduct (helper E): sanctions in several states (a revocation proposal before the court), approvals pending,
approved and refused, assessments; a second run creates nothing and writes no audit entry."""

import pytest

from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import COUNTY_A, Place, make_staff, organisation_in
from smartjustice.correction import demo_conduct
from smartjustice.correction.choices import CorrectionCategory
from smartjustice.correction.models.conduct import ApprovalRequest, Assessment, Sanction
from tests.correction import conduct_makers, makers

pytestmark = pytest.mark.django_db


def test_demo_covers_the_states_and_is_idempotent():
    county = Place(COUNTY_A, organisation_in(COUNTY_A))
    station_place, station = conduct_makers.town_place(county)
    make_staff(COUNTY_A, "correction_officer", username="th_correction", organisation=county.organisation)
    make_staff(
        COUNTY_A,
        "correction_officer",
        "correction_head",
        username="th_correction_head",
        organisation=county.organisation,
    )
    make_staff(station_place.code, "correction_officer", username="ws_correction", organisation=station)
    for n in range(1, 7):
        fields = {"number": f"DEMO-{n:04d}"}
        if n == 6:
            fields["category"] = CorrectionCategory.PROBATION
        if n in (4, 5):
            person = conduct_makers.entrusted_subject(county, **fields)
        else:
            person = makers.subject(county, **fields)
        makers.subject_account(person)
    created = demo_conduct.load_demo()
    assert created > 0
    statuses = set(Sanction.objects.values_list("status", flat=True))
    assert {"issued", "submitted", "draft", "sent_to_court"} <= statuses
    assert Sanction.objects.filter(kind="probation_revocation", status="sent_to_court").exists()
    assert {"submitted", "approved", "refused"} <= set(
        ApprovalRequest.objects.values_list("status", flat=True)
    )
    assert ApprovalRequest.objects.filter(route="station").exists()
    assert Assessment.objects.count() >= 1
    entries = AuditEntry.objects.count()
    assert demo_conduct.load_demo() == 0
    assert AuditEntry.objects.count() == entries
