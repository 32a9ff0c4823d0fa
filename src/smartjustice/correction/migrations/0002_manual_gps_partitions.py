"""Hand-written (helper D; keep when regenerating migrations): on PostgreSQL, turn correction_gpspoint into a table
range-partitioned by month of recorded_at, with a DEFAULT partition and the months around today created; a no-op on
SQLite. See docs/decisions/0014-gps-storage.md. `smartjustice correction gps-partitions` creates months ahead and
detaches or drops old ones afterwards.

The primary key of a partitioned table must contain the partition key, so it becomes (id, recorded_at); the unique
(subject, recorded_at, source) constraint already does. Nothing references GPS points by foreign key.
"""

from datetime import date

from django.db import migrations

TABLE = "correction_gpspoint"


def _month(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def _forwards(schema_editor) -> None:
    today = date.today()
    statements = [
        f"ALTER TABLE {TABLE} RENAME TO {TABLE}_plain",
        f"ALTER TABLE {TABLE}_plain RENAME CONSTRAINT correction_gps_point_once TO correction_gps_point_once_plain",
        f"CREATE TABLE {TABLE} (LIKE {TABLE}_plain INCLUDING DEFAULTS INCLUDING IDENTITY) "
        "PARTITION BY RANGE (recorded_at)",
        f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id, recorded_at)",
        f"ALTER TABLE {TABLE} ADD CONSTRAINT correction_gps_point_once UNIQUE (subject_id, recorded_at, source)",
        f"ALTER TABLE {TABLE} ADD CONSTRAINT correction_gpspoint_subject_fk FOREIGN KEY (subject_id) "
        "REFERENCES correction_correctionsubject (id) DEFERRABLE INITIALLY DEFERRED",
        f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT",
    ]
    for offset in range(-1, 4):
        start = _month(today.year, today.month + offset)
        end = _month(start.year, start.month + 1)
        statements.append(
            f"CREATE TABLE {TABLE}_y{start:%Y}m{start:%m} PARTITION OF {TABLE} "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
    statements += [
        f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_plain",
        f"DROP TABLE {TABLE}_plain",
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), COALESCE((SELECT max(id) FROM {TABLE}), 0) + 1, false)",
    ]
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _backwards(schema_editor) -> None:
    statements = [
        f"CREATE TABLE {TABLE}_plain (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY)",
        f"INSERT INTO {TABLE}_plain SELECT * FROM {TABLE}",
        f"DROP TABLE {TABLE} CASCADE",
        f"ALTER TABLE {TABLE}_plain RENAME TO {TABLE}",
        f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)",
        f"ALTER TABLE {TABLE} ADD CONSTRAINT correction_gps_point_once UNIQUE (subject_id, recorded_at, source)",
        f"ALTER TABLE {TABLE} ADD CONSTRAINT correction_gpspoint_subject_fk FOREIGN KEY (subject_id) "
        "REFERENCES correction_correctionsubject (id) DEFERRABLE INITIALLY DEFERRED",
    ]
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _forwards(schema_editor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _backwards(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("correction", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
