"""The base of every domain record: restricted reads and audited writes, so no module can forget either."""

from __future__ import annotations

from typing import ClassVar

from django.db import models, transaction
from django.db.models.expressions import Combinable


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows the one access policy (core.access) and audits bulk writes row by row."""

    def restrict(self, user, action: str = "view"):
        from .. import access

        return access.restrict(self, user, action)

    def update(self, **kwargs):
        # Row by row through save(), so each change gets its before/after audit entry.
        count = 0
        with transaction.atomic(using=self.db):
            for obj in self:
                for name, value in kwargs.items():
                    setattr(obj, name, value)
                obj.save(update_fields=list(kwargs))
                if any(isinstance(v, Combinable) for v in kwargs.values()):
                    obj.refresh_from_db(fields=list(kwargs))
                count += 1
        return count

    update.alters_data = True

    def delete(self):
        deleted = 0
        with transaction.atomic(using=self.db):
            for obj in self:
                n, _ = obj.delete()
                deleted += n
        return deleted, {self.model._meta.label: deleted}

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from .. import audit

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            audit.record_created_many(created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        with transaction.atomic(using=self.db):
            for obj in objs:
                obj.save(update_fields=list(fields))
        return len(objs)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


class AuditedModelMixin(models.Model):
    """Records create/update/delete in the audit trail from save() and delete() themselves (see core.audit)."""

    # Access declarations read by core.access (see docs/architecture.md):
    jurisdiction_field: ClassVar[str | None] = "jurisdiction"  # path to the Jurisdiction (or a 12-digit code)
    owner_field: ClassVar[str | None] = None  # path to the owning User, for portal users' own records
    owner_actions: ClassVar[tuple[str, ...]] = ("view",)
    # Per action, who may act (core.access documents the kinds): e.g. {"view": ("public",), "change": ("platform",)}.
    # An action not named falls back to "*", then to ("jurisdiction",) — the jurisdiction range, as before.
    access_scopes: ClassVar[dict[str, tuple[str, ...]]] = {}
    organisation_field: ClassVar[str | None] = (
        "organisation"  # path to the owning Organisation ("organisation" scope)
    )
    domain_field: ClassVar[str | None] = None  # path to the record's domain code ("domain" scope)
    # Personal information: masked in lists, exports and the trail; unmasked views are logged.
    pii_fields: ClassVar[tuple[str, ...]] = ()
    audit_exclude: ClassVar[tuple[str, ...]] = ("updated_at",)
    audit_secret_fields: ClassVar[tuple[str, ...]] = ()  # changes recorded without their values

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from .. import audit

        adding = self._state.adding
        loaded = None if adding else audit.loaded_values(self)
        before = None if loaded is None else audit.snapshot_values(self, loaded)
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            super().save(*args, **kwargs)
            after = audit.snapshot(self)
            # Inside an audit.operation this merges into (or is a sub-step of) its one entry; outside, its own entry.
            audit.record_change(self, before=before, after=after, secrets=audit.secrets_changed(self, loaded))
        self._audit_loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        from .. import audit

        before = audit.snapshot(self)
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            audit.record_change(self, before=before, after=None)
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = dict(zip(field_names, values, strict=False))
        return instance


class DomainModel(AuditedModelMixin):
    """A business record: timestamps, restricted manager, audited writes."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RestrictedManager()

    class Meta:
        abstract = True
