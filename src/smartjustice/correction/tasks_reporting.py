"""Background jobs of 社区矫正 — part: reporting (missed reports)."""

from smartjustice.core.scheduler import periodic

from . import reporting


@periodic(every=15 * 60, name="correction.missed_reports")
def flag_missed_reports(*, worker_id: str) -> int:
    """Raise one missed_report alert per subject whose report is overdue (idempotent; safe in two workers: the
    service locks each subject's row with SKIP LOCKED and finds an alert already raised by its due time)."""
    return reporting.flag_missed_reports()
