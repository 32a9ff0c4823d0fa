"""The one place qa reads the statute library (smartjustice.statutes): articles to index, to show and to cite."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.urls import NoReverseMatch, reverse

from smartjustice.core.citations import Citation
from smartjustice.statutes import citations
from smartjustice.statutes.choices import CitationStatus, LawStatus
from smartjustice.statutes.models import Article, Law

from .retrieval import ArticleRecord

# A citation may point at the current text, or at a law whose only text in the library is marked 已被修改 (the
# national database lists the whole 刑法 that way); repealed and superseded versions are refused.
CITABLE = (LawStatus.IN_FORCE, LawStatus.AMENDED)


@dataclass(frozen=True)
class ArticleCard:
    """What the robot shows of an article."""

    id: int
    law: str
    article_number: int
    article_label: str
    text: str
    url: str
    status: str
    key: tuple[str, str]  # (law title, 第…条): how evaluation files name an article


def _superseded_law_ids() -> set[int]:
    """Historical versions of laws that also have a newer (non-historical) version in the library."""
    newer = set(Law.objects.exclude(status=LawStatus.HISTORICAL).values_list("title", flat=True))
    return set(Law.objects.filter(status=LawStatus.HISTORICAL, title__in=newer).values_list("id", flat=True))


def article_records() -> Iterator[ArticleRecord]:
    """Every article the robot searches: all versions except historical ones a newer version replaces.

    Repealed laws stay searchable (the answer shows their status): people still ask about them, and some laws exist
    in the library only as repealed.
    """
    superseded = _superseded_law_ids()
    rows = (
        Article.objects.exclude(law_id__in=superseded)
        .order_by("law_id", "sequence")
        .values_list("id", "law__title", "chapter", "section", "text")
    )
    for pk, title, chapter, section, text in rows.iterator(chunk_size=5000):
        yield ArticleRecord(pk, title, f"{chapter} {section}".strip(), text)


def all_article_records() -> Iterator[ArticleRecord]:
    """Every article row as it is (the baseline indexes these)."""
    rows = Article.objects.order_by("law_id", "sequence").values_list(
        "id", "law__title", "chapter", "section", "text"
    )
    for pk, title, chapter, section, text in rows.iterator(chunk_size=5000):
        yield ArticleRecord(pk, title, f"{chapter} {section}".strip(), text)


def signature() -> str:
    """Changes whenever an import adds, changes or removes law versions or articles (the index is then stale)."""
    laws = Law.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    articles = Article.objects.aggregate(n=Count("id"), last=Max("id"))
    latest = laws["latest"].isoformat() if laws["latest"] else ""
    return f"{laws['n']}:{latest}:{articles['n']}:{articles['last'] or 0}"


def article_keys() -> dict[int, tuple[str, str]]:
    """Article id → (law title, 第…条), for evaluation files."""
    return {
        pk: (title, label) for pk, title, label in Article.objects.values_list("id", "law__title", "label")
    }


def _url(law_code: str, anchor: str) -> str:
    try:
        return reverse("statutes:article", args=[law_code, anchor])
    except NoReverseMatch:  # the statute pages keep this address (permanent link)
        return f"/laws/{law_code}/{anchor}/"


def article_cards(ids: list[int]) -> dict[int, ArticleCard]:
    rows = Article.objects.filter(pk__in=ids).select_related("law")
    return {
        a.pk: ArticleCard(
            id=a.pk,
            law=a.law.title,
            article_number=a.number,
            article_label=a.label,
            text=a.text,
            url=_url(a.law.code, a.anchor),
            status=a.law.get_status_display(),
            key=(a.law.title, a.label),
        )
        for a in rows
    }


def resolve_citation(law: str, article: int) -> dict | str:
    """The citation in its stored form {"law": library title, "article": n}, or why it cannot be cited (Chinese).

    Verified by the statute library's citation checker: unknown laws and articles, and articles no longer in
    force, are refused; an article of a version marked 已被修改 is accepted (see CITABLE).
    """
    law = law.strip().strip("《》")
    if not law:
        return "请填写法律法规名称"
    if not 0 < article < 10000:
        return f"《{law}》第{article}条：条号无效"
    citation = Citation(law, article)
    verdict = citations.check_one(citations.FoundCitation(str(citation), 0, len(str(citation)), citation))
    if verdict.status in (CitationStatus.VALID, CitationStatus.AMENDED) and verdict.law is not None:
        return {"law": verdict.law.title, "article": article}
    return f"{citation}：{verdict.message}"


def citation_links(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Where stored citations lead, in one query: each (law, article) → the article in its current (or last)
    version, or '' when it is gone."""
    pairs = set(pairs)
    if not pairs:
        return {}
    match = Q()
    for law, article in pairs:
        match |= Q(law__title=law, number=article)
    rows = (
        Article.objects.filter(match, sub_number=0)
        .order_by("-law__version_date")
        .values_list("law__title", "number", "law__code", "anchor", "law__status")
    )
    links: dict[tuple[str, int], str] = {}
    current: set[tuple[str, int]] = set()
    for title, number, code, anchor, status in rows:
        key = (title, number)
        if key in current:
            continue
        if status in CITABLE:
            links[key] = _url(code, anchor)
            current.add(key)
        else:
            links.setdefault(key, _url(code, anchor))
    return {pair: links.get(pair, "") for pair in pairs}


def citation_link(law: str, article: int) -> str:
    """Where one stored citation leads (see citation_links)."""
    return citation_links([(law, article)])[(law, article)]
