"""Every write of 共享协同平台.

Publishing is an outbox: `publish()` stores the record and its outbox entry in the caller's own transaction, so a
rolled-back business write publishes nothing and a committed one is never lost. The worker (`smartjustice worker`)
then fans outbox entries out into deliveries (`fan_out`) and pushes them (`deliver_due`): claimed under a lease, so a
worker killed mid-batch leaves its deliveries to be sent again once the lease runs out — at least once, with the same
Idempotency-Key, so the receiver applies each record once.
"""

from .catalogue import CATALOGUE_FILE, DATA_DIR, load_catalogue
from .consumers import (
    deactivate_consumer,
    deactivate_subscription,
    push_secret_of,
    reactivate_consumer,
    reactivate_subscription,
    register_consumer,
    rotate_client_secret,
    rotate_push_secret,
    rotate_secret,
    subscribe,
    update_consumer,
    update_subscription,
)
from .delivery import (
    backoff,
    claim_due,
    deliver_due,
    fan_out,
    idempotency_key,
    payload,
    policy,
    pull,
    replay,
    replay_many,
    run_delivery_cycle,
)
from .records import MAX_INGEST_RECORDS, canonical_bytes, dedup_key, ingest, publish, validator_for

__all__ = [
    "deactivate_consumer",
    "deactivate_subscription",
    "reactivate_consumer",
    "reactivate_subscription",
    "rotate_client_secret",
    "rotate_push_secret",
    "rotate_secret",
    "update_consumer",
    "update_subscription",
    "CATALOGUE_FILE",
    "DATA_DIR",
    "MAX_INGEST_RECORDS",
    "backoff",
    "canonical_bytes",
    "claim_due",
    "dedup_key",
    "deliver_due",
    "fan_out",
    "idempotency_key",
    "ingest",
    "load_catalogue",
    "payload",
    "policy",
    "publish",
    "pull",
    "push_secret_of",
    "register_consumer",
    "replay",
    "replay_many",
    "run_delivery_cycle",
    "subscribe",
    "validator_for",
]
