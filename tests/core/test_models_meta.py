"""Meta-tests: every model is audited (or exempt with a reason) and declares a coherent access scope."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from smartjustice.core.models import Jurisdiction
from smartjustice.core.models.base import AuditedModelMixin

# Models whose writes are not audited row by row, each with the reason. Add to this only with a reason a reviewer
# would accept: an unaudited record is a record whose history nobody can reconstruct.
UNAUDITED = {
    "core.jurisdiction": "reference data (statistical division codes); imported in bulk with one DATA_IMPORTED entry",
    "core.role": "reference data synced from core/data/roles.json on migrate; assignments are ROLES_CHANGED entries",
    "core.auditentry": "is the trail itself (append-only, guarded by database triggers)",
    "core.transitionrecord": "append-only workflow history; each transition also writes a WORKFLOW_TRANSITION entry",
    "core.documentsequence": "a numbering counter; every number it issues is in that document's DOCUMENT_GENERATED entry",
    "core.notification": "a message derived from an event already in the trail; only its read flag ever changes",
    "statutes.law": "public reference data; imported in bulk by `laws import` with one DATA_IMPORTED entry",
    "statutes.article": "public reference data; imported in bulk with its law (one DATA_IMPORTED entry)",
    "statutes.paragraph": "public reference data; imported in bulk with its law (one DATA_IMPORTED entry)",
    "statutes.item": "public reference data; imported in bulk with its law (one DATA_IMPORTED entry)",
    "statutes.searchentry": "derived full-text index, rebuilt from the articles",
    "statutes.articlereference": "derived index of citations; replaced wholesale by register_citations",
    "ledger.ledgerentry": "append-only Merkle log leaves: tamper-evident by signed checkpoints; the entry's own module audits the act it records",
    "ledger.node": "derived Merkle subtree hashes, recomputable from the entries",
    "ledger.checkpoint": "signed tree heads: self-authenticating, published on the transparency page",
    "ledger.cosignature": "witness signatures, verified on receipt and published with their checkpoint",
    "hub.hubrecord": "shared-data store written by hub.publish inside the publishing module's audited transaction, or by bulk ingest with one DATA_IMPORTED entry per batch (a million rows)",
    "hub.outboxentry": "transport state of the outbox (one row per published record or ingest batch, with fan-out progress)",
    "hub.recordcount": "derived monthly counters, advanced by fan-out in the transaction that marks the records fanned out",
    "hub.deliverycount": "derived monthly counters, advanced in the transaction that marks deliveries delivered",
    "hub.delivery": "transport state (attempts, leases); replays write their own audit entries, deliveries of personal data are in hub.disclosure",
    "hub.disclosure": "append-only log of personal data given to consumers: itself the record the person sees",
    "correction.gpspoint": "GPS points arrive in batches of thousands (province scale: tens of thousands of subjects every few minutes): one GPS_BATCH_INGESTED entry per batch with the counts; each point is immutable and stored once",
    "correction.trackersnapshot": "derived state of the breach tracker (correction/alerting.py), rebuilt from the points; the alerts it raises are audited",
}

ACTIONS = {"view", "add", "change", "delete", "export"}


def project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("smartjustice.")
        and not model._meta.auto_created
        and not model._meta.proxy
    ]


def resolve(model, path: str):
    """The field at the end of a `a__b__c` path, or raise AssertionError naming the broken part."""
    field = None
    current = model
    for part in path.split("__"):
        if part == "pk":
            field = current._meta.pk
            continue
        try:
            field = current._meta.get_field(part)
        except Exception as exc:
            raise AssertionError(
                f"{model._meta.label}: {path!r} — no field {part!r} on {current._meta.label}"
            ) from exc
        if field.is_relation:
            current = field.related_model
    return field


def test_there_are_models_to_check():
    labels = {m._meta.label_lower for m in project_models()}
    assert {"core.user", "core.organisation", "core.apitoken", "core.auditentry"} <= labels


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m._meta.label_lower)
def test_every_model_is_audited_or_exempt_with_a_reason(model):
    label = model._meta.label_lower
    if issubclass(model, AuditedModelMixin):
        assert label not in UNAUDITED, f"{label} is audited; remove its exemption"
    else:
        assert UNAUDITED.get(label, "").strip(), (
            f"{label} does not subclass core.models.base.AuditedModelMixin (or DomainModel) and is not exempt"
        )


def test_every_exemption_names_an_existing_model():
    labels = {m._meta.label_lower for m in project_models()}
    assert set(UNAUDITED) <= labels, f"stale exemptions: {sorted(set(UNAUDITED) - labels)}"


SCOPED = [m for m in project_models() if hasattr(m, "jurisdiction_field")]


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label_lower)
def test_access_declarations_point_at_real_fields(model):
    label = model._meta.label
    jurisdiction_path = model.jurisdiction_field
    owner_path = model.owner_field
    assert jurisdiction_path or owner_path, (
        f"{label} declares neither a jurisdiction nor an owner: anyone could see it"
    )
    if jurisdiction_path:
        field = resolve(model, jurisdiction_path)
        points_at_division = field.is_relation and field.related_model is Jurisdiction
        holds_a_code = isinstance(field, models.CharField) and field.max_length == 12
        assert points_at_division or holds_a_code, (
            f"{label}.jurisdiction_field {jurisdiction_path!r} is neither a Jurisdiction nor a 12-digit code"
        )
    if owner_path:
        field = resolve(model, owner_path)
        is_the_user = owner_path == "pk" and model._meta.label == settings.AUTH_USER_MODEL
        points_at_user = field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL
        assert is_the_user or points_at_user, f"{label}.owner_field {owner_path!r} does not lead to a user"
    assert set(getattr(model, "owner_actions", ())) <= ACTIONS, f"{label}.owner_actions has unknown actions"


@pytest.mark.parametrize(
    "model",
    [m for m in project_models() if issubclass(m, AuditedModelMixin)],
    ids=lambda m: m._meta.label_lower,
)
def test_audit_declarations_name_real_fields(model):
    names = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
    for attribute in ("pii_fields", "audit_exclude", "audit_secret_fields"):
        unknown = set(getattr(model, attribute, ())) - names
        assert not unknown, f"{model._meta.label}.{attribute} names unknown fields {sorted(unknown)}"


@pytest.mark.parametrize(
    "model",
    [m for m in project_models() if issubclass(m, AuditedModelMixin)],
    ids=lambda m: m._meta.label_lower,
)
def test_audited_models_read_through_the_restricted_queryset(model):
    assert hasattr(model._default_manager, "restrict"), (
        f"{model._meta.label}'s default manager has no restrict(): reads would bypass core.access"
    )
