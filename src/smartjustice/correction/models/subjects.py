"""社区矫正对象 and what surrounds them: family contacts and guardians, the 矫正小组, and transfers of the place of
execution between counties. The services in correction/subjects.py are the only writers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel

from ..choices import (
    UNDER_CORRECTION,
    ContactRelation,
    CorrectionCategory,
    Employment,
    FamilySituation,
    Gender,
    GroupRole,
    OffenceType,
    SubjectStatus,
    SupervisionLevel,
    TerminationReason,
)

# Correction staff of the executing county (the agency) and of the entrusted 司法所 read and handle the subject:
# the subject's jurisdiction is the station's town when a station is entrusted, else the county, so a town account
# sees only its 街道 and the county sees all its towns (core.access jurisdiction prefix). The subject reads their own.
SUBJECT_SCOPES = {
    "view": ("jurisdiction",),
    "add": ("jurisdiction",),
    "change": ("jurisdiction",),
}


class CorrectionSubject(DomainModel):
    """社区矫正对象: one person's term of community correction, from intake (入矫) to release (解矫) or termination."""

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    owner_field = "account"
    owner_actions = ("view",)
    access_scopes = SUBJECT_SCOPES
    pii_fields = ("id_number", "phone", "address")

    number = models.CharField("矫正编号", max_length=32, unique=True)
    name = models.CharField("姓名", max_length=64, db_index=True)
    id_number = models.CharField("身份证号码", max_length=18, db_index=True)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    phone = models.CharField("手机号码", max_length=11, blank=True)
    address = models.CharField("居住地", max_length=300, blank=True)
    # The subject's 粤矫通 login (a citizen portal account): they see only their own records through it.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="粤矫通账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correction_subject",
    )
    # The photo taken at intake: the reference image of the identity check (correction/identity.py).
    photo = models.ForeignKey(
        "core.Attachment",
        verbose_name="入矫照片",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    category = models.CharField("矫正类别", max_length=24, choices=CorrectionCategory.choices, db_index=True)
    offence = models.CharField("罪名", max_length=100)
    offence_type = models.CharField(
        "犯罪类型", max_length=16, choices=OffenceType.choices, default=OffenceType.OTHER
    )
    sentence = models.CharField("原判刑罚", max_length=200, blank=True)
    judgment_number = models.CharField("判决书（裁定书、决定书）文号", max_length=100)
    deciding_authority = models.CharField("社区矫正决定机关", max_length=100)
    judgment_effective_on = models.DateField("判决（裁定、决定）生效日期")
    prohibitions = models.TextField("禁止令内容", blank=True)
    starts_on = models.DateField("矫正起始日期")
    ends_on = models.DateField("矫正期满日期", db_index=True)

    agency = models.ForeignKey(
        "core.Organisation",
        verbose_name="社区矫正机构",
        on_delete=models.PROTECT,
        related_name="correction_subjects",
    )
    station = models.ForeignKey(
        "core.Organisation",
        verbose_name="受委托司法所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entrusted_correction_subjects",
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="执行地区划", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(
        "管理等级",
        max_length=16,
        choices=SupervisionLevel.choices,
        default=SupervisionLevel.ORDINARY,
        db_index=True,
    )
    status = models.CharField(
        "状态", max_length=16, choices=SubjectStatus.choices, default=SubjectStatus.ACTIVE, db_index=True
    )
    is_minor = models.BooleanField("未成年人", default=False)
    employment = models.CharField(
        "就业就学情况", max_length=16, choices=Employment.choices, default=Employment.EMPLOYED
    )
    family_situation = models.CharField(
        "家庭情况", max_length=16, choices=FamilySituation.choices, default=FamilySituation.STABLE
    )
    correction_plan = models.TextField("矫正方案", blank=True)
    # When the next report (check-in) is due under the level's schedule (rules.REPORTING_SCHEDULES): the
    # missed-report job reads this indexed column instead of scanning every subject's history.
    next_report_due_at = models.DateTimeField("下次报告截止时间", null=True, blank=True, db_index=True)

    intake_on = models.DateField("报到（接收）日期")
    released_on = models.DateField("解矫日期", null=True, blank=True)
    termination_reason = models.CharField(
        "终止原因", max_length=24, choices=TerminationReason.choices, blank=True
    )
    release_certificate_number = models.CharField("解除社区矫正证明书编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "社区矫正对象"
        verbose_name_plural = "社区矫正对象"
        ordering = ["-intake_on", "-id"]
        permissions = [("release_correctionsubject", "办理解除社区矫正和终止")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=models.Q(status__in=("active", "transferring")),
                name="correction_one_open_term_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="correction_term_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "next_report_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    def get_absolute_url(self) -> str:
        return reverse("correction:subject-detail", args=[self.pk])

    @property
    def under_correction(self) -> bool:
        return self.status in UNDER_CORRECTION


class SubjectContact(DomainModel):
    """A guardian or family member (第十二条第二款、第五十三条): who to call, who helps."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = SUBJECT_SCOPES
    pii_fields = ("phone", "address")

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="contacts"
    )
    relation = models.CharField("关系", max_length=16, choices=ContactRelation.choices)
    name = models.CharField("姓名", max_length=64)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    address = models.CharField("住址", max_length=300, blank=True)
    is_guardian = models.BooleanField("监护人", default=False)

    class Meta:
        verbose_name = "家庭成员和监护人"
        verbose_name_plural = "家庭成员和监护人"
        ordering = ["-is_guardian", "id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"


class CorrectionGroupMember(DomainModel):
    """A member of the subject's 矫正小组 (第二十五条)."""

    jurisdiction_field = "subject__jurisdiction"
    organisation_field = "subject__agency"
    access_scopes = SUBJECT_SCOPES
    pii_fields = ("phone",)

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="group_members"
    )
    role = models.CharField("身份", max_length=16, choices=GroupRole.choices)
    name = models.CharField("姓名", max_length=64)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    knows_minors = models.BooleanField("熟悉未成年人身心特点", default=False)

    class Meta:
        verbose_name = "矫正小组成员"
        verbose_name_plural = "矫正小组成员"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"
