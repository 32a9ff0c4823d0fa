"""Retrieval quality and speed: Recall@5, Recall@10, MRR@10 and p50/p95 single-query latency, ours vs. BM25.

Queries are a JSONL file, one object a line: {"question": "…", "relevant": [{"law": "中华人民共和国民法典",
"article": "第五十六条"}, …]} (the article may also be an integer). An article is identified by (law title, 第…条):
retrieved rows of different versions of the same article count once, at their best rank.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from smartjustice.core.citations import chinese_numeral

from . import library, retrieval

Key = tuple[str, str]
CUTOFF = 10
DEPTH = 30  # rows retrieved per question before versions of one article are merged


@dataclass(frozen=True)
class Query:
    question: str
    relevant: frozenset[Key]


@dataclass(frozen=True)
class Result:
    """One retriever's figures on one query file."""

    name: str
    queries: int
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    p50_ms: float
    p95_ms: float
    build_seconds: float | None = None


def _label(article) -> str:
    if isinstance(article, int) or str(article).isdigit():
        return f"第{chinese_numeral(int(article))}条"
    return str(article).strip()


def read_queries(path: Path) -> list[Query]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        relevant = frozenset((r["law"], _label(r["article"])) for r in row.get("relevant", []))
        if not row.get("question") or not relevant:
            raise ValueError(f"{path} 第 {n} 行：缺少 question 或 relevant")
        out.append(Query(row["question"], relevant))
    return out


def recall_at(ranked: Sequence[Key], relevant: frozenset[Key], k: int) -> float:
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[Key], relevant: frozenset[Key], k: int = CUTOFF) -> float:
    return next((1.0 / (i + 1) for i, key in enumerate(ranked[:k]) if key in relevant), 0.0)


def collapse(article_ids: Sequence[int], keys: dict[int, Key]) -> list[Key]:
    """Article rows → distinct (law, 第…条) keys in rank order."""
    return list(dict.fromkeys(keys[i] for i in article_ids if i in keys))


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else 0.0


def evaluate(
    name: str,
    search: Callable[[str, int], list[retrieval.Hit]],
    queries: Sequence[Query],
    keys: dict[int, Key],
    *,
    build_seconds: float | None = None,
) -> Result:
    """Run every question once (after one warm-up question), timing each search on its own."""
    if queries:
        search(queries[0].question, DEPTH)
    r5, r10, rr, latencies = [], [], [], []
    for q in queries:
        started = time.perf_counter()
        hits = search(q.question, DEPTH)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = collapse([h.article_id for h in hits], keys)
        r5.append(recall_at(ranked, q.relevant, 5))
        r10.append(recall_at(ranked, q.relevant, 10))
        rr.append(reciprocal_rank(ranked, q.relevant))
    mean = statistics.fmean if queries else (lambda _: 0.0)
    return Result(
        name=name,
        queries=len(queries),
        recall_at_5=mean(r5),
        recall_at_10=mean(r10),
        mrr_at_10=mean(rr),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        build_seconds=build_seconds,
    )


def compare(path: Path, *, log: Callable[[str], None] = lambda _: None) -> list[Result]:
    """Ours (the persisted index, built if missing) and the BM25 baseline (built now), on the same questions."""
    queries = read_queries(path)
    keys = library.article_keys()
    log(f"{len(queries)} 个问题，法规库 {len(keys)} 条条文")
    from .services import current_retriever

    ours = current_retriever()  # rebuilt first if the library changed since the index was built
    started = time.perf_counter()
    baseline = retrieval.BaselineBM25.build(library.all_article_records())
    baseline_build = time.perf_counter() - started
    log(
        f"基线索引构建 {baseline_build:.1f} 秒；本系统索引 {ours.meta.get('articles', 0)} 条（{ours.meta.get('built_at', '')}）"
    )
    return [
        evaluate(ours.name, ours.search, queries, keys, build_seconds=ours.meta.get("build_seconds")),
        evaluate(baseline.name, baseline.search, queries, keys, build_seconds=round(baseline_build, 2)),
    ]


def table(results: Sequence[Result]) -> str:
    """A plain-text table, one row per retriever (Markdown, so it can go into the README as is)."""
    lines = [
        "| 检索方法 | 问题数 | Recall@5 | Recall@10 | MRR@10 | p50 (ms) | p95 (ms) | 建索引 (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        build = f"{r.build_seconds:.1f}" if r.build_seconds is not None else "—"
        lines.append(
            f"| {r.name} | {r.queries} | {r.recall_at_5:.3f} | {r.recall_at_10:.3f} | {r.mrr_at_10:.3f} | "
            f"{r.p50_ms:.1f} | {r.p95_ms:.1f} | {build} |"
        )
    return "\n".join(lines)
