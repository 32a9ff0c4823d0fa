"""Personal API tokens for the API and mobile clients: shown once, stored hashed, revocable, expiring."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import DomainModel


class ApiToken(DomainModel):
    """A personal access token; only its SHA-256 digest is stored."""

    jurisdiction_field = (
        "user__jurisdiction"  # scopes its audit entries; no role grants access to others' tokens
    )
    owner_field = "user"
    owner_actions = ("view", "change")
    audit_secret_fields = ("key_digest",)
    audit_exclude = ("updated_at", "last_used_at")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途说明", max_length=100)
    key_id = models.CharField("令牌标识", max_length=16, unique=True)
    key_digest = models.CharField("令牌摘要", max_length=64)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "访问令牌"
        verbose_name_plural = "访问令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.key_id}）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.revoked_at:
            return "已吊销"
        return "有效" if self.expires_at > timezone.now() else "已过期"
