"""The evaluation's metrics on a tiny hand-made query file, and the command printing both retrievers."""

import json

import pytest
from django.core.management import call_command

from smartjustice.qa import evaluation
from smartjustice.qa.retrieval import Hit

A, B, C = ("甲法", "第一条"), ("甲法", "第二条"), ("乙法", "第三条")


def test_recall_and_reciprocal_rank():
    ranked = [C, A, B]
    assert evaluation.recall_at(ranked, frozenset({A, B}), 2) == 0.5
    assert evaluation.recall_at(ranked, frozenset({A, B}), 5) == 1.0
    assert evaluation.reciprocal_rank(ranked, frozenset({A, B})) == 0.5
    assert evaluation.reciprocal_rank(ranked, frozenset({("丙法", "第九条")})) == 0.0


def test_versions_of_one_article_count_once_at_their_best_rank():
    keys = {1: A, 2: A, 3: B}
    assert evaluation.collapse([2, 1, 3], keys) == [A, B]


def test_evaluate_on_a_synthetic_file(tmp_path):
    path = tmp_path / "queries.jsonl"
    rows = [
        {"id": 1, "question": "问一", "relevant": [{"law": "甲法", "article": "第一条"}]},
        {
            "id": 2,
            "question": "问二",
            "relevant": [{"law": "甲法", "article": 2}, {"law": "乙法", "article": "第三条"}],
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    queries = evaluation.read_queries(path)
    assert queries[1].relevant == frozenset({B, C})
    answers = {"问一": [3, 1], "问二": [2, 3]}  # ids: 1 → A, 2 → B, 3 → C

    def search(question, k):
        return [Hit(i, 1.0, ()) for i in answers[question]]

    result = evaluation.evaluate("测试", search, queries, {1: A, 2: B, 3: C})
    assert result.recall_at_5 == 1.0 and result.recall_at_10 == 1.0
    assert result.mrr_at_10 == pytest.approx((0.5 + 1.0) / 2)
    assert result.p95_ms >= result.p50_ms >= 0
    assert "| 测试 | 2 | 1.000 | 1.000 | 0.750 |" in evaluation.table([result])


@pytest.mark.django_db
def test_the_eval_command_prints_ours_and_the_baseline(statute_library, tmp_path, capsys):
    path = tmp_path / "mine.jsonl"
    path.write_text(
        json.dumps(
            {
                "question": "公司一直拖欠工资",
                "relevant": [{"law": "中华人民共和国劳动合同法", "article": "第三十条"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    call_command("qa", "eval", "--queries", str(path))
    out = capsys.readouterr().out
    assert "Recall@10" in out and "基线 BM25" in out and "法宝宝检索" in out
