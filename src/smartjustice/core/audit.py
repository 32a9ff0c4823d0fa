"""Writing the audit trail. Model saves call record_change(); services call record() for business events."""

from __future__ import annotations

import datetime
import decimal
import uuid

from . import context, privacy
from .choices import AuditEvent
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


def snapshot_loaded(obj) -> dict | None:
    """The record as it was read from the database (before this save)."""
    loaded = getattr(obj, "_audit_loaded", None)
    if loaded is None:
        loaded = type(obj)._base_manager.using(obj._state.db or "default").filter(pk=obj.pk).values().first()
        if loaded is None:
            return None
        # values() uses attnames for foreign keys, like concrete_fields
    return _clean(type(obj), loaded)


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    if before is None or after is None:
        return sorted((after or before or {}).keys())
    # Only fields that were loaded can be compared (a deferred field was never seen, so it is not "changed").
    return sorted(k for k in after if k in before and before[k] != after[k])


def jurisdiction_code_of(obj) -> str:
    """The 12-digit code that scopes a record (so auditors only see their own jurisdiction's trail)."""
    path = getattr(type(obj), "jurisdiction_field", None)
    if not path:
        return ""
    *parents, last = path.split("__")
    value = obj
    for part in parents:
        value = getattr(value, part, None)
        if value is None:
            return ""
    if hasattr(value, f"{last}_id"):
        return getattr(value, f"{last}_id") or ""
    value = getattr(value, last, None)
    return value if isinstance(value, str) else getattr(value, "code", "") or ""


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "actor_name": "系统"}
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_name": getattr(actor, "display_name", "") or actor.get_username(),
    }


def record(
    event: AuditEvent,
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
    """Append one entry; call it inside the service's transaction so it commits or rolls back with the write."""
    ctx = context.current()
    actor = actor if actor is not None else ctx.actor
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if jurisdiction_code is None:
            jurisdiction_code = jurisdiction_code_of(obj)
    return AuditEntry.objects.create(
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
        detail=detail[:500],
        **_actor_fields(actor),
    )


def record_change(obj, *, before: dict | None, after: dict | None) -> AuditEntry | None:
    if before is None and after is not None:
        return record(AuditEvent.OBJECT_CREATED, obj=obj, after=after)
    if after is None:
        return record(AuditEvent.OBJECT_DELETED, obj=obj, before=before)
    changed = changed_fields(before, after)
    if not changed:
        return None  # a save that changed nothing is not an event
    return record(
        AuditEvent.OBJECT_UPDATED,
        obj=obj,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
        changed=changed,
    )


def record_created_many(objs) -> None:
    ctx = context.current()
    actor = _actor_fields(ctx.actor)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                event=AuditEvent.OBJECT_CREATED,
                request_id=ctx.request_id,
                channel=ctx.channel,
                ip=ctx.ip,
                object_type=o._meta.label_lower,
                object_id=str(o.pk),
                object_repr=str(o)[:200],
                jurisdiction_code=jurisdiction_code_of(o),
                after=snapshot(o),
                changed_fields=[],
                **actor,
            )
            for o in objs
        ]
    )


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
