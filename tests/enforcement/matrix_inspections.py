"""Access-matrix subjects of 双随机、一公开 (imported by tests/enforcement/matrix.py, which the harness discovers)."""

from tests.enforcement import inspection_makers
from tests.harness.registry import subject

subject(
    "enforcement.plan",
    make=lambda w: inspection_makers.plan(w.own),
    routes=("/api/v1/enforcement/plans/{plan_id}*", "/enforcement/inspections/<int:pk>/*"),
    params=lambda p: {"plan_id": p.pk, "pk": p.pk, "step": "commit"},
    marker=lambda p: p.name,  # a draft: only its agency (and supervisors above) see it
)
subject(
    "enforcement.inspection",
    make=lambda w: inspection_makers.inspection(w.own),
    routes=("/api/v1/enforcement/inspections/{inspection_id}*", "/enforcement/inspections/checks/<int:pk>/*"),
    params=lambda i: {"inspection_id": i.pk, "pk": i.pk},
)
subject(
    "enforcement.regulated_entity",
    make=lambda w: inspection_makers.entity(w.own),
    routes=("/api/v1/enforcement/entities/{entity_id}*",),
    params=lambda e: {"entity_id": e.pk},
)
subject(
    "enforcement.conflict",
    make=lambda w: inspection_makers.conflict(w.own),
    routes=("/api/v1/enforcement/conflicts/{conflict_id}*",),
    params=lambda c: {"conflict_id": c.pk},
)
subject(
    "enforcement.published_plan",
    make=lambda w: inspection_makers.published_plan(w.own),
    routes=("/api/v1/enforcement/public/plans/{plan_id}*", "/enforcement/inspections/public/<int:pk>/*"),
    params=lambda p: {"plan_id": p.pk, "pk": p.pk},
    visible=lambda user, plan: True,  # 一公开: published results are for everyone
    writable=lambda user, plan: False,
)
