"""Two workers run the missed-report job at the same moment: each overdue subject gets one alert, not two.

Real transactions (threads need committed data), which empties the database afterwards; the `divisions` fixture
reloads the divisions the rest of the suite relies on. On PostgreSQL the workers really overlap (row locks with
SKIP LOCKED); the in-memory SQLite of the tests answers a second writer with “table is locked” instead of waiting,
so there the second worker starts right after the first (the job must then find the alert already raised)."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from smartjustice.core.models import Jurisdiction
from smartjustice.core.testing import COUNTY_A, Place, organisation_in
from smartjustice.correction import reporting
from smartjustice.correction.choices import AlertKind
from smartjustice.correction.models import CorrectionAlert
from tests.correction import makers


@pytest.fixture
def divisions(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not Jurisdiction.objects.filter(code=COUNTY_A).exists():
            call_command("load_jurisdictions", max_level=4, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_two_workers_flag_each_missed_report_once(divisions, settings):
    settings.NOTIFICATION_CHANNELS = []
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    overdue = [makers.subject(place) for _ in range(6)]
    for n, subject in enumerate(overdue):
        subject.next_report_due_at = timezone.now() - datetime.timedelta(hours=n + 1)
        subject.save()
    simultaneous = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    start = threading.Barrier(2, timeout=30)
    first_done = threading.Event()
    outcomes: dict[int, object] = {}

    def work(i: int) -> None:
        try:
            start.wait()
            if i == 1 and not simultaneous:
                first_done.wait(timeout=60)
            outcomes[i] = reporting.flag_missed_reports()
        except Exception as exc:  # recorded for the assertions below
            outcomes[i] = exc
        finally:
            if i == 0:
                first_done.set()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert all(isinstance(v, int) for v in outcomes.values()), outcomes
    assert sum(outcomes.values()) == len(overdue)
    alerts = CorrectionAlert.objects.filter(kind=AlertKind.MISSED_REPORT)
    assert sorted(alerts.values_list("subject_id", flat=True)) == sorted(s.pk for s in overdue)
