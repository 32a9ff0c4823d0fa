"""Organisations of the justice system and the agencies it works with, each in a jurisdiction."""

from django.core.exceptions import ValidationError
from django.db import models

from ..choices import EnforcementDomain, OrganisationKind, WorkDomain
from ..validators import validate_uscc
from .base import DomainModel


def validate_domains(value) -> None:
    """A list of WorkDomain codes."""
    if not isinstance(value, list) or any(code not in WorkDomain.values for code in value):
        raise ValidationError("业务领域须为已定义的领域代码列表")


class Organisation(DomainModel):
    """A typed organisation (司法局, 司法所, 公证处, 行政执法主体 …) attached to a jurisdiction."""

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=32, choices=OrganisationKind.choices, db_index=True)
    enforcement_domain = models.CharField(
        "执法领域", max_length=32, choices=EnforcementDomain.choices, blank=True
    )
    # The domains the organisation works in (besides enforcement_domain): the "domain" access scope reads them.
    domains = models.JSONField("业务领域", default=list, blank=True, validators=[validate_domains])
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc])
    address = models.CharField("办公地址", max_length=300, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["jurisdiction_id", "id"]
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"], name="organisation_unique_name_in_jurisdiction"
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "kind"])]

    def __str__(self) -> str:
        return self.name
