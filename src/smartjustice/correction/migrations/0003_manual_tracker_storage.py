"""Hand-written (keep when regenerating migrations): on PostgreSQL, leave room in each page of the tracker-state table
for the next version of its rows. Every GPS batch rewrites the state of each subject in it, thousands of rows a
minute; with full pages each update lands on a new page and the table and its indexes bloat until vacuumed (it grew
to 1.4 GB for 3,000 rows in the ingest benchmark). With free space on the page PostgreSQL updates in place (HOT:
no index writes, old versions pruned on the page). A no-op on SQLite. See docs/decisions/0014-gps-storage.md.
"""

from django.db import migrations

TABLE = "correction_trackersnapshot"


def _forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} SET (fillfactor = 40, autovacuum_vacuum_scale_factor = 0.02, "
            "autovacuum_vacuum_cost_delay = 0)"
        )


def _backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_vacuum_cost_delay)"
        )


class Migration(migrations.Migration):
    dependencies = [("correction", "0002_manual_gps_partitions")]

    operations = [migrations.RunPython(_forwards, _backwards)]
