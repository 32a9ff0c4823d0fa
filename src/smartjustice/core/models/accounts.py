"""Accounts: staff who belong to organisations with roles, and citizen/enterprise portal users."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

from ..choices import AccountKind
from ..validators import validate_citizen_id, validate_mobile, validate_uscc
from .base import AuditedModelMixin, RestrictedQuerySet


class Role(models.Model):
    """A named set of permissions (执法人员, 法制审核员 …); defined in core/data/roles.json, synced on migrate."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=64)
    description = models.CharField("说明", max_length=300, blank=True)
    permissions = models.JSONField("权限", default=list, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoUserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AuditedModelMixin, AbstractUser):
    """One login for every module: staff, citizens and enterprises."""

    jurisdiction_field = "jurisdiction"
    # Self-registered portal accounts have no jurisdiction: their home is the province (core.access), so province
    # administrators and auditors can find and disable them. Other accounts without one (a superuser) are not theirs.
    platform_owned_rows = {"kind__in": (AccountKind.CITIZEN, AccountKind.ENTERPRISE), "is_superuser": False}
    owner_field = "pk"
    owner_actions = ("view",)
    pii_fields = ("id_number", "phone")
    audit_exclude = ("last_login", "updated_at")
    audit_secret_fields = ("password",)

    kind = models.CharField(
        "账号类型", max_length=16, choices=AccountKind.choices, default=AccountKind.CITIZEN
    )
    real_name = models.CharField("姓名", max_length=64, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    # Staff: their organisation's jurisdiction (kept equal by services); portal users: where they live or are registered.
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_citizen_id])
    phone = models.CharField("手机号码", max_length=11, blank=True, validators=[validate_mobile])
    enterprise_name = models.CharField("企业名称", max_length=200, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc])
    title = models.CharField("职务", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = UserManager()

    class Meta:
        ordering = ["id"]
        verbose_name = "用户"
        verbose_name_plural = "用户"
        indexes = [models.Index(fields=["kind", "jurisdiction"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.enterprise_name or self.real_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == AccountKind.STAFF

    @property
    def is_portal_user(self) -> bool:
        return self.kind in (AccountKind.CITIZEN, AccountKind.ENTERPRISE)

    def role_codes(self) -> set[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = set(self.roles.values_list("code", flat=True)) if self.pk else set()
            self._role_codes = cached
        return cached
