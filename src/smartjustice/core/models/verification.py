"""Real-name verification of portal accounts: which ID number an account has proven it holds, how, by whom, when."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import DomainModel


class IdentityVerification(DomainModel):
    """A portal account proven to belong to the holder of `id_number` (core.verification; revoked, never deleted)."""

    jurisdiction_field = "jurisdiction"  # where it was verified: that service point's auditors see it
    owner_field = "user"
    owner_actions = ("view",)
    pii_fields = ("id_number",)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.PROTECT,
        related_name="identity_verifications",
    )
    id_number = models.CharField("已核验的身份证号码", max_length=18)
    method = models.CharField("核验方式", max_length=32)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction",
        verbose_name="核验地所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("核验时间")
    note = models.CharField("备注", max_length=300, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_reason = models.CharField("撤销原因", max_length=300, blank=True)

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = "实名核验"
        verbose_name_plural = "实名核验"
        constraints = [
            # One person, one verified account: an ID number is current on at most one account (partial unique
            # indexes work on SQLite and PostgreSQL alike); revoking frees it, e.g. when the account is closed.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(revoked_at__isnull=True),
                name="core_identity_verified_id_number_unique",
                violation_error_message="该身份证号码已由另一个账号完成实名核验",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="core_identity_one_current_verification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} 实名核验"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None
