"""BM25 as an inverted index of precomputed term weights in flat NumPy arrays (no SciPy, no server)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np


class BM25:
    """Okapi BM25 (k1, b) over token lists; `score` returns one float per document.

    Postings are stored term by term: documents of term t are `docs[indptr[t]:indptr[t+1]]` (ascending), their
    BM25 weights alongside in `weights`. A query is a gather and one `np.bincount`.
    """

    def __init__(
        self, terms: list[str], indptr: np.ndarray, docs: np.ndarray, weights: np.ndarray, n_docs: int
    ):
        self.terms = terms
        self.vocab = {t: i for i, t in enumerate(terms)}
        self.indptr = indptr
        self.docs = docs
        self.weights = weights
        self.n_docs = n_docs

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> BM25:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths: list[int] = []
        for j, tokens in enumerate(documents):
            tf = Counter(tokens)
            lengths.append(sum(tf.values()))
            for token, n in tf.items():
                rows.append(vocab.setdefault(token, len(vocab)))
                cols.append(j)
                counts.append(n)
        n_docs = len(lengths)
        term_ids = np.asarray(rows, np.int64)
        doc_ids = np.asarray(cols, np.int32)
        tf_arr = np.asarray(counts, np.float32)
        order = np.lexsort((doc_ids, term_ids))  # by term, then document
        term_ids, doc_ids, tf_arr = term_ids[order], doc_ids[order], tf_arr[order]
        df = np.bincount(term_ids, minlength=len(vocab))
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        dl = np.asarray(lengths, np.float32)
        avgdl = max(float(dl.mean()) if n_docs else 0.0, 1e-9)
        denom = tf_arr + k1 * (1 - b + b * dl[doc_ids] / avgdl)
        weights = (idf[term_ids] * tf_arr * (k1 + 1) / denom).astype(np.float32)
        indptr = np.zeros(len(vocab) + 1, np.int64)
        np.cumsum(df, out=indptr[1:])
        terms = [""] * len(vocab)
        for token, i in vocab.items():
            terms[i] = token
        return cls(terms, indptr, doc_ids, weights, n_docs)

    def score(self, tokens: Sequence[str], token_weights: Sequence[float] | None = None) -> np.ndarray:
        """Sum of the tokens' BM25 weights per document (a repeated query token counts again)."""
        doc_parts, weight_parts = [], []
        for n, token in enumerate(tokens):
            t = self.vocab.get(token)
            if t is None:
                continue
            lo, hi = self.indptr[t], self.indptr[t + 1]
            doc_parts.append(self.docs[lo:hi])
            w = self.weights[lo:hi]
            weight_parts.append(w if token_weights is None else w * token_weights[n])
        if not doc_parts:
            return np.zeros(self.n_docs, np.float32)
        return np.bincount(
            np.concatenate(doc_parts), weights=np.concatenate(weight_parts), minlength=self.n_docs
        ).astype(np.float32)

    def contains(self, token: str, doc: int) -> bool:
        t = self.vocab.get(token)
        if t is None:
            return False
        postings = self.docs[self.indptr[t] : self.indptr[t + 1]]
        i = int(np.searchsorted(postings, doc))
        return i < len(postings) and int(postings[i]) == doc

    # --- persistence: plain arrays, no pickle ------------------------------------------------------------------

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_terms": np.asarray(self.terms, dtype=str),
            f"{prefix}_indptr": self.indptr,
            f"{prefix}_docs": self.docs,
            f"{prefix}_weights": self.weights,
            f"{prefix}_n_docs": np.asarray([self.n_docs], np.int64),
        }

    @classmethod
    def from_arrays(cls, data, prefix: str) -> BM25:
        return cls(
            [str(t) for t in data[f"{prefix}_terms"].tolist()],
            data[f"{prefix}_indptr"],
            data[f"{prefix}_docs"],
            data[f"{prefix}_weights"],
            int(data[f"{prefix}_n_docs"][0]),
        )


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (documents scoring 0 are left out)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    part = part[np.argsort(-scores[part], kind="stable")]
    return part[scores[part] > 0]
