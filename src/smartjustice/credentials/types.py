"""Credential types, read from the files modules declare (credentials/data/types.json and any module's own;
content is data, not code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smartjustice.core import modules
from smartjustice.core.citations import Citation
from smartjustice.core.errors import ValidationFailed

TYPES_FILE = Path(__file__).parent / "data" / "types.json"


@dataclass(frozen=True)
class ClaimDefinition:
    key: str
    label: str
    required: bool = True
    source: str = ""  # filled by the platform: holder.real_name, holder.organisation, issuer.name, number
    help: str = ""


@dataclass(frozen=True)
class CredentialType:
    code: str
    vc_type: str
    name: str
    description: str
    issuer_kinds: tuple[str, ...]
    holder_kind: str
    validity_years: int
    number_prefix: str
    claims: tuple[ClaimDefinition, ...]
    default_disclosed: tuple[str, ...]
    legal_basis: tuple[tuple[Citation, str], ...]

    def claim(self, key: str) -> ClaimDefinition:
        for claim in self.claims:
            if claim.key == key:
                return claim
        raise KeyError(key)

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.claims)

    def labels(self) -> dict[str, str]:
        return {c.key: c.label for c in self.claims}


def _parse(raw: dict) -> CredentialType:
    claims = tuple(
        ClaimDefinition(
            key=c["key"],
            label=c["label"],
            required=c.get("required", True),
            source=c.get("source", ""),
            help=c.get("help", ""),
        )
        for c in raw["claims"]
    )
    keys = {c.key for c in claims}
    unknown = set(raw.get("default_disclosed", [])) - keys
    if unknown:
        raise ValueError(
            f"credential type {raw['code']}: default_disclosed names unknown claims {sorted(unknown)}"
        )
    return CredentialType(
        code=raw["code"],
        vc_type=raw["vc_type"],
        name=raw["name"],
        description=raw.get("description", ""),
        issuer_kinds=tuple(raw.get("issuer_kinds", ())),
        holder_kind=raw.get("holder_kind", ""),
        validity_years=int(raw.get("validity_years", 5)),
        number_prefix=raw.get("number_prefix", ""),
        claims=claims,
        default_disclosed=tuple(raw.get("default_disclosed", ())),
        legal_basis=tuple(
            (Citation(b["law"], int(b["article"]), b.get("paragraph")), b.get("summary", ""))
            for b in raw.get("legal_basis", [])
        ),
    )


@lru_cache(maxsize=1)
def credential_types() -> dict[str, CredentialType]:
    """Every credential type the modules declare (core.modules; the platform's own in TYPES_FILE)."""
    types = {}
    for path in modules.declared_files("credential_types"):
        data = json.loads(path.read_text(encoding="utf-8"))
        types.update({t["code"]: _parse(t) for t in data["types"]})
    return types


def get_type(code: str) -> CredentialType:
    try:
        return credential_types()[code]
    except KeyError:
        raise ValidationFailed("未知的证照类型", fields={"type_code": ["未知的证照类型"]}) from None


def type_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in credential_types().values()]
