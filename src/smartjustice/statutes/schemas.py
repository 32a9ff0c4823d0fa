"""Out/Filter schemas of the statute library."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class LawOut(Schema):
    code: str = Field(..., description="稳定编号，用于永久链接")
    title: str
    doc_type: str
    level: str
    issuing_body: str
    publish_date: date | None
    effective_date: date | None
    version_date: date | None
    status: str = Field(..., description="in_force / amended / repealed / historical")
    status_label: str = Field(..., alias="get_status_display")
    department: str
    article_count: int
    url: str = Field(..., alias="get_absolute_url")


class LawFilter(Schema):
    q: str = Field("", description="名称包含")
    status: str = Field("", description="时效性：in_force / amended / repealed / historical")
    department: str = Field("", description="法律部门，如 行政法")
    doc_type: str = Field("", description="类型，如 法律、立法解释")


class TocSectionOut(Schema):
    title: str
    anchor: str


class TocChapterOut(Schema):
    title: str
    anchor: str
    sections: list[TocSectionOut]


class LawDetailOut(LawOut):
    source: str
    toc: list[TocChapterOut] = Field(default_factory=list, description="目录（章、节及其首条锚点）")
    versions: list[LawOut] = Field(default_factory=list, description="同一法律的全部版本，新版在前")


class ItemOut(Schema):
    number: int
    label: str
    text: str


class ParagraphOut(Schema):
    number: int
    text: str
    items: list[ItemOut]


class ArticleOut(Schema):
    id: int
    anchor: str = Field(..., description="永久链接中的条号，如 36、120-1")
    label: str = Field(..., description="中文条号，如 第三十六条")
    number: int = Field(..., description="阿拉伯数字条号")
    sub_number: int = Field(..., description="第N条之几")
    chapter: str
    section: str
    text: str
    url: str = Field(..., alias="get_absolute_url")


class ReferenceOut(Schema):
    id: int
    cited_by: str
    object_id: str
    object_repr: str
    object_url: str
    citation_text: str
    article_id: int | None
    stale: bool = Field(..., alias="is_stale", description="所引条文已不存在或已非现行有效")


class ArticleDetailOut(ArticleOut):
    law: LawOut
    paragraphs: list[ParagraphOut]
    cited_by: list[ReferenceOut] = Field(
        default_factory=list, alias="cited_by_list", description="平台中引用本条的记录（仅工作人员可见）"
    )


class SearchHitOut(Schema):
    article: ArticleOut
    law_code: str
    law_title: str
    law_status: str
    law_status_label: str
    snippet_html: str = Field(..., description="片段，命中词以 <mark> 标出（已转义）")


class SearchFilter(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="检索词，如 调解")
    status: str = Field("", description="只看某种时效性，如 in_force")
    department: str = Field("", description="法律部门")
    law: str = Field("", description="只在某部法律（编号）中检索")


class CitationCheckIn(Schema):
    text: str = Field(..., min_length=1, max_length=50000, description="含《法名》第N条引用的文本")


class CitationCheckOut(Schema):
    text: str = Field(..., description="原文中的引用文字")
    start: int
    end: int
    law: str = Field(..., description="书写的法律名称")
    article: int
    sub_number: int
    paragraph: int | None
    status: str = Field(..., description="valid / amended / not_in_force / not_found")
    status_label: str
    message: str
    notes: list[str]
    resolved: ArticleOut | None = Field(None, description="解析到的条文（可能在已失效的版本中）")
    resolved_law: LawOut | None = None


class ReferenceFilter(Schema):
    stale: bool | None = Field(None, description="true：只看所引条文已失效或不存在的引用")
    cited_by: str = Field("", description="引用方类型，如 enforcement.item")
