"""Every write to the statute library: importing law versions, rebuilding the search index, registering citations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from smartjustice.core import audit
from smartjustice.core import rules as core_rules
from smartjustice.core.choices import AuditEvent
from smartjustice.core.citations import Citation
from smartjustice.core.errors import Conflict, ValidationFailed
from smartjustice.core.rules import Rule

from . import citations as citation_lookup
from . import search
from .choices import StatutesAuditEvent
from .models import Article, ArticleReference, CitedArticleAlert, Item, Law, Paragraph, SearchEntry
from .sources import ArticleRecord, LawRecord
from .structure import split_article

BATCH_SIZE = 1000
LAW_FIELDS = (
    "source",
    "title",
    "doc_type",
    "level",
    "issuing_body",
    "department",
    "publish_date",
    "effective_date",
    "version_date",
    "status",
)
ARTICLE_FIELDS = ("sequence", "number", "sub_number", "label", "chapter", "section", "text")


@dataclass
class ImportReport:
    """What an import changed; an unchanged re-import reports zeros everywhere but `unchanged`."""

    source: str = ""
    laws_created: int = 0
    laws_updated: int = 0
    laws_unchanged: int = 0
    articles_created: int = 0
    articles_updated: int = 0
    articles_deleted: int = 0
    created_titles: list[str] = field(default_factory=list)
    updated_titles: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.laws_created + self.laws_updated

    def summary(self) -> str:
        return (
            f"新增 {self.laws_created} 部、更新 {self.laws_updated} 部、未变化 {self.laws_unchanged} 部；"
            f"条文新增 {self.articles_created} 条、修改 {self.articles_updated} 条、删除 {self.articles_deleted} 条"
        )


def _anchors(records: list[ArticleRecord]) -> list[str]:
    """URL anchors, unique within a law: 36, 120-1 (第一百二十条之一), full (全文), 7_2 (a repeated number)."""
    seen: dict[str, int] = {}
    out = []
    for record in records:
        base = "full" if record.number == 0 else str(record.number)
        if record.sub_number:
            base += f"-{record.sub_number}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return out


def _article_rows(law: Law, records: list[ArticleRecord]) -> dict[str, Article]:
    return {
        anchor: Article(
            law=law,
            anchor=anchor,
            sequence=sequence,
            number=record.number,
            sub_number=record.sub_number,
            label=record.label,
            chapter=record.chapter,
            section=record.section,
            text=record.text,
        )
        for sequence, (anchor, record) in enumerate(zip(_anchors(records), records, strict=True), 1)
    }


def _store_structure(articles: list[Article]) -> None:
    """Paragraphs, items and search entries of saved articles (bulk, in batches)."""
    paragraphs: list[Paragraph] = []
    items_by_paragraph: list[list] = []
    for article in articles:
        for part in split_article(article.text):
            paragraphs.append(Paragraph(article=article, number=part.number, text=part.text))
            items_by_paragraph.append(part.items)
    Paragraph.objects.bulk_create(paragraphs, batch_size=BATCH_SIZE)
    Item.objects.bulk_create(
        [
            Item(paragraph=paragraph, number=item.number, label=item.label, text=item.text)
            for paragraph, items in zip(paragraphs, items_by_paragraph, strict=True)
            for item in items
        ],
        batch_size=BATCH_SIZE,
    )
    SearchEntry.objects.bulk_create(
        [SearchEntry(article=a, tokens=search.document_tokens(a.text)) for a in articles],
        batch_size=BATCH_SIZE,
    )


def _create_laws(pending: list[tuple[LawRecord, str]], report: ImportReport) -> None:
    laws = Law.objects.bulk_create(
        [
            Law(
                code=record.code,
                content_hash=digest,
                article_count=len(record.articles),
                **{name: getattr(record, name) for name in LAW_FIELDS},
            )
            for record, digest in pending
        ]
    )
    articles = [
        a
        for law, (record, _) in zip(laws, pending, strict=True)
        for a in _article_rows(law, record.articles).values()
    ]
    Article.objects.bulk_create(articles, batch_size=BATCH_SIZE)
    _store_structure(articles)
    report.laws_created += len(laws)
    report.articles_created += len(articles)
    report.created_titles.extend(law.title for law in laws)


def _update_law(law: Law, record: LawRecord, digest: str, report: ImportReport) -> None:
    """Bring one stored version in line with its source, article by article (kept articles keep their ids)."""
    for name in LAW_FIELDS:
        setattr(law, name, getattr(record, name))
    law.content_hash = digest
    law.article_count = len(record.articles)
    law.save()
    wanted = _article_rows(law, record.articles)
    existing = {a.anchor: a for a in law.articles.all()}
    removed = [a.pk for anchor, a in existing.items() if anchor not in wanted]
    Article.objects.filter(pk__in=removed).delete()  # citations keep their text; their article becomes empty
    changed, text_changed, created = [], [], []
    for anchor, row in wanted.items():
        current = existing.get(anchor)
        if current is None:
            created.append(row)
            continue
        if any(getattr(current, f) != getattr(row, f) for f in ARTICLE_FIELDS):
            if current.text != row.text:
                text_changed.append(current)
            for f in ARTICLE_FIELDS:
                setattr(current, f, getattr(row, f))
            changed.append(current)
    Article.objects.bulk_update(changed, ARTICLE_FIELDS, batch_size=BATCH_SIZE)
    Paragraph.objects.filter(article__in=text_changed).delete()
    SearchEntry.objects.filter(article__in=text_changed).delete()
    Article.objects.bulk_create(created, batch_size=BATCH_SIZE)
    _store_structure(text_changed + created)
    report.laws_updated += 1
    report.articles_created += len(created)
    report.articles_updated += len(changed)
    report.articles_deleted += len(removed)
    report.updated_titles.append(law.title)


@transaction.atomic
def import_laws(
    records: Iterable[LawRecord],
    *,
    actor=None,
    source: str = "",
    total: int | None = None,
    progress: Callable[[int, int | None, str], None] | None = None,
    batch_laws: int = 40,
) -> ImportReport:
    """Insert new law versions, update changed ones, skip unchanged ones (by content hash); one audit entry."""
    report = ImportReport(source=source)
    stored = {law.code: law for law in Law.objects.only("id", "code", "content_hash", "title")}
    pending: list[tuple[LawRecord, str]] = []
    for seen, record in enumerate(records, 1):
        digest = record.content_hash()
        law = stored.get(record.code)
        if law is None:
            pending.append((record, digest))
            stored[record.code] = Law(code=record.code, content_hash=digest)  # a repeated code is skipped
            if len(pending) >= batch_laws:
                _create_laws(pending, report)
                pending.clear()
        elif law.content_hash != digest:
            _update_law(Law.objects.get(pk=law.pk), record, digest, report)
        else:
            report.laws_unchanged += 1
        if progress:
            progress(seen, total, record.title)
    if pending:
        _create_laws(pending, report)
    audit.record(
        AuditEvent.DATA_IMPORTED,
        actor=actor,
        object_type="statutes.law",
        object_repr=f"法律法规：{report.laws_created} 新增 / {report.laws_updated} 更新",
        detail=f"来源：{source or '—'}；{report.summary()}",
        after={
            "laws_created": report.laws_created,
            "laws_updated": report.laws_updated,
            "laws_unchanged": report.laws_unchanged,
            "updated_titles": report.updated_titles[:50],
        },
    )
    return report


@transaction.atomic
def rebuild_search_index(*, progress: Callable[[int, int | None, str], None] | None = None) -> int:
    """Segment every article again (after a dictionary change) and rebuild the database's index."""
    SearchEntry.objects.all().delete()
    total = Article.objects.count()
    done = 0
    batch: list[SearchEntry] = []
    for article in Article.objects.only("id", "text").iterator(chunk_size=BATCH_SIZE):
        batch.append(SearchEntry(article_id=article.pk, tokens=search.document_tokens(article.text)))
        done += 1
        if len(batch) >= BATCH_SIZE:
            SearchEntry.objects.bulk_create(batch)
            batch.clear()
            if progress:
                progress(done, total, "")
    SearchEntry.objects.bulk_create(batch)
    search.backend().rebuild()
    return done


# --- citations from the rest of the platform ---------------------------------------------------------------


@dataclass(frozen=True)
class CitedBy:
    """Who cites: a record of another module (`kind` like enforcement.item, its id), or a rule in code."""

    kind: str
    id: str
    label: str = ""
    url: str = ""

    @classmethod
    def of(cls, obj) -> CitedBy:
        """A model instance as a citing record (its label, pk, str() and absolute URL if it has one)."""
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        return cls(kind=obj._meta.label_lower, id=str(obj.pk), label=str(obj)[:200], url=url)


@transaction.atomic
def register_citations(
    cited_by, citations: Iterable[Citation | str], *, actor=None
) -> list[ArticleReference]:
    """Replace what a record cites: each citation resolved to a stored article (or kept unresolved, to be flagged).

    `cited_by` is a CitedBy or a model instance; a citation is a core.citations.Citation or a text such as
    “《行政处罚法》第三十六条” (every citation found in it counts).
    """
    who = cited_by if isinstance(cited_by, CitedBy) else CitedBy.of(cited_by)
    found: list[tuple[Citation, int]] = []
    for citation in citations:
        if isinstance(citation, str):
            found.extend((f.citation, f.sub_number) for f in citation_lookup.extract(citation))
        else:
            found.append((citation, 0))
    ArticleReference.objects.filter(cited_by=who.kind, object_id=who.id).delete()
    rows = []
    for citation, sub_number in dict.fromkeys(found):
        article = citation_lookup.resolve(citation, sub_number=sub_number)
        rows.append(
            ArticleReference(
                cited_by=who.kind,
                object_id=who.id,
                object_repr=who.label[:200],
                object_url=who.url[:300],
                citation_text=(str(article) if article else str(citation))[:300],
                law_title=article.law.title if article else citation.law,
                article_number=citation.article,
                article_sub_number=sub_number,
                paragraph=citation.paragraph,
                article=article,
            )
        )
    return ArticleReference.objects.bulk_create(rows)


# --- rules whose cited article changed ---------------------------------------------------------------------------


@dataclass
class AlertReport:
    """What one run of the cited-article check found: new alerts, alerts that went away, rules checked."""

    checked: int = 0
    flagged: list[CitedArticleAlert] = field(default_factory=list)
    resolved: int = 0


def _alert_for(rule: Rule, check: citation_lookup.CitationCheck) -> CitedArticleAlert:
    return CitedArticleAlert(
        rule_key=rule.key,
        module=rule.module,
        rule_summary=rule.summary[:500],
        citation_text=str(rule.citation)[:300],
        status=check.status,
        law_code=check.law.code if check.law else "",
        law_status=check.law.status if check.law else "",
        message=check.message[:500],
        article=check.article,
    )


@transaction.atomic
def flag_cited_articles(*, rules: Iterable[Rule] | None = None, today=None) -> AlertReport:
    """Check every registered rule's citation in the library; flag each whose article's version is amended,
    repealed or historical, or whose article is gone from a law the library holds (a law the library lacks is
    the citation test's business, not an alert). A change is flagged once; an alert whose change went away (the
    article is in force again, or changed once more) is marked resolved. One audit entry when anything changed."""
    report = AlertReport()
    found: dict[tuple[str, str, str, str], tuple[Rule, citation_lookup.CitationCheck]] = {}
    checked_keys: set[str] = set()
    for rule in core_rules.all_rules() if rules is None else rules:
        if not rule.verified:
            continue
        report.checked += 1
        checked_keys.add(rule.key)
        check = citation_lookup.check_citation(rule.citation, today=today)
        if check.ok or check.law is None:
            continue
        alert = _alert_for(rule, check)
        found[(alert.rule_key, alert.citation_text, alert.status, alert.law_code)] = (rule, check)
    open_alerts = CitedArticleAlert.objects.filter(resolved_at__isnull=True, rule_key__in=checked_keys)
    gone = [a for a in open_alerts if (a.rule_key, a.citation_text, a.status, a.law_code) not in found]
    known = set(CitedArticleAlert.objects.values_list("rule_key", "citation_text", "status", "law_code"))
    new = [key for key in found if key not in known]
    if not new and not gone:
        return report
    summary = (
        f"核验 {report.checked} 条规则：新发现 {len(new)} 条所引法条已修改或失效，{len(gone)} 条提醒已消除"
    )
    with audit.operation(
        StatutesAuditEvent.CITED_ARTICLES_FLAGGED,
        obj=None,  # about many alerts: each one written is a sub-step of this entry
        object_type="statutes.citedarticlealert",
        actor=None,
        detail=summary,
    ):
        now = timezone.now()
        for alert in gone:
            alert.resolved_at = now
            alert.save(update_fields=["resolved_at", "updated_at"])
        report.resolved = len(gone)
        for key in new:
            alert = _alert_for(*found[key])
            alert.save()
            report.flagged.append(alert)
    return report


@transaction.atomic
def acknowledge_alert(alert: CitedArticleAlert, *, actor, note: str = "") -> CitedArticleAlert:
    """An administrator confirms having looked at a flagged rule (and says what was done about it)."""
    if alert.acknowledged_at is not None:
        raise Conflict("该提醒已确认")
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationFailed("处理说明不能超过 500 个字", fields={"note": ["处理说明不能超过 500 个字"]})
    with audit.operation(
        StatutesAuditEvent.CITED_ARTICLE_ALERT_ACKNOWLEDGED,
        obj=alert,
        actor=actor,
        detail=f"确认法条变更提醒：{alert.rule_key} → {alert.citation_text}",
    ):
        alert.acknowledged_by = actor
        alert.acknowledged_at = timezone.now()
        alert.note = note
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "note", "updated_at"])
    return alert
