"""The audit trail is append-only in the database too: UPDATE and DELETE on core_auditentry are refused."""

from django.db import migrations

from smartjustice.core import audit_triggers


def forward(apps, schema_editor):
    audit_triggers.create(schema_editor, schema_editor.connection.vendor)


def backward(apps, schema_editor):
    audit_triggers.drop(schema_editor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
