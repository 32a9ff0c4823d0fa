"""Laws, their articles down to paragraph (款) and item (项), the search index, and who cites which article.

Laws are public reference data, the same for every jurisdiction: they are not scoped to a jurisdiction and are
written only by the import (one DATA_IMPORTED audit entry per run), not row by row.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from smartjustice.core.citations import chinese_numeral
from smartjustice.core.models.base import DomainModel

from .choices import CitationStatus, LawStatus


class Law(models.Model):
    """One version of a law or regulation (a law with older versions has one row per version)."""

    code = models.SlugField("编号", max_length=64, unique=True, help_text="来源中的稳定编号，用于永久链接")
    source = models.CharField("来源", max_length=64)
    title = models.CharField("名称", max_length=300, db_index=True)
    doc_type = models.CharField("类型", max_length=32, blank=True)
    level = models.CharField("效力级别", max_length=32, blank=True)
    issuing_body = models.CharField("制定机关", max_length=200, blank=True)
    publish_date = models.DateField("公布日期", null=True, blank=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    version_date = models.DateField("版本日期", null=True, blank=True)
    status = models.CharField("时效性", max_length=16, choices=LawStatus.choices, db_index=True)
    department = models.CharField("法律部门", max_length=64, blank=True, db_index=True)
    article_count = models.PositiveIntegerField("条文数", default=0)
    content_hash = models.CharField("内容摘要", max_length=64, editable=False)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律法规"
        ordering = ["title", "-version_date"]
        indexes = [models.Index(fields=["title", "version_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statutes:law", args=[self.code])

    @property
    def is_in_force(self) -> bool:
        return self.status == LawStatus.IN_FORCE

    @property
    def version_label(self) -> str:
        when = self.version_date or self.publish_date
        return f"{when:%Y-%m-%d} 版" if when else "未注明日期的版本"


class Article(models.Model):
    """One article (条) of a law version, with its chapter and section and its number in both notations."""

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles", verbose_name="法律法规")
    sequence = models.PositiveIntegerField("顺序")
    number = models.PositiveIntegerField("条号", help_text="阿拉伯数字；全文类文件为 0")
    sub_number = models.PositiveSmallIntegerField("之几", default=0, help_text="第一百二十条之一 → 1")
    label = models.CharField("条号（中文）", max_length=32)
    anchor = models.CharField("锚点", max_length=32, help_text="永久链接中的条号，如 36、120-1")
    chapter = models.CharField("章", max_length=200, blank=True)
    section = models.CharField("节", max_length=200, blank=True)
    text = models.TextField("条文")

    class Meta:
        verbose_name = verbose_name_plural = "法条"
        ordering = ["law", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["law", "anchor"], name="statutes_article_anchor_unique")
        ]
        indexes = [models.Index(fields=["law", "number", "sub_number"])]

    def __str__(self) -> str:
        return f"《{self.law.title}》{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("statutes:article", args=[self.law.code, self.anchor])

    @property
    def citation_text(self) -> str:
        return str(self)


class Paragraph(models.Model):
    """A paragraph (款) of an article: its own sentence(s), with any items (项) listed under it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField("款号")
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "款"
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="statutes_paragraph_number_unique")
        ]

    def __str__(self) -> str:
        return f"第{chinese_numeral(self.number)}款"


class Item(models.Model):
    """An item (项) of a paragraph: （一）（二）…"""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField("项号")
    label = models.CharField("项号（中文）", max_length=16)
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "项"
        ordering = ["paragraph", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "number"], name="statutes_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"第{self.label}项"


class SearchEntry(models.Model):
    """An article's text segmented into words (jieba), indexed by SQLite FTS5 or a PostgreSQL GIN index."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="search")
    tokens = models.TextField("分词")

    class Meta:
        verbose_name = verbose_name_plural = "全文索引"


class ArticleReference(models.Model):
    """A record elsewhere in the platform citing an article (a rule, an enforcement item, an FAQ entry …)."""

    cited_by = models.CharField("引用方类型", max_length=100, help_text="如 enforcement.item、qa.faq")
    object_id = models.CharField("引用方编号", max_length=64)
    object_repr = models.CharField("引用方名称", max_length=200, blank=True)
    object_url = models.CharField("引用方链接", max_length=300, blank=True)
    citation_text = models.CharField("引用文字", max_length=300)
    law_title = models.CharField("法律名称", max_length=300)
    article_number = models.PositiveIntegerField("条号")
    article_sub_number = models.PositiveSmallIntegerField("之几", default=0)
    paragraph = models.PositiveSmallIntegerField("款号", null=True, blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="references",
        verbose_name="所引法条",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法条引用"
        ordering = ["cited_by", "object_id", "id"]
        indexes = [models.Index(fields=["cited_by", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_repr or self.cited_by + '#' + self.object_id} → {self.citation_text}"

    @property
    def is_stale(self) -> bool:
        """The cited article no longer exists, or its law version is no longer 现行有效."""
        return self.article is None or self.article.law.status != LawStatus.IN_FORCE


class CitedArticleAlert(DomainModel):
    """A registered rule whose cited article was amended, repealed or removed, flagged until an administrator
    acknowledges it (the periodic job statutes.cited_articles writes these)."""

    # Rules are the platform's own code, so their alerts belong to the platform (the province): always empty.
    jurisdiction_code = models.CharField("所属区划", max_length=12, blank=True, editable=False)
    jurisdiction_field: ClassVar[str | None] = "jurisdiction_code"
    organisation_field: ClassVar[str | None] = None
    access_scopes: ClassVar[dict[str, tuple[str, ...]]] = {"*": ("platform",)}

    rule_key = models.CharField(
        "规则", max_length=150, help_text="所属模块.规则代码，如 govinfo.answer_period"
    )
    module = models.CharField("所属模块", max_length=64)
    rule_summary = models.CharField("规则内容", max_length=500)
    citation_text = models.CharField("所引条文", max_length=300)
    status = models.CharField("核验结果", max_length=16, choices=CitationStatus.choices)
    law_code = models.CharField("所引版本编号", max_length=64, blank=True)
    law_status = models.CharField("时效性", max_length=16, choices=LawStatus.choices, blank=True)
    message = models.CharField("说明", max_length=500)
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name="所引法条",
    )
    detected_at = models.DateTimeField("发现时间", default=timezone.now)
    resolved_at = models.DateTimeField(
        "已消除时间", null=True, blank=True, help_text="再次核验时该条已现行有效，或情况已变化"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("处理说明", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法条变更提醒"
        ordering = ["-detected_at", "rule_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_key", "citation_text", "status", "law_code"],
                name="statutes_alert_once_per_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_key} → {self.citation_text}（{self.get_status_display()}）"

    @property
    def is_open(self) -> bool:
        """Still to be looked at: not acknowledged and the change not gone away."""
        return self.acknowledged_at is None and self.resolved_at is None
