"""The article index: persisted, reloaded, rebuilt on a library change; BM25 scoring on a toy corpus."""

import numpy as np
import pytest

from smartjustice.qa import retrieval, services
from smartjustice.qa.retrieval import ArticleRecord, BaselineBM25, LexicalRetriever
from smartjustice.qa.retrieval.bm25 import BM25

TOY = [
    ArticleRecord(11, "甲法", "第一章 工资", "用人单位应当按时足额支付劳动报酬。"),
    ArticleRecord(12, "甲法", "第二章 休假", "劳动者享受带薪年休假。"),
    ArticleRecord(13, "乙法", "第一章 租赁", "出租人应当返还押金。"),
]


def test_bm25_prefers_the_document_with_the_rare_term():
    bm = BM25.build([["工资", "支付"], ["休假"], ["工资", "工资", "押金"]])
    scores = bm.score(["押金"])
    assert int(np.argmax(scores)) == 2 and scores[0] == 0
    assert bm.contains("工资", 0) and not bm.contains("工资", 1)


def test_lay_words_are_expanded_to_statutory_ones():
    retriever = LexicalRetriever.build(TOY)
    top = retriever.search("老板不发工资", 3)[0]  # legal_terms: 不发工资 → 拖欠 劳动报酬 工资
    assert top.article_id == 11 and "劳动报酬" in top.matched


def test_the_index_persists_and_reloads(tmp_path):
    meta = retrieval.build(TOY, tmp_path)
    assert meta["articles"] == 3
    loaded = retrieval.load(tmp_path)
    assert [h.article_id for h in loaded.search("押金", 2)] == [13]
    assert list(tmp_path.glob("articles-*.npz")) and (tmp_path / "meta.json").exists()
    retrieval.build(TOY[:2], tmp_path)  # a rebuild replaces the arrays
    assert len(list(tmp_path.glob("articles-*.npz"))) == 1
    assert retrieval.load(tmp_path).search("押金", 2) == []


def test_the_baseline_ranks_by_plain_bm25():
    baseline = BaselineBM25.build(TOY)
    assert baseline.search("押金", 1)[0].article_id == 13


@pytest.mark.django_db
def test_the_process_loads_the_index_once_and_notices_a_rebuild(statute_library, settings):
    first = retrieval.current(rebuild=services.rebuild_index)
    assert retrieval.current(rebuild=services.rebuild_index) is first
    services.rebuild_index()
    second = retrieval.current(rebuild=services.rebuild_index)
    assert second is not first and len(second) == len(first)


@pytest.mark.django_db
def test_a_missing_index_is_built_from_the_library(statute_library, settings, tmp_path):
    settings.QA_INDEX_DIR = tmp_path / "fresh"
    answer = services.answer("租房押金不退")
    assert (tmp_path / "fresh" / "meta.json").exists()
    assert answer.index["articles"] > 1000
