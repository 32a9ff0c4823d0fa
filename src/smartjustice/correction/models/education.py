"""Education and help (教育帮扶, 《社区矫正法》第三十六条至第四十二条) and identity checks: learning tasks, the tasks
assigned to a subject, each attended learning session, and the identity check behind it (face matching against the
intake photo, or a live random-digit challenge kept for an officer's review). Written by correction/education.py
and correction/identity.py services only."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel

from .subjects import SUBJECT_SCOPES, CorrectionSubject


class LearningKind(models.TextChoices):
    """第三十六条 法治、道德教育; 第三十七条 职业技能培训; 第四十条 心理辅导; 第四十二条 公益活动."""

    LAW = "law", "法治教育"
    MORAL = "moral", "道德教育"
    PSYCHOLOGY = "psychology", "心理健康教育"
    VOCATIONAL = "vocational", "职业技能培训"
    PUBLIC_SERVICE = "public_service", "公益活动"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "待学习"
    IN_PROGRESS = "in_progress", "学习中"
    COMPLETED = "completed", "已完成"


class SessionStatus(models.TextChoices):
    OPEN = "open", "学习中"
    PENDING = "pending", "待身份复核"
    CREDITED = "credited", "已计入学时"
    NOT_CREDITED = "not_credited", "未计入学时"


class IdentityMethod(models.TextChoices):
    FACE = "face", "人脸比对"
    CHALLENGE = "challenge", "随机数字现场照片（人工复核）"


class IdentityStatus(models.TextChoices):
    ISSUED = "issued", "已发放数字，待提交照片"
    PENDING = "pending", "待人工复核"
    PASSED = "passed", "核验通过"
    REFUSED = "refused", "核验未通过"


class IdentityPurpose(models.TextChoices):
    LEARNING = "learning", "教育学习签到"
    CHECK_IN = "check_in", "报到"
    OTHER = "other", "其他身份核验"


# Tasks belong to the county agency (or 司法所) that made them; staff of the jurisdiction read and change them.
TASK_SCOPES = {"view": ("jurisdiction",), "add": ("jurisdiction",), "change": ("jurisdiction",)}

# A subject's records: the executing jurisdiction's staff, and the subject through their 粤矫通 account.
SESSION_SCOPES = {
    "view": ("jurisdiction:correction.view_learningassignment",),
    "add": ("jurisdiction:correction.change_learningassignment",),
    "change": ("jurisdiction:correction.change_learningassignment",),
}
IDENTITY_SCOPES = {
    "view": ("jurisdiction",),
    "add": ("jurisdiction:correction.change_identitycheck",),
    "change": ("jurisdiction",),
}


class LearningTask(DomainModel):
    """A learning task (教育学习任务): a course, a talk or a public-service activity worth some hours."""

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    access_scopes = TASK_SCOPES

    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=LearningKind.choices, db_index=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    content = models.TextField("内容", blank=True)
    agency = models.ForeignKey(
        "core.Organisation", verbose_name="发布机构", on_delete=models.PROTECT, related_name="+"
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField("可布置", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "教育学习任务"
        verbose_name_plural = "教育学习任务"
        ordering = ["-is_active", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="correction_task_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_kind_display()}，{self.hours}学时）"

    def get_absolute_url(self) -> str:
        return reverse("correction:education-task-detail", args=[self.pk])


class LearningAssignment(DomainModel):
    """A task assigned to one subject, with its due date and the hours credited so far."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    access_scopes = SUBJECT_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="learning"
    )
    task = models.ForeignKey(
        LearningTask, verbose_name="学习任务", on_delete=models.PROTECT, related_name="assignments"
    )
    due_on = models.DateField("完成期限")
    required_hours = models.DecimalField("应完成学时", max_digits=5, decimal_places=1)
    completed_hours = models.DecimalField("已计入学时", max_digits=5, decimal_places=1, default=Decimal("0"))
    status = models.CharField(
        "状态",
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
        db_index=True,
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="布置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "教育学习任务布置"
        verbose_name_plural = "教育学习任务布置"
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "task"], name="correction_task_assigned_once"),
        ]
        indexes = [models.Index(fields=["subject", "status"])]

    def __str__(self) -> str:
        return f"{self.subject.name}：{self.task.title}"

    def get_absolute_url(self) -> str:
        return reverse("correction:education-subject-record", args=[self.subject_id])

    @property
    def remaining_hours(self) -> Decimal:
        return max(self.required_hours - self.completed_hours, Decimal("0"))


class IdentityCheck(DomainModel):
    """One identity check of a subject: the face distance to the intake photo and the threshold it was held to, or a
    random-digit challenge whose live photo waits for an officer's review. `passed` is None while nothing is decided."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    access_scopes = IDENTITY_SCOPES

    subject = models.ForeignKey(
        CorrectionSubject,
        verbose_name="社区矫正对象",
        on_delete=models.CASCADE,
        related_name="identity_checks",
    )
    purpose = models.CharField("用途", max_length=16, choices=IdentityPurpose.choices)
    method = models.CharField("核验方式", max_length=16, choices=IdentityMethod.choices)
    status = models.CharField("状态", max_length=16, choices=IdentityStatus.choices, db_index=True)
    passed = models.BooleanField("通过", null=True, blank=True)
    # Face matching: the Euclidean distance between the 128-d face encodings (smaller = more alike) and the threshold
    # in force (rules.FACE_MATCH_THRESHOLD); passed when score <= threshold.
    score = models.FloatField("人脸特征距离", null=True, blank=True)
    threshold = models.FloatField("判定阈值", null=True, blank=True)
    model_name = models.CharField("比对模型", max_length=100, blank=True)
    challenge_digits = models.CharField("随机核验数字", max_length=8, blank=True)
    challenge_expires_at = models.DateTimeField("数字有效期至", null=True, blank=True)
    challenge_answer = models.CharField("对象输入的数字", max_length=8, blank=True)
    photo = models.ForeignKey(
        "core.Attachment",
        verbose_name="现场照片",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reason = models.CharField("结论说明", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)

    class Meta:
        verbose_name = "身份核验"
        verbose_name_plural = "身份核验"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["subject", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name} {self.get_method_display()}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("correction:identity-check-detail", args=[self.pk])


class LearningSession(DomainModel):
    """One attended learning session: started and ended with identity checks; its hours count only when every check
    passed (or an officer approved it)."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    owner_field = "subject__account"
    owner_actions = ("view",)
    access_scopes = SESSION_SCOPES

    assignment = models.ForeignKey(
        LearningAssignment, verbose_name="学习任务", on_delete=models.CASCADE, related_name="sessions"
    )
    subject = models.ForeignKey(
        CorrectionSubject,
        verbose_name="社区矫正对象",
        on_delete=models.CASCADE,
        related_name="learning_sessions",
    )
    started_at = models.DateTimeField("开始时间", db_index=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    identity_check = models.ForeignKey(
        IdentityCheck,
        verbose_name="开始时身份核验",
        on_delete=models.PROTECT,
        related_name="sessions_started",
    )
    end_check = models.ForeignKey(
        IdentityCheck,
        verbose_name="结束时身份核验",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions_ended",
    )
    status = models.CharField(
        "状态", max_length=16, choices=SessionStatus.choices, default=SessionStatus.OPEN, db_index=True
    )
    hours_attended = models.DecimalField(
        "学习时长（小时）", max_digits=5, decimal_places=1, default=Decimal("0")
    )
    hours_credited = models.DecimalField("计入学时", max_digits=5, decimal_places=1, default=Decimal("0"))
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "教育学习记录"
        verbose_name_plural = "教育学习记录"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["subject", "started_at"])]

    def __str__(self) -> str:
        return f"{self.subject.name} {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("correction:education-subject-record", args=[self.subject_id])
