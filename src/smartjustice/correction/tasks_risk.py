"""Background jobs of 社区矫正 — part: risk (helper G)."""

from smartjustice.core.scheduler import periodic


@periodic(every=6 * 3600, name="correction.risk")
def recompute_risk_scores(*, worker_id: str):
    """Every six hours: score every subject under correction, keep the changed scores, raise a risk alert for each
    subject rising into 高风险 (safe in two workers: subjects are locked per chunk and an unchanged score writes
    nothing)."""
    from . import risk

    return risk.recompute_scores().summary()
