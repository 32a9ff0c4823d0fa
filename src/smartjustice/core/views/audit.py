"""The audit trail for auditors: operations with their sub-steps, filters (event, actor, record type, dates), and
one entry's before/after."""

from datetime import datetime, time

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import render
from django.utils import timezone

from .. import access, queries
from ..forms import AuditFilterForm
from ..pagination import page_of
from .guards import staff_required


def _require_auditor(user) -> None:
    access.require_permission(user, "core.view_auditentry")


@staff_required
def audit_list(request):
    _require_auditor(request.user)
    filters = AuditFilterForm(request.GET)
    values = filters.values()
    # Whole days in local time: "until 3 May" includes everything on 3 May.
    if values["since"]:
        values["since"] = timezone.make_aware(datetime.combine(values["since"], time.min))
    if values["until"]:
        values["until"] = timezone.make_aware(datetime.combine(values["until"], time.max))
    page = page_of(queries.list_audit_entries(request.user, **values), request, per_page=30)
    return render(request, "core/audit/list.html", {"filters": filters, "page": page})


@staff_required
def audit_detail(request, pk: int):
    _require_auditor(request.user)
    entry = queries.get_audit_entry_for(request.user, pk)
    parent = None
    if entry.parent_id:
        parent = (
            queries.list_audit_entries(request.user, include_steps=True).filter(pk=entry.parent_id).first()
        )
    return render(
        request,
        "core/audit/detail.html",
        {"entry": entry, "parent": parent, "steps": entry.visible_steps, "changes": _changes(entry)},
    )


def _changes(entry) -> list[dict]:
    """Rows of field label / before / after, changed fields first (values are already masked by core.audit)."""
    before, after = entry.before or {}, entry.after or {}
    names = list(dict.fromkeys([*(entry.changed_fields or []), *after, *before]))
    changed = set(entry.changed_fields or [])
    return [
        {
            "name": name,
            "label": _field_label(entry.object_type, name),
            "before": before.get(name, ""),
            "after": after.get(name, ""),
            "changed": name in changed or before.get(name) != after.get(name),
        }
        for name in names
    ]


def _field_label(object_type: str, name: str) -> str:
    try:
        model = apps.get_model(object_type)
        field = next((f for f in model._meta.concrete_fields if name in (f.name, f.attname)), None)
        if field is None:
            raise FieldDoesNotExist(name)
        return str(field.verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
