"""Full-text search finds Chinese words of any length (two-character 调解 included) and marks them."""

import pytest

from smartjustice.statutes import queries, search
from smartjustice.statutes.choices import LawStatus

from .conftest import XZCF

pytestmark = pytest.mark.django_db


def test_a_two_character_word_is_found_and_highlighted():
    results = queries.search_articles("调解")
    assert len(results) > 20
    hits = results[0:10]
    assert all("调解" in hit.article.text for hit in hits)
    assert "<mark>调解</mark>" in hits[0].snippet
    titles = {hit.article.law.title for hit in results[0 : len(results)]}
    assert "中华人民共和国人民调解法" in titles


def test_every_word_of_a_query_must_match_and_in_force_versions_come_first():
    results = queries.search_articles("违法行为 二年内 未被发现")
    first = results[0]
    assert (first.article.law.code, first.article.number) == (XZCF, 36)
    assert str(first.snippet).count("<mark>") >= 3


def test_filters_by_status_and_law():
    repealed = queries.search_articles("环境", status=LawStatus.REPEALED)
    assert len(repealed) and all(hit.article.law.status == LawStatus.REPEALED for hit in repealed[0:50])
    within = queries.search_articles("罚款", law=XZCF)
    assert len(within) and {hit.article.law.code for hit in within[0 : len(within)]} == {XZCF}


def test_highlighting_escapes_html():
    marked = search.Highlighter.for_query("调解").mark("<b>调解</b>")
    assert str(marked) == "&lt;b&gt;<mark>调解</mark>&lt;/b&gt;"


def test_nothing_for_an_empty_or_unknown_query():
    assert len(queries.search_articles("")) == 0
    assert len(queries.search_articles("量子纠缠态")) == 0
