"""Access-matrix subjects of 行政执法人员 (imported by tests/enforcement/matrix.py, which the harness discovers)."""

from tests.enforcement import officer_makers
from tests.harness.registry import subject

subject(
    "enforcement.officer",
    make=lambda w: officer_makers.officer(w.own),
    routes=("/api/v1/enforcement/officers/{officer_id}*", "/enforcement/officers/<int:pk>/*"),
    params=lambda o: {"officer_id": o.pk, "pk": o.pk},
)
