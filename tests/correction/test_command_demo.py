"""The command part's demo: a risk score for every demo subject, one 脱管 search in each state, idempotent."""

import pytest

from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import COUNTY_A, Place, make_staff, organisation_in
from smartjustice.correction import demo_command
from smartjustice.correction.models import AbscondingIncident, IncidentStatus, RiskScore
from tests.correction import makers

pytestmark = pytest.mark.django_db


def test_the_demo_scores_everyone_and_has_an_incident_in_each_state_once():
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    make_staff(COUNTY_A, "correction_officer", username="th_correction", organisation=place.organisation)
    subjects = [makers.subject(place, number=f"DEMO-{n:04d}") for n in range(1, 6)]
    created = demo_command.load_demo()
    assert created == len(subjects) + 4
    assert set(RiskScore.objects.values_list("subject_id", flat=True)) == {s.pk for s in subjects}
    states = sorted(AbscondingIncident.objects.values_list("status", flat=True))
    assert states == sorted(IncidentStatus.values)
    entries = AuditEntry.objects.count()
    assert demo_command.load_demo() == 0
    assert AuditEntry.objects.count() == entries
