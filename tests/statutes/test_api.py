"""The statute library API: public reads, search with highlights, and the citation checker."""

import pytest

from smartjustice.core.testing import ApiClient, assert_api_error, items_of

from .conftest import ARBITRATION_CURRENT, XZCF

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return ApiClient(None)  # anonymous: the public reads the law too


def test_list_and_filter_laws(api):
    rows = items_of(api.get("/statutes/laws", {"status": "in_force", "department": "行政法"}))
    assert "中华人民共和国行政处罚法" in {r["title"] for r in rows}
    assert all(r["status"] == "in_force" and r["status_label"] == "现行有效" for r in rows)


def test_law_detail_with_toc_and_versions(api):
    body = api.get(f"/statutes/laws/{ARBITRATION_CURRENT}").json()
    assert body["title"] == "中华人民共和国仲裁法" and len(body["versions"]) == 2
    assert body["toc"][0]["title"].startswith("第一章")
    assert_api_error(api.get("/statutes/laws/nothing"), 404, "not_found")


def test_article_detail_is_structured(api):
    body = api.get(f"/statutes/laws/{XZCF}/articles/9").json()
    assert body["label"] == "第九条" and body["number"] == 9 and body["url"] == f"/laws/{XZCF}/articles/9/"
    (paragraph,) = body["paragraphs"]
    assert [i["label"] for i in paragraph["items"]][:2] == ["（一）", "（二）"]
    assert body["cited_by"] == []
    assert len(items_of(api.get(f"/statutes/laws/{XZCF}/articles", {"page_size": 100}))) == 86


def test_search_highlights_a_two_character_word(api):
    response = api.get("/statutes/search", {"q": "调解", "page_size": 5})
    body = response.json()
    assert body["count"] > 20 and len(body["items"]) == 5
    assert "<mark>调解</mark>" in body["items"][0]["snippet_html"]
    assert_api_error(api.get("/statutes/search", {"q": ""}), 422, "validation_failed")


def test_citation_check(api):
    response = api.post(
        "/statutes/citations/check",
        {
            "text": "依据《中华人民共和国行政处罚法》第三十六条、《消保法》第55条、《环境保护法》第六条、《民法典》第1261条。"
        },
    )
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [(r["article"], r["status"]) for r in rows] == [
        (36, "valid"),
        (55, "valid"),
        (6, "not_in_force"),
        (1261, "not_found"),
    ]
    assert rows[0]["resolved"]["url"] == f"/laws/{XZCF}/articles/36/"
    assert rows[2]["resolved_law"]["status"] == "repealed"
    assert rows[3]["resolved"] is None
