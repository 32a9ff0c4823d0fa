"""In/out schemas of 共享协同平台."""

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from ninja import Field, Schema

from smartjustice.core.pagination import Id
from smartjustice.core.schemas import PatchSchema

from .choices import ConsumerKind, DeliveryMode
from .models import Consumer, Subscription


class DatasetOut(Schema):
    id: int
    code: str
    name: str
    description: str
    owner_name: str = Field(alias="owner.name")
    sharing_class: str
    sharing_class_label: str = Field(alias="get_sharing_class_display")
    sharing_conditions: str
    update_frequency: str
    update_frequency_label: str = Field(alias="get_update_frequency_display")
    personal_fields: list[str]
    legal_basis: str
    version: int
    schema_: dict = Field(alias="schema")


class DatasetFilter(Schema):
    q: str = ""
    sharing_class: str = ""


class ConsumerIn(Schema):
    code: str = Field(..., min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(..., min_length=1, max_length=100)
    kind: ConsumerKind
    jurisdiction_code: str = Field(..., min_length=12, max_length=12)
    push_url: str = ""
    contact: str = ""


class ConsumerOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    jurisdiction_code: str = Field(alias="jurisdiction_id")
    client_id: str | None = Field(None, alias="application.client_id")
    push_url: str
    contact: str
    is_active: bool


class ConsumerFilter(Schema):
    q: str = Field("", description="名称或接入代码")
    kind: str = ""
    is_active: bool | None = None


class ConsumerPatch(PatchSchema):
    patch_model: ClassVar = Consumer

    name: str | None = Field(None, max_length=100)
    push_url: str | None = Field(None, max_length=500, description="留空则只能拉取")
    contact: str | None = Field(None, max_length=100)


class RotateSecretIn(Schema):
    secret: str = Field(..., description="client_secret：OAuth2 客户端密钥；push_secret：推送签名密钥")


class SecretRotatedOut(Schema):
    consumer: ConsumerOut
    secret: str
    value: str = Field(description="新密钥，仅此一次显示；原密钥即时作废")


class ConsumerCreatedOut(Schema):
    consumer: ConsumerOut
    client_id: str
    client_secret: str = Field(description="仅此一次显示，请妥善保存")
    push_secret: str = Field(description="推送签名密钥，仅此一次显示")


class SubscriptionIn(Schema):
    consumer_id: int
    dataset_id: int
    purpose: str = Field(..., max_length=300)
    legal_basis: str = Field("", max_length=300)
    jurisdiction_codes: list[str] = []
    fields: list[str] = []
    masking: dict[str, str] = {}
    mode: DeliveryMode = DeliveryMode.PUSH


class SubscriptionPatch(PatchSchema):
    patch_model: ClassVar = Subscription

    purpose: str | None = Field(None, max_length=300)
    legal_basis: str | None = Field(None, max_length=300)
    jurisdiction_codes: list[str] | None = None
    fields: list[str] | None = None
    masking: dict[str, str] | None = None
    mode: DeliveryMode | None = None


class SubscriptionOut(Schema):
    id: int
    consumer_id: int
    consumer_name: str = Field(alias="consumer.name")
    dataset_id: int
    dataset_code: str = Field(alias="dataset.code")
    purpose: str
    legal_basis: str
    jurisdiction_codes: list[str]
    fields: list[str]
    masking: dict[str, str]
    mode: str
    is_active: bool


class DeliveryOut(Schema):
    id: int
    status: str
    status_label: str = Field(alias="get_status_display")
    mode: str
    dataset_code: str = Field(alias="subscription.dataset.code")
    consumer_name: str = Field(alias="subscription.consumer.name")
    record_key: str = Field(alias="record.record_key")
    idempotency_key: UUID
    attempts: int
    next_attempt_at: datetime
    last_error: str
    delivered_at: datetime | None


class DeliveryFilter(Schema):
    status: str = ""
    consumer: Id | None = None
    dataset: Id | None = None


class ReplayIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=500)


class CountOut(Schema):
    count: int


class IngestIn(Schema):
    records: list[Any] = Field(
        ..., description="每条：{record_key, jurisdiction_code, data}；每批最多 5000 条"
    )


class IngestOut(Schema):
    received: int
    stored: int
    duplicates: int


class PullItem(Schema):
    cursor: int
    idempotency_key: str
    dataset: str
    record_key: str
    version: str
    jurisdiction_code: str
    published_at: str
    purpose: str
    data: dict


class PullOut(Schema):
    items: list[PullItem]
    next_cursor: int
    has_more: bool


class DisclosureOut(Schema):
    id: int
    consumer_name: str = Field(alias="consumer.name")
    dataset_name: str = Field(alias="dataset.name")
    fields: list[str]
    purpose: str
    legal_basis: str
    disclosed_at: datetime


class StatsOut(Schema):
    gathered: list[dict]
    shared: list[dict]
    dead: int
    pending: int
