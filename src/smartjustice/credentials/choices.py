"""States and purposes of e-certificates (stored values English, labels Chinese)."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "已暂停"
    REVOKED = "revoked", "已吊销"


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "吊销"
    SUSPENSION = "suspension", "暂停"


# What a verifier is told about a credential: the stored status, or "expired" once validUntil has passed; offline
# also "unverified" (no pinned trust anchors) and "status_not_current" (the status list is missing or too old).
VERIFICATION_LABELS = {
    "valid": "有效",
    "suspended": "已暂停",
    "revoked": "已吊销",
    "expired": "已过期",
    "not_yet_valid": "尚未生效",
    "invalid": "验证失败",
    "unverified": "未核验",
    "status_not_current": "状态不是最新",
}


class CredentialAuditEvent(AuditEventChoices):
    """Audit events of e-certificates (numbers 1300–1399; never renumbered)."""

    ISSUED = 1300, "签发证照"
    SUSPENDED = 1301, "暂停证照"
    REINSTATED = 1302, "恢复证照"
    REVOKED = 1303, "吊销证照"
    DISCLOSURE_LINK_CREATED = 1310, "创建披露链接"
    DISCLOSURE_LINK_WITHDRAWN = 1311, "撤回披露链接"
