"""FAQ knowledge base: question/answer entries citing statute articles, and citizens' helpful/unhelpful votes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from smartjustice.core import access
from smartjustice.core.models import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from .choices import FaqStatus, Scenario

CHANGE = "qa.change_faqentry"
REVIEW = "qa.review_faqentry"


def province_code() -> str:
    return access.province_code()


def publication_scope(entry: FaqEntry) -> str:
    """The jurisdiction an entry is published to: the FAQ is one knowledge base for the whole province (the list,
    the robot and the API answer everyone alike), so every entry reaches the province."""
    return province_code()


def _reviewer_of_the_scope(entry: FaqEntry, actor) -> str | None:
    # An entry reaches everyone in its publication scope, so only a reviewer of that level may publish it: a
    # county or city author's entry waits for a province reviewer.
    if not access.may_act_in(actor, publication_scope(entry)):
        return "发布到全省的常见问题须由省级审核人员审核发布"
    return None


def _reason_given(entry: FaqEntry, actor, payload) -> str | None:
    if payload is not None and not str(payload.get("comment") or "").strip():
        return "请填写退回理由"
    return None


WORKFLOW = Workflow(
    name="faq_entry",
    initial=FaqStatus.DRAFT,
    states=[
        State(FaqStatus.DRAFT, FaqStatus.DRAFT.label),
        State(FaqStatus.SUBMITTED, FaqStatus.SUBMITTED.label),
        State(FaqStatus.RETURNED, FaqStatus.RETURNED.label),
        State(FaqStatus.PUBLISHED, FaqStatus.PUBLISHED.label),
        State(FaqStatus.WITHDRAWN, FaqStatus.WITHDRAWN.label),
    ],
    transitions=[
        Transition(
            "submit",
            "提交审核",
            (FaqStatus.DRAFT, FaqStatus.RETURNED, FaqStatus.WITHDRAWN),
            FaqStatus.SUBMITTED,
            permission=CHANGE,
        ),
        # A reviewer of the scope may also publish a draft of their own level directly: they are its review.
        Transition(
            "publish",
            "审核发布",
            (FaqStatus.SUBMITTED, FaqStatus.DRAFT, FaqStatus.RETURNED, FaqStatus.WITHDRAWN),
            FaqStatus.PUBLISHED,
            permission=REVIEW,
            guards=(_reviewer_of_the_scope,),
        ),
        Transition(
            "return",
            "退回修改",
            (FaqStatus.SUBMITTED,),
            FaqStatus.RETURNED,
            permission=REVIEW,
            guards=(_reviewer_of_the_scope, _reason_given),
            style="secondary",
        ),
        Transition(
            "withdraw", "撤回", (FaqStatus.PUBLISHED,), FaqStatus.WITHDRAWN, permission=CHANGE, style="danger"
        ),
    ],
)


class FaqEntry(DomainModel):
    """One common legal question with a plain answer, a standard lawyer's opinion and the articles it rests on."""

    workflow = WORKFLOW
    # Who may edit: staff with qa.change_faqentry in the entry's jurisdiction and above (the starter set belongs to
    # the province). Reading published entries is public and needs no restriction (queries.published_entries).
    jurisdiction_field = "jurisdiction"
    # Counters change on every read and vote; they are statistics, not edits, so they stay out of the trail.
    audit_exclude = ("updated_at", "read_count", "helpful_count", "unhelpful_count")

    code = models.CharField("编号", max_length=32, unique=True)
    jurisdiction = models.CharField("发布区划代码", max_length=12, default=province_code, db_index=True)
    scenario = models.CharField("场景分类", max_length=32, choices=Scenario.choices, db_index=True)
    question = models.CharField("问题", max_length=200)
    answer = models.TextField("解答")
    lawyer_opinion = models.TextField("律师意见", blank=True)
    # [{"law": "中华人民共和国劳动合同法", "article": 82}, …] — law name as in the statute library, article number
    # as an integer; verified against the library by services.verify_citations on every save.
    citations = models.JSONField("引用法条", default=list, blank=True)
    services = models.JSONField("推荐服务", default=list, blank=True)  # codes from qa.next_steps
    keywords = models.JSONField("关键词", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=WORKFLOW.choices, default=WORKFLOW.initial, db_index=True
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    read_count = models.PositiveIntegerField("阅读次数", default=0)
    helpful_count = models.PositiveIntegerField("有帮助", default=0)
    unhelpful_count = models.PositiveIntegerField("没帮助", default=0)

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"
        ordering = ["scenario", "code"]
        permissions = [("review_faqentry", "审核发布常见问题")]

    def __str__(self) -> str:
        return f"{self.code} {self.question}"

    def get_absolute_url(self) -> str:
        return reverse("qa:faq-detail", args=[self.pk])

    @classmethod
    def prepare_page(cls, entries: list[FaqEntry]) -> list[FaqEntry]:
        """Resolve the citation links of a whole page of entries in one query (see core.pagination)."""
        from .library import citation_links

        links = citation_links((c["law"], c["article"]) for e in entries for c in e.citations)
        for entry in entries:
            entry._citation_links = links
        return entries

    @property
    def linked_citations(self) -> list[dict]:
        """The citations with the URL of the article each leads to ('' when it is gone)."""
        from .library import citation_links

        links = getattr(self, "_citation_links", None)
        if links is None:
            links = self._citation_links = citation_links((c["law"], c["article"]) for c in self.citations)
        return [{**c, "url": links.get((c["law"], c["article"]), "")} for c in self.citations]


class FaqFeedback(DomainModel):
    """One person's helpful/unhelpful vote on one entry: a signed-in user, else the browser session, votes once."""

    jurisdiction_field = "entry__jurisdiction"
    owner_field = "user"

    entry = models.ForeignKey(
        FaqEntry, verbose_name="常见问题", on_delete=models.CASCADE, related_name="feedback"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    session_key = models.CharField("会话标识", max_length=64, blank=True)
    helpful = models.BooleanField("是否有帮助")

    class Meta:
        verbose_name = "常见问题评价"
        verbose_name_plural = "常见问题评价"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"], condition=Q(user__isnull=False), name="qa_feedback_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["entry", "session_key"],
                condition=Q(user__isnull=True) & ~Q(session_key=""),
                name="qa_feedback_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="qa_feedback_has_voter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.code} {'有帮助' if self.helpful else '没帮助'}"
