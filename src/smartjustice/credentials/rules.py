"""The provisions each e-certificate type rests on, registered as cited rules (they come from the types data file,
so a new type's legal basis is checked against the statute library like any other rule)."""

from __future__ import annotations

from smartjustice.core.rules import Rule

from .types import credential_types


def _basis_rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(f"{kind.code}.basis.{citation.article}", f"{kind.name}：{summary}", citation)
        for kind in credential_types().values()
        for citation, summary in kind.legal_basis
    )


LEGAL_BASIS: tuple[Rule, ...] = _basis_rules()
