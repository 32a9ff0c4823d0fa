"""The full-text index over SearchEntry.tokens: an FTS5 table kept in sync by triggers on SQLite, a GIN index on
PostgreSQL (see statutes/search.py)."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE statutes_search_fts USING fts5("
    "tokens, content='statutes_searchentry', content_rowid='article_id', tokenize='unicode61')",
    "CREATE TRIGGER statutes_searchentry_ai AFTER INSERT ON statutes_searchentry BEGIN "
    "INSERT INTO statutes_search_fts(rowid, tokens) VALUES (new.article_id, new.tokens); END",
    "CREATE TRIGGER statutes_searchentry_ad AFTER DELETE ON statutes_searchentry BEGIN "
    "INSERT INTO statutes_search_fts(statutes_search_fts, rowid, tokens) VALUES ('delete', old.article_id, old.tokens); END",
    "CREATE TRIGGER statutes_searchentry_au AFTER UPDATE ON statutes_searchentry BEGIN "
    "INSERT INTO statutes_search_fts(statutes_search_fts, rowid, tokens) VALUES ('delete', old.article_id, old.tokens); "
    "INSERT INTO statutes_search_fts(rowid, tokens) VALUES (new.article_id, new.tokens); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS statutes_searchentry_au",
    "DROP TRIGGER IF EXISTS statutes_searchentry_ad",
    "DROP TRIGGER IF EXISTS statutes_searchentry_ai",
    "DROP TABLE IF EXISTS statutes_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX statutes_searchentry_tsv ON statutes_searchentry USING gin (to_tsvector('simple', tokens))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS statutes_searchentry_tsv"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("statutes", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
