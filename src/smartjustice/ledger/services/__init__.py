"""Every write of the ledger, one module per concern (re-exported here, so callers use ``ledger.services.x``):

* ``entries``: creating logs and appending entries (single or batched), the hot path;
* ``checkpoints``: signing checkpoints, proofs against them, the integrity audit;
* ``witnesses``: registering witnesses, collecting cosignatures, pushing checkpoints to witnesses over HTTP
  (c2sp.org/tlog-witness) and the scheduled checkpoint cycle that ``ledger.tasks`` runs.
"""

from .checkpoints import (
    IntegrityReport,
    check_integrity,
    checkpoint_with_cosignatures,
    consistency_proof,
    inclusion_answer,
    inclusion_proof,
    inclusion_proof_at,
    inclusion_proof_with_leaf,
    key_name,
    latest_checkpoint,
    proof_bundle,
    proof_by_leaf_hash,
    sign_checkpoint,
)
from .entries import (
    BATCH_SIZE,
    KIND_PATTERN,
    LOG_NAME_PATTERN,
    NodeStore,
    append_batch,
    append_entry,
    create_log,
    get_log,
    get_or_create_log,
)
from .witnesses import (
    PushOutcome,
    add_cosignature,
    change_witness,
    checkpoint_policy,
    collect_cosignature,
    cosign_request,
    push_checkpoint,
    register_witness,
    run_checkpoint_cycle,
)

__all__ = [
    "BATCH_SIZE",
    "KIND_PATTERN",
    "LOG_NAME_PATTERN",
    "IntegrityReport",
    "NodeStore",
    "PushOutcome",
    "add_cosignature",
    "append_batch",
    "append_entry",
    "change_witness",
    "check_integrity",
    "checkpoint_policy",
    "checkpoint_with_cosignatures",
    "collect_cosignature",
    "consistency_proof",
    "cosign_request",
    "create_log",
    "get_log",
    "get_or_create_log",
    "inclusion_proof",
    "inclusion_proof_at",
    "inclusion_answer",
    "inclusion_proof_with_leaf",
    "key_name",
    "latest_checkpoint",
    "proof_bundle",
    "proof_by_leaf_hash",
    "push_checkpoint",
    "register_witness",
    "run_checkpoint_cycle",
    "sign_checkpoint",
]
