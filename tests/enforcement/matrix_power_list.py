"""Access-matrix subjects of the power list (imported by tests/enforcement/matrix.py, which the harness discovers)."""

from tests.enforcement import power_list_makers
from tests.harness.registry import subject


def _benchmark_id(item) -> int:
    # The fuzzer may have deleted the item's benchmark already: any id still fills the route.
    return item.benchmarks.values_list("pk", flat=True).first() or 1


subject(
    "enforcement.item",
    make=lambda w: power_list_makers.item(w.own),
    routes=(
        "/api/v1/enforcement/items/{item_id}*",
        "/enforcement/items/<int:pk>/*",
        "/enforcement/items/manage/<int:pk>/*",
    ),
    params=lambda i: {"item_id": i.pk, "pk": i.pk, "name": "submit", "benchmark_id": _benchmark_id(i)},
    marker=lambda i: i.name,  # a draft: only staff of its jurisdiction see it until published
)
