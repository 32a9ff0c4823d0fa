"""The reading and search pages, for the public and staff alike."""

import pytest
from django.test import Client

from .conftest import ARBITRATION_2017, ARBITRATION_CURRENT, CRIMINAL_LAW, XZCF

pytestmark = pytest.mark.django_db


def page(url, **params):
    response = Client().get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_law_list_filters_by_status_department_and_type():
    html = page("/laws/")
    assert "中华人民共和国行政处罚法" in html and "全文检索" in html
    repealed = page("/laws/", status="repealed")
    assert "中华人民共和国环境保护法" in repealed and "中华人民共和国行政处罚法" not in repealed
    assert "中华人民共和国行政处罚法" in page("/laws/", department="行政法", doc_type="法律")
    assert "中华人民共和国行政处罚法" not in page("/laws/", department="刑法")


def test_reading_page_has_a_table_of_contents_and_article_anchors():
    html = page(f"/laws/{XZCF}/")
    assert 'data-testid="toc"' in html and "第五章 行政处罚的决定" in html and "第二节 简易程序" in html
    assert 'id="art-36"' in html and f'href="/laws/{XZCF}/articles/36/"' in html
    assert "（一）警告、通报批评；" in html


def test_an_article_has_a_permanent_url():
    html = page(f"/laws/{XZCF}/articles/36/")
    assert "《中华人民共和国行政处罚法》第三十六条" in html
    assert "违法行为在二年内未被发现的" in html and "第二款" in html
    assert page(f"/laws/{CRIMINAL_LAW}/articles/120-1/").count("第一百二十条之一") >= 1
    assert Client().get(f"/laws/{XZCF}/articles/999/").status_code == 404
    assert Client().get("/laws/no-such-law/").status_code == 404


def test_version_history_where_older_versions_exist():
    html = page(f"/laws/{ARBITRATION_CURRENT}/")
    assert 'data-testid="versions"' in html and "历史版本" in html
    history = page(f"/laws/{ARBITRATION_CURRENT}/versions/")
    assert f"/laws/{ARBITRATION_2017}/" in history and "现行有效" in history
    assert 'data-testid="other-versions"' in page(f"/laws/{ARBITRATION_CURRENT}/articles/1/")
    assert 'data-testid="versions"' not in page(f"/laws/{XZCF}/")


def test_search_page_highlights_matches():
    html = page("/laws/search/", q="调解")
    assert "<mark>调解</mark>" in html and "人民调解法" in html
    assert "没有找到" in page("/laws/search/", q="量子纠缠态")
    within = page("/laws/search/", q="罚款", law=XZCF)
    assert "仅在本法中检索" in within and "消费者权益保护法" not in within


def test_citation_check_page():
    assert "法条引用核验" in page("/laws/citations/check/")
    client = Client(enforce_csrf_checks=False)
    html = client.post(
        "/laws/citations/check/", {"text": "《消保法》第55条；《环境保护法》第六条；《行政处罚法》第999条"}
    ).content.decode()
    assert (
        'data-status="valid"' in html
        and 'data-status="not_in_force"' in html
        and 'data-status="not_found"' in html
    )
