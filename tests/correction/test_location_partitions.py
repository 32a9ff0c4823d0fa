"""The GPS points table on PostgreSQL: partitioned by month (migration 0002_manual_gps_partitions), months created
ahead, old months detached or dropped by `smartjustice correction gps-partitions` (location_storage.maintain).
Skipped on SQLite, where the migrations are no-ops; also the tracker-state table's page room (0003). Run with DATABASE_URL=postgres://…/sj_d."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection

from smartjustice.core.testing import COUNTY_A, Place, organisation_in
from smartjustice.correction import location_storage
from smartjustice.correction.models import GpsPoint
from tests.correction import makers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL only"),
]


def _point(subject, when: datetime) -> GpsPoint:
    return GpsPoint.objects.create(
        subject=subject, recorded_at=when, received_at=when, longitude=113.35, latitude=23.16, source="app"
    )


def _partition_of(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM correction_gpspoint WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_points_land_in_their_months_partition_and_a_month_is_detached_and_dropped():
    assert location_storage.is_partitioned()
    subject = makers.subject(Place(COUNTY_A, organisation_in(COUNTY_A)))
    old = _point(
        subject, datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
    )  # no partition yet: the default one catches it
    assert _partition_of(old.pk) == location_storage.DEFAULT_PARTITION
    done = location_storage.maintain(ahead=1, today=date(2025, 3, 1))
    assert done["created"] == ["correction_gpspoint_y2025m03", "correction_gpspoint_y2025m04"]
    assert _partition_of(old.pk) == "correction_gpspoint_y2025m03"  # moved out of the default partition
    recent = _point(subject, datetime(2025, 4, 2, 8, 0, tzinfo=UTC))
    assert _partition_of(recent.pk) == "correction_gpspoint_y2025m04"
    # A month leaves the live table in one step, the others stay.
    done = location_storage.maintain(ahead=0, detach_before=date(2025, 4, 1), today=date(2025, 4, 1))
    assert done["detached"] == ["correction_gpspoint_y2025m03"]
    assert list(GpsPoint.objects.filter(subject=subject).values_list("pk", flat=True)) == [recent.pk]
    names = {p.name: p for p in location_storage.partitions()}
    assert names["correction_gpspoint_y2025m03"].attached is False  # kept for archiving until dropped
    done = location_storage.maintain(
        ahead=0, detach_before=date(2025, 4, 1), drop=True, today=date(2025, 4, 1)
    )
    assert done["dropped"] == ["correction_gpspoint_y2025m03"]
    assert "correction_gpspoint_y2025m03" not in {p.name for p in location_storage.partitions()}


def test_a_point_sent_twice_is_still_stored_once_across_partitions():
    from django.db import IntegrityError, transaction

    subject = makers.subject(Place(COUNTY_A, organisation_in(COUNTY_A)))
    when = datetime(2025, 6, 1, 0, 0, tzinfo=UTC)
    _point(subject, when)
    with pytest.raises(IntegrityError), transaction.atomic():
        _point(subject, when)


def test_the_command_lists_the_partitions():
    from io import StringIO

    class Command:
        stdout = StringIO()

    location_storage.run_command(Command, list=True)
    assert "默认分区" in Command.stdout.getvalue()


def test_tracker_states_are_updated_in_place_rather_than_bloating_the_table():
    """Every batch rewrites each subject's tracker state: the table keeps room on its pages for the new version
    (migration 0003_manual_tracker_storage), so updates stay on the page (HOT) instead of growing the table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'correction_trackersnapshot'")
        options = set(cursor.fetchone()[0] or ())
    assert "fillfactor=40" in options
