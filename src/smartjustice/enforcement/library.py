"""The one place enforcement reads the statute library (smartjustice.statutes): the articles to propose items from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q

from smartjustice.statutes.choices import LawStatus
from smartjustice.statutes.models import Article

# Words without which an article provides for no administrative penalty; the extractor reads only the others.
PENALTY_WORDS = (
    "罚款",
    "拘留",
    "吊销",
    "没收",
    "停产停业",
    "停业整顿",
    "责令关闭",
    "暂扣",
    "警告",
    "通报批评",
    "降低资质",
)


@dataclass(frozen=True)
class ArticleText:
    """An article as the extractor needs it."""

    id: int
    law: str
    label: str
    text: str


def penalty_articles(*, law: str = "", limit: int | None = None) -> tuple[int, Iterator[ArticleText]]:
    """Articles in force that name a sanction, optionally of the laws whose title contains `law`: (count, rows)."""
    words = Q()
    for word in PENALTY_WORDS:
        words |= Q(text__contains=word)
    articles = Article.objects.filter(words, law__status__in=(LawStatus.IN_FORCE, LawStatus.AMENDED))
    if law:
        articles = articles.filter(law__title__contains=law)
    articles = articles.order_by("law__title", "sequence").values_list("id", "law__title", "label", "text")
    if limit:
        articles = articles[:limit]
    total = articles.count()
    return total, (ArticleText(*row) for row in articles.iterator(chunk_size=2000))


# --- the power list's legal basis -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisCheck:
    """The statute library's verdict on one basis: status (statutes.choices.CitationStatus values), why, and the
    article page it leads to ('' when the library has no such article)."""

    status: str
    message: str
    url: str


def check_basis(law: str, article: int, paragraph: int | None = None) -> BasisCheck:
    """Resolve 《law》第article条(第paragraph款) through the statute library's citation checker."""
    from smartjustice.core.citations import Citation
    from smartjustice.statutes.citations import check_citation

    check = check_citation(Citation(law, article, paragraph=paragraph or None))
    url = check.article.get_absolute_url() if check.article is not None else ""
    return BasisCheck(str(check.status), check.message, url)


def article_citation(article_id: int) -> tuple[str, int] | None:
    """(law title, article number) of a stored article, or None for a 第N条之一 or a whole-text document."""
    row = Article.objects.filter(pk=article_id).values_list("law__title", "number", "sub_number").first()
    if row is None or row[2] or not row[1]:
        return None
    return row[0], row[1]


def register_basis(item, citations, *, actor) -> None:
    """Tell the statute library what an item cites, so the article pages list it and flag it when amended."""
    from smartjustice.statutes import services as statute_services

    statute_services.register_citations(item, citations, actor=actor)
