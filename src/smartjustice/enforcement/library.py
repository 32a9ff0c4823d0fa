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
