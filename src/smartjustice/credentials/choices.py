"""States and purposes of e-certificates (stored values English, labels Chinese)."""

from django.db import models


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "已暂停"
    REVOKED = "revoked", "已吊销"


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "吊销"
    SUSPENSION = "suspension", "暂停"


# What a verifier is told about a credential: the stored status, or "expired" once validUntil has passed.
VERIFICATION_LABELS = {
    "valid": "有效",
    "suspended": "已暂停",
    "revoked": "已吊销",
    "expired": "已过期",
    "not_yet_valid": "尚未生效",
    "invalid": "验证失败",
}
