"""Search of the published FAQ entries: BM25 over jieba words of question, keywords and answer.

A hundred-odd entries fit in memory; the index is rebuilt in the process when the published set changes (checked
with one cheap query per search: count and latest update).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from .choices import FaqStatus
from .models import FaqEntry
from .retrieval.bm25 import BM25, top_k
from .retrieval.text import QUERY_STOP_WORDS, expand, load_expansions, word_tokens

# A match must score at least this share of the best match, so one shared common word does not drag in an entry.
RELATIVE_FLOOR = 0.4
# …and at least this much in absolute terms (about two informative words in common).
ABSOLUTE_FLOOR = 4.0


@dataclass(frozen=True)
class FaqHit:
    entry_id: int
    score: float


class _FaqIndex:
    def __init__(self, signature, ids: list[int], bm: BM25):
        self.signature = signature
        self.ids = ids
        self.bm = bm


_lock = threading.Lock()
_index: _FaqIndex | None = None


def _document(entry: FaqEntry) -> list[str]:
    # The question and keywords say what the entry is about; they count twice against the longer answer.
    keywords = " ".join(entry.keywords or [])
    head = word_tokens(f"{entry.question} {keywords}")
    return head + head + word_tokens(entry.answer)


def _published():
    return FaqEntry.objects.filter(status=FaqStatus.PUBLISHED)


def _current() -> _FaqIndex:
    global _index
    signature = tuple(_published().aggregate(n=Count("id"), latest=Max("updated_at")).values())
    index = _index
    if index is not None and index.signature == signature:
        return index
    with _lock:
        if _index is None or _index.signature != signature:
            entries = list(_published().only("id", "question", "keywords", "answer").order_by("id"))
            _index = _FaqIndex(signature, [e.id for e in entries], BM25.build(_document(e) for e in entries))
        return _index


def search(question: str, *, limit: int = 3, floor: bool = True) -> list[FaqHit]:
    """Published entries answering the question, best first (`floor=False`: every entry sharing a word)."""
    index = _current()
    if not index.ids:
        return []
    tokens = [t for t in word_tokens(question) if t not in QUERY_STOP_WORDS]
    extra = [t for term in expand(question, load_expansions()) for t in word_tokens(term)]
    scores = index.bm.score(tokens + extra, [1.0] * len(tokens) + [0.5] * len(extra))
    order = top_k(scores, limit)
    if floor and len(order):
        best = float(scores[order[0]])
        order = [j for j in order if scores[j] >= max(best * RELATIVE_FLOOR, ABSOLUTE_FLOOR)]
    return [FaqHit(index.ids[j], float(scores[j])) for j in order]
