"""Background jobs of 执法监督 (`smartjustice worker` runs them)."""

from smartjustice.core.scheduler import periodic


@periodic(every=3600, name="supervision.scan")
def scan_cases(*, worker_id: str):
    """Hourly: run the supervision checks over every case and upsert the flags (safe in two workers at once:
    one open flag per case and rule is a database constraint)."""
    from . import services

    return services.run_scan().summary()
