"""Witnesses and their cosignatures (C2SP tlog-cosignature), pushed over HTTP (c2sp.org/tlog-witness) by the
scheduled checkpoint cycle."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from smartjustice.core import audit
from smartjustice.core.errors import Conflict, ValidationFailed

from .. import notes, queries, transport, trust
from .. import witness as tlog_witness
from ..choices import LedgerAuditEvent
from ..models import Checkpoint, Cosignature, Witness
from .checkpoints import consistency_proof, sign_checkpoint

logger = logging.getLogger("smartjustice.ledger")


def _witness_url(url: str) -> str:
    url = (url or "").strip()
    if url and not transport.valid_prefix(url):
        raise ValidationFailed(
            fields={"url": ["提交地址须为 http:// 或 https:// 开头的网址（不含查询参数）"]}
        )
    return url


@transaction.atomic
def register_witness(
    name: str, public_key: bytes, *, url: str = "", organisation=None, actor=None
) -> Witness:
    """Register an independent witness (its signed-note key name, Ed25519 public key, optional submission URL)."""
    if not name or not notes.valid_key_name(name):
        raise ValidationFailed(fields={"name": ["见证方名称不能为空，且不能含空格或加号"]})
    if len(public_key) != 32:
        raise ValidationFailed(fields={"public_key": ["见证方公钥必须是 32 字节 Ed25519 公钥"]})
    url = _witness_url(url)
    if Witness.objects.filter(name=name).exists():
        raise Conflict(f"见证方“{name}”已登记")
    with audit.operation(LedgerAuditEvent.WITNESS_ADDED, obj=audit.NEW, actor=actor):
        witness = Witness.objects.create(name=name, public_key=public_key, url=url, organisation=organisation)
    # Registering is the deliberate act of trusting this witness: its key goes to the trust file (ADR 0010), which
    # the audit checks cosignatures against (a witness row inserted in the database counts for nothing).
    trust.pin(name, notes.TYPE_COSIGNATURE, public_key)
    return witness


@transaction.atomic
def change_witness(
    witness: Witness, *, actor, url: str | None = None, is_active: bool | None = None
) -> Witness:
    """Change where a witness is pushed, or stop (resume) collecting its cosignatures; past ones stay published."""
    fields = []
    if url is not None:
        witness.url = _witness_url(url)
        fields.append("url")
    if is_active is not None:
        witness.is_active = is_active
        fields.append("is_active")
    if fields:
        with audit.operation(LedgerAuditEvent.WITNESS_CHANGED, obj=witness, actor=actor):
            witness.save(update_fields=[*fields, "updated_at"])
    return witness


@transaction.atomic
def add_cosignature(checkpoint: Checkpoint, witness: Witness, signed_text: str) -> Cosignature:
    """Store a witness's cosignature of ``checkpoint`` (``signed_text``: the note as returned by the witness)."""
    try:
        parsed = notes.parse_checkpoint(signed_text)
    except notes.NoteError as exc:
        raise ValidationFailed(str(exc)) from None
    if parsed.body != notes.parse_checkpoint(checkpoint.text).body:
        raise ValidationFailed("见证签名对应的不是该检查点")
    if not witness.is_active:
        raise Conflict("该见证方已停用")
    found = notes.find_cosignature(parsed, name=witness.name, public_key=bytes(witness.public_key))
    if found is None:
        raise ValidationFailed("见证签名验证失败")
    timestamp, blob = found
    line = notes.signature_line(witness.name, blob)
    cosignature, _ = Cosignature.objects.update_or_create(
        checkpoint=checkpoint,
        witness=witness,
        defaults={"timestamp": timestamp, "signature": blob, "line": line},
    )
    return cosignature


def collect_cosignature(checkpoint: Checkpoint, witness: Witness, signer) -> Cosignature:
    """Ask a witness (anything with ``size_of`` and ``add_checkpoint``, e.g. ``witness.WitnessSigner``) to cosign.

    Raises ``witness.WitnessRefused`` when it refuses (e.g. the log's history no longer matches what it saw).
    """
    log = checkpoint.log
    old_size = signer.size_of(log.origin)
    proof = consistency_proof(log, old_size, checkpoint.tree_size) if old_size <= checkpoint.tree_size else []
    line = signer.add_checkpoint(checkpoint.text, old_size=old_size, proof=proof)
    return add_cosignature(checkpoint, witness, checkpoint.text + line)


def cosign_request(checkpoint: Checkpoint, old_size: int) -> dict:
    """What a witness needs to cosign ``checkpoint`` (c2sp.org/tlog-witness add-checkpoint): old size + proof."""
    if not 0 <= old_size <= checkpoint.tree_size:
        raise ValidationFailed(fields={"old_size": ["旧条目数须在 0 与检查点条目数之间"]})
    return {
        "old_size": old_size,
        "proof": consistency_proof(checkpoint.log, old_size, checkpoint.tree_size),
        "checkpoint": checkpoint.text,
    }


# --- scheduled checkpoints and witness push (c2sp.org/tlog-witness) ------------------------------------------------

POLICY_FILE = Path(__file__).parent.parent / "data" / "checkpoints.json"


@lru_cache(maxsize=1)
def _file_policy() -> dict:
    return json.loads(POLICY_FILE.read_text(encoding="utf-8"))


def checkpoint_policy() -> dict:
    """The checkpoint schedule (ledger/data/checkpoints.json); ``settings.LEDGER_CHECKPOINTS`` overrides keys."""
    return {**_file_policy(), **getattr(settings, "LEDGER_CHECKPOINTS", {})}


@dataclass
class PushOutcome:
    """What one push of a checkpoint to one witness came to (``push_checkpoint`` never raises for the witness)."""

    witness: str
    ok: bool
    message: str
    cosignature: Cosignature | None = None


def push_checkpoint(checkpoint: Checkpoint, witness: Witness, *, timeout: float | None = None) -> PushOutcome:
    """POST ``checkpoint`` to the witness's add-checkpoint endpoint with the consistency proof from the size it last
    cosigned for us, verify the cosignature it answers and store it (``add_cosignature``).

    A 409 names the size the witness really has (it lost state, or another worker pushed first): the push is made
    once more from that size. Refusals, bad answers and network errors are logged and answered as an outcome; the
    next cycle asks again. No transaction is held open while the witness is on the line.
    """
    log = checkpoint.log
    timeout = timeout or checkpoint_policy()["witness_timeout_seconds"]
    old_size = queries.last_cosigned_size(witness, log)
    for _ in range(2):
        if old_size > checkpoint.tree_size:
            return _push_failed(witness, checkpoint, f"见证方已见证到第 {old_size} 条，晚于该检查点")
        proof = consistency_proof(log, old_size, checkpoint.tree_size)
        body = tlog_witness.format_add_checkpoint(old_size, proof, checkpoint.text)
        answer = transport.post_add_checkpoint(witness.url, body, timeout=timeout)
        if answer.status != 409:
            break
        size = tlog_witness.parse_conflict_size(answer.body)
        if size is None or size == old_size:  # same size, other root: the witness saw a fork of this log
            return _push_failed(
                witness, checkpoint, "见证方记录的同一条目数的根哈希不同（HTTP 409）：日志可能分叉"
            )
        old_size = size
    if answer.status is None:
        return _push_failed(witness, checkpoint, answer.error)
    if answer.status != 200:
        reason = answer.body.decode("utf-8", "replace").strip()[:200]
        return _push_failed(witness, checkpoint, f"见证方拒绝联署（HTTP {answer.status}）：{reason}")
    try:
        cosignature = add_cosignature(checkpoint, witness, checkpoint.text + answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValidationFailed, Conflict) as exc:
        return _push_failed(witness, checkpoint, f"见证方的答复无效：{getattr(exc, 'message', exc)}")
    return PushOutcome(witness.name, True, "见证方已联署", cosignature)


def _push_failed(witness: Witness, checkpoint: Checkpoint, message: str) -> PushOutcome:
    logger.warning(
        "witness %s: checkpoint %s@%d not cosigned: %s",
        witness.name,
        checkpoint.log.name,
        checkpoint.tree_size,
        message,
    )
    return PushOutcome(witness.name, False, message)


def run_checkpoint_cycle() -> dict:
    """The scheduled job (``ledger.tasks``): sign a checkpoint for every log that grew since its latest one, then
    push each log's latest checkpoint to every active witness with a URL that has not cosigned it yet.

    Idempotent (a log that did not grow and a checkpoint already cosigned are left alone), so a witness that could
    not be reached is simply asked again next cycle. Safe in several workers at once: signing serialises on the
    log row and the unique (log, tree_size) checkpoint (``sign_checkpoint``); a witness that already cosigned for
    the other worker answers 409 with its size, and the push is repeated from there.
    """
    counts = {"checkpoints": 0, "cosigned": 0, "failed": 0}
    for log in queries.logs_needing_checkpoint():
        sign_checkpoint(log)
        counts["checkpoints"] += 1
    for checkpoint, witness in queries.pending_cosignatures():
        outcome = push_checkpoint(checkpoint, witness)
        counts["cosigned" if outcome.ok else "failed"] += 1
    return counts
