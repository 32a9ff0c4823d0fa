"""Choices of the statute library, with the Chinese labels the national database uses."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class LawStatus(models.TextChoices):
    """时效性 of one version of a law, as published in the national database of laws and regulations."""

    IN_FORCE = "in_force", "现行有效"
    AMENDED = "amended", "已被修改"
    REPEALED = "repealed", "已废止"
    HISTORICAL = "historical", "历史版本"

    @classmethod
    def from_label(cls, text: str) -> "LawStatus":
        """The status for a Chinese label (现行有效 …) or an English value (in_force …)."""
        text = (text or "").strip()
        for status in cls:
            if text in (status.value, status.label):
                return status
        raise ValueError(f"未知的时效性：{text!r}（应为 现行有效/已被修改/已废止/历史版本）")


class CitationStatus(models.TextChoices):
    """What a citation check found."""

    VALID = "valid", "有效"
    AMENDED = "amended", "所引版本已被修改"
    NOT_IN_FORCE = "not_in_force", "已失效"
    NOT_FOUND = "not_found", "未找到"


class StatutesAuditEvent(AuditEventChoices):
    """The statute library's audit events (block 1600–1699)."""

    CITED_ARTICLES_FLAGGED = 1600, "发现规则所引法条已修改或失效"
    CITED_ARTICLE_ALERT_ACKNOWLEDGED = 1601, "确认法条变更提醒"
