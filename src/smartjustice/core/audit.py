"""Writing the audit trail: one entry per business operation, with its sub-steps linked to it.

A service opens `audit.operation(event, obj=..., actor=...)` around one operation. Inside it, saves of the primary
object merge into the operation's one entry (before/after, changed fields); saves of other audited records, workflow
transitions, stored attachments, generated documents and explicit record() calls become sub-steps linked to that
entry (AuditEntry.parent), all with the operation's actor. A save outside any operation still writes its own entry
(record_change, called by AuditedModelMixin.save), so no audited record changes without one.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
import uuid

from django.db import transaction

from . import context, privacy
from .choices import AuditEvent, AuditEventChoices
from .models.audit import AuditEntry

SECRET = "[已隐藏]"


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return value


def _clean(model, values: dict) -> dict:
    """JSON-safe values; personal information masked and secrets hidden, so the trail itself leaks nothing."""
    exclude = set(getattr(model, "audit_exclude", ()))
    secret = set(getattr(model, "audit_secret_fields", ()))
    pii = set(getattr(model, "pii_fields", ()))
    out = {}
    for name, value in values.items():
        if name in exclude:
            continue
        if name in secret:
            out[name] = SECRET if value else ""
        elif name in pii:
            out[name] = privacy.mask_field(name, value)
        else:
            out[name] = _json_value(value)
    return out


def snapshot(obj) -> dict:
    return _clean(type(obj), {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields})


def loaded_values(obj) -> dict | None:
    """The record's raw values as they were read from the database (before this save), or None if it is gone."""
    loaded = getattr(obj, "_audit_loaded", None)
    if loaded is None:
        # values() uses attnames for foreign keys, like concrete_fields
        loaded = type(obj)._base_manager.using(obj._state.db or "default").filter(pk=obj.pk).values().first()
    return loaded


def snapshot_values(obj, values: dict) -> dict:
    """Raw values of `obj`'s fields, masked like snapshot()."""
    return _clean(type(obj), values)


def snapshot_loaded(obj) -> dict | None:
    """The record as it was read from the database (before this save), masked like snapshot()."""
    loaded = loaded_values(obj)
    return None if loaded is None else _clean(type(obj), loaded)


def secrets_changed(obj, loaded: dict | None) -> list[str]:
    """Secret fields whose value changed: their masked values look alike, so compare the raw ones."""
    if loaded is None:
        return []
    return [
        name
        for name in getattr(type(obj), "audit_secret_fields", ())
        if name in loaded and loaded[name] != getattr(obj, name, None)
    ]


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    if before is None or after is None:
        return sorted((after or before or {}).keys())
    # Only fields that were loaded can be compared (a deferred field was never seen, so it is not "changed").
    return sorted(k for k in after if k in before and before[k] != after[k])


def jurisdiction_code_of(obj) -> str:
    """The 12-digit code that scopes a record (so auditors only see their own jurisdiction's trail); platform-owned
    records (no jurisdiction) carry the province's code (core.access.jurisdiction_code_of)."""
    from . import access

    return access.jurisdiction_code_of(obj)


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_name": "系统"}
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_name": getattr(actor, "display_name", "") or actor.get_username(),
    }


def _entry(
    event,
    *,
    obj=None,
    actor,
    before: dict | None = None,
    after: dict | None = None,
    changed: list[str] | None = None,
    detail: str = "",
    jurisdiction_code: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """An unsaved entry, with the request's id, channel and address."""
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or ("" if obj.pk is None else str(obj.pk))
        object_repr = object_repr or str(obj)[:200]
        if jurisdiction_code is None:
            jurisdiction_code = jurisdiction_code_of(obj)
    return AuditEntry(
        event=event,
        request_id=ctx.request_id,
        channel=ctx.channel,
        ip=ctx.ip,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        jurisdiction_code=jurisdiction_code or "",
        before=before,
        after=after,
        changed_fields=changed if changed is not None else changed_fields(before, after),
        detail=(detail or "")[:500],
        **_actor_fields(actor),
    )


# --- operations ----------------------------------------------------------------------------------------------


class _New:
    """operation(obj=NEW): the operation is about the record it creates (the first audited record created in it)."""

    def __repr__(self) -> str:
        return "audit.NEW"


NEW = _New()

_operation: contextvars.ContextVar[Operation | None] = contextvars.ContextVar(
    "smartjustice_audit_operation", default=None
)


def _same_record(a, b) -> bool:
    if a is None or b is None:
        return False
    if a is b:
        return True
    return a._meta.label_lower == b._meta.label_lower and a.pk is not None and a.pk == b.pk


class Operation:
    """One business operation being recorded (see operation()); the service may set `obj` and `detail` inside."""

    def __init__(
        self,
        event,
        *,
        obj,
        actor,
        detail: str,
        before: dict | None,
        outer: Operation | None,
        object_type: str = "",
        jurisdiction_code: str | None = None,
    ):
        self.event = event
        self._adopts_new = obj is NEW
        self.obj = None if obj is NEW else obj
        self.actor = actor
        self.detail = detail
        self.object_type = object_type
        self.jurisdiction_code = jurisdiction_code
        self.outer = outer
        self.entry: AuditEntry | None = None  # the written entry, once the operation has finished
        self.steps: list[AuditEntry] = []
        obj = self.obj
        self._created = obj is not None and obj.pk is None
        self._deleted = False
        self._before = before
        if before is None and obj is not None and obj.pk is not None:
            self._before = snapshot_loaded(obj) if hasattr(obj, "_audit_loaded") else snapshot(obj)
        self._after: dict | None = None
        self._noted_before: dict = {}
        self._noted_after: dict = {}
        self._noted_changed: set[str] = set()

    # --- what happens inside -------------------------------------------------------------------------------

    def note(self, *, before: dict | None = None, after: dict | None = None, changed=()) -> None:
        """Add values the saves cannot show (a rotated secret, a count, a derived fact) to the operation's entry."""
        self._noted_before.update(before or {})
        self._noted_after.update(after or {})
        self._noted_changed.update(changed)

    def _claims(self, obj, *, creating: bool) -> bool:
        if self._adopts_new and self.obj is None and creating:
            # Opened with obj=NEW: the operation is about the record it creates.
            self.obj, self._created = obj, True
            return True
        return _same_record(self.obj, obj)

    def _merge_save(self, before: dict | None, after: dict | None, secrets: list[str]) -> None:
        if after is None:
            self._deleted = True
            if self._before is None:
                self._before = before
        elif before is None:
            self._created, self._after = True, after
        else:
            if self._before is None and not self._created:
                self._before = before
            self._after = after
            self._noted_changed.update(secrets)

    def _merge_values(self, before: dict | None, after: dict | None) -> None:
        for name, value in (before or {}).items():
            if self._before is not None and not self._created:
                self._before.setdefault(name, value)
        self._after = {**(self._after or self._before or {}), **(after or {})}

    # --- the entry -----------------------------------------------------------------------------------------

    def _build(self) -> AuditEntry:
        if self._deleted:
            before, after = self._before, None
            changed = sorted((before or {}).keys())
        elif self._created:
            before, after = None, {**(self._after or {}), **self._noted_after}
            changed = sorted(after)
        else:
            full_before, full_after = self._before or {}, self._after
            names = set(changed_fields(full_before, full_after)) if full_after is not None else set()
            names |= self._noted_changed | set(self._noted_after) | set(self._noted_before)
            before = {n: full_before.get(n) for n in names if n in full_before}
            before.update(self._noted_before)
            after = {n: full_after.get(n) for n in names if full_after and n in full_after}
            after.update(self._noted_after)
            changed = sorted(names)
            before, after = before or None, after or None
        return _entry(
            self.event,
            obj=self.obj,
            actor=self.actor,
            before=before,
            after=after,
            changed=changed,
            detail=self.detail,
            object_type=self.object_type,
            jurisdiction_code=self.jurisdiction_code,
        )

    def _finish(self) -> None:
        entry = self._build()
        if self.outer is not None:
            # A nested operation (a service calling another) is a sub-step of the outer one, with its own steps.
            self.outer.steps.extend([entry, *self.steps])
            self.entry = entry
            return
        entry.save()
        for step in self.steps:
            step.parent = entry
        AuditEntry.objects.bulk_create(self.steps)
        self.entry = entry


@contextlib.contextmanager
def operation(
    event: AuditEventChoices,
    *,
    obj,
    actor,
    detail: str = "",
    before: dict | None = None,
    object_type: str = "",
    jurisdiction_code: str | None = None,
):
    """Record one business operation as ONE entry with typed `event`, done by `actor` (None for the system).

    `obj` is the operation's record: an existing one, audit.NEW for the first record created inside the block, or
    None for an operation about no one record (then `object_type` may name the kind it touches); the entry is filed
    under the record's jurisdiction unless `jurisdiction_code` says otherwise. Its saves merge
    into the entry's before/after (`before` overrides the snapshot taken on entry); every other audited write,
    transition, attachment, document and record() inside becomes a sub-step linked to the entry, with `actor`.
    Runs in one transaction; if the block raises, nothing is recorded (and nothing it wrote stays).
    """
    op = Operation(
        event,
        obj=obj,
        actor=actor,
        detail=detail,
        before=before,
        outer=_operation.get(),
        object_type=object_type,
        jurisdiction_code=jurisdiction_code,
    )
    token = _operation.set(op)
    try:
        with transaction.atomic():
            yield op
            op._finish()
    finally:
        _operation.reset(token)


def current_operation() -> Operation | None:
    """The innermost operation being recorded, if any."""
    return _operation.get()


def _owner_of(obj) -> Operation | None:
    """The outermost open operation whose primary record is `obj` (its changes merge into that entry)."""
    found, op = None, _operation.get()
    while op is not None:
        if _same_record(op.obj, obj):
            found = op
        op = op.outer
    return found


def _acting(actor=None):
    if actor is not None:
        return actor
    op = _operation.get()
    return op.actor if op is not None else context.current().actor


# --- writing -------------------------------------------------------------------------------------------------


def record(
    event: AuditEventChoices,
    *,
    obj=None,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    changed: list[str] | None = None,
    detail: str = "",
    jurisdiction_code: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry; inside an operation it becomes a sub-step (written, linked, when the operation ends).

    Call it inside the service's transaction so it commits or rolls back with the write. Prefer operation() for a
    service's own business event; record() is for events that are not a write (sign-in, export, a view).
    """
    op = _operation.get()
    entry = _entry(
        event,
        obj=obj,
        actor=_acting(actor),
        before=before,
        after=after,
        changed=changed,
        detail=detail,
        jurisdiction_code=jurisdiction_code,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
    )
    if op is None:
        entry.save()
        return entry
    if event == AuditEvent.WORKFLOW_TRANSITION and obj is not None:
        owner = _owner_of(obj)
        if owner is not None:
            owner._merge_values(before, after)  # the state change belongs to the operation's before/after
    op.steps.append(entry)
    return entry


def record_change(
    obj, *, before: dict | None, after: dict | None, secrets: list[str] | None = None
) -> AuditEntry | None:
    """Called by every audited save/delete: merge into the open operation, add a sub-step, or write an entry."""
    secrets = list(secrets or ())
    op = _operation.get()
    if op is not None:
        owner = _owner_of(obj)
        if owner is None and op._claims(obj, creating=before is None and after is not None):
            owner = op
        if owner is not None:
            owner._merge_save(before, after, secrets)
            return None
    if before is None and after is not None:
        return record(AuditEvent.OBJECT_CREATED, obj=obj, after=after)
    if after is None:
        return record(AuditEvent.OBJECT_DELETED, obj=obj, before=before)
    changed = sorted(set(changed_fields(before, after)) | set(secrets))
    if not changed:
        return None  # a save that changed nothing is not an event
    return record(
        AuditEvent.OBJECT_UPDATED,
        obj=obj,
        before={k: before.get(k) for k in changed},
        after={k: after.get(k) for k in changed},
        changed=changed,
    )


def record_created_many(objs) -> None:
    """Bulk-created records: one creation entry each (sub-steps inside an operation)."""
    entries = [
        _entry(AuditEvent.OBJECT_CREATED, obj=o, actor=_acting(), after=snapshot(o), changed=[]) for o in objs
    ]
    op = _operation.get()
    if op is not None:
        op.steps.extend(entries)
    else:
        AuditEntry.objects.bulk_create(entries)


def record_pii_view(
    obj, *, actor=None, fields: tuple[str, ...] | None = None, channel_detail: str = ""
) -> AuditEntry | None:
    """Log that someone saw a record's personal information unmasked."""
    fields = tuple(fields if fields is not None else getattr(type(obj), "pii_fields", ()))
    shown = [f for f in fields if getattr(obj, f, "")]
    if not shown:
        return None
    detail = "查看字段：" + "、".join(str(obj._meta.get_field(f).verbose_name) for f in shown)
    if channel_detail:
        detail += f"（{channel_detail}）"
    return record(AuditEvent.PII_VIEWED, obj=obj, actor=actor, changed=shown, detail=detail)


def object_type_label(object_type: str) -> str:
    """The Chinese name of a stored record type (e.g. core.user → 用户); the code itself if no model has it now."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_label(entry: AuditEntry) -> str:
    """How an entry names its record for people: 用户 #2, not core.user #2."""
    if not entry.object_type:
        return ""
    label = object_type_label(entry.object_type)
    return f"{label} #{entry.object_id}" if entry.object_id else label


def object_type_choices(*, extra: str = "") -> list[tuple[str, str]]:
    """(stored type, Chinese name) of every record type the trail may name, for the audit page's filter."""
    from django.apps import apps

    types = {
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("smartjustice.") and model is not AuditEntry
    }
    if extra and object_type_label(extra) != extra:
        types.add(extra)
    labelled = [(t, object_type_label(t)) for t in types]
    # Two apps may name a model alike; the code tells them apart.
    counts: dict[str, int] = {}
    for _, label in labelled:
        counts[label] = counts.get(label, 0) + 1
    return sorted(
        ((t, label if counts[label] == 1 else f"{label}（{t}）") for t, label in labelled),
        key=lambda choice: choice[1],
    )


def object_types_named(name: str) -> list[str]:
    """The stored types a filter value means: the type itself, or every type whose Chinese name it is."""
    name = (name or "").strip()
    named = [t for t, label in object_type_choices() if name in (t, label, object_type_label(t))]
    return named or [name]
