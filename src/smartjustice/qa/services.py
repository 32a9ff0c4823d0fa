"""法宝宝 and the FAQ knowledge base: the robot's answer, and every write (entries, votes, read counts, the index).

The robot needs no person and no outside service: articles come from the local index of the statute library
(qa.retrieval), FAQ entries from the database, next steps from versioned data files.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from smartjustice.core import access, audit, workflow
from smartjustice.core.choices import AuditEvent
from smartjustice.core.citations import Citation
from smartjustice.core.errors import Conflict, ValidationFailed
from smartjustice.statutes import services as statute_services

from . import faq_search, library, next_steps, retrieval
from .choices import FaqStatus, QaAuditEvent, Scenario
from .models import FaqEntry, FaqFeedback, province_code

DISCLAIMER = "本回答由系统自动生成，仅供参考，不构成法律意见"
QUESTION_MAX_CHARS = 500
ARTICLE_LIMIT = 5
FAQ_LIMIT = 3
CHANGE_PERMISSION = "qa.change_faqentry"
FAQ_DATA_DIR = Path(__file__).resolve().parents[1] / "statutes" / "data" / "faq"


# --- the robot -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleAnswer:
    """An article that answers the question: where it is, what it says, and which of the question's words it has."""

    id: int
    law: str
    article_number: int
    article_label: str
    text: str
    url: str
    status: str
    matched: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class FaqMatch:
    id: int
    code: str
    question: str
    scenario: str
    scenario_label: str
    answer: str
    url: str
    score: float


@dataclass(frozen=True)
class Answer:
    """What 法宝宝 says to one question (the API returns it as is; the page renders it)."""

    question: str
    articles: list[ArticleAnswer]
    faq: list[FaqMatch]
    next_steps: list[next_steps.NextStep]
    disclaimer: str = DISCLAIMER
    elapsed_ms: float = 0.0
    index: dict = field(default_factory=dict)


def clean_question(question: str | None) -> str:
    """The question as the robot reads it, or a Chinese field error (empty, or longer than 500 characters)."""
    text = " ".join((question or "").split())
    if not text:
        raise ValidationFailed("请输入您的问题", fields={"question": ["请输入您的问题"]})
    if len(text) > QUESTION_MAX_CHARS:
        message = f"问题不能超过 {QUESTION_MAX_CHARS} 字，请精简后再问"
        raise ValidationFailed(message, fields={"question": [message]})
    return text


def answer(question: str) -> Answer:
    """The articles, FAQ entries and next steps for a layperson's question (read-only; works offline)."""
    text = clean_question(question)
    started = time.perf_counter()
    retriever = current_retriever()
    hits = retriever.search(text, ARTICLE_LIMIT)
    cards = library.article_cards([h.article_id for h in hits])
    articles = [
        ArticleAnswer(
            id=h.article_id,
            law=card.law,
            article_number=card.article_number,
            article_label=card.article_label,
            text=card.text,
            url=card.url,
            status=card.status,
            matched=h.matched,
            score=round(h.score, 4),
        )
        for h in hits
        if (card := cards.get(h.article_id))
        is not None  # an article deleted since the last rebuild is skipped
    ]
    faq_hits = faq_search.search(text, limit=FAQ_LIMIT)
    entries = FaqEntry.objects.in_bulk([h.entry_id for h in faq_hits])
    faq = [
        FaqMatch(
            id=e.pk,
            code=e.code,
            question=e.question,
            scenario=e.scenario,
            scenario_label=e.get_scenario_display(),
            answer=e.answer,
            url=f"/qa/faq/{e.pk}/",
            score=round(h.score, 3),
        )
        for h in faq_hits
        if (e := entries.get(h.entry_id)) is not None
    ]
    recommended = [code for m in faq for code in entries[m.id].services]
    return Answer(
        question=text,
        articles=articles,
        faq=faq,
        next_steps=next_steps.steps_for(recommended),
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        index={"articles": retriever.meta.get("articles", 0), "built_at": retriever.meta.get("built_at", "")},
    )


def rebuild_index() -> dict:
    """Rebuild the robot's article index from the statute library and persist it (call after every import)."""
    global _checked_at
    stamp = library.signature()
    meta = retrieval.build(library.article_records(), extra={"source": "statutes", "library": stamp})
    _checked_at = time.monotonic()
    return meta


STALE_CHECK_SECONDS = 30
_checked_at = 0.0


def current_retriever() -> retrieval.LexicalRetriever:
    """The loaded index; rebuilt first when the library changed since it was built (checked twice a minute)."""
    global _checked_at
    retriever = retrieval.current(rebuild=rebuild_index)
    if time.monotonic() - _checked_at > STALE_CHECK_SECONDS:
        _checked_at = time.monotonic()
        if retriever.meta.get("library") != library.signature():
            rebuild_index()
            retriever = retrieval.current(rebuild=rebuild_index)
    return retriever


# --- FAQ entries -----------------------------------------------------------------------------------------------

ENTRY_FIELDS = ("scenario", "question", "answer", "lawyer_opinion", "citations", "services", "keywords")


def _text_list(values: Iterable | None) -> list[str]:
    out = []
    for v in values or []:
        v = str(v).strip()
        if v and v not in out:
            out.append(v)
    return out


def _validate(entry: FaqEntry, *, publishing: bool = False) -> None:
    """Field by field, in Chinese; citations must resolve in the statute library and be in force."""
    errors: dict[str, list[str]] = {}
    entry.question = " ".join((entry.question or "").split())
    entry.answer = (entry.answer or "").strip()
    entry.lawyer_opinion = (entry.lawyer_opinion or "").strip()
    if entry.scenario not in Scenario.values:
        errors["scenario"] = ["请选择场景分类"]
    if not entry.question:
        errors["question"] = ["请填写问题"]
    elif len(entry.question) > 200:
        errors["question"] = ["问题不能超过 200 字"]
    if not entry.answer:
        errors["answer"] = ["请填写解答"]
    entry.keywords = _text_list(entry.keywords)
    entry.services = _text_list(entry.services)
    unknown = [c for c in entry.services if c not in next_steps.catalogue()]
    if unknown:
        errors["services"] = ["未知的服务：" + "、".join(unknown)]
    citations, problems = [], []
    for raw in entry.citations or []:
        try:
            law, number = str(raw["law"]).strip(), int(raw["article"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"引用格式无效：{raw}")
            continue
        resolved = library.resolve_citation(law, number)
        if isinstance(resolved, str):
            problems.append(resolved)
        elif resolved not in citations:
            citations.append(resolved)
    if problems:
        errors["citations"] = problems
    entry.citations = citations
    if (publishing or entry.status == FaqStatus.PUBLISHED) and not citations and "citations" not in errors:
        errors["citations"] = ["发布的常见问题须至少引用一条法条"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)


def _as_draft(entry: FaqEntry) -> FaqEntry:
    """A copy of the entry in the draft state, to ask whether the actor could publish it (i.e. reviews it)."""
    return FaqEntry(pk=entry.pk, jurisdiction=entry.jurisdiction, status=FaqStatus.DRAFT)


def _register_citations(entry: FaqEntry, *, actor) -> None:
    """Tell the statute library what the entry cites, so its article pages list the entry and flag stale ones."""
    statute_services.register_citations(
        entry, [Citation(c["law"], c["article"]) for c in entry.citations], actor=actor
    )


@transaction.atomic
def create_entry(*, actor, scenario: str, question: str, answer: str, **fields) -> FaqEntry:
    """Author a new entry (a draft until published) in the actor's jurisdiction."""
    access.require(actor, "change", FaqEntry)
    entry = FaqEntry(
        code=fields.pop("code", "") or f"faq-{uuid.uuid4().hex[:10]}",
        jurisdiction=getattr(actor, "jurisdiction_id", None) or province_code(),
        scenario=scenario,
        question=question,
        answer=answer,
        **{k: v for k, v in fields.items() if k in ENTRY_FIELDS},
    )
    _validate(entry)
    with audit.operation(QaAuditEvent.FAQ_CREATED, obj=entry, actor=actor):
        entry.save()
        _register_citations(entry, actor=actor)
    return entry


@transaction.atomic
def update_entry(entry: FaqEntry, *, actor, **changes) -> FaqEntry:
    """Change an entry's content; citations are verified again. Once submitted or published, only a reviewer who
    may publish it edits it (an author withdraws it or waits for it to be returned, then submits it again)."""
    access.require(actor, "change", FaqEntry)
    if entry.status in (FaqStatus.SUBMITTED, FaqStatus.PUBLISHED) and not entry.workflow.allowed(
        _as_draft(entry), "publish", actor
    ):
        raise Conflict(
            "该常见问题待审核或已发布，不能直接修改：已发布的请先撤回，待审核的请等待审核人员退回后修改"
        )
    for name, value in changes.items():
        if name not in ENTRY_FIELDS:
            raise ValidationFailed(f"字段不可修改：{name}", fields={name: ["该字段不可修改"]})
        setattr(entry, name, value)
    _validate(entry)
    with audit.operation(QaAuditEvent.FAQ_UPDATED, obj=entry, actor=actor):
        entry.save()
        _register_citations(entry, actor=actor)
    return entry


# --- review (qa.models.WORKFLOW): an entry reaches the whole province, so a reviewer of that level publishes it ---


@transaction.atomic
def submit_entry(entry: FaqEntry, *, actor, comment: str = "") -> FaqEntry:
    """Send an entry to review (a county or city author's entry is a draft until a province reviewer publishes it)."""
    _validate(entry, publishing=True)  # what the reviewer gets must be publishable: citations resolved
    with audit.operation(QaAuditEvent.FAQ_SUBMITTED, obj=entry, actor=actor, detail=comment.strip()):
        workflow.transition(entry, "submit", actor=actor, comment=comment.strip())
    return entry


@transaction.atomic
def publish_entry(entry: FaqEntry, *, actor, comment: str = "") -> FaqEntry:
    """Review and publish an entry: the robot and the FAQ pages show it from now on."""
    if entry.status == FaqStatus.PUBLISHED:
        raise Conflict("该常见问题已发布")
    _validate(entry, publishing=True)
    with audit.operation(QaAuditEvent.FAQ_PUBLISHED, obj=entry, actor=actor, detail=comment.strip()):
        workflow.transition(entry, "publish", actor=actor, comment=comment.strip())
        entry.published_at = timezone.now()
        entry.save(update_fields=["published_at", "updated_at"])
    return entry


@transaction.atomic
def return_entry(entry: FaqEntry, *, actor, comment: str = "") -> FaqEntry:
    """Send a submitted entry back to its author with the reviewer's reason."""
    with audit.operation(QaAuditEvent.FAQ_RETURNED, obj=entry, actor=actor, detail=comment.strip()):
        workflow.transition(
            entry, "return", actor=actor, payload={"comment": comment}, comment=comment.strip()
        )
    return entry


@transaction.atomic
def withdraw_entry(entry: FaqEntry, *, actor, comment: str = "") -> FaqEntry:
    """Take a published entry off the public pages (kept, with its counts, for editing and a new review)."""
    if entry.status != FaqStatus.PUBLISHED:
        raise Conflict("只有已发布的常见问题可以撤回")
    with audit.operation(QaAuditEvent.FAQ_WITHDRAWN, obj=entry, actor=actor, detail=comment.strip()):
        workflow.transition(entry, "withdraw", actor=actor, comment=comment.strip())
    return entry


# The service behind each review step, by transition name: the pages and the API call these.
TRANSITION_SERVICES = {
    "submit": submit_entry,
    "publish": publish_entry,
    "return": return_entry,
    "withdraw": withdraw_entry,
}


def record_read(entry: FaqEntry) -> None:
    """Count one reading: a single UPDATE … SET read_count = read_count + 1, so concurrent reads all count."""
    # The base manager's update is one statement (the restricted queryset's would save row by row); the counters
    # are statistics, excluded from the trail (FaqEntry.audit_exclude).
    FaqEntry._base_manager.filter(pk=entry.pk).update(read_count=F("read_count") + 1)


@transaction.atomic
def record_feedback(entry: FaqEntry, *, helpful: bool, user=None, session_key: str = "") -> FaqFeedback:
    """One vote per signed-in user, else per browser session; a second vote is refused, never counted twice."""
    if entry.status != FaqStatus.PUBLISHED:
        raise Conflict("该常见问题未发布，不能评价")
    voter = (
        {"user": user} if user is not None and user.is_authenticated else {"session_key": session_key or ""}
    )
    if not voter.get("user") and not voter.get("session_key"):
        raise ValidationFailed("无法识别评价人，请启用 Cookie 后重试", fields={"__all__": ["无法识别评价人"]})
    try:
        # The operation is its own savepoint, so a second vote's IntegrityError leaves the transaction usable.
        with audit.operation(QaAuditEvent.FEEDBACK_RECORDED, obj=audit.NEW, actor=voter.get("user")):
            feedback = FaqFeedback.objects.create(entry=entry, helpful=helpful, **voter)
    except IntegrityError:
        raise Conflict("您已经评价过这个问题，感谢您的反馈") from None
    counter = "helpful_count" if helpful else "unhelpful_count"
    FaqEntry._base_manager.filter(pk=entry.pk).update(**{counter: F(counter) + 1})
    return feedback


# --- the starter set -----------------------------------------------------------------------------------------------


def read_faq_files(directory: Path = FAQ_DATA_DIR) -> list[dict]:
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


@transaction.atomic
def load_faq(rows: Iterable[dict], *, actor=None, source: str = "") -> dict:
    """Create or update entries by their `id` (idempotent), published, citations verified; one import entry.

    An entry whose citations do not resolve in the statute library is not loaded; it is listed under "rejected".
    """
    by_label = {label: value for value, label in Scenario.choices}
    existing = {e.code: e for e in FaqEntry.objects.all()}
    counts: dict = {"created": 0, "updated": 0, "unchanged": 0}
    problems: dict[str, list[str]] = {}
    for row in rows:
        code = row["id"]
        entry = existing.get(code) or FaqEntry(code=code, jurisdiction=province_code())
        before = {f: getattr(entry, f) for f in ENTRY_FIELDS} if entry.pk else None
        entry.scenario = by_label.get(row["scenario"], row["scenario"])
        entry.question = row["question"]
        entry.answer = row["answer"]
        entry.lawyer_opinion = row.get("lawyer_opinion", "")
        entry.citations = row.get("citations", [])
        entry.services = row.get("services", [])
        entry.keywords = row.get("keywords", [])
        if entry.status != FaqStatus.WITHDRAWN:  # staff withdrew it: a reload does not bring it back
            entry.status = FaqStatus.PUBLISHED
            entry.published_at = entry.published_at or timezone.now()
        try:
            _validate(entry)
        except ValidationFailed as exc:
            problems[code] = [m for messages in exc.fields.values() for m in messages]
            continue
        if before is not None and before == {f: getattr(entry, f) for f in ENTRY_FIELDS}:
            counts["unchanged"] += 1
            continue
        event = QaAuditEvent.FAQ_UPDATED if before is not None else QaAuditEvent.FAQ_CREATED
        with audit.operation(event, obj=entry, actor=actor):
            entry.save()
            _register_citations(entry, actor=actor)
        counts["updated" if before is not None else "created"] += 1
    counts["rejected"] = (
        problems  # entries whose citations do not resolve are left out, each with its reasons
    )
    audit.record(
        AuditEvent.DATA_IMPORTED,
        actor=actor,
        object_type="qa.faqentry",
        jurisdiction_code=province_code(),
        object_repr=f"{counts['created']} 新增 / {counts['updated']} 更新 / {len(problems)} 未通过",
        detail=f"来源：{source or '常见问题起步数据'}",
    )
    return counts
