"""Background jobs of 行政执法."""

from smartjustice.core.scheduler import periodic

from . import power_list


@periodic(every=6 * 3600, name="enforcement.basis_flags")
def refresh_basis_flags(*, worker_id: str) -> int:
    """Flag power-list items whose basis was amended or repealed since it was last checked (idempotent)."""
    return power_list.refresh_basis_flags()
