"""Every write of 共享协同平台.

Publishing is an outbox: `publish()` stores the record and its outbox entry in the caller's own transaction, so a
rolled-back business write publishes nothing and a committed one is never lost. The worker (`smartjustice worker`)
then fans outbox entries out into deliveries (`fan_out`) and pushes them (`deliver_due`): claimed under a lease, so a
worker killed mid-batch leaves its deliveries to be sent again once the lease runs out — at least once, with the same
Idempotency-Key, so the receiver applies each record once.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from smartjustice.core import audit, privacy
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import Conflict, ValidationFailed
from smartjustice.core.models import Jurisdiction, Organisation

from . import sealing, transport
from .choices import DeliveryMode, DeliveryStatus, Masking, SharingClass
from .models import Consumer, Dataset, Delivery, Disclosure, HubRecord, OutboxEntry, Subscription
from .validation import RecordValidator

DATA_DIR = Path(__file__).parent / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.json"
_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c2b9e-3d5a-4c1e-9a57-0b7c1d2e3f40")
_CITIZEN_ID = re.compile(r"\d{17}[\dX]")
_CODE = re.compile(r"\d{12}")
MAX_INGEST_RECORDS = (
    5000  # per API request; services.ingest itself takes any number (the benchmark sends 50,000)
)


@lru_cache(maxsize=1)
def _file_policy() -> dict:
    return json.loads((DATA_DIR / "delivery_policy.json").read_text(encoding="utf-8"))


def policy() -> dict:
    """The delivery policy (hub/data/delivery_policy.json), with settings.HUB_DELIVERY overriding single keys."""
    return {**_file_policy(), **getattr(settings, "HUB_DELIVERY", {})}


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure."""
    schedule = policy()["backoff_seconds"]
    return timedelta(seconds=schedule[min(attempts, len(schedule)) - 1])


# --- catalogue -----------------------------------------------------------------------------------------------------


def _owner(spec: dict) -> Organisation:
    found = Organisation.objects.filter(kind=spec["kind"], jurisdiction_id=spec["jurisdiction"]).order_by(
        "id"
    )
    owner = found.first()
    if owner is None:
        owner = Organisation.objects.create(
            kind=spec["kind"],
            jurisdiction=Jurisdiction.objects.get(code=spec["jurisdiction"]),
            name=spec["name"],
        )
    return owner


@transaction.atomic
def load_catalogue(*, path: Path = CATALOGUE_FILE, actor=None) -> tuple[int, int]:
    """Create or update catalogue entries from the versioned file; returns (created, updated)."""
    content = json.loads(Path(path).read_text(encoding="utf-8"))
    created = updated = 0
    for spec in content["datasets"]:
        values = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "owner": _owner(spec["owner"]),
            "schema": spec["schema"],
            "sharing_class": spec["sharing_class"],
            "sharing_conditions": spec.get("sharing_conditions", ""),
            "update_frequency": spec["update_frequency"],
            "personal_fields": spec.get("personal_fields", []),
            "subject_field": spec.get("subject_field", ""),
            "legal_basis": spec.get("legal_basis", ""),
        }
        dataset = Dataset.objects.filter(code=spec["code"]).first()
        if dataset is None:
            Dataset.objects.create(code=spec["code"], version=content.get("version", 1), **values)
            created += 1
            continue
        changed = [name for name, value in values.items() if getattr(dataset, name) != value]
        if changed:
            for name in changed:
                setattr(dataset, name, values[name])
            dataset.version += 1
            dataset.save()
            updated += 1
    audit.record(
        AuditEvent.DATA_IMPORTED,
        actor=actor,
        object_type="hub.dataset",
        detail=f"加载共享数据目录：新增 {created} 项，更新 {updated} 项",
    )
    return created, updated


# --- publishing (the outbox) ---------------------------------------------------------------------------------------


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dedup_key(dataset_id: int, source: str, record_key: str, content_digest: str) -> uuid.UUID:
    raw = f"{dataset_id}\x1f{source}\x1f{record_key}\x1f{content_digest}".encode()
    return uuid.UUID(bytes=hashlib.sha256(raw).digest()[:16])


def _person_digest(dataset: Dataset, data: dict, subject_id_number: str | None) -> str:
    value = subject_id_number or (data.get(dataset.subject_field) if dataset.subject_field else None)
    value = "".join(str(value or "").split()).upper()
    return sealing.subject_digest(value) if _CITIZEN_ID.fullmatch(value) else ""


@lru_cache(maxsize=32)
def _validator_for(dataset_id: int, version: int, schema_json: str) -> RecordValidator:
    return RecordValidator(json.loads(schema_json))


def validator_for(dataset: Dataset) -> RecordValidator:
    return _validator_for(dataset.pk, dataset.version, json.dumps(dataset.schema, sort_keys=True))


def _field_errors(errors, prefix: str = "data") -> dict[str, list[str]]:
    fields: dict[str, list[str]] = defaultdict(list)
    for field, message in errors:
        fields[f"{prefix}.{field}" if field else prefix].append(message)
    return dict(fields)


def _in_transaction() -> bool:
    # Test cases wrap each test in atomic blocks of their own (marked _from_testcase); they do not count.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def publish(
    dataset_code: str,
    *,
    record_key: str,
    data: dict,
    jurisdiction_code: str,
    subject_id_number: str | None = None,
) -> HubRecord | None:
    """Publish one record version to the hub, inside the caller's transaction (the outbox).

    Returns the stored record, or None when this exact version was already published. Raises ValidationFailed
    when `data` does not match the dataset's schema (a programming error in the publishing module).
    """
    if not _in_transaction():
        raise RuntimeError(
            "hub.publish() must run inside the business write's transaction (transaction.atomic)"
        )
    dataset = Dataset.objects.filter(code=dataset_code, is_active=True).first()
    if dataset is None:
        raise ValidationFailed(f"共享数据目录中没有数据集“{dataset_code}”")
    errors = validator_for(dataset).errors(data)
    if errors:
        raise ValidationFailed(errors[0][1], fields=_field_errors(errors))
    if not _CODE.fullmatch(jurisdiction_code or ""):
        raise ValidationFailed(
            "区划代码应为 12 位数字", fields={"jurisdiction_code": ["区划代码应为 12 位数字"]}
        )
    text = canonical_json(data)
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = dedup_key(dataset.pk, "", record_key, digest)
    if HubRecord.objects.filter(dedup_key=key).exists():
        return None
    record = HubRecord.objects.create(
        dataset=dataset,
        source="",
        record_key=record_key,
        content_digest=digest,
        dedup_key=key,
        data=data,
        jurisdiction_code=jurisdiction_code,
        subject_digest=_person_digest(dataset, data, subject_id_number),
    )
    OutboxEntry.objects.create(record=record)
    return record


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


# --- fan-out: outbox entries become deliveries ---------------------------------------------------------------------


def _skip_locked(queryset):
    """Row locks that other workers skip (PostgreSQL); SQLite serialises writers anyway."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def idempotency_key(record_id: int, subscription_id: int) -> uuid.UUID:
    return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{record_id}:{subscription_id}")


def _chunks(items: list, size: int = 1000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fan_out(*, limit: int | None = None, now=None) -> int:
    """Turn waiting outbox entries into one delivery per matching subscription; returns entries handled."""
    now = now or timezone.now()
    limit = limit or policy()["fan_out_batch_size"]
    with transaction.atomic():
        waiting = _skip_locked(OutboxEntry.objects.filter(dispatched_at__isnull=True).order_by("id"))
        batch = list(waiting.values_list("id", "record_id")[:limit])
        if not batch:
            return 0
        record_ids = [record_id for _, record_id in batch]
        records: dict[int, tuple[int, str]] = {}
        for chunk in _chunks(record_ids):
            for pk, dataset_id, code in HubRecord.objects.filter(id__in=chunk).values_list(
                "id", "dataset_id", "jurisdiction_code"
            ):
                records[pk] = (dataset_id, code)
        subscriptions: dict[int, list[Subscription]] = defaultdict(list)
        for sub in Subscription.objects.filter(
            dataset_id__in={dataset_id for dataset_id, _ in records.values()},
            is_active=True,
            consumer__is_active=True,
            dataset__is_active=True,
        ).exclude(dataset__sharing_class=SharingClass.NOT_SHARED):
            subscriptions[sub.dataset_id].append(sub)
        deliveries = [
            Delivery(
                record_id=record_id,
                subscription_id=sub.pk,
                mode=sub.mode,
                idempotency_key=idempotency_key(record_id, sub.pk),
                next_attempt_at=now,
            )
            for record_id in record_ids
            for sub in subscriptions.get(records[record_id][0], ())
            if sub.covers(records[record_id][1])
        ]
        Delivery.objects.bulk_create(deliveries, batch_size=1000, ignore_conflicts=True)
        for chunk in _chunks([entry_id for entry_id, _ in batch]):
            OutboxEntry.objects.filter(id__in=chunk).update(dispatched_at=now)
    return len(batch)


# --- push delivery -------------------------------------------------------------------------------------------------


def _treated(dataset: Dataset, subscription: Subscription, data: dict) -> tuple[dict, list[str]]:
    """The record as this subscription may see it (its fields, personal information masked) and what was given."""
    titles = dataset.schema.get("properties") or {}
    wanted = subscription.fields or list(data)
    out: dict = {}
    given: list[str] = []
    for name in wanted:
        if name not in data:
            continue
        value = data[name]
        title = (titles.get(name) or {}).get("title", name)
        if name in dataset.personal_fields:
            rule = subscription.masking.get(name, Masking.MASK)
            if rule == Masking.DROP:
                continue
            if rule == Masking.MASK:
                value = privacy.mask_field(name, value) if isinstance(value, str) else value
            elif rule == Masking.DIGEST:
                value = sealing.subject_digest(str(value)) if value else value
            given.append(f"{title}（{Masking(rule).label}）")
        else:
            given.append(title)
        out[name] = value
    return out, given


def payload(delivery: Delivery) -> dict:
    record = delivery.record
    subscription = delivery.subscription
    data, _ = _treated(subscription.dataset, subscription, record.data)
    return {
        "dataset": subscription.dataset.code,
        "record_key": record.record_key,
        "version": record.content_digest,
        "jurisdiction_code": record.jurisdiction_code,
        "published_at": record.created_at.isoformat(),
        "purpose": subscription.purpose,
        "data": data,
    }


def _disclosure(delivery: Delivery, now) -> Disclosure | None:
    record = delivery.record
    if not record.subject_digest:
        return None
    subscription = delivery.subscription
    _, given = _treated(subscription.dataset, subscription, record.data)
    return Disclosure(
        subject_digest=record.subject_digest,
        consumer_id=subscription.consumer_id,
        dataset_id=subscription.dataset_id,
        delivery=delivery,
        fields=given,
        purpose=subscription.purpose,
        legal_basis=subscription.legal_basis,
        disclosed_at=now,
    )


def claim_due(*, worker_id: str, now=None, limit: int | None = None) -> list[Delivery]:
    """Lease up to `limit` push deliveries that are due (and not leased by a live worker)."""
    now = now or timezone.now()
    limit = limit or policy()["batch_size"]
    with transaction.atomic():
        due = _skip_locked(
            Delivery.objects.filter(
                status=DeliveryStatus.PENDING, mode=DeliveryMode.PUSH, next_attempt_at__lte=now
            )
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("next_attempt_at", "id")
        )
        ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(id__in=ids).update(
            lease_until=now + timedelta(seconds=policy()["lease_seconds"]), leased_by=worker_id
        )
    return list(
        Delivery.objects.filter(id__in=ids, leased_by=worker_id)
        .select_related("record", "subscription__dataset", "subscription__consumer")
        .order_by("id")
    )


def _send(delivery: Delivery, secret: str, timeout: float) -> tuple[int | None, str]:
    consumer = delivery.subscription.consumer
    body = json.dumps(payload(delivery), ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(timezone.now().timestamp()))
    headers = {
        "X-Hub-Timestamp": timestamp,
        "X-Hub-Signature": transport.signature(secret, timestamp, body),
        "Idempotency-Key": str(delivery.idempotency_key),
        "X-Hub-Dataset": delivery.subscription.dataset.code,
        "X-Hub-Attempt": str(delivery.attempts + 1),
    }
    return transport.post(consumer.push_url, body, headers, timeout=timeout)


def _record_outcomes(outcomes: list[tuple[Delivery, int | None, str]], *, worker_id: str, now) -> dict:
    counts = {"delivered": 0, "retry": 0, "dead": 0}
    max_attempts = policy()["max_attempts"]
    with transaction.atomic():
        succeeded = [d for d, status, _ in outcomes if status is not None and 200 <= status < 300]
        ids = [d.pk for d in succeeded]
        mine = set(
            Delivery.objects.filter(
                id__in=ids, leased_by=worker_id, status=DeliveryStatus.PENDING
            ).values_list("id", flat=True)
        )
        Delivery.objects.filter(id__in=mine).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            attempts=F("attempts") + 1,
            lease_until=None,
            last_error="",
        )
        Disclosure.objects.bulk_create(
            [d for d in (_disclosure(x, now) for x in succeeded if x.pk in mine) if d is not None],
            ignore_conflicts=True,
        )
        counts["delivered"] = len(mine)
        for delivery, status, error in outcomes:
            if delivery in succeeded:
                continue
            attempts = delivery.attempts + 1
            message = error or f"接收方返回 HTTP {status}"
            dead = attempts >= max_attempts
            changed = Delivery.objects.filter(
                pk=delivery.pk, leased_by=worker_id, status=DeliveryStatus.PENDING
            ).update(
                attempts=attempts,
                status=DeliveryStatus.DEAD if dead else DeliveryStatus.PENDING,
                next_attempt_at=now if dead else now + backoff(attempts),
                lease_until=None,
                last_error=message[:500],
            )
            if changed:
                counts["dead" if dead else "retry"] += 1
    return counts


def deliver_due(*, worker_id: str = "inline", now=None, limit: int | None = None) -> dict:
    """Push one leased batch of due deliveries; returns counts {delivered, retry, dead}."""
    now = now or timezone.now()
    batch = claim_due(worker_id=worker_id, now=now, limit=limit)
    counts = {"delivered": 0, "retry": 0, "dead": 0}
    if not batch:
        return counts
    conf = policy()
    secrets_by_consumer: dict[int, str] = {}
    for delivery in batch:
        consumer = delivery.subscription.consumer
        if consumer.pk not in secrets_by_consumer:
            secrets_by_consumer[consumer.pk] = push_secret_of(consumer)

    def send(delivery):
        return delivery, *_send(
            delivery, secrets_by_consumer[delivery.subscription.consumer_id], conf["timeout_seconds"]
        )

    # Outcomes are committed in chunks: a worker killed mid-batch loses at most one chunk's acknowledgements,
    # and those deliveries are simply sent again after the lease (the receiver de-duplicates).
    chunk_size = 50
    with ThreadPoolExecutor(max_workers=conf.get("concurrency", 8)) as pool:
        for start in range(0, len(batch), chunk_size):
            outcomes = list(pool.map(send, batch[start : start + chunk_size]))
            for key, value in _record_outcomes(outcomes, worker_id=worker_id, now=now).items():
                counts[key] += value
    return counts


def run_delivery_cycle(*, worker_id: str = "inline", now=None, budget_seconds: float = 10.0) -> dict:
    """What the worker runs every second: fan out what is waiting, then push what is due, batch after batch
    while there is a backlog (for at most `budget_seconds`, so other jobs get their turn)."""
    import time

    started = time.monotonic()
    counts = {"fanned_out": 0, "delivered": 0, "retry": 0, "dead": 0}
    while True:
        handled = fan_out(now=now)
        counts["fanned_out"] += handled
        if handled < policy()["fan_out_batch_size"] or time.monotonic() - started > budget_seconds:
            break
    while True:
        batch = deliver_due(worker_id=worker_id, now=now)
        for key, value in batch.items():
            counts[key] += value
        if sum(batch.values()) < policy()["batch_size"] or time.monotonic() - started > budget_seconds:
            break
    return counts


# --- dead letters --------------------------------------------------------------------------------------------------


@transaction.atomic
def replay(delivery: Delivery, *, actor, now=None) -> Delivery:
    """Send a dead letter again from the start of the backoff schedule (staff, after fixing the cause)."""
    if delivery.status != DeliveryStatus.DEAD:
        raise Conflict("只有死信可以重新投递")
    now = now or timezone.now()
    before = {"status": delivery.status, "attempts": delivery.attempts}
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, lease_until=None, leased_by=""
    )
    delivery.refresh_from_db()
    audit.record(
        AuditEvent.OBJECT_UPDATED,
        obj=delivery,
        actor=actor,
        before=before,
        after={"status": delivery.status, "attempts": 0},
        detail=f"重新投递死信（原错误：{before and delivery.last_error}）",
    )
    return delivery


def replay_many(deliveries, *, actor, now=None) -> int:
    count = 0
    for delivery in deliveries:
        replay(delivery, actor=actor, now=now)
        count += 1
    return count


# --- pull ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def pull(consumer: Consumer, *, dataset_code: str = "", cursor: int = 0, limit: int = 100, now=None) -> dict:
    """The consumer's next records after `cursor` (pull subscriptions). Asking again with an old cursor returns
    the same records again (at least once); the first time a record is served counts as its delivery."""
    now = now or timezone.now()
    qs = Delivery.objects.filter(
        subscription__consumer=consumer,
        subscription__is_active=True,
        mode=DeliveryMode.PULL,
        id__gt=cursor,
    )
    if dataset_code:
        qs = qs.filter(subscription__dataset__code=dataset_code)
    rows = list(
        qs.select_related("record", "subscription__dataset", "subscription__consumer").order_by("id")[
            : limit + 1
        ]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    first_time = [d for d in rows if d.status == DeliveryStatus.PENDING]
    if first_time:
        Delivery.objects.filter(id__in=[d.pk for d in first_time], status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.DELIVERED, delivered_at=now, attempts=F("attempts") + 1
        )
        Disclosure.objects.bulk_create(
            [x for x in (_disclosure(d, now) for d in first_time) if x is not None], ignore_conflicts=True
        )
    items = [{"cursor": d.pk, "idempotency_key": str(d.idempotency_key), **payload(d)} for d in rows]
    return {"items": items, "next_cursor": rows[-1].pk if rows else cursor, "has_more": has_more}


# --- bulk ingest ---------------------------------------------------------------------------------------------------


def _copy_text(value: str) -> str:
    # COPY text format: backslash is the escape character; JSON and keys never hold raw tabs or newlines.
    return value.replace("\\", "\\\\")


class _Batch:
    """One ingest batch in two passes.

    Pass 1 (`digest`) serialises each record canonically and derives its de-duplication key, so what is already
    stored can be found with one indexed query. Pass 2 (`check`) validates every record (schema, key, division);
    on PostgreSQL it runs chunk by chunk while the previous chunk streams into COPY, so the database parses and
    indexes on one core while Python validates on the other. Any invalid record aborts the whole batch.
    """

    def __init__(self, dataset: Dataset, source: str, records: list, bounds: tuple[str, str] | None):
        self.dataset = dataset
        self.source = source
        self.records = records
        self.bounds = bounds
        self.validator = validator_for(dataset)
        self.errors: dict[str, list[str]] = {}
        self.subjects: dict[str, str] = {}

    def digest(self) -> list[tuple]:
        """(index, dedup key, canonical JSON, content digest) per record, first occurrence only."""
        sha256 = hashlib.sha256
        dumps = json.dumps
        prefix = f"{self.dataset.pk}\x1f{self.source}\x1f"
        seen: set = set()
        rows = []
        for index, item in enumerate(self.records):
            data = item.get("data") if isinstance(item, dict) else None
            key = item.get("record_key") if isinstance(item, dict) else None
            text = dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            digest = sha256(text.encode()).hexdigest()
            dkey = uuid.UUID(bytes=sha256(f"{prefix}{key}\x1f{digest}".encode()).digest()[:16])
            if dkey in seen:
                continue
            seen.add(dkey)
            rows.append((index, dkey, text, digest))
        return rows

    def check(self, index: int) -> bool:
        """Validate record `index`, collecting Chinese messages per field; True when it is valid."""
        item = self.records[index]
        where = f"records[{index}]"
        if not isinstance(item, dict):
            self.errors[where] = ["每条记录应为 JSON 对象"]
            return False
        ok = True
        key = item.get("record_key")
        code = item.get("jurisdiction_code")
        data = item.get("data")
        if not isinstance(key, str) or not key or len(key) > 128 or not key.isprintable():
            self.errors[f"{where}.record_key"] = ["记录标识应为 1～128 个可打印字符"]
            ok = False
        if not isinstance(code, str) or len(code) != 12 or not code.isdigit():
            self.errors[f"{where}.jurisdiction_code"] = ["区划代码应为 12 位数字"]
            ok = False
        elif self.bounds and not self.bounds[0] <= code <= self.bounds[1]:
            self.errors[f"{where}.jurisdiction_code"] = ["记录的区划不在本接入方的辖区内"]
            ok = False
        fast = self.validator.fast
        if fast is None or not fast(data):
            for field, message in self.validator.errors(data):
                self.errors.setdefault(f"{where}.data.{field}" if field else f"{where}.data", []).append(
                    message
                )
                ok = False
        return ok

    def subject(self, data: dict) -> str:
        field = self.dataset.subject_field
        value = data.get(field) if field else None
        if type(value) is not str:
            return ""
        found = self.subjects.get(value)
        if found is None:
            found = self.subjects[value] = (
                sealing.subject_digest(value) if _CITIZEN_ID.fullmatch(value) else ""
            )
        return found

    def fail(self) -> ValidationFailed:
        count = len({k.split(".")[0] for k in self.errors})
        return ValidationFailed(f"有 {count} 条记录未通过校验，本批次未入库", fields=self.errors)


class _Abort(Exception):
    """Raised inside COPY to abort it when a record is invalid (the transaction then rolls back)."""


_INGEST_LOCK = 0x68756221  # advisory-lock namespace of hub ingest ("hub!"), with the dataset id
_CHUNK = 5000


def _store_postgres(batch: _Batch, rows: list, now) -> int:
    """Filter what is stored already, then COPY straight into the record table and the outbox.

    A transaction-scoped advisory lock per dataset makes "look up, then COPY" safe against a concurrent ingest of
    the same batch (the second waits, then finds every key stored). Record ids are drawn from the sequence first so
    the outbox rows can be COPYed too: no row-by-row INSERT ... SELECT.
    """
    dataset = batch.dataset
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_INGEST_LOCK, dataset.pk])
        cursor.execute(
            "SELECT dedup_key FROM hub_hubrecord WHERE dedup_key = ANY(%s::uuid[])", [[r[1] for r in rows]]
        )
        existing = {key for (key,) in cursor.fetchall()}
        new = [row for row in rows if row[1] not in existing] if existing else rows
        ids: list[int] = []
        if new:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('hub_hubrecord', 'id')) FROM generate_series(1, %s)",
                [len(new)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        new_at = {row[0]: (pk, row) for pk, row in zip(ids, new, strict=True)}
        stamp = now.isoformat()
        head = f"{dataset.pk}\t{_copy_text(batch.source)}\t"
        records = batch.records
        check = batch.check
        try:
            with cursor.cursor.copy(
                "COPY hub_hubrecord (id, dataset_id, source, record_key, content_digest, dedup_key, data,"
                " jurisdiction_code, subject_digest, created_at) FROM STDIN"
            ) as copy:
                for start in range(0, len(records), _CHUNK):
                    lines = []
                    for index in range(start, min(start + _CHUNK, len(records))):
                        if not check(index) or batch.errors:
                            continue  # keep validating to report every bad record; write nothing more
                        found = new_at.get(index)
                        if found is None:
                            continue  # a duplicate: validated, not stored again
                        pk, (_, dkey, text, digest) = found
                        item = records[index]
                        lines.append(
                            f"{pk}\t{head}{_copy_text(item['record_key'])}\t{digest}\t{dkey}\t{_copy_text(text)}\t"
                            f"{item['jurisdiction_code']}\t{batch.subject(item['data'])}\t{stamp}\n"
                        )
                    if not batch.errors:
                        copy.write("".join(lines).encode())
                if batch.errors:
                    raise _Abort()
        except _Abort:
            raise batch.fail() from None
        if ids:
            with cursor.cursor.copy("COPY hub_outboxentry (record_id, created_at) FROM STDIN") as copy:
                copy.write("".join(f"{pk}\t{stamp}\n" for pk in ids).encode())
    return len(ids)


def _store_portable(batch: _Batch, rows: list, now) -> int:
    for index in range(len(batch.records)):
        batch.check(index)
    if batch.errors:
        raise batch.fail()
    stored = 0
    records = batch.records
    for chunk in _chunks(rows, 500):
        keys = [row[1] for row in chunk]
        existing = set(HubRecord.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
        new = [row for row in chunk if row[1] not in existing]
        HubRecord.objects.bulk_create(
            [
                HubRecord(
                    dataset=batch.dataset,
                    source=batch.source,
                    record_key=records[index]["record_key"],
                    content_digest=digest,
                    dedup_key=dkey,
                    data=records[index]["data"],
                    jurisdiction_code=records[index]["jurisdiction_code"],
                    subject_digest=batch.subject(records[index]["data"]),
                )
                for index, dkey, _, digest in new
            ],
            ignore_conflicts=True,
        )
        ids = list(
            HubRecord.objects.filter(dedup_key__in=[row[1] for row in new]).values_list("id", flat=True)
        )
        OutboxEntry.objects.bulk_create([OutboxEntry(record_id=i) for i in ids], ignore_conflicts=True)
        stored += len(ids)
    return stored


def ingest(dataset: Dataset, *, source: Consumer | str, records: list, actor=None) -> dict:
    """Bulk ingest from an external system: all records valid or none stored; duplicates stored once.

    Returns {received, stored, duplicates}. On PostgreSQL the new rows are COPYed into the record table and the
    outbox (see _store_postgres); elsewhere they go through bulk_create. One transaction either way.
    """
    source_code = source.code if isinstance(source, Consumer) else source
    bounds = source.jurisdiction.bounds() if isinstance(source, Consumer) else None
    if not dataset.is_active:
        raise ValidationFailed(f"数据集“{dataset.name}”已停用")
    batch = _Batch(dataset, source_code, records, bounds)
    rows = batch.digest()
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            stored = _store_postgres(batch, rows, now)
        else:
            stored = _store_portable(batch, rows, now)
        audit.record(
            AuditEvent.DATA_IMPORTED,
            obj=dataset,
            actor=actor,
            detail=f"来源 {source_code} 批量报送 {len(records)} 条：新入库 {stored} 条，重复 {len(records) - stored} 条",
        )
    return {"received": len(records), "stored": stored, "duplicates": len(records) - stored}
