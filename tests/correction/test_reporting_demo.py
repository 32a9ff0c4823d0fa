"""The daily-supervision demo: a month of check-ins and records through the services, overdue subjects flagged, and
a second run that creates nothing and writes no audit entry."""

import datetime

import pytest
from django.utils import timezone

from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import COUNTY_A, Place, make_staff, organisation_in
from smartjustice.correction import demo_reporting
from smartjustice.correction.choices import AlertKind, SupervisionLevel
from smartjustice.correction.models import CheckIn, CorrectionAlert, SupervisionRecord
from tests.correction import makers

pytestmark = pytest.mark.django_db


def test_demo_loads_histories_flags_the_overdue_and_is_idempotent():
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    make_staff(COUNTY_A, "correction_officer", username="th_correction", organisation=place.organisation)
    intake = timezone.localdate() - datetime.timedelta(days=60)
    people = [
        makers.subject(place, number=f"DEMO-{n:04d}", level=SupervisionLevel.ORDINARY, intake_on=intake)
        for n in range(1, 5)
    ]
    makers.subject_account(people[0])

    created = demo_reporting.load_demo()

    assert created > 0
    assert CheckIn.objects.filter(subject__in=people).count() >= 5
    assert CheckIn.objects.filter(subject=people[0], channel="app").count() == 1
    assert SupervisionRecord.objects.filter(subject__in=people).count() == 8
    # DEMO-0003 reported 26 days ago only: 15-day schedule, overdue, one alert.
    assert CorrectionAlert.objects.filter(kind=AlertKind.MISSED_REPORT, subject=people[2]).count() == 1
    entries = AuditEntry.objects.count()
    assert demo_reporting.load_demo() == 0
    assert AuditEntry.objects.count() == entries
