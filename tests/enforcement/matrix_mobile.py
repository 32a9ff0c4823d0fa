"""Access-matrix subjects of mobile enforcement (移动执法, /enforcement/m/ and /api/v1/enforcement/m/): an on-the-spot
case of the own county's market agency, its party and its files (imported by tests/enforcement/matrix.py)."""

from tests.enforcement import mobile_makers
from tests.harness.registry import subject


def _on_the_spot_case(world):
    mobile_makers.hub_catalogue()
    return mobile_makers.on_the_spot(mobile_makers.certified_officer(world.own.code))


subject(
    "enforcement.mobile_case",
    make=_on_the_spot_case,
    routes=(
        "/enforcement/m/cases/<int:pk>/*",
        "/api/v1*enforcement/m/cases/{case_id}*",  # a nested router's path may lack the slash
    ),
    params=lambda c: {"pk": c.pk, "case_id": c.pk, "attachment_id": c.party_signature_id or 1},
    marker=lambda c: c.decision_number,
)

subject(
    "enforcement.mobile_party",
    make=lambda w: _on_the_spot_case(w).party,
    routes=("/enforcement/m/parties/<int:pk>/*",),
    params=lambda p: {"pk": p.pk},
    marker=lambda p: p.name,
)
