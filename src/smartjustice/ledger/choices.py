from django.db import models

from smartjustice.core.choices import AuditEventChoices


class HashAlgorithm(models.TextChoices):
    SM3 = "sm3", "SM3（GB/T 32905）"
    SHA256 = "sha256", "SHA-256"


class SignatureAlgorithm(models.TextChoices):
    SM2 = "sm2", "SM2（GB/T 32918）"
    ED25519 = "ed25519", "Ed25519"


class KeyStatus(models.TextChoices):
    ACTIVE = "active", "使用中"
    RETIRED = "retired", "已停用"


class LedgerAuditEvent(AuditEventChoices):
    """Audit events of the evidence ledger (numbers 1200–1299; never renumbered)."""

    LOG_CREATED = 1200, "创建存证日志"
    CHECKPOINT_SIGNED = 1201, "签发检查点"
    WITNESS_ADDED = 1202, "登记见证方"
    WITNESS_CHANGED = 1203, "修改见证方"
    KEY_ROTATED = 1204, "轮换签名密钥"
