"""Other modules cite articles through register_citations; the library lists who cites an article and flags stale ones."""

import pytest

from smartjustice.core.citations import Citation
from smartjustice.core.testing import ApiClient, items_of
from smartjustice.statutes import queries, services
from smartjustice.statutes.models import Article, ArticleReference
from tests.core.factories import TIANHE, staff_in

from .conftest import XZCF

pytestmark = pytest.mark.django_db


def rule(name: str) -> services.CitedBy:
    return services.CitedBy(kind="enforcement.rule", id=name, label=f"规则 {name}", url="/enforcement/rules/")


def test_a_rule_cites_an_article_and_the_article_lists_it():
    services.register_citations(rule("limitation"), [Citation("行政处罚法", 36)])
    article = Article.objects.get(law__code=XZCF, number=36)
    staff = staff_in(TIANHE)
    refs = list(queries.references_to(staff, article))
    assert [(r.cited_by, r.object_id, r.citation_text) for r in refs] == [
        ("enforcement.rule", "limitation", "《中华人民共和国行政处罚法》第三十六条")
    ]
    assert not refs[0].is_stale
    assert list(queries.references_to(None, article)) == []  # the public does not see internal records


def test_registering_again_replaces_what_the_record_cites():
    services.register_citations(rule("r1"), ["《行政处罚法》第三十六条、第三十七条"])
    assert ArticleReference.objects.filter(object_id="r1").count() == 2
    services.register_citations(rule("r1"), [Citation("行政处罚法", 28)])
    assert list(ArticleReference.objects.filter(object_id="r1").values_list("article_number", flat=True)) == [
        28
    ]


def test_citations_of_articles_no_longer_in_force_are_flagged():
    services.register_citations(rule("ok"), [Citation("行政处罚法", 36)])
    services.register_citations(rule("repealed"), ["《中华人民共和国环境保护法》第六条"])
    services.register_citations(rule("missing"), [Citation("行政处罚法", 999)])
    staff = staff_in(TIANHE)
    stale = {r.object_id for r in queries.list_references(staff, stale=True)}
    assert stale == {"repealed", "missing"}
    assert {r.object_id for r in queries.list_references(staff, stale=False)} == {"ok"}
    # The same through the API, for staff only.
    body = items_of(ApiClient(staff).get("/statutes/references", {"stale": "true"}))
    assert {row["object_id"] for row in body} == {"repealed", "missing"} and all(row["stale"] for row in body)
    assert ApiClient(None).get("/statutes/references").status_code == 401
