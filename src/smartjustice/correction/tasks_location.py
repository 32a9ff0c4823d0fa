"""Background jobs of 社区矫正 — part: location."""

from smartjustice.core.scheduler import periodic

from . import location


@periodic(every=3600, name="correction.electronic_monitoring_end")
def end_expired_monitoring(*, worker_id: str) -> None:
    """第二十九条第二款: an electronic positioning device is used for at most the approved period; the end is enforced
    here, not left to memory (safe in two workers: each record ends under a row lock)."""
    location.end_expired_monitoring()


@periodic(every=86400, name="correction.gps_partitions")
def create_gps_partitions(*, worker_id: str) -> None:
    """Keep the next months' partitions of the GPS points table ready (PostgreSQL; nothing on SQLite)."""
    from . import location_storage

    location_storage.maintain(ahead=3)


@periodic(every=15 * 60, name="correction.signal_lost")
def flag_signal_lost(*, worker_id: str) -> int:
    """定位信号中断: a device in use silent for too long raises one alert per silence (safe in two workers)."""
    from . import signal_loss

    return signal_loss.flag_signal_lost()
