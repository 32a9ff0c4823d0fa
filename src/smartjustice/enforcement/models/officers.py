"""Enforcement officers (行政执法人员): the staff account, the agency, the domains and area they enforce in, their
training, and the 行政执法证 issued to them through the credential service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.models.base import DomainModel


def validate_enforcement_domains(value) -> None:
    """A non-empty list of EnforcementDomain codes."""
    if not isinstance(value, list) or not value or any(c not in EnforcementDomain.values for c in value):
        raise ValidationError("执法领域须为已定义的执法领域代码列表")


def validate_training_hours(value) -> None:
    """{"2026": 40, …}: training hours per calendar year."""
    if not isinstance(value, dict) or any(
        not (isinstance(year, str) and year.isdigit() and len(year) == 4)
        or not isinstance(hours, int)
        or not 0 <= hours <= 2000
        for year, hours in value.items()
    ):
        raise ValidationError("培训学时须按年份记录为0至2000之间的整数")


class EnforcementOfficer(DomainModel):
    """A 行政执法人员 of one 行政执法主体, eligible for cases while their 行政执法证 is valid."""

    jurisdiction_field = "jurisdiction"
    organisation_field = "agency"
    access_scopes = {
        "view": ("jurisdiction",),
        "add": ("organisation",),
        "change": ("organisation",),
    }

    user = models.OneToOneField(
        "core.User", verbose_name="工作人员", on_delete=models.PROTECT, related_name="enforcement_officer"
    )
    agency = models.ForeignKey(
        "core.Organisation",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="enforcement_officers",
    )
    domains = models.JSONField("执法领域", default=list, validators=[validate_enforcement_domains])
    # The area the certificate is valid in (执法区域): a division and everything below it.
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="执法区域", on_delete=models.PROTECT, related_name="+"
    )
    credential = models.ForeignKey(
        "credentials.Credential",
        verbose_name="行政执法证",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    training_hours = models.JSONField(
        "年度培训学时", default=dict, blank=True, validators=[validate_training_hours]
    )
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        ordering = ["jurisdiction_id", "id"]
        verbose_name = "行政执法人员"
        verbose_name_plural = "行政执法人员"
        indexes = [models.Index(fields=["jurisdiction", "agency"])]

    def __str__(self) -> str:
        return self.user.display_name

    def hours_in(self, year: int) -> int:
        """Training hours recorded for `year`."""
        return int(self.training_hours.get(str(year), 0))
