"""Records into the hub: `publish` (the outbox, inside the caller's transaction) and bulk `ingest`."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import defaultdict
from functools import lru_cache

import orjson
from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter
from psycopg.errors import UniqueViolation

from smartjustice.core import audit
from smartjustice.core.errors import ValidationFailed

from .. import sealing
from ..choices import HubAuditEvent
from ..models import Consumer, Dataset, HubRecord, OutboxEntry
from ..validation import RecordValidator

_CITIZEN_ID = re.compile(r"\d{17}[\dX]")
_CODE = re.compile(r"\d{12}")
MAX_INGEST_RECORDS = 5000  # per API request; ingest() itself takes any number (the benchmark sends 50,000)


def _chunks(items: list, size: int = 1000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- publishing (the outbox) ---------------------------------------------------------------------------------------


def canonical_bytes(data) -> bytes:
    """The record's canonical JSON (sorted keys, no spaces, UTF-8): what its de-duplication key is taken over."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def dedup_key(dataset_id: int, source: str, record_key: str, content: bytes) -> uuid.UUID:
    """The de-duplication key (and version) of a record: SHA-256 over dataset, source, key and canonical JSON."""
    raw = f"{dataset_id}\x1f{source}\x1f{record_key}\x1f".encode() + content
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
    key = dedup_key(dataset.pk, "", record_key, canonical_bytes(data))
    if HubRecord.objects.filter(dedup_key=key).exists():
        return None
    record = HubRecord.objects.create(
        dataset=dataset,
        source="",
        record_key=record_key,
        dedup_key=key,
        data=data,
        jurisdiction_code=jurisdiction_code,
        subject_digest=_person_digest(dataset, data, subject_id_number),
    )
    OutboxEntry.objects.create(
        dataset=dataset,
        source="",
        first_record_id=record.pk,
        last_record_id=record.pk,
        next_record_id=record.pk,
    )
    return record


# --- bulk ingest ---------------------------------------------------------------------------------------------------


def _copy_escape(value: bytes) -> bytes:
    # COPY text format: backslash is the escape character; canonical JSON and checked keys hold no raw tab/newline.
    return value.replace(b"\\", b"\\\\")


class _Batch:
    """One ingest batch, taken chunk by chunk.

    `digest(start, end)` serialises records canonically and derives their de-duplication keys (for the sample that
    picks the path, and for the look-up path); `check(index)` validates a record (schema, key, division), with
    Chinese messages. `_copy_lines` does both inline for the common case. Any invalid record aborts the whole batch, but every record is still checked so the sender gets
    all the errors at once.
    """

    def __init__(self, dataset: Dataset, source: str, records: list, bounds: tuple[str, str] | None):
        self.dataset = dataset
        self.source = source
        self.records = records
        self.bounds = bounds
        self.validator = validator_for(dataset)
        self.errors: dict[str, list[str]] = {}
        self.subjects: dict[str, bytes] = {}
        self.seen: set[str] = set()

    def digest(self, start: int = 0, end: int | None = None) -> list[tuple[int, str, bytes]]:
        """(index, dedup key as 32 hex digits, canonical JSON) per record, first occurrence only."""
        sha256 = hashlib.sha256
        dumps, sort_keys = orjson.dumps, orjson.OPT_SORT_KEYS
        prefix = f"{self.dataset.pk}\x1f{self.source}\x1f"
        seen = self.seen
        rows = []
        records = self.records
        for index in range(start, len(records) if end is None else min(end, len(records))):
            item = records[index]
            data = item.get("data") if isinstance(item, dict) else None
            key = item.get("record_key") if isinstance(item, dict) else None
            try:
                text = dumps(data, option=sort_keys)
            except (TypeError, orjson.JSONEncodeError):
                text = b"null"  # check() reports it: the schema wants an object
            dkey = sha256(f"{prefix}{key}\x1f".encode() + text).hexdigest()[:32]  # as dedup_key()
            if dkey in seen:
                continue
            seen.add(dkey)
            rows.append((index, dkey, text))
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

    def subject_of(self, id_number: str) -> bytes:
        """The person digest of an ID number ("" for anything that is not one), once per batch and person."""
        found = self.subjects.get(id_number)
        if found is None:
            found = self.subjects[id_number] = (
                sealing.subject_digest(id_number).encode() if _CITIZEN_ID.fullmatch(id_number) else b""
            )
        return found

    def subject(self, data: dict) -> bytes:
        field = self.dataset.subject_field
        value = data.get(field) if field else None
        return self.subject_of(value) if type(value) is str else b""

    def fail(self) -> ValidationFailed:
        count = len({k.split(".")[0] for k in self.errors})
        return ValidationFailed(f"有 {count} 条记录未通过校验，本批次未入库", fields=self.errors)


_INGEST_LOCK = 0x68756221  # advisory-lock namespace of hub ingest ("hub!"), with the dataset id
_CHUNK = 5_000  # records digested, checked and queued per step
_FIRST_CHUNK = 500
_PROBE = 256  # stored keys looked for before choosing the optimistic path
_RECORD_COLUMNS = "dedup_key, dataset_id, source, record_key, data, jurisdiction_code, subject_digest"


def _stored_keys(cursor, keys: list[str]) -> set[str]:
    """Which of these dedup keys (32 hex digits) are stored already: one index probe per key."""
    found: set[str] = set()
    for chunk in _chunks(keys, 1000):  # small arrays keep the planner on the unique index at any table size
        cursor.execute(
            "SELECT replace(dedup_key::text, '-', '') FROM hub_hubrecord WHERE dedup_key = ANY(%s::uuid[])",
            [chunk],
        )
        found.update(key for (key,) in cursor.fetchall())
    return found


def _copy_lines(batch: _Batch, start: int, end: int, skip: set[str]) -> list[bytes]:
    """COPY lines for records start..end: checked, digested, repeats and `skip`ped keys left out.

    The same work as check() and digest(), inlined for the common case of a valid record (this loop is the
    Python half of bulk ingest); anything the fast checks doubt goes through check() for its Chinese messages.
    """
    records, bounds, seen = batch.records, batch.bounds, batch.seen
    fast = batch.validator.fast or (lambda data: False)
    dumps, sort_keys, sha256 = orjson.dumps, orjson.OPT_SORT_KEYS, hashlib.sha256
    prefix = f"{batch.dataset.pk}\x1f{batch.source}\x1f"
    head = f"{batch.dataset.pk}\t{batch.source}\t".encode()
    subject_field, subject_of = batch.dataset.subject_field, batch.subject_of
    lines: list[bytes] = []
    keys: set[str] = set()
    for index in range(start, min(end, len(records))):
        item = records[index]
        if type(item) is dict:
            key, code, data = item.get("record_key"), item.get("jurisdiction_code"), item.get("data")
            ok = (
                type(key) is str
                and 0 < len(key) <= 128
                and key.isprintable()
                and type(code) is str
                and len(code) == 12
                and code.isdigit()
                and (bounds is None or bounds[0] <= code <= bounds[1])
                and fast(data)
            )
        else:
            ok = False
        if not ok and not batch.check(index) or batch.errors:
            continue  # keep checking to report every bad record; write nothing more
        text = dumps(data, option=sort_keys)
        dkey = sha256(f"{prefix}{key}\x1f".encode() + text).hexdigest()[:32]  # as dedup_key()
        if dkey in seen or dkey in skip:
            continue
        seen.add(dkey)
        person = data.get(subject_field) if subject_field else None
        person = subject_of(person) if type(person) is str else b""
        if b"\\" in text:
            text = _copy_escape(text)
        keys.add(key)
        if "\\" in key:
            key = key.replace("\\", "\\\\")
        lines.append(
            b"%s\t%s%s\t%s\t%s\t%s\n" % (dkey.encode(), head, key.encode(), text, code.encode(), person)
        )
    # In dedup-key order the unique index takes a chunk's keys as neighbours (a quarter less server time than in
    # arrival order). Order among different records of one batch means nothing; two versions of one record keep
    # theirs, since a chunk that holds a record key twice is left as it came.
    if len(keys) == len(lines):
        lines.sort()  # each line starts with its dedup key
    return lines


def _copy_batch(cursor, batch: _Batch, *, skip: set[str]) -> int:
    """Stream the batch's records into the record table with one COPY; returns how many rows were written.

    Chunk by chunk, this thread checks, digests and formats records while a writer thread streams the previous
    chunk, so PostgreSQL parses and indexes on one core while Python works on the other. Ids come from the
    table's identity column and created_at from its database default (the transaction's time).
    """
    written = 0
    with cursor.copy(
        f"COPY hub_hubrecord ({_RECORD_COLUMNS}) FROM STDIN", writer=QueuedLibpqWriter(cursor)
    ) as copy:
        start = 0
        while start < len(batch.records):
            # A small first chunk gets the server going sooner; it then works while this thread does the rest.
            end = start + (_CHUNK if start else _FIRST_CHUNK)
            lines = _copy_lines(batch, start, end, skip)
            if not batch.errors:
                written += len(lines)
                copy.write(b"".join(lines))
            start = end
        if batch.errors:
            raise batch.fail()
    return written


def _store_postgres(batch: _Batch) -> list[tuple[int, int, int]]:
    """COPY the batch's new records into the record table; returns [(first id, last id, rows)].

    Optimistic path: when none of a sample of the batch's keys is stored, the whole batch is COPYed at once and
    the unique index on dedup_key is the check (a savepoint catches the rare duplicate). Otherwise, and after a
    duplicate, the batch's keys are looked up first and only new records are COPYed. A transaction-scoped advisory
    lock per dataset serialises ingests of one dataset, so "look up, then COPY" is safe and the ids drawn between
    the two sequence reads below belong to this batch unless another dataset or source took them.
    """
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_INGEST_LOCK, batch.dataset.pk])
        raw.execute("SELECT nextval(pg_get_serial_sequence('hub_hubrecord', 'id'))")
        (before,) = raw.fetchone()
        sample = [row[1] for row in batch.digest(0, _PROBE)]
        batch.seen.clear()
        written = None
        if not _stored_keys(raw, sample):
            try:
                with transaction.atomic():
                    written = _copy_batch(raw, batch, skip=set())
            except UniqueViolation:
                batch.seen.clear()
        if written is None:  # some of the batch is stored already
            keys = [row[1] for row in batch.digest()]
            batch.seen.clear()
            written = _copy_batch(raw, batch, skip=_stored_keys(raw, keys))
        if not written:
            return []
        raw.execute("SELECT currval(pg_get_serial_sequence('hub_hubrecord', 'id'))")
        (last,) = raw.fetchone()
    return [(before + 1, last, written)]


def _store_portable(batch: _Batch) -> list[tuple[int, int, int]]:
    rows = batch.digest()
    for index in range(len(batch.records)):
        batch.check(index)
    if batch.errors:
        raise batch.fail()
    stored: list[int] = []
    records = batch.records
    for chunk in _chunks(rows, 500):
        keys = [uuid.UUID(row[1]) for row in chunk]
        existing = {
            k.hex for k in HubRecord.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True)
        }
        new = [row for row in chunk if row[1] not in existing]
        HubRecord.objects.bulk_create(
            [
                HubRecord(
                    dataset=batch.dataset,
                    source=batch.source,
                    record_key=records[index]["record_key"],
                    dedup_key=uuid.UUID(dkey),
                    data=records[index]["data"],
                    jurisdiction_code=records[index]["jurisdiction_code"],
                    subject_digest=batch.subject(records[index]["data"]).decode(),
                )
                for index, dkey, _ in new
            ],
            ignore_conflicts=True,
        )
        stored.extend(
            HubRecord.objects.filter(dedup_key__in=[uuid.UUID(row[1]) for row in new])
            .order_by("id")
            .values_list("id", flat=True)
        )
    ranges: list[tuple[int, int, int]] = []
    for pk in sorted(stored):  # consecutive ids make one outbox entry
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], pk, ranges[-1][2] + 1)
        else:
            ranges.append((pk, pk, 1))
    return ranges


def ingest(dataset: Dataset, *, source: Consumer | str, records: list, actor=None) -> dict:
    """Bulk ingest from an external system: all records valid or none stored; duplicates stored once.

    Returns {received, stored, duplicates}. On PostgreSQL the new rows are COPYed into the record table (see
    _store_postgres); elsewhere they go through bulk_create. One outbox entry per run of consecutive new ids, and
    one transaction either way.
    """
    source_code = source.code if isinstance(source, Consumer) else source
    if not source_code:
        raise ValidationFailed("报送来源不能为空")  # "" is the platform's own modules (publish)
    bounds = source.jurisdiction.bounds() if isinstance(source, Consumer) else None
    if not dataset.is_active:
        raise ValidationFailed(f"数据集“{dataset.name}”已停用")
    batch = _Batch(dataset, source_code, records, bounds)
    with transaction.atomic():
        store = _store_postgres if connection.vendor == "postgresql" else _store_portable
        ranges = store(batch)
        OutboxEntry.objects.bulk_create(
            [
                OutboxEntry(
                    dataset=dataset,
                    source=source_code,
                    first_record_id=first,
                    last_record_id=last,
                    next_record_id=first,
                )
                for first, last, _ in ranges
            ]
        )
        stored = sum(rows for _, _, rows in ranges)
        audit.record(
            HubAuditEvent.RECORDS_INGESTED,
            obj=dataset,
            actor=actor,
            detail=f"来源 {source_code} 批量报送 {len(records)} 条：新入库 {stored} 条，重复 {len(records) - stored} 条",
        )
    return {"received": len(records), "stored": stored, "duplicates": len(records) - stored}
