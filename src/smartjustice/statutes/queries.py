"""Every read of the statute library. Laws are public; who cites an article is shown to staff only."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Prefetch, Q

from smartjustice.core import access
from smartjustice.core import rules as core_rules
from smartjustice.core.errors import NotAuthenticated, NotFound, PermissionDenied

from . import citations, search
from .choices import LawStatus
from .models import Article, ArticleReference, CitedArticleAlert, Item, Law, Paragraph


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


# A law this long is read chapter by chapter (民法典: 1,260 articles, 751 KB as one page); shorter ones in one page.
READ_BY_CHAPTER_FROM = 200


@dataclass
class Chapter:
    """A run of consecutive articles under one chapter heading, numbered from 1 in reading order."""

    number: int
    title: str
    anchor: str
    sections: list[TocSection]
    first_sequence: int
    last_sequence: int
    first_number: tuple[int, int]
    last_number: tuple[int, int]

    @property
    def article_count(self) -> int:
        return self.last_sequence - self.first_sequence + 1

    # Article numbers as one sortable integer (第一百二十条之一 → 120001): the page's script finds the chapter of
    # an anchor such as #art-120-1 by range, without asking the server.
    @property
    def first_key(self) -> int:
        return self.first_number[0] * 1000 + self.first_number[1]

    @property
    def last_key(self) -> int:
        return self.last_number[0] * 1000 + self.last_number[1]


def chapters_of(law: Law) -> list[Chapter]:
    """The law's chapters (chapter headings repeat across 编, so a chapter is identified by its position)."""
    rows = (
        Article.objects.filter(law=law)
        .order_by("sequence")
        .values_list("sequence", "anchor", "number", "sub_number", "chapter", "section")
    )
    chapters: list[Chapter] = []
    for title, group in groupby(rows, key=lambda row: row[4]):
        group = list(group)
        sections = [
            TocSection(section, next(in_section)[1])
            for section, in_section in groupby(group, key=lambda row: row[5])
            if section
        ]
        first, last = group[0], group[-1]
        chapters.append(
            Chapter(
                number=len(chapters) + 1,
                title=title or "正文",
                anchor=first[1],
                sections=sections,
                first_sequence=first[0],
                last_sequence=last[0],
                first_number=(first[2], first[3]),
                last_number=(last[2], last[3]),
            )
        )
    return chapters


def reads_by_chapter(chapters: list[Chapter]) -> bool:
    """Whether the reading page sends the table of contents and one chapter instead of the whole text."""
    has_headings = any(chapter.title != "正文" for chapter in chapters)
    return has_headings and sum(c.article_count for c in chapters) >= READ_BY_CHAPTER_FROM


def chapter_numbered(chapters: list[Chapter], number: int) -> Chapter:
    if not 1 <= number <= len(chapters):
        raise NotFound("该章不存在")
    return chapters[number - 1]


def chapter_containing(law: Law, chapters: list[Chapter], anchor: str) -> Chapter:
    """The chapter an article (by its anchor, e.g. 120-1) belongs to."""
    sequence = Article.objects.filter(law=law, anchor=anchor).values_list("sequence", flat=True).first()
    for chapter in chapters:
        if sequence is not None and chapter.first_sequence <= sequence <= chapter.last_sequence:
            return chapter
    raise NotFound("该条文不存在")


def articles_in(law: Law, chapter: Chapter):
    """The articles of one chapter, with their paragraphs and items, in reading order."""
    return articles_of(law).filter(sequence__gte=chapter.first_sequence, sequence__lte=chapter.last_sequence)


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
    return access.is_staff(user)


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


# --- rules citing an article (core.rules registry) and alerts when a cited article changes ---------------------

ALERT_PERMISSION = "statutes.view_citedarticlealert"


@dataclass
class CitingRule:
    """A registered rule citing an article, with the Chinese name of the module it belongs to."""

    rule: core_rules.Rule
    module_name: str


def rules_citing(article: Article) -> list[CitingRule]:
    """The platform's rules (core.rules registry) citing this article, in any version of the law; rules are
    published law-as-code, so everyone sees them."""
    if article.sub_number or not article.number:
        return []  # a rule's citation names no 之一 article
    return [
        CitingRule(rule, core_rules.module_name(rule.module))
        for rule in core_rules.citing(article.law.title, article.number)
    ]


@dataclass
class RegisteredRule:
    """One row of the rules registry page: the rule, its module's name and the article its citation resolves to."""

    rule: core_rules.Rule
    module_name: str
    article: Article | None


def rule_registry() -> list[RegisteredRule]:
    """Every registered rule with the stored article it cites (the version in force), by module and code."""
    return [
        RegisteredRule(rule, core_rules.module_name(rule.module), citations.resolve(rule.citation))
        for rule in core_rules.all_rules()
    ]


def may_manage_alerts(user) -> bool:
    """Rules are the platform's own code, so their alerts are for province-wide staff holding the permission."""
    return access.may(user, ALERT_PERMISSION) and access.may_act_in(user, None)


def _require_alert_manager(user) -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not may_manage_alerts(user):
        raise PermissionDenied("法条变更提醒仅供省级系统管理员处理")


def alerts_for(user, *, show: str = "open"):
    """Alerts for the administrators' page: open (not acknowledged, not gone away) or all; 403 for anyone else."""
    _require_alert_manager(user)
    qs = access.restrict(CitedArticleAlert.objects.all(), user, "view").select_related(
        "article__law", "acknowledged_by"
    )
    if show == "open":
        qs = qs.filter(acknowledged_at__isnull=True, resolved_at__isnull=True)
    return qs.order_by("-detected_at", "rule_key")


def get_alert_for(user, pk, *, action: str = "change") -> CitedArticleAlert:
    """One alert the user may act on (403 for anyone who may not manage alerts; a missing one is not found)."""
    _require_alert_manager(user)
    return access.get_for(user, CitedArticleAlert, pk, action)
