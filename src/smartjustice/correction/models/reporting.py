"""Daily supervision: the subject's check-ins (报到、报告) and what officers record about them (走访、谈话、电话联系、信息化
核查). Written by correction/reporting.py services only; each check-in is appended to the ledger and carries the
receipt the subject downloads (correction/receipts.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel

from .subjects import SUBJECT_SCOPES, CorrectionSubject


class CheckInChannel(models.TextChoices):
    """How the subject reported (the hub's daily_report `kind` follows from it: HUB_KIND)."""

    APP = "app", "粤矫通手机报到"
    KIOSK = "kiosk", "司法所自助终端报到"
    IN_PERSON = "in_person", "当面报到"
    PHONE_CALL = "phone_call", "电话报告"


class SupervisionRecordKind(models.TextChoices):
    """第二十六条: how an officer verifies the subject's situation."""

    VISIT = "visit", "实地查访（走访）"
    TALK = "talk", "个别谈话"
    PHONE = "phone", "电话联系"
    INFORMATION_CHECK = "information_check", "信息化核查"


# Staff of the executing jurisdiction read and record; the subject reads their own check-ins through their account.
class CheckIn(DomainModel):
    """One report (报到) of a subject: when, how, where (optional), a photo and a short report; the due time it met
    and its ledger entry (tamper evidence: the subject's receipt verifies offline)."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="check_ins"
    )
    channel = models.CharField("报到方式", max_length=16, choices=CheckInChannel.choices)
    checked_at = models.DateTimeField("报到时间", db_index=True)
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    accuracy_m = models.FloatField("定位精度（米）", null=True, blank=True)
    photo = models.ForeignKey(
        "core.Attachment",
        verbose_name="现场照片",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.TextField("情况报告", blank=True)
    # The identity check made for this report (helper F: face match or a live challenge kept for review).
    identity_check = models.ForeignKey(
        "correction.IdentityCheck",
        verbose_name="身份核验记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The report period this check-in met: the subject's next_report_due_at when it was made.
    due_at = models.DateTimeField("本次报告截止时间", null=True, blank=True)
    late = models.BooleanField("逾期报告", default=False)
    next_due_at = models.DateTimeField("下次报告截止时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ledger_log = models.CharField("存证日志", max_length=100, blank=True)
    ledger_index = models.BigIntegerField("存证序号", null=True, blank=True)
    ledger_entry_id = models.BigIntegerField("存证条目", null=True, blank=True)
    # The receipt (JSON text, correction/receipts.py): the receipt facts, the ledger inclusion proof and the
    # platform's signature. Made once, when the check-in is recorded; the download serves it as it is.
    receipt = models.TextField("报到回执", blank=True)

    class Meta:
        verbose_name = "报到记录"
        verbose_name_plural = "报到记录"
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["subject", "checked_at"])]

    def __str__(self) -> str:
        return f"{self.subject.name} {self.get_channel_display()}（{self.checked_at:%Y-%m-%d %H:%M}）"

    def get_absolute_url(self) -> str:
        return reverse("correction:check-in-detail", args=[self.pk])


class SupervisionRecord(DomainModel):
    """An officer's 走访、谈话、电话联系 or 信息化核查 of a subject (第二十六条): when, with whom, what was found."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject,
        verbose_name="社区矫正对象",
        on_delete=models.CASCADE,
        related_name="supervision_records",
    )
    kind = models.CharField("方式", max_length=24, choices=SupervisionRecordKind.choices)
    occurred_at = models.DateTimeField("时间", db_index=True)
    place = models.CharField("地点", max_length=200, blank=True)
    participants = models.CharField("参与人员", max_length=200, blank=True)
    summary = models.TextField("情况记录")
    findings_ok = models.BooleanField("未发现异常", default=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "日常监管记录"
        verbose_name_plural = "日常监管记录"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.subject.name} {self.get_kind_display()}（{self.occurred_at:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("correction:visit-detail", args=[self.pk])
