"""E-certificates (W3C Verifiable Credentials 2.0), their status lists and the holder's disclosure links."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from smartjustice.core.models.base import DomainModel
from smartjustice.core.workflow import State, Transition, Workflow

from .choices import CredentialStatus, StatusPurpose
from .statuslist import MIN_ENTRIES

CHANGE = "credentials.change_credential"

WORKFLOW = Workflow(
    name="credential",
    states=[
        State(CredentialStatus.ACTIVE, "有效"),
        State(CredentialStatus.SUSPENDED, "已暂停"),
        State(CredentialStatus.REVOKED, "已吊销", final=True),
    ],
    transitions=[
        Transition(
            "suspend", "暂停", (CredentialStatus.ACTIVE,), CredentialStatus.SUSPENDED, CHANGE, style="warning"
        ),
        Transition("reinstate", "恢复", (CredentialStatus.SUSPENDED,), CredentialStatus.ACTIVE, CHANGE),
        Transition(
            "revoke",
            "吊销",
            (CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED),
            CredentialStatus.REVOKED,
            CHANGE,
            style="danger",
        ),
    ],
    initial=CredentialStatus.ACTIVE,
)


class StatusList(DomainModel):
    """One W3C Bitstring Status List of an issuing organisation (one per purpose and sequence number)."""

    jurisdiction_field = "organisation__jurisdiction"
    # The bits and the signed list change with every revocation, which is itself audited on the credential.
    audit_exclude = ("updated_at", "bits", "document")

    organisation = models.ForeignKey(
        "core.Organisation", verbose_name="发证机关", on_delete=models.PROTECT, related_name="status_lists"
    )
    purpose = models.CharField("用途", max_length=16, choices=StatusPurpose.choices)
    sequence = models.PositiveIntegerField("序号", default=1)
    size = models.PositiveIntegerField("条目数", default=MIN_ENTRIES)
    bits = models.BinaryField("位串")
    allocated = models.PositiveIntegerField("已分配条目", default=0)
    document = models.JSONField("已签名的状态列表凭证", default=dict, blank=True)

    class Meta:
        ordering = ["organisation_id", "purpose", "sequence"]
        verbose_name = "证照状态列表"
        verbose_name_plural = "证照状态列表"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "purpose", "sequence"], name="credentials_statuslist_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.purpose}/{self.sequence}"


class Credential(DomainModel):
    """One issued e-certificate: the claims, the signed VC (digests only), its status and ledger receipt."""

    jurisdiction_field = "jurisdiction"
    owner_field = "holder"
    owner_actions = ("view",)
    workflow = WORKFLOW
    audit_exclude = ("updated_at", "document", "ledger_proof")
    audit_secret_fields = ("salts",)

    credential_id = models.CharField("凭证标识", max_length=64, unique=True)
    type_code = models.CharField("证照类型", max_length=64, db_index=True)
    number = models.CharField("证件编号", max_length=64)
    issuer = models.ForeignKey(
        "core.Organisation",
        verbose_name="发证机关",
        on_delete=models.PROTECT,
        related_name="credentials_issued",
    )
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        "core.User", verbose_name="持证人", on_delete=models.PROTECT, related_name="credentials"
    )
    subject_name = models.CharField("持证人姓名", max_length=64)
    claims = models.JSONField("证照内容", default=dict)
    salts = models.JSONField("披露盐值", default=dict)
    valid_from = models.DateTimeField("生效时间")
    valid_until = models.DateTimeField("有效期至")
    status = models.CharField(
        "状态", max_length=16, choices=WORKFLOW.choices, default=WORKFLOW.initial, db_index=True
    )
    status_reason = models.CharField("状态变更理由", max_length=500, blank=True)
    status_list_sequence = models.PositiveIntegerField("状态列表序号")
    status_index = models.PositiveIntegerField("状态列表位置")
    document = models.JSONField("已签名凭证", default=dict)
    algorithm = models.CharField("签名算法", max_length=16)
    key_id = models.CharField("签名密钥", max_length=128)
    ledger_entry_id = models.BigIntegerField("存证编号", null=True, blank=True)
    ledger_proof = models.TextField("存证证明", blank=True)
    issued_by = models.ForeignKey(
        "core.User", verbose_name="签发人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        constraints = [
            models.UniqueConstraint(fields=["type_code", "number"], name="credentials_unique_number"),
            models.UniqueConstraint(
                fields=["issuer", "status_list_sequence", "status_index"],
                name="credentials_unique_status_entry",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "type_code", "status"])]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.number}"

    @property
    def status_label(self) -> str:
        return WORKFLOW.state_label(self.status)

    @property
    def is_expired(self) -> bool:
        return self.valid_until <= timezone.now()

    @property
    def verification_state(self) -> str:
        """valid / suspended / revoked / expired / not_yet_valid, as the verification page says it."""
        if self.status == CredentialStatus.REVOKED:
            return "revoked"
        if self.is_expired:
            return "expired"
        if self.valid_from > timezone.now():
            return "not_yet_valid"
        if self.status == CredentialStatus.SUSPENDED:
            return "suspended"
        return "valid"


class DisclosureLink(DomainModel):
    """A link (and QR code) the holder hands out, revealing only the claims they chose."""

    jurisdiction_field = "credential__jurisdiction"
    owner_field = "credential__holder"
    owner_actions = ("view", "add", "change")

    credential = models.ForeignKey(
        Credential, verbose_name="电子证照", on_delete=models.CASCADE, related_name="disclosure_links"
    )
    token = models.CharField("链接令牌", max_length=64, unique=True)
    claims = models.JSONField("披露的内容", default=list)
    label = models.CharField("用途说明", max_length=100, blank=True)
    is_default = models.BooleanField("证照默认二维码", default=False)
    created_by = models.ForeignKey(
        "core.User", verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField("链接有效期至", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "证照披露链接"
        verbose_name_plural = "证照披露链接"

    def __str__(self) -> str:
        return self.label or self.token[:8]

    @property
    def is_usable(self) -> bool:
        if self.withdrawn_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
