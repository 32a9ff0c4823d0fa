"""The data catalogue (数据目录): loaded from versioned files, each change a new catalogue version."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from smartjustice.core import audit, modules
from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import Jurisdiction, Organisation

from ..models import Dataset

DATA_DIR = Path(__file__).parent.parent / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.json"  # the hub's own datasets file, declared in hub/module.py


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
def load_catalogue(*, path: Path | None = None, actor=None) -> tuple[int, int]:
    """Create or update catalogue entries from one versioned file, or (no path) from every file the modules declare
    as their hub datasets (core.modules); returns (created, updated)."""
    paths = [Path(path)] if path else modules.declared_files("hub_datasets")
    specs = []
    for each in paths:
        content = json.loads(each.read_text(encoding="utf-8"))
        specs += [(spec, content.get("version", 1)) for spec in content["datasets"]]
    created = updated = 0
    for spec, version in specs:
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
            Dataset.objects.create(code=spec["code"], version=version, **values)
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
