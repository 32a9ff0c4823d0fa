"""Hand-written (keep when regenerating migrations): how the breach tracker's state is stored. Every GPS batch reads
and rewrites the state of each subject in it, thousands of rows a minute (ADR 0014):
- the state becomes JSON text rather than jsonb: jsonb's parse on write and render on read cost as much as the rest
  of the row's update, and nothing queries inside the state;
- on PostgreSQL the table leaves room on each page for the next version of its rows. With full pages each update
  lands on a new page and the table and its indexes bloat until vacuumed (1.4 GB for 3,000 rows in the ingest
  benchmark); with room on the page PostgreSQL updates in place (HOT: no index writes, old versions pruned on the
  page). A no-op on SQLite.
"""

from django.db import migrations, models

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

    operations = [
        migrations.AlterField(
            model_name="trackersnapshot",
            name="state",
            field=models.TextField(default="{}", verbose_name="状态（JSON）"),
        ),
        migrations.RunPython(_forwards, _backwards),
    ]
