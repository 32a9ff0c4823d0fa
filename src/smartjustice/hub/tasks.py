"""Background work of 共享协同平台: the delivery cycle (fan-out, push, retries) runs in `smartjustice worker`."""

from __future__ import annotations

from smartjustice.core.scheduler import periodic


@periodic(every=1.0, name="hub.delivery")
def delivery_cycle(*, worker_id: str) -> dict:
    """Fan out the outbox and push what is due (retries included, by their backoff)."""
    from . import services

    return services.run_delivery_cycle(worker_id=worker_id)
