"""The location demo: tracks for demo subjects, alerts in every handling state, one 电子定位装置 approval; a second
run creates nothing and writes no audit entry."""

import pytest

from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import COUNTY_A, Place, organisation_in
from smartjustice.correction import demo_location, geofences
from smartjustice.correction.choices import AlertStatus
from smartjustice.correction.models import CorrectionAlert, ElectronicMonitoring, GpsPoint
from tests.correction import makers
from tests.correction.location_makers import fence, officer

pytestmark = pytest.mark.django_db


def test_the_demo_has_tracks_alerts_in_every_state_and_a_device_and_runs_once():
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    subjects = [makers.subject(place, number=f"DEMO-{n:04d}") for n in range(1, 13)]
    for subject in subjects:  # what intake sets (helper A): the county as the allowed area
        fence(
            subject, geometry=geofences.default_allowed_area(subject), source="county_boundary", name="天河区"
        )
    staff = officer(place)
    staff.username = "th_correction"
    staff.save()
    head = officer(place, "correction_head")
    head.username = "th_correction_head"
    head.save()
    feed = officer(place, "correction_gps_feed")
    feed.username = "gps_feed"
    feed.save()
    assert demo_location.load_demo() > 0
    assert GpsPoint.objects.filter(subject__in=subjects).count() >= 72 * len(subjects)
    states = set(CorrectionAlert.objects.filter(subject__in=subjects).values_list("status", flat=True))
    assert states == set(AlertStatus.values)
    assert ElectronicMonitoring.objects.filter(subject__in=subjects, status="active").count() == 1
    entries = AuditEntry.objects.count()
    assert demo_location.load_demo() == 0
    assert AuditEntry.objects.count() == entries
