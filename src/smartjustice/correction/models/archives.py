"""矫正档案 (第二十二条: 建立档案): one folder per subject. An ArchiveItem files one thing in the folder — a judgment
uploaded at intake, a record, a generated document — with its retention date; what the other parts generate is
collected into the folder generically (correction/archives.py), so an ArchiveItem is needed only for what is filed
by hand or must carry its own retention."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartjustice.core.models import DomainModel

from .subjects import SUBJECT_SCOPES, CorrectionSubject


class ArchiveKind(models.TextChoices):
    JUDGMENT = "judgment", "法律文书（判决书、裁定书、决定书）"
    RECORD = "record", "监督管理记录"
    DOCUMENT = "document", "矫正文书"
    APPROVAL = "approval", "审批材料"
    OTHER = "other", "其他材料"


class ArchiveItem(DomainModel):
    """One item filed in a subject's archive folder, with the date until which it is kept."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="archive_items"
    )
    kind = models.CharField("材料类别", max_length=16, choices=ArchiveKind.choices)
    title = models.CharField("材料名称", max_length=200)
    attachment = models.ForeignKey(
        "core.Attachment",
        verbose_name="文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField("内容", blank=True)
    filed_on = models.DateField("归档日期")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="归档人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    retain_until = models.DateField("保管期限至", null=True, blank=True, db_index=True)
    disposed_on = models.DateField("到期处置日期", null=True, blank=True)

    class Meta:
        verbose_name = "矫正档案材料"
        verbose_name_plural = "矫正档案材料"
        ordering = ["subject", "filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"
