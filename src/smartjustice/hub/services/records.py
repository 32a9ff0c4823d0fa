"""Records into the hub: `publish` (the outbox, inside the caller's transaction) and bulk `ingest`."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import defaultdict
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from smartjustice.core import audit
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import ValidationFailed

from .. import sealing
from ..models import Consumer, Dataset, HubRecord, OutboxEntry
from ..validation import RecordValidator

_CITIZEN_ID = re.compile(r"\d{17}[\dX]")
_CODE = re.compile(r"\d{12}")
MAX_INGEST_RECORDS = 5000  # per API request; ingest() itself takes any number (the benchmark sends 50,000)


def _chunks(items: list, size: int = 1000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
