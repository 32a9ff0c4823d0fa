"""变更执行地 (第二十七条第二款): the handover of a subject from one county's correction agency to another's.

The receiving county decides (accept or refuse); both sides see the record: the receiving jurisdiction through the
jurisdiction scope (`to_jurisdiction`), the sending agency through the organisation scope (`from_agency`), so the
handover stays visible to the county that let the subject go. The services in correction/subjects.py write it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from smartjustice.core.models import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from .subjects import CorrectionSubject

DECIDE_TRANSFER = "correction.decide_subjecttransfer"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "待接收"
    ACCEPTED = "accepted", "已接收"
    REFUSED = "refused", "不予接收"


def _reason_given(transfer, actor, payload=None) -> str | None:
    if payload is not None and "note" in payload and not str(payload.get("note") or "").strip():
        return "请填写不予接收的理由"
    return None


TRANSFER_WORKFLOW = Workflow(
    name="correction.transfer",
    initial=TransferStatus.REQUESTED,
    states=[
        State(TransferStatus.REQUESTED, TransferStatus.REQUESTED.label),
        State(TransferStatus.ACCEPTED, TransferStatus.ACCEPTED.label, final=True),
        State(TransferStatus.REFUSED, TransferStatus.REFUSED.label, final=True),
    ],
    transitions=[
        Transition(
            "accept", "接收", (TransferStatus.REQUESTED,), TransferStatus.ACCEPTED, permission=DECIDE_TRANSFER
        ),
        Transition(
            "refuse",
            "不予接收",
            (TransferStatus.REQUESTED,),
            TransferStatus.REFUSED,
            permission=DECIDE_TRANSFER,
            guards=(_reason_given,),
            style="danger",
        ),
    ],
)


class SubjectTransfer(DomainModel):
    """One change of the place of execution: requested by the sending agency, decided by the receiving county."""

    workflow = TRANSFER_WORKFLOW
    jurisdiction_field = "to_jurisdiction"
    organisation_field = "from_agency"
    access_scopes = {
        "view": ("jurisdiction", "organisation"),
        "add": ("jurisdiction", "organisation"),
        "change": ("jurisdiction",),
    }

    subject = models.ForeignKey(
        CorrectionSubject, verbose_name="社区矫正对象", on_delete=models.CASCADE, related_name="transfers"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=TRANSFER_WORKFLOW.choices,
        default=TRANSFER_WORKFLOW.initial,
        db_index=True,
    )
    from_agency = models.ForeignKey(
        "core.Organisation", verbose_name="原社区矫正机构", on_delete=models.PROTECT, related_name="+"
    )
    from_station = models.ForeignKey(
        "core.Organisation",
        verbose_name="原受委托司法所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="原执行地区划", on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "core.Organisation", verbose_name="变更后的社区矫正机构", on_delete=models.PROTECT, related_name="+"
    )
    to_station = models.ForeignKey(
        "core.Organisation",
        verbose_name="变更后的受委托司法所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="变更后的执行地区划", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("变更理由", max_length=500)
    new_address = models.CharField("新居住地", max_length=300)
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField("决定意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "变更执行地"
        verbose_name_plural = "变更执行地"
        ordering = ["-requested_on", "-id"]
        permissions = [("decide_subjecttransfer", "决定接收变更执行地的社区矫正对象")]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(status="requested"),
                name="correction_one_open_transfer_per_subject",
            )
        ]
        indexes = [
            models.Index(fields=["to_jurisdiction", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name} 变更执行地至{self.to_agency.name}"

    def get_absolute_url(self) -> str:
        return reverse("correction:transfer-detail", args=[self.pk])
