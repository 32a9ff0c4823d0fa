"""Citations of articles: finding 《法名》第N条 in text, resolving them to stored articles, checking they are in force.

Every module cites law through core.citations.Citation (law + article number [+ paragraph]); this module resolves
a Citation to an Article of the library (`resolve`), finds every citation in a text (`extract`), and says whether
each exists and is in force (`check`, used by the API, the checker page, FAQ authoring and document templates).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from smartjustice.core.citations import Citation, chinese_numeral

from .choices import CitationStatus, LawStatus
from .models import Article, Law, Paragraph
from .numerals import NUMERAL, parse_numeral

ALIASES_FILE = Path(__file__).parent / "data" / "aliases.json"
PREFIX = "中华人民共和国"

_REF = rf"第({NUMERAL})条(?:之({NUMERAL}))?(?:第({NUMERAL})款)?(?:第[（(]?({NUMERAL})[）)]?项)?"
_JOIN = r"\s*(?:、|，|,|和|及|以及|或者|或|与|至|到)\s*"
_BRACKETED = re.compile(
    rf"《(?P<law>[^《》\n]{{1,80}})》(?:[（(][^）)\n]{{0,30}}[）)])?\s*(?P<refs>{_REF}(?:{_JOIN}{_REF})*)"
)
# Without 《》 (劳动合同法第四十条): only names the library knows, so ordinary words are never taken for a law.
_BARE = re.compile(
    rf"(?P<law>[\u4e00-\u9fff]{{2,40}}?(?:法典|法|条例|规定|办法|决定))\s*(?P<refs>{_REF}(?:{_JOIN}{_REF})*)"
)
_ONE_REF = re.compile(_REF)


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    return json.loads(ALIASES_FILE.read_text(encoding="utf-8"))["aliases"]


def _normalise(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def name_candidates(name: str) -> list[str]:
    """Titles a written name may stand for, most likely first: as written, the alias, with/without 中华人民共和国."""
    name = _normalise(name)
    out = [name, aliases().get(name, "")]
    out.append(name[len(PREFIX) :] if name.startswith(PREFIX) else PREFIX + name)
    return [c for c in dict.fromkeys(out) if c]


def resolve_law_title(name: str, *, known: set[str] | None = None) -> str | None:
    """The library's title for a written law name (short names and aliases included), or None."""
    candidates = name_candidates(name)
    if known is None:
        known = set(Law.objects.filter(title__in=candidates).values_list("title", flat=True))
    return next((c for c in candidates if c in known), None)


def current_version(title: str) -> Law | None:
    """The version a citation means: the one in force, else the latest amended one, else the latest of any."""
    versions = list(Law.objects.filter(title=title))
    if not versions:
        return None
    order = {LawStatus.IN_FORCE: 0, LawStatus.AMENDED: 1}
    return min(
        versions, key=lambda law: (order.get(law.status, 2), -(law.version_date or date.min).toordinal())
    )


def _article_in(law: Law, number: int, sub_number: int) -> Article | None:
    return (
        Article.objects.filter(law=law, number=number, sub_number=sub_number)
        .select_related("law")
        .order_by("sequence")
        .first()
    )


def resolve(citation: Citation, *, sub_number: int = 0) -> Article | None:
    """The stored article a citation points at (in the version in force where there is one), or None."""
    title = resolve_law_title(citation.law)
    law = current_version(title) if title else None
    return _article_in(law, citation.article, sub_number) if law else None


# --- extraction ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundCitation:
    """A citation as written in a text: where it is, what it says, and the Citation it stands for."""

    text: str
    start: int
    end: int
    citation: Citation
    sub_number: int = 0
    item: int | None = None

    @property
    def article_label(self) -> str:
        label = f"第{chinese_numeral(self.citation.article)}条"
        return label + (f"之{chinese_numeral(self.sub_number)}" if self.sub_number else "")


def _refs(law: str, match: re.Match, *, known_only: set[str] | None = None) -> list[FoundCitation]:
    found = []
    refs_start = match.start("refs")
    for ref in _ONE_REF.finditer(match["refs"]):
        try:
            article = parse_numeral(ref[1])
            sub = parse_numeral(ref[2]) if ref[2] else 0
            paragraph = parse_numeral(ref[3]) if ref[3] else None
            item = parse_numeral(ref[4]) if ref[4] else None
        except ValueError:
            continue
        if article <= 0:
            continue
        first = not found
        start = match.start() if first else refs_start + ref.start()
        end = refs_start + ref.end()
        found.append(
            FoundCitation(
                text=match.string[start:end],
                start=start,
                end=end,
                citation=Citation(law=law, article=article, paragraph=paragraph),
                sub_number=sub,
                item=item,
            )
        )
    return found


def extract(text: str) -> list[FoundCitation]:
    """Every 《法名》第N条 in a text (Chinese or Arabic numerals, lists like 第一条、第三条, 之一, 款, 项), in order.

    Names without 《》 (行政处罚法第三十六条) are taken only when the library knows the law.
    """
    text = text or ""
    found: list[FoundCitation] = []
    taken: list[tuple[int, int]] = []
    for match in _BRACKETED.finditer(text):
        found.extend(_refs(_normalise(match["law"]), match))
        taken.append((match.start(), match.end()))
    known = _known_titles()
    for match in _BARE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        # The regex cannot know where a name starts (根据劳动合同法…): try the longest suffix the library knows.
        name = match["law"]
        for i in range(len(name) - 1):
            if resolve_law_title(name[i:], known=known):
                offset = match.start("law") + i
                found.extend(
                    FoundCitation(
                        text=text[offset if c.start == match.start() else c.start : c.end],
                        start=offset if c.start == match.start() else c.start,
                        end=c.end,
                        citation=c.citation,
                        sub_number=c.sub_number,
                        item=c.item,
                    )
                    for c in _refs(name[i:], match)
                )
                break
    return sorted(found, key=lambda c: c.start)


def _known_titles() -> set[str]:
    titles = set(Law.objects.values_list("title", flat=True).distinct())
    return titles | {a for a, t in aliases().items() if t in titles}


# --- checking -----------------------------------------------------------------------------------------------


@dataclass
class CitationCheck:
    """The verdict on one citation, with the article it resolved to (possibly in a version no longer in force)."""

    found: FoundCitation
    status: CitationStatus
    message: str
    law: Law | None = None
    article: Article | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == CitationStatus.VALID


def check_one(found: FoundCitation, *, today: date | None = None) -> CitationCheck:
    citation = found.citation
    written = f"《{citation.law}》"
    title = resolve_law_title(citation.law)
    if title is None:
        return CitationCheck(found, CitationStatus.NOT_FOUND, f"法律法规库中没有{written}")
    law = current_version(title)
    article = _article_in(law, citation.article, found.sub_number)
    if article is None:
        # Only an older version has it: the article existed but is not law any more.
        older = (
            Article.objects.filter(law__title=title, number=citation.article, sub_number=found.sub_number)
            .select_related("law")
            .order_by("-law__version_date")
            .first()
        )
        if older is None:
            return CitationCheck(
                found, CitationStatus.NOT_FOUND, f"{written}没有{found.article_label}", law=law
            )
        return CitationCheck(
            found,
            CitationStatus.NOT_IN_FORCE,
            f"{found.article_label}仅见于{older.law.version_label}（{older.law.get_status_display()}），现行文本中没有该条",
            law=older.law,
            article=older,
        )
    notes = []
    if (
        citation.paragraph
        and not Paragraph.objects.filter(article=article, number=citation.paragraph).exists()
    ):
        return CitationCheck(
            found,
            CitationStatus.NOT_FOUND,
            f"{article}没有第{chinese_numeral(citation.paragraph)}款",
            law=law,
            article=article,
        )
    today = today or timezone.localdate()
    if law.effective_date and law.effective_date > today:
        notes.append(f"该版本自 {law.effective_date:%Y-%m-%d} 起施行")
    if law.status == LawStatus.IN_FORCE:
        return CitationCheck(found, CitationStatus.VALID, f"{article}现行有效", law, article, notes)
    if law.status == LawStatus.AMENDED:
        return CitationCheck(
            found,
            CitationStatus.AMENDED,
            f"{article}所在版本（{law.version_label}）已被修改，请核对修改后的条文",
            law,
            article,
            notes,
        )
    return CitationCheck(
        found,
        CitationStatus.NOT_IN_FORCE,
        f"{written}{law.get_status_display()}（{law.version_label}）",
        law,
        article,
        notes,
    )


def check(text: str, *, today: date | None = None) -> list[CitationCheck]:
    """Every citation in `text` with its verdict: valid / amended / not_in_force / not_found."""
    return [check_one(found, today=today) for found in extract(text)]


def check_citation(citation: Citation, *, today: date | None = None) -> CitationCheck:
    """The verdict on one Citation object (a registered rule's), as check() gives for a written one."""
    found = FoundCitation(text=str(citation), start=0, end=len(str(citation)), citation=citation)
    return check_one(found, today=today)
