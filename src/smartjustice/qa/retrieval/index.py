"""The two article retrievers: ours (lexical fusion with legal-term expansion) and the plain BM25 baseline.

Ours, as recommended by the retrieval study (/work/qa-research, RESULTS.md row 2d, nothing learnt from the dev set):
  * BM25 (k1 1.2, b 0.75) over CJK character bigrams of "law name + chapter + text", and
  * BM25 over jieba words of the same text (question stop words removed),
  * both queried with the question plus the hand-written lay→statutory expansions (qa/data/legal_terms.txt) at
    weight 0.5, each score normalised by its maximum and fused 0.7 bigram + 0.3 word.
The dense (multilingual-e5) and LightGBM stages of the study are not used: encoding the corpus takes ~30 minutes on
two cores, the encoder adds ~20 ms a question, and the reranker was trained on the very dev set we report on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bm25 import BM25, top_k
from .text import QUERY_STOP_WORDS, bigram_tokens, expand, load_expansions, word_tokens

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ArticleRecord:
    """What the retrievers index of one article: its id in the statute library and its searchable text."""

    id: int
    law_name: str
    chapter: str
    text: str

    @property
    def document(self) -> str:
        return f"{self.law_name} {self.chapter} {self.text}"


@dataclass(frozen=True)
class Hit:
    """One retrieved article: its id, score, and the question's words found in it."""

    article_id: int
    score: float
    matched: tuple[str, ...]


def _matched_words(bm: BM25, words: list[str], doc: int) -> tuple[str, ...]:
    return tuple(w for w in dict.fromkeys(words) if len(w) > 1 and bm.contains(w, doc))


class LexicalRetriever:
    """Ours: bigram + word BM25 with legal-term expansion, max-normalised and fused."""

    name = "法宝宝检索（双路 BM25 + 法律术语扩展）"
    W_WORD = 0.3
    W_EXPANSION = 0.5

    def __init__(self, ids: np.ndarray, bigrams: BM25, words: BM25, meta: dict | None = None):
        self.ids = ids
        self.bigrams = bigrams
        self.words = words
        self.meta = meta or {}
        self.expansions = load_expansions()

    @classmethod
    def build(cls, records: Iterable[ArticleRecord]) -> LexicalRetriever:
        started = time.perf_counter()
        records = list(records)
        documents = [r.document for r in records]
        retriever = cls(
            np.asarray([r.id for r in records], np.int64),
            BM25.build(bigram_tokens(d) for d in documents),
            BM25.build(word_tokens(d) for d in documents),
        )
        retriever.meta = {
            "format": FORMAT_VERSION,
            "articles": len(records),
            "build_seconds": round(time.perf_counter() - started, 2),
        }
        return retriever

    def __len__(self) -> int:
        return len(self.ids)

    def _query(self, question: str, tokenize, stop: bool) -> tuple[list[str], list[float]]:
        base = [t for t in tokenize(question) if not (stop and t in QUERY_STOP_WORDS)]
        extra = [t for term in expand(question, self.expansions) for t in tokenize(term)]
        return base + extra, [1.0] * len(base) + [self.W_EXPANSION] * len(extra)

    def search(self, question: str, k: int = 10) -> list[Hit]:
        if not len(self.ids):
            return []
        bi_tokens, bi_weights = self._query(question, bigram_tokens, stop=False)
        w_tokens, w_weights = self._query(question, word_tokens, stop=True)
        s_bi = self.bigrams.score(bi_tokens, bi_weights)
        s_w = self.words.score(w_tokens, w_weights)
        fused = (1 - self.W_WORD) * s_bi / max(float(s_bi.max()), 1e-9)
        fused += self.W_WORD * s_w / max(float(s_w.max()), 1e-9)
        return [
            Hit(int(self.ids[j]), float(fused[j]), _matched_words(self.words, w_tokens, int(j)))
            for j in top_k(fused, k)
        ]

    # --- persistence -------------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        with open(path, "wb") as f:  # np.savez would append ".npz" to a str path
            np.savez(f, ids=self.ids, **self.bigrams.arrays("bi"), **self.words.arrays("w"))

    @classmethod
    def load(cls, path: Path, meta: dict | None = None) -> LexicalRetriever:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["ids"], BM25.from_arrays(data, "bi"), BM25.from_arrays(data, "w"), meta)


class BaselineBM25:
    """The baseline the issue asks for: BM25 over jieba tokens of law name + chapter + article text."""

    name = "基线 BM25（jieba 分词）"

    def __init__(self, ids: np.ndarray, words: BM25):
        self.ids = ids
        self.words = words

    @classmethod
    def build(cls, records: Iterable[ArticleRecord]) -> BaselineBM25:
        records = list(records)
        return cls(
            np.asarray([r.id for r in records], np.int64),
            BM25.build(word_tokens(r.document) for r in records),
        )

    def search(self, question: str, k: int = 10) -> list[Hit]:
        tokens = word_tokens(question)
        scores = self.words.score(tokens)
        return [
            Hit(int(self.ids[j]), float(scores[j]), _matched_words(self.words, tokens, int(j)))
            for j in top_k(scores, k)
        ]


def write_meta(path: Path, meta: dict) -> None:
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
