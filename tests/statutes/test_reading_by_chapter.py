"""A long law's reading page sends its table of contents and loads chapters on demand; article links still land."""

import re

import pytest
from django.test import Client

from smartjustice.statutes.models import Law

from .conftest import XZCF

pytestmark = pytest.mark.django_db

CIVIL_CODE = "中华人民共和国民法典"


def civil_code() -> str:
    return Law.objects.filter(title=CIVIL_CODE).values_list("code", flat=True).first()


def get(url, **headers):
    response = Client().get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def chapter_slot(html: str, anchor_key: int) -> str:
    """The chapter number whose article range (data-first..data-last) holds the article."""
    for number, first, last in re.findall(
        r'id="chapter-(\d+)" data-chapter="\d+" data-first="(\d+)" data-last="(\d+)"', html
    ):
        if int(first) <= anchor_key <= int(last):
            return number
    raise AssertionError(f"no chapter holds {anchor_key}")


def test_the_civil_code_page_is_small_and_has_the_whole_table_of_contents():
    code = civil_code()
    response = Client().get(f"/laws/{code}/")
    html = response.content.decode()
    assert len(response.content) < 150_000, len(response.content)  # was 751 KB with every article
    assert 'data-testid="toc"' in html and "第二十九章 不当得利" in html and "第二节 监护" in html
    assert 'id="art-1"' in html and "为了保护民事主体的合法权益" in html  # the first chapter is there to read
    assert 'id="art-1165"' not in html
    # Every chapter is on the page as a slot that loads it, and a link that works without JS.
    number = chapter_slot(html, 1165_000)
    assert f'hx-get="/laws/{code}/chapters/{number}/"' in html
    assert f'href="?chapter={number}#chapter-{number}"' in html
    assert "js/law-reader.js" in html


def test_a_chapter_fragment_holds_its_articles():
    code = civil_code()
    number = chapter_slot(get(f"/laws/{code}/"), 1165_000)
    fragment = get(f"/laws/{code}/chapters/{number}/", HX_Request="true")
    assert fragment.lstrip().startswith(f'<section class="sj-chapter mb-3" id="chapter-{number}"')
    assert 'id="art-1165"' in fragment and f'href="/laws/{code}/articles/1165/"' in fragment
    assert "<html" not in fragment and len(fragment) < 150_000
    # Opened directly (no htmx), the fragment's address leads to the page at that chapter.
    response = Client().get(f"/laws/{code}/chapters/{number}/")
    assert response.status_code == 302
    assert response["Location"] == f"/laws/{code}/?chapter={number}#chapter-{number}"
    assert Client().get(f"/laws/{code}/chapters/999/").status_code == 404


def test_an_article_anchor_lands_on_the_article():
    code = civil_code()
    # Server side: the address names the article (as the article page's link back does) or its chapter.
    html = get(f"/laws/{code}/?article=1165")
    assert 'id="art-1165"' in html and "行为人因过错侵害他人民事权益造成损害的" in html
    number = chapter_slot(html, 1165_000)
    assert 'id="art-1165"' in get(f"/laws/{code}/?chapter={number}")
    assert '?article=1165#art-1165"' in get(f"/laws/{code}/articles/1165/")
    assert Client().get(f"/laws/{code}/?article=99999").status_code == 404
    # Nonsense in ?chapter= is not an error: the page opens at the first chapter.
    assert 'id="art-1"' in get(f"/laws/{code}/?chapter=abc")


def test_a_short_law_is_still_one_page():
    html = get(f"/laws/{XZCF}/")
    assert 'id="art-1"' in html and 'id="art-86"' in html and 'data-testid="chapters"' not in html
