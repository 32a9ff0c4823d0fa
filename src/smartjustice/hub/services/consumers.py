"""Consumers (数据使用方) and their subscriptions: register, change, deactivate, rotate credentials, subscribe.

Each service runs in one transaction as one audit.operation with a typed event (HubAuditEvent) and the actor passed
explicitly: the model's own saves merge into that one entry. Secrets (OAuth2 client secret, push-signing
secret) are returned once by the service that makes them and never stored in the clear: the client secret is
hashed by django-oauth-toolkit, the push secret is sealed (the hub must read it back to sign).
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction

from smartjustice.core import access, audit
from smartjustice.core.errors import Conflict, ValidationFailed
from smartjustice.core.models import Jurisdiction

from .. import rules, sealing
from ..choices import ConsumerKind, DeliveryMode, HubAuditEvent, Masking, SharingClass
from ..models import Consumer, Dataset, Subscription

PURPOSE_REQUIRED = rules.message(rules.PURPOSE_REQUIRED)
CONSUMER_FIELDS = ("name", "push_url", "contact")
SUBSCRIPTION_FIELDS = ("purpose", "legal_basis", "jurisdiction_codes", "fields", "masking", "mode")


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _clean_push_url(url: str) -> str:
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError:
            message = "推送地址须为完整的 http 或 https 地址，例如 https://data.example.gov.cn/hub/receive"
            raise ValidationFailed(message, fields={"push_url": [message]}) from None
    return url


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写名称", fields={"name": ["请填写名称"]})
    if len(name) > 100:
        raise ValidationFailed("名称不能超过 100 个字", fields={"name": ["名称不能超过 100 个字"]})
    return name


def _clean_contact(contact: str) -> str:
    contact = (contact or "").strip()
    if len(contact) > 100:
        message = "联系人及电话不能超过 100 个字"
        raise ValidationFailed(message, fields={"contact": [message]})
    return contact


# --- consumers -----------------------------------------------------------------------------------------------------


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

    code = (code or "").strip()
    if kind not in ConsumerKind.values:
        raise ValidationFailed("请选择使用方类型", fields={"kind": ["请选择使用方类型"]})
    name = _clean_name(name)
    push_url = _clean_push_url(push_url)
    contact = _clean_contact(contact)
    if Consumer.objects.filter(code=code).exists():
        raise Conflict(f"接入代码“{code}”已被使用", fields={"code": [f"接入代码“{code}”已被使用"]})
    client_secret = _new_secret()
    push_secret = _new_secret()
    with audit.operation(HubAuditEvent.CONSUMER_REGISTERED, obj=audit.NEW, actor=actor) as op:
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
        op.detail = (
            f"登记数据使用方，签发 OAuth2 客户端凭据（client_id {application.client_id}）和推送签名密钥"
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
def update_consumer(consumer: Consumer, *, actor, **changes) -> Consumer:
    """Change a consumer's name, push URL or contact (its code, kind and jurisdiction stay)."""
    unknown = set(changes) - set(CONSUMER_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(f"字段不可修改：{name}", fields={name: ["该字段不可修改"]})
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    if "push_url" in changes:
        changes["push_url"] = _clean_push_url(changes["push_url"])
        if not changes["push_url"] and consumer.subscriptions.filter(mode=DeliveryMode.PUSH).exists():
            message = "该使用方还有推送方式的订阅，请先将其改为拉取方式，再删除推送地址"
            raise ValidationFailed(message, fields={"push_url": [message]})
    if "contact" in changes:
        changes["contact"] = _clean_contact(changes["contact"])
    with audit.operation(
        HubAuditEvent.CONSUMER_UPDATED, obj=consumer, actor=actor, detail="修改数据使用方信息"
    ):
        for name, value in changes.items():
            setattr(consumer, name, value)
        consumer.save()
        if "name" in changes and consumer.application_id:
            consumer.application.name = f"共享平台：{consumer.name}"
            consumer.application.save(update_fields=["name", "updated"])
    return consumer


def _set_active(obj: Consumer | Subscription, active: bool, *, actor, event: HubAuditEvent, detail: str):
    """Switch a consumer or a subscription on or off, as one audited operation."""
    with audit.operation(event, obj=obj, actor=actor, detail=detail):
        obj.is_active = active
        obj.save(update_fields=["is_active", "updated_at"])
    return obj


@transaction.atomic
def deactivate_consumer(consumer: Consumer, *, actor) -> Consumer:
    """Stop sharing with a consumer: its tokens are refused and nothing new is fanned out to it."""
    if not consumer.is_active:
        raise Conflict("该使用方已停用")
    return _set_active(
        consumer,
        False,
        actor=actor,
        event=HubAuditEvent.CONSUMER_DEACTIVATED,
        detail="停用数据使用方：其访问令牌不再有效，不再向其分发新记录",
    )


@transaction.atomic
def reactivate_consumer(consumer: Consumer, *, actor) -> Consumer:
    """Resume sharing with a deactivated consumer (its credentials are the ones it had)."""
    if consumer.is_active:
        raise Conflict("该使用方已在启用状态")
    return _set_active(
        consumer, True, actor=actor, event=HubAuditEvent.CONSUMER_REACTIVATED, detail="重新启用数据使用方"
    )


@transaction.atomic
def rotate_push_secret(consumer: Consumer, *, actor) -> tuple[Consumer, str]:
    """A new push-signing secret, returned once; pushes from now on are signed with it only."""
    secret = _new_secret()
    with audit.operation(
        HubAuditEvent.PUSH_SECRET_ROTATED,
        obj=consumer,
        actor=actor,
        detail="轮换推送签名密钥：此后的推送只用新密钥签名",
    ):
        consumer.push_secret_sealed = sealing.seal(secret)
        consumer.save(update_fields=["push_secret_sealed", "updated_at"])
    return consumer, secret


@transaction.atomic
def rotate_client_secret(consumer: Consumer, *, actor) -> tuple[Consumer, str]:
    """A new OAuth2 client secret, returned once; the old one stops working and tokens issued with it are revoked."""
    from oauth2_provider.models import get_access_token_model, get_application_model

    application = consumer.application
    with audit.operation(HubAuditEvent.CLIENT_SECRET_ROTATED, obj=consumer, actor=actor) as op:
        if application is None:  # registered before consumers had clients: give it one now
            Application = get_application_model()
            application = Application.objects.create(
                name=f"共享平台：{consumer.name}",
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
                client_secret="",
            )
            consumer.application = application
            consumer.save(update_fields=["application", "updated_at"])
        secret = _new_secret()
        application.client_secret = secret  # hashed by django-oauth-toolkit on save
        application.save(update_fields=["client_secret", "updated"])
        tokens = get_access_token_model().objects.filter(application=application)
        revoked = 0
        for token in tokens:
            token.revoke()
            revoked += 1
        # The client's secret lives in django-oauth-toolkit's (unaudited) table: note the change on this entry.
        op.note(before={"client_secret": audit.SECRET}, after={"client_secret": audit.SECRET})
        op.detail = (
            f"轮换 OAuth2 客户端密钥（client_id {application.client_id}）：原密钥即时作废，"
            f"吊销已签发的访问令牌 {revoked} 个"
        )
    return consumer, secret


ROTATABLE = {"client_secret": rotate_client_secret, "push_secret": rotate_push_secret}


def rotate_secret(consumer: Consumer, *, actor, secret: str) -> tuple[Consumer, str]:
    """Rotate one of the consumer's secrets by name ("client_secret" or "push_secret"); the new value, once."""
    rotate = ROTATABLE.get(secret)
    if rotate is None:
        message = "secret 只能是 client_secret（客户端密钥）或 push_secret（推送签名密钥）"
        raise ValidationFailed(message, fields={"secret": [message]})
    return rotate(consumer, actor=actor)


# --- subscriptions -------------------------------------------------------------------------------------------------


def _subscription_terms(
    *,
    consumer: Consumer,
    dataset: Dataset,
    purpose: str,
    legal_basis: str,
    jurisdiction_codes: list[str] | None,
    fields: list[str] | None,
    masking: dict[str, str] | None,
    mode: str,
    actor=None,
    subscription: Subscription | None = None,
) -> dict:
    """Check a subscription's terms against the catalogue entry and the actor's jurisdiction; the cleaned values,
    or ValidationFailed. Staff below province level share their own jurisdiction's records only: no divisions
    chosen means theirs, not the whole province."""
    purpose = (purpose or "").strip()
    legal_basis = (legal_basis or "").strip()
    problems: dict[str, list[str]] = {}
    if not purpose:
        problems["purpose"] = [PURPOSE_REQUIRED]
    elif len(purpose) > 300:
        problems["purpose"] = ["使用目的不能超过 300 个字"]
    if len(legal_basis) > 300:
        problems["legal_basis"] = ["法定依据不能超过 300 个字"]
    if subscription is None:
        if not consumer.is_active:
            problems["consumer"] = ["该使用方已停用，不能新增订阅"]
        if dataset.sharing_class == SharingClass.NOT_SHARED:
            problems["dataset"] = [f"“{dataset.name}”为不予共享数据，不能订阅"]
        elif not dataset.is_active:
            problems["dataset"] = [f"“{dataset.name}”已停用，不能订阅"]
        elif Subscription.objects.filter(consumer=consumer, dataset=dataset).exists():
            problems["dataset"] = ["该使用方已订阅此数据集（已停用的订阅可在使用方详情页重新启用）"]
    if dataset.sharing_class == SharingClass.CONDITIONAL and not legal_basis:
        problems["legal_basis"] = [rules.message(rules.CONDITIONAL_SHARING_BASIS)]
    known = set((dataset.schema.get("properties") or {}).keys())
    fields = list(dict.fromkeys(fields or []))
    unknown = [f for f in fields if f not in known]
    if unknown:
        problems["fields"] = [f"数据集中没有字段“{'、'.join(unknown)}”"]
    masking = dict(masking or {})
    for field, rule in masking.items():
        key = f"masking.{field}"
        if field not in dataset.personal_fields:
            problems.setdefault(key, []).append(f"“{field}”不是个人信息字段")
        elif rule not in Masking.values:
            problems.setdefault(key, []).append(f"“{field}”的脱敏规则“{rule}”无效")
        elif rule == Masking.CLEAR and not legal_basis:
            problems.setdefault(key, []).append(rules.message(rules.CLEAR_TEXT_BASIS))
    if mode not in DeliveryMode.values:
        problems["mode"] = ["请选择推送或拉取方式"]
    elif mode == DeliveryMode.PUSH and not consumer.push_url:
        problems["mode"] = ["该使用方未登记推送地址，只能选择拉取方式"]
    codes = list(dict.fromkeys(jurisdiction_codes or []))
    # Province-wide staff (who may act on what belongs to the platform) subscribe anywhere; others in their range.
    scoped = actor is not None and not access.may_act_in(actor, None)
    if scoped and not codes:
        codes = [actor.jurisdiction_id]
    places = list(Jurisdiction.objects.filter(code__in=codes))
    if len(places) != len(codes):
        problems["jurisdiction_codes"] = ["订阅区划中有不存在的区划代码"]
    elif scoped and not all(access.may_act_in(actor, p.code) for p in places):
        problems["jurisdiction_codes"] = ["只能订阅本辖区内的区划"]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], fields=problems)
    return {
        "purpose": purpose,
        "legal_basis": legal_basis,
        "jurisdiction_codes": sorted(p.code for p in places),
        "jurisdiction_prefixes": sorted(p.prefix for p in places),
        "fields": fields,
        "masking": masking,
        "mode": mode,
    }


def _describe(subscription: Subscription) -> str:
    return f"目的：{subscription.purpose}；依据：{subscription.legal_basis or '—'}；方式：{subscription.get_mode_display()}"


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
    terms = _subscription_terms(
        consumer=consumer,
        dataset=dataset,
        purpose=purpose,
        legal_basis=legal_basis,
        jurisdiction_codes=jurisdiction_codes,
        fields=fields,
        masking=masking,
        mode=mode,
        actor=actor,
    )
    with audit.operation(HubAuditEvent.SUBSCRIPTION_CREATED, obj=audit.NEW, actor=actor) as op:
        subscription = Subscription.objects.create(consumer=consumer, dataset=dataset, **terms)
        op.detail = f"新增数据订阅“{dataset.name}”，{_describe(subscription)}"
    return subscription


@transaction.atomic
def update_subscription(subscription: Subscription, *, actor, **changes) -> Subscription:
    """Change a subscription's terms (its consumer and dataset stay); records fanned out from now on follow them."""
    unknown = set(changes) - set(SUBSCRIPTION_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ValidationFailed(f"字段不可修改：{name}", fields={name: ["该字段不可修改"]})
    current = {name: getattr(subscription, name) for name in SUBSCRIPTION_FIELDS}
    terms = _subscription_terms(
        consumer=subscription.consumer,
        dataset=subscription.dataset,
        subscription=subscription,
        actor=actor,
        **{**current, **changes},
    )
    with audit.operation(HubAuditEvent.SUBSCRIPTION_UPDATED, obj=subscription, actor=actor) as op:
        for name, value in terms.items():
            setattr(subscription, name, value)
        subscription.save()
        op.detail = f"修改数据订阅“{subscription.dataset.name}”，{_describe(subscription)}"
    return subscription


@transaction.atomic
def deactivate_subscription(subscription: Subscription, *, actor) -> Subscription:
    """Stop a subscription: no new records are fanned out to it and pulls no longer return its records."""
    if not subscription.is_active:
        raise Conflict("该订阅已停用")
    return _set_active(
        subscription,
        False,
        actor=actor,
        event=HubAuditEvent.SUBSCRIPTION_DEACTIVATED,
        detail=f"停用数据订阅“{subscription.dataset.name}”：不再分发新记录，拉取不再返回该订阅的数据",
    )


@transaction.atomic
def reactivate_subscription(subscription: Subscription, *, actor) -> Subscription:
    """Resume a stopped subscription (records published while it was stopped are not sent afterwards)."""
    if subscription.is_active:
        raise Conflict("该订阅已在启用状态")
    if not subscription.consumer.is_active:
        raise Conflict("该使用方已停用，请先启用使用方")
    if subscription.dataset.sharing_class == SharingClass.NOT_SHARED or not subscription.dataset.is_active:
        raise Conflict(f"“{subscription.dataset.name}”现为不予共享或已停用的数据，不能重新启用订阅")
    return _set_active(
        subscription,
        True,
        actor=actor,
        event=HubAuditEvent.SUBSCRIPTION_REACTIVATED,
        detail=f"重新启用数据订阅“{subscription.dataset.name}”",
    )
