"""Administrative divisions (GB/T 2260 / statistical 12-digit codes), five levels."""

from django.db import models

from ..choices import JurisdictionLevel
from ..divisions import SIGNIFICANT_DIGITS  # 44 / 4401 / 440106 / 440106001 / 440106001001

CODE_LENGTH = 12


def code_bounds(code: str, level: int) -> tuple[str, str]:
    """The inclusive code range of a division and everything below it: one indexed range scan."""
    prefix = code[: SIGNIFICANT_DIGITS[level]]
    return prefix.ljust(CODE_LENGTH, "0"), prefix.ljust(CODE_LENGTH, "9")


class Jurisdiction(models.Model):
    """A division of the province, identified by its 12-digit statistical code (reference data)."""

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    full_name = models.CharField("全称", max_length=200, blank=True)
    level = models.PositiveSmallIntegerField("层级", choices=JurisdictionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        indexes = [models.Index(fields=["parent", "code"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def prefix(self) -> str:
        return self.code[: SIGNIFICANT_DIGITS[self.level]]

    def bounds(self) -> tuple[str, str]:
        return code_bounds(self.code, self.level)

    def contains(self, code: str | None) -> bool:
        return bool(code) and code.startswith(self.prefix)
