"""Background work of 可信存证账本: scheduled checkpoints and witness cosignatures, run by `smartjustice worker`."""

from __future__ import annotations

from smartjustice.core.scheduler import periodic

from . import services


@periodic(every=services.checkpoint_policy()["interval_seconds"], name="ledger.checkpoints")
def checkpoint_cycle(*, worker_id: str) -> dict:
    """Sign a checkpoint for every log that grew, then ask the witnesses to cosign (ledger/data/checkpoints.json)."""
    return services.run_checkpoint_cycle()
