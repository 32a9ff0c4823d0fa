"""Files attached to records (application materials, generated documents), stored by content with two digests."""

from django.apps import apps
from django.conf import settings
from django.db import models

from .base import DomainModel


class Attachment(DomainModel):
    """One stored file: content-addressed path, SHA-256 and SM3 digests, who uploaded it, and the record it belongs to.

    Access follows the owning record: whoever may view the owner may view its attachments (core.attachments).
    """

    jurisdiction_field = "jurisdiction_code"
    owner_field = "uploaded_by"
    owner_actions = ("view",)

    file = models.FileField("文件", max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256 摘要", max_length=64, db_index=True)
    sm3 = models.CharField("SM3 摘要", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A generic link (app_label.model_name + primary key) so any module can attach files to its records.
    owner_type = models.CharField("所属对象类型", max_length=100, blank=True)
    owner_id = models.CharField("所属对象ID", max_length=64, blank=True)
    purpose = models.CharField("用途", max_length=64, blank=True)
    document_number = models.CharField("文书编号", max_length=64, blank=True)
    jurisdiction_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name

    def owner_object(self):
        """The record this file belongs to, or None (unknown type or deleted)."""
        if not self.owner_type or not self.owner_id:
            return None
        try:
            model = apps.get_model(self.owner_type)
        except (LookupError, ValueError):
            return None
        return model._base_manager.filter(pk=self.owner_id).first()
