"""Full-text search of articles for Chinese, one abstraction over two backends.

Chinese has no spaces, and a trigram index cannot find two-character words (调解), so articles are segmented into
words with jieba (search mode: 人民调解委员会 also yields 人民调解, 调解, 委员会) and the words are stored space-
separated in SearchEntry.tokens. SQLite indexes them with an FTS5 table (unicode61 splits on the spaces), PostgreSQL
with a GIN index on to_tsvector('simple', tokens) (migration 0002). A query is segmented the same way and every
word must match. Highlighting is done here, in Python, so both databases show the same marks.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FTS_TABLE = "statutes_search_fts"
_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
MAX_QUERY_WORDS = 12


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def document_tokens(text: str) -> str:
    """The words of an article for the index (search mode, so parts of long words are found too)."""
    words = _jieba().cut_for_search(text, HMM=False)
    return " ".join(w for w in words if _WORD.search(w) and not w.isspace())


def query_words(query: str) -> list[str]:
    """The words a query must match: precise-mode segmentation, punctuation dropped, duplicates removed."""
    words = [w.strip() for w in _jieba().cut(query.strip(), HMM=False)]
    return list(dict.fromkeys(w for w in words if w and _WORD.search(w)))[:MAX_QUERY_WORDS]


# --- backends -----------------------------------------------------------------------------------------------


class SearchBackend:
    """How one database matches and ranks: SQL fragments used by matching_article_ids()."""

    def match(self, words: list[str]) -> tuple[str, str, list, str, list]:
        """(FROM … joined to statutes_article a, WHERE fragment, its params, ORDER BY fragment, its params)."""
        raise NotImplementedError

    def rebuild(self) -> None:
        """Make the database's index agree with SearchEntry (after bulk writes that bypass triggers)."""


class SqliteFts5Backend(SearchBackend):
    def match(self, words):
        expression = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        return (
            f"{FTS_TABLE} JOIN statutes_article a ON a.id = {FTS_TABLE}.rowid",
            f"{FTS_TABLE} MATCH %s",
            [expression],
            f"bm25({FTS_TABLE})",
            [],
        )

    def rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


class PostgresTsvectorBackend(SearchBackend):
    def match(self, words):
        query = " ".join(words)
        return (
            "statutes_searchentry s JOIN statutes_article a ON a.id = s.article_id",
            "to_tsvector('simple', s.tokens) @@ plainto_tsquery('simple', %s)",
            [query],
            "ts_rank(to_tsvector('simple', s.tokens), plainto_tsquery('simple', %s)) DESC",
            [query],
        )


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresTsvectorBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"statute search has no backend for {connection.vendor}")


def matching_article_ids(
    query: str, *, status: str = "", department: str = "", law_code: str = "", limit: int = 5000
) -> list[int]:
    """Ids of articles matching every word of `query`, best first (in-force versions before others)."""
    words = query_words(query)
    if not words:
        return []
    source, where, params, rank, rank_params = backend().match(words)
    conditions = [where]
    if status:
        conditions.append("l.status = %s")
        params.append(status)
    if department:
        conditions.append("l.department = %s")
        params.append(department)
    if law_code:
        conditions.append("l.code = %s")
        params.append(law_code)
    sql = (
        f"SELECT a.id FROM {source} JOIN statutes_law l ON l.id = a.law_id WHERE {' AND '.join(conditions)} "
        f"ORDER BY CASE WHEN l.status = 'in_force' THEN 0 ELSE 1 END, {rank}, a.law_id, a.sequence LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *rank_params, limit])
        return [row[0] for row in cursor.fetchall()]


# --- highlighting -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlighter:
    """Marks a query's words (longest first) in a text, HTML-escaped; snippets centre on the first mark."""

    words: tuple[str, ...]

    @classmethod
    def for_query(cls, query: str) -> Highlighter:
        words = set(query_words(query))
        if query.strip() and not words:
            words = {query.strip()}
        return cls(tuple(sorted(words, key=len, reverse=True)))

    @property
    def pattern(self) -> re.Pattern | None:
        return re.compile("|".join(re.escape(w) for w in self.words)) if self.words else None

    def mark(self, text: str) -> SafeString:
        pattern = self.pattern
        if pattern is None:
            return escape(text)
        out, last = [], 0
        for match in pattern.finditer(text):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
        out.append(escape(text[last:]))
        return mark_safe("".join(out))  # noqa: S308 — every piece was escaped above

    def snippet(self, text: str, *, width: int = 120) -> SafeString:
        pattern = self.pattern
        first = pattern.search(text) if pattern else None
        start = max(0, (first.start() if first else 0) - width // 3)
        end = min(len(text), start + width)
        piece = text[start:end].replace("\n", " ")
        return mark_safe(("…" if start else "") + self.mark(piece) + ("…" if end < len(text) else ""))  # noqa: S308
