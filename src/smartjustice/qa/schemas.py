"""In/Out/Filter schemas of 法宝宝 and the FAQ knowledge base."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from ninja import Field, Schema

from smartjustice.core.schemas import PatchSchema

from . import library, next_steps
from .models import FaqEntry


class AskIn(Schema):
    question: str = Field(..., description="用日常语言描述的法律问题（不超过 500 字）")


class CitedArticleOut(Schema):
    id: int
    law: str = Field(..., description="法律法规名称")
    article_number: int = Field(..., description="条号（阿拉伯数字）")
    article_label: str = Field(..., description="条号，如 第三十条")
    text: str = Field(..., description="条文")
    url: str = Field(..., description="法条永久链接")
    status: str = Field(..., description="时效性")
    matched: list[str] = Field(..., description="问题中与该条匹配的词")
    score: float


class FaqMatchOut(Schema):
    id: int
    code: str
    question: str
    scenario: str
    scenario_label: str
    answer: str
    url: str
    score: float


class NextStepOut(Schema):
    code: str = Field(..., description="服务代码，如 legal_aid、mediation")
    label: str = Field(..., description="服务名称")
    description: str
    provider: str = Field(..., description="platform：本平台办理；referral：指引到其他部门")
    url: str = Field(..., description="办理入口（平台页面或电话链接）")
    recommended: bool = Field(..., description="是否由匹配的常见问题推荐")


class AnswerOut(Schema):
    question: str
    articles: list[CitedArticleOut]
    faq: list[FaqMatchOut]
    next_steps: list[NextStepOut]
    disclaimer: str
    elapsed_ms: float


class CitationIn(Schema):
    law: str = Field(..., max_length=300, description="法律法规全称，如 中华人民共和国劳动合同法")
    article: int = Field(..., ge=1, le=9999, description="条号（阿拉伯数字）")


class CitationOut(Schema):
    law: str
    article: int
    label: str
    url: str

    @staticmethod
    def resolve_label(obj) -> str:
        from smartjustice.core.citations import Citation

        return str(Citation(obj["law"], obj["article"]))

    @staticmethod
    def resolve_url(obj) -> str:
        return obj["url"] if "url" in obj else library.citation_link(obj["law"], obj["article"])


class ServiceOut(Schema):
    code: str
    label: str
    url: str


class FaqEntryOut(Schema):
    id: int
    code: str
    scenario: str
    scenario_label: str = Field(..., alias="get_scenario_display")
    question: str
    answer: str
    lawyer_opinion: str
    citations: list[CitationOut] = Field(..., alias="linked_citations")
    services: list[ServiceOut]
    keywords: list[str]
    status: str
    status_label: str = Field(..., alias="get_status_display")
    published_at: datetime | None
    read_count: int
    helpful_count: int
    unhelpful_count: int

    @staticmethod
    def resolve_services(obj) -> list[dict]:
        return [
            {"code": c, "label": next_steps.service_label(c), "url": next_steps.link_for(c)}
            for c in obj.services
        ]


class FaqEntryIn(Schema):
    scenario: str = Field(..., description="场景分类代码，如 labour、marriage_family")
    question: str = Field(..., max_length=200)
    answer: str
    lawyer_opinion: str = ""
    citations: list[CitationIn] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list, description="推荐服务代码")
    keywords: list[str] = Field(default_factory=list)


class FaqEntryPatch(PatchSchema):
    patch_model: ClassVar = FaqEntry

    scenario: str | None = None
    question: str | None = Field(None, max_length=200)
    answer: str | None = None
    lawyer_opinion: str | None = None
    citations: list[CitationIn] | None = None
    services: list[str] | None = None
    keywords: list[str] | None = None


class FaqFilter(Schema):
    scenario: str = Field("", description="场景分类代码")
    q: str = Field("", max_length=100, description="搜索词")
    service: str = Field("", description="推荐服务代码")


class FaqManageFilter(Schema):
    scenario: str = ""
    status: str = Field("", description="draft/published/withdrawn")
    q: str = Field("", max_length=100)


class FaqStepIn(Schema):
    """A review step's input (submit / publish / withdraw): a comment kept in the review record."""

    comment: str = Field("", max_length=500, description="意见（可不填）")


class FaqReturnIn(Schema):
    """Returning an entry to its author: the reason is required (qa.models._reason_given)."""

    comment: str = Field(..., min_length=1, max_length=500, description="退回理由")


# The input of each review step (core.workflow_api): the API's generated endpoints and the edit page's buttons.
TRANSITION_INPUTS = {
    "submit": FaqStepIn,
    "publish": FaqStepIn,
    "return": FaqReturnIn,
    "withdraw": FaqStepIn,
}


class FeedbackIn(Schema):
    helpful: bool = Field(..., description="true：有帮助；false：没帮助")


class FeedbackOut(Schema):
    entry_id: int
    helpful: bool
    helpful_count: int
    unhelpful_count: int
