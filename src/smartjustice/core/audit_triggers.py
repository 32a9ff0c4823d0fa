"""Database triggers that keep the audit trail append-only, even against raw SQL.

Used by migration 0002 and by the `flush` command (a deliberate wipe of the whole database, as tests do between
transactional cases), which lifts them for the duration of the wipe only.
"""

SQLITE_CREATE = [
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
]
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS core_auditentry_no_update_delete ON core_auditentry;",
    """CREATE TRIGGER core_auditentry_no_update_delete BEFORE UPDATE OR DELETE ON core_auditentry
       FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();""",
    # TRUNCATE bypasses row triggers; refuse it too.
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
    """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_update_delete ON core_auditentry;",
]


def create(schema_editor_or_cursor, vendor: str) -> None:
    for sql in POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE:
        schema_editor_or_cursor.execute(sql)


def drop(schema_editor_or_cursor, vendor: str) -> None:
    for sql in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor_or_cursor.execute(sql)
