"""Consumers (数据使用方) and their subscriptions."""

from __future__ import annotations

import secrets

from django.db import transaction

from smartjustice.core.errors import Conflict, ValidationFailed
from smartjustice.core.models import Jurisdiction

from .. import sealing
from ..choices import DeliveryMode, Masking, SharingClass
from ..models import Consumer, Dataset, Subscription

# --- consumers and subscriptions -----------------------------------------------------------------------------------


@transaction.atomic
def register_consumer(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    jurisdiction: Jurisdiction,
    push_url: str = "",
    contact: str = "",
) -> tuple[Consumer, dict]:
    """Register a consumer with an OAuth2 client-credentials client and a push-signing secret.

    Returns the consumer and its credentials {client_id, client_secret, push_secret}, shown this once only.
    """
    from oauth2_provider.models import Application

    if Consumer.objects.filter(code=code).exists():
        raise Conflict(f"接入代码“{code}”已被使用", fields={"code": [f"接入代码“{code}”已被使用"]})
    client_secret = secrets.token_urlsafe(32)
    push_secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name=f"共享平台：{name}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=client_secret,  # hashed by django-oauth-toolkit on save
    )
    consumer = Consumer.objects.create(
        code=code,
        name=name,
        kind=kind,
        jurisdiction=jurisdiction,
        application=application,
        push_url=push_url,
        push_secret_sealed=sealing.seal(push_secret),
        contact=contact,
    )
    credentials = {
        "client_id": application.client_id,
        "client_secret": client_secret,
        "push_secret": push_secret,
    }
    return consumer, credentials


def push_secret_of(consumer: Consumer) -> str:
    return sealing.unseal(consumer.push_secret_sealed)


@transaction.atomic
def subscribe(
    *,
    actor,
    consumer: Consumer,
    dataset: Dataset,
    purpose: str,
    legal_basis: str = "",
    jurisdiction_codes: list[str] | None = None,
    fields: list[str] | None = None,
    masking: dict[str, str] | None = None,
    mode: str = DeliveryMode.PUSH,
) -> Subscription:
    """Subscribe a consumer to a dataset; the purpose is required and shown to every person whose data it gets."""
    purpose = (purpose or "").strip()
    problems: dict[str, list[str]] = {}
    if not purpose:
        problems["purpose"] = [
            "请说明使用目的（《个人信息保护法》第六条：处理个人信息应当具有明确、合理的目的）"
        ]
    if dataset.sharing_class == SharingClass.NOT_SHARED:
        problems["dataset"] = [f"“{dataset.name}”为不予共享数据，不能订阅"]
    if dataset.sharing_class == SharingClass.CONDITIONAL and not (legal_basis or "").strip():
        problems["legal_basis"] = ["有条件共享的数据须写明法定依据或共享协议"]
    known = set((dataset.schema.get("properties") or {}).keys())
    unknown = [f for f in (fields or []) if f not in known]
    if unknown:
        problems["fields"] = [f"数据集中没有字段“{'、'.join(unknown)}”"]
    masking = dict(masking or {})
    for field, rule in masking.items():
        if field not in dataset.personal_fields:
            problems.setdefault("masking", []).append(f"“{field}”不是个人信息字段")
        elif rule not in Masking.values:
            problems.setdefault("masking", []).append(f"“{field}”的脱敏规则“{rule}”无效")
        elif rule == Masking.CLEAR and not (legal_basis or "").strip():
            problems.setdefault("masking", []).append("提供明文个人信息须写明法定依据")
    if mode == DeliveryMode.PUSH and not consumer.push_url:
        problems["mode"] = ["该使用方未登记推送地址，只能选择拉取方式"]
    if Subscription.objects.filter(consumer=consumer, dataset=dataset).exists():
        problems["dataset"] = ["该使用方已订阅此数据集"]
    places = list(Jurisdiction.objects.filter(code__in=jurisdiction_codes or []))
    if len(places) != len(set(jurisdiction_codes or [])):
        problems["jurisdiction_codes"] = ["订阅区划中有不存在的区划代码"]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], fields=problems)
    return Subscription.objects.create(
        consumer=consumer,
        dataset=dataset,
        purpose=purpose,
        legal_basis=(legal_basis or "").strip(),
        jurisdiction_codes=sorted(p.code for p in places),
        jurisdiction_prefixes=sorted(p.prefix for p in places),
        fields=list(fields or []),
        masking=masking,
        mode=mode,
    )
