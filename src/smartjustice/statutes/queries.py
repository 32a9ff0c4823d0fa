"""Every read of the statute library. Laws are public; who cites an article is shown to staff only."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Prefetch, Q

from smartjustice.core.errors import NotFound

from . import search
from .choices import LawStatus
from .models import Article, ArticleReference, Item, Law, Paragraph


def list_laws(*, q: str = "", status: str = "", department: str = "", doc_type: str = ""):
    """Law versions for the list page and API, filtered; newest version of each title first."""
    qs = Law.objects.all()
    if q:
        qs = qs.filter(title__contains=q.strip())
    if status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(department=department)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    return qs.order_by("title", "-version_date", "code")


def facets() -> dict[str, list[tuple[str, int]]]:
    """Values of the list filters with their counts (departments and document types come from the data)."""
    return {
        "department": list(
            Law.objects.exclude(department="")
            .values_list("department")
            .annotate(n=Count("id"))
            .order_by("department")
        ),
        "doc_type": list(
            Law.objects.exclude(doc_type="")
            .values_list("doc_type")
            .annotate(n=Count("id"))
            .order_by("doc_type")
        ),
    }


def get_law(code: str) -> Law:
    law = Law.objects.filter(code=code).first()
    if law is None:
        raise NotFound("法律法规不存在")
    return law


def versions_of(law: Law) -> list[Law]:
    """Every stored version of the same law, newest first."""
    return list(Law.objects.filter(title=law.title).order_by("-version_date", "-publish_date", "code"))


def articles_of(law: Law, *, structured: bool = True):
    qs = Article.objects.filter(law=law).order_by("sequence")
    if structured:
        qs = qs.prefetch_related(
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.order_by("number").prefetch_related(
                    Prefetch("items", queryset=Item.objects.order_by("number"))
                ),
            )
        )
    return qs


@dataclass
class TocSection:
    title: str
    anchor: str


@dataclass
class TocEntry:
    """A chapter (with its sections) of the table of contents, pointing at its first article."""

    title: str
    anchor: str
    sections: list[TocSection]


def table_of_contents(articles) -> list[TocEntry]:
    toc: list[TocEntry] = []
    for chapter, group in groupby(articles, key=lambda a: a.chapter):
        group = list(group)
        if not chapter:
            continue
        sections = []
        for section, in_section in groupby(group, key=lambda a: a.section):
            if section:
                sections.append(TocSection(section, next(in_section).anchor))
        toc.append(TocEntry(title=chapter, anchor=group[0].anchor, sections=sections))
    return toc


def get_article(law: Law, anchor: str) -> Article:
    article = articles_of(law).filter(anchor=anchor).select_related("law").first()
    if article is None:
        raise NotFound("该条文不存在")
    return article


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    siblings = Article.objects.filter(law_id=article.law_id).only("anchor", "label", "sequence", "law_id")
    previous = siblings.filter(sequence__lt=article.sequence).order_by("-sequence").first()
    following = siblings.filter(sequence__gt=article.sequence).order_by("sequence").first()
    return previous, following


def same_article_in_other_versions(article: Article) -> list[Article]:
    return list(
        Article.objects.filter(
            law__title=article.law.title, number=article.number, sub_number=article.sub_number
        )
        .exclude(law_id=article.law_id)
        .select_related("law")
        .order_by("-law__version_date")
    )


# --- full-text search ---------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    article: Article
    snippet: str


class SearchResults:
    """Matching article ids (cheap to count and slice) that turn into hits with highlights page by page."""

    def __init__(self, query: str, ids: list[int]):
        self.query = query
        self.ids = ids
        self.highlighter = search.Highlighter.for_query(query)

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        by_id = Article.objects.select_related("law").in_bulk(ids)
        hits = [SearchHit(by_id[i], self.highlighter.snippet(by_id[i].text)) for i in ids if i in by_id]
        return hits if isinstance(index, slice) else hits[0]


def search_articles(query: str, *, status: str = "", department: str = "", law: str = "") -> SearchResults:
    """Articles containing every word of the query, best first; a query that segments badly falls back to substring."""
    query = (query or "").strip()[:100]
    if not query:
        return SearchResults("", [])
    ids = search.matching_article_ids(query, status=status, department=department, law_code=law)
    if not ids:
        qs = Article.objects.filter(text__contains=query)
        if status:
            qs = qs.filter(law__status=status)
        if department:
            qs = qs.filter(law__department=department)
        if law:
            qs = qs.filter(law__code=law)
        ids = list(qs.order_by("law__title", "sequence").values_list("id", flat=True)[:5000])
    return SearchResults(query, ids)


# --- who cites what -----------------------------------------------------------------------------------------


def may_see_references(user) -> bool:
    """Citing records may be internal (enforcement items, draft rules): staff see them, the public does not."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or getattr(user, "is_staff_member", False))
    )


def references_to(user, article: Article):
    """Everything in the platform citing this article (in any version of the law), for staff."""
    if not may_see_references(user):
        return ArticleReference.objects.none()
    return (
        ArticleReference.objects.filter(
            Q(article=article)
            | Q(
                law_title=article.law.title,
                article_number=article.number,
                article_sub_number=article.sub_number,
            )
        )
        .select_related("article__law")
        .order_by("cited_by", "object_id")
    )


def list_references(user, *, stale: bool | None = None, cited_by: str = ""):
    """Citations registered by other modules; stale=True: those whose article is gone or no longer 现行有效."""
    if not may_see_references(user):
        return ArticleReference.objects.none()
    qs = ArticleReference.objects.select_related("article__law")
    if cited_by:
        qs = qs.filter(cited_by=cited_by)
    not_in_force = Q(article__isnull=True) | ~Q(article__law__status=LawStatus.IN_FORCE)
    if stale is True:
        qs = qs.filter(not_in_force)
    elif stale is False:
        qs = qs.exclude(not_in_force)
    return qs.order_by("cited_by", "object_id", "id")
