"""The education demo (helper F): created through the services, and a second run creates nothing."""

import pytest

from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import COUNTY_A, Place, make_staff, organisation_in
from smartjustice.correction import demo_education
from smartjustice.correction.models import IdentityCheck, IdentityStatus, LearningAssignment, LearningTask
from tests.correction import makers

pytestmark = pytest.mark.django_db


def test_demo_fills_tasks_assignments_and_the_review_queue_once(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    officer = make_staff(COUNTY_A, "correction_officer", organisation=place.organisation)
    officer.username = "th_correction"
    officer.save(update_fields=["username"])
    for n in range(4):
        makers.subject(place, number=f"DEMO-9{n:03d}")

    created = demo_education.load_demo()

    assert created > 0
    assert LearningTask.objects.filter(agency=place.organisation).count() == len(demo_education.TASKS)
    assert LearningAssignment.objects.filter(subject__number__startswith="DEMO-").count() == 8
    assert IdentityCheck.objects.filter(status=IdentityStatus.PENDING).exists()
    entries = AuditEntry.objects.count()
    assert demo_education.load_demo() == 0
    assert AuditEntry.objects.count() == entries
