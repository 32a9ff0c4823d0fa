"""Django's flush, which also empties the append-only audit trail: the triggers are lifted for the wipe only."""

from django.core.management.commands import flush
from django.db import connections

from smartjustice.core import audit_triggers


class Command(flush.Command):
    help = flush.Command.help + "（包括只追加的审计日志：仅在清库期间解除保护触发器）"

    def handle(self, **options):
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            audit_triggers.drop(cursor, connection.vendor)
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                audit_triggers.create(cursor, connection.vendor)
