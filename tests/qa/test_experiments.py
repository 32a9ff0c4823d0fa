"""The pure parts of benchmarks/qa_experiments.py: fusion, folds, the leave-one-out popularity prior, metrics."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from smartjustice.qa.evaluation import Query

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "qa_experiments.py"


@pytest.fixture(scope="module")
def qx():
    spec = importlib.util.spec_from_file_location("qa_experiments", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_rrf_adds_weighted_reciprocal_ranks(qx):
    pos, fused = qx.rrf([np.array([5, 7]), np.array([7, 9])], [0.5, 0.5])
    assert pos.tolist() == [7, 5, 9]  # 7 is in both lists
    k = qx.RRF_K
    assert fused[0] == pytest.approx(0.5 / (k + 2) + 0.5 / (k + 1))
    only_lexical, _ = qx.rrf([np.array([5, 7]), np.array([7, 9])], [1.0, 0.0])
    assert only_lexical.tolist()[:2] == [5, 7]


def test_fusion_weights_split_the_dense_share(qx):
    assert qx.fusion_weights(0.4, 2) == pytest.approx([0.6, 0.2, 0.2])


def test_score_fusion_interpolates_between_the_two_lists(qx):
    lex = np.array([1.0, 0.5, 0.0, 0.0])
    sims = np.array([0.1, 0.2, 0.9, 0.0])
    st = qx.QState(lex, lex, lex, np.array([0, 1]), np.zeros(2), dense={"use": (sims, np.array([2, 1]))})
    assert qx.fuse_scores(st, ["use"], 0.0).tolist()[:2] == [0, 1]
    assert qx.fuse_scores(st, ["use"], 1.0).tolist()[0] == 2


def test_folds_are_disjoint_and_cover_every_question(qx):
    folds = qx.folds_of(23, 5)
    joined = np.concatenate(folds)
    assert len(folds) == 5 and sorted(joined.tolist()) == list(range(23))


def test_rank_of_marks_absent_candidates(qx):
    ranks = qx._rank_of(np.array([9, 4, 1]), np.array([4, 9, 3]))
    assert ranks.tolist() == [2.0, 1.0, 4.0]


def test_prior_leaves_the_question_itself_out(qx):
    a, b = ("民法典", "第一条"), ("刑法", "第二条")
    q1, q2 = Query("一", frozenset([a])), Query("二", frozenset([a, b]))
    prior = qx.Prior([q1, q2])
    held_out = prior.columns([a, b, None])
    assert held_out[:, 0].tolist() == pytest.approx(
        [1.0, 0.5, 0.0]
    )  # share of training questions citing the law
    assert held_out[:, 1].tolist() == pytest.approx([np.log1p(2), np.log1p(1), 0.0])
    own = prior.columns([a, b], own=q2)  # q2 as a training question: its own labels do not count
    assert own[:, 0].tolist() == pytest.approx([1.0, 0.0])
    assert own[:, 1].tolist() == pytest.approx([np.log1p(1), 0.0])


def test_per_question_uses_the_project_metrics(qx):
    keys = {1: ("法", "第一条"), 2: ("法", "第二条"), 3: ("法", "第一条")}
    q = Query("问", frozenset([("法", "第二条")]))
    metrics = qx.per_question([[1, 3, 2]], [q], keys)  # rows 1 and 3 are one article: 第二条 is at rank 2
    assert metrics[0].tolist() == pytest.approx([1.0, 1.0, 0.5])
