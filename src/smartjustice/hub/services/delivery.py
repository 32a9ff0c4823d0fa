"""Fan-out, push delivery with retries, dead letters and pull."""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from smartjustice.core import audit, privacy
from smartjustice.core.errors import Conflict

from .. import sealing, transport
from ..choices import DeliveryMode, DeliveryStatus, HubAuditEvent, Masking, SharingClass
from ..models import (
    Consumer,
    Dataset,
    Delivery,
    DeliveryCount,
    Disclosure,
    HubRecord,
    OutboxEntry,
    RecordCount,
    Subscription,
)
from .catalogue import DATA_DIR
from .consumers import push_secret_of
from .records import _chunks

_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c2b9e-3d5a-4c1e-9a57-0b7c1d2e3f40")


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


# --- fan-out: outbox entries become deliveries ---------------------------------------------------------------------


def _skip_locked(queryset):
    """Row locks that other workers skip (PostgreSQL); SQLite serialises writers anyway."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def idempotency_key(record_id: int, subscription_id: int) -> uuid.UUID:
    return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{record_id}:{subscription_id}")


def fan_out(*, limit: int | None = None, now=None) -> int:
    """Turn up to `limit` waiting records into one delivery per matching subscription; returns records handled
    (an entry with no records left counts as one, so callers looping while work remains do not stop early).

    Waiting outbox entries are claimed with row locks other workers skip; an entry's records are taken in id
    order from where fan-out last stopped (`next_record_id`), so a big ingest batch is spread over several cycles.
    The monthly record counts advance in the same transaction, so each record is counted once.
    """
    now = now or timezone.now()
    limit = limit or policy()["fan_out_batch_size"]
    handled = 0
    with transaction.atomic():
        waiting = _skip_locked(OutboxEntry.objects.filter(dispatched_at__isnull=True).order_by("id"))
        entries = list(waiting[:limit])
        if not entries:
            return 0
        records: list[tuple[int, int, str, object]] = []
        emptied = (
            0  # entries whose records are gone: handled too, or the caller would stop while entries wait
        )
        for entry in entries:
            room = limit - len(records)
            if room <= 0:
                break
            rows = list(
                HubRecord.objects.filter(
                    id__gte=entry.next_record_id,
                    id__lte=entry.last_record_id,
                    dataset_id=entry.dataset_id,
                    source=entry.source,
                )
                .order_by("id")
                .values_list("id", "dataset_id", "jurisdiction_code", "created_at")[:room]
            )
            records.extend(rows)
            emptied += not rows
            finished = len(rows) < room or rows[-1][0] == entry.last_record_id
            OutboxEntry.objects.filter(pk=entry.pk).update(
                next_record_id=entry.last_record_id + 1 if finished else rows[-1][0] + 1,
                dispatched_at=now if finished else None,
            )
        handled = len(records) + emptied
        subscriptions: dict[int, list[Subscription]] = defaultdict(list)
        for sub in Subscription.objects.filter(
            dataset_id__in={dataset_id for _, dataset_id, _, _ in records},
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
            for record_id, dataset_id, code, _ in records
            for sub in subscriptions.get(dataset_id, ())
            if sub.covers(code)
        ]
        Delivery.objects.bulk_create(deliveries, batch_size=1000, ignore_conflicts=True)
        _count_records(records)
    return handled


def _month(moment) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def _add_to_counts(model, key_fields: tuple[str, ...], counts: Counter) -> None:
    """Add `counts` ({key tuple: n}) to a monthly counter table in one upsert per 500 keys. Keys are sorted, so
    concurrent workers lock counter rows in the same order and cannot deadlock."""
    if not counts:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in key_fields]
    adapt = connection.ops.adapt_datefield_value
    for chunk in _chunks(sorted(counts), 500):
        values = ", ".join([f"({', '.join(['%s'] * (len(columns) + 1))})"] * len(chunk))
        params = [
            v
            for key in chunk
            for v in (*(adapt(part) if isinstance(part, date) else part for part in key), counts[key])
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}, records) VALUES {values} "
                f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET records = {table}.records + excluded.records",
                params,
            )


def _count_records(records) -> None:
    """Fanned-out records into the monthly gathered counts (共享统计：汇聚)."""
    counts = Counter((dataset_id, code, _month(created)) for _, dataset_id, code, created in records)
    _add_to_counts(RecordCount, ("dataset", "jurisdiction_code", "month"), counts)


def _count_deliveries(pairs, now) -> None:
    """Deliveries just marked delivered, as (dataset id, consumer id), into the monthly shared counts."""
    month = _month(now)
    counts = Counter((dataset_id, consumer_id, month) for dataset_id, consumer_id in pairs)
    _add_to_counts(DeliveryCount, ("dataset", "consumer", "month"), counts)


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
        "version": record.dedup_key.hex,
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
                status=DeliveryStatus.PENDING,
                mode=DeliveryMode.PUSH,
                next_attempt_at__lte=now,
                # A deactivated consumer or subscription gets nothing more, queued retries included; they wait
                # (pending) and go out if it is reactivated.
                subscription__is_active=True,
                subscription__consumer__is_active=True,
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
        _count_deliveries(
            [(d.subscription.dataset_id, d.subscription.consumer_id) for d in succeeded if d.pk in mine], now
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
    if not (delivery.subscription.is_active and delivery.subscription.consumer.is_active):
        raise Conflict("该使用方或订阅已停用，重新启用后才能重新投递")
    now = now or timezone.now()
    before = {"status": delivery.status, "attempts": delivery.attempts}
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, lease_until=None, leased_by=""
    )
    delivery.refresh_from_db()
    audit.record(
        HubAuditEvent.DEAD_LETTER_REPLAYED,
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
    waiting = [d.pk for d in rows if d.status == DeliveryStatus.PENDING]
    if waiting:
        # Locked first: of two pulls with the same cursor at once, only one marks (and counts) each delivery.
        mine = set(
            Delivery.objects.select_for_update(of=("self",))
            .filter(id__in=waiting, status=DeliveryStatus.PENDING)
            .values_list("id", flat=True)
        )
        first_time = [d for d in rows if d.pk in mine]
        Delivery.objects.filter(id__in=mine).update(
            status=DeliveryStatus.DELIVERED, delivered_at=now, attempts=F("attempts") + 1
        )
        Disclosure.objects.bulk_create(
            [x for x in (_disclosure(d, now) for d in first_time) if x is not None], ignore_conflicts=True
        )
        _count_deliveries([(d.subscription.dataset_id, consumer.pk) for d in first_time], now)
    items = [{"cursor": d.pk, "idempotency_key": str(d.idempotency_key), **payload(d)} for d in rows]
    return {"items": items, "next_cursor": rows[-1].pk if rows else cursor, "has_more": has_more}
