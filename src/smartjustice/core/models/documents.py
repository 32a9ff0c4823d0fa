"""Numbering of official documents: one counter per prefix and year, incremented under a row lock."""

from django.db import models


class DocumentSequence(models.Model):
    """The last number issued for one document prefix (e.g. 天司公开) in one year."""

    prefix = models.CharField("文号前缀", max_length=32)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "文书编号序列"
        verbose_name_plural = "文书编号序列"
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="document_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}"
