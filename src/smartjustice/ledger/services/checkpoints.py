"""Checkpoints (C2SP tlog-checkpoint signed notes), proofs against them, and re-deriving a log to audit it."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from smartjustice.core import audit
from smartjustice.core.errors import NotFound
from smartjustice.crypto import hasher

from .. import merkle, notes
from ..choices import LedgerAuditEvent
from ..keys import active_key, decrypt_private_key
from ..models import Checkpoint, LedgerEntry, Log
from .entries import NodeStore


def key_name(log: Log) -> str:
    """The signed-note key name of a log: its origin (C2SP tlog-checkpoint recommends so)."""
    return log.origin


@transaction.atomic
def sign_checkpoint(log: Log, *, actor=None) -> Checkpoint:
    """Sign the log's current size and root (returns the existing checkpoint for that size)."""
    log = Log.objects.select_for_update().get(pk=log.pk)
    existing = Checkpoint.objects.filter(log=log, tree_size=log.tree_size).first()
    if existing:
        return existing
    hash_fn = hasher(log.hash_algorithm)
    root = bytes(log.root_hash) if log.tree_size else hash_fn(b"")
    key = active_key(log.organisation, algorithm=log.signature_algorithm)
    body = notes.checkpoint_body(log.origin, log.tree_size, root)
    line = notes.sign_note(
        body,
        name=key_name(log),
        algorithm=key.algorithm,
        private_key=decrypt_private_key(key),
        public_key=bytes(key.public_key),
    )
    try:
        with transaction.atomic():  # a savepoint, so losing the race below leaves our transaction usable
            checkpoint = Checkpoint.objects.create(
                log=log, tree_size=log.tree_size, root_hash=root, text=body + "\n" + line, key=key
            )
    except IntegrityError:
        # Another worker signed this size between our read and our insert (the row lock above serialises
        # PostgreSQL; SQLite takes no row locks): (log, tree_size) is unique, so theirs is the checkpoint.
        return Checkpoint.objects.get(log=log, tree_size=log.tree_size)
    audit.record(
        LedgerAuditEvent.CHECKPOINT_SIGNED,
        obj=checkpoint,
        actor=actor,
        after={
            "log": log.name,
            "tree_size": log.tree_size,
            "root_hash": base64.b64encode(root).decode(),
            "key_id": key.key_id,
        },
        detail=f"签发检查点：{log.name} 共 {log.tree_size} 条",
        jurisdiction_code=audit.jurisdiction_code_of(log),
        object_repr=f"{log.name}@{log.tree_size}",
    )
    return checkpoint


def latest_checkpoint(log: Log, *, at_least: int = 0) -> Checkpoint:
    """The newest checkpoint, signing one first when the log has grown past it (or past ``at_least``)."""
    checkpoint = Checkpoint.objects.filter(log=log).order_by("-tree_size").first()
    log.refresh_from_db(fields=["tree_size", "root_hash"])
    if checkpoint is None or checkpoint.tree_size < max(at_least, log.tree_size):
        checkpoint = sign_checkpoint(log)
    return checkpoint


def inclusion_proof(entry: LedgerEntry, size: int) -> list[bytes]:
    return merkle.inclusion_proof(hasher(entry.log.hash_algorithm), NodeStore(entry.log), entry.index, size)


def inclusion_proof_at(log: Log, index: int, size: int) -> list[bytes]:
    return merkle.inclusion_proof(hasher(log.hash_algorithm), NodeStore(log), index, size)


def inclusion_proof_with_leaf(log: Log, index: int, size: int) -> tuple[bytes, list[bytes]]:
    """(leaf hash, proof) of leaf ``index`` in the tree of ``size`` leaves, from stored nodes only."""
    store = NodeStore(log)
    leaf = store.get_many([(0, index)]).get((0, index))
    if leaf is None:
        raise NotFound("存证条目不存在")
    return leaf, merkle.inclusion_proof(hasher(log.hash_algorithm), store, index, size)


def inclusion_answer(log: Log, checkpoint: Checkpoint, index: int) -> dict:
    """Entry ``index``'s leaf hash and inclusion proof (base64) against ``checkpoint``, with its cosigned text:
    what the API and the public verify page give whoever asks (hashes only, never the content)."""
    leaf, proof = inclusion_proof_with_leaf(log, index, checkpoint.tree_size)
    return {
        "log": log,
        "index": index,
        "tree_size": checkpoint.tree_size,
        "leaf_hash": base64.b64encode(leaf).decode(),
        "proof": [base64.b64encode(h).decode() for h in proof],
        "checkpoint": checkpoint_with_cosignatures(checkpoint),
    }


def proof_by_leaf_hash(log: Log, leaf_hash: bytes, tree_size: int | None = None) -> dict:
    """RFC 9162 get-proof-by-hash: the first entry with ``leaf_hash`` under the signed checkpoint of
    ``tree_size`` (the latest when None), as ``inclusion_answer``."""
    from ..queries import find_leaf, signed_checkpoint

    checkpoint = signed_checkpoint(log, tree_size)
    return inclusion_answer(log, checkpoint, find_leaf(log, leaf_hash, checkpoint.tree_size))


def consistency_proof(log: Log, old_size: int, new_size: int) -> list[bytes]:
    return merkle.consistency_proof(hasher(log.hash_algorithm), NodeStore(log), old_size, new_size)


def proof_bundle(entry: LedgerEntry) -> str:
    """The offline-verifiable proof of ``entry`` against the latest checkpoint (see ``bundles``)."""
    from .. import bundles

    checkpoint = latest_checkpoint(entry.log, at_least=entry.index + 1)
    return bundles.format_bundle(
        entry=entry,
        checkpoint=checkpoint,
        proof=inclusion_proof(entry, checkpoint.tree_size),
    )


def checkpoint_with_cosignatures(checkpoint: Checkpoint) -> str:
    lines = "".join(c.line for c in checkpoint.cosignatures.all())
    return checkpoint.text + lines


@dataclass
class IntegrityReport:
    """Outcome of re-deriving a log from its stored entries (``check_integrity``)."""

    log: str
    tree_size: int = 0
    checkpoints_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_integrity(log: Log, *, chunk_size: int = 5000, max_problems: int = 20) -> IntegrityReport:
    """Recompute every leaf and the tree from the stored entries and compare with the signed checkpoints.

    Detects an entry whose content was changed, removed or inserted after signing, a node table that no longer
    matches the entries, and a checkpoint whose signature or root does not hold. Reads only; O(n) time.
    """
    report = IntegrityReport(log=log.name)
    hash_fn = hasher(log.hash_algorithm)
    checkpoints = list(Checkpoint.objects.filter(log=log).select_related("key").order_by("tree_size"))
    for checkpoint in checkpoints:
        key = checkpoint.key
        try:
            parsed = notes.verify_checkpoint(
                checkpoint.text, name=key_name(log), algorithm=key.algorithm, public_key=bytes(key.public_key)
            )
        except notes.NoteError as exc:
            report.problems.append(f"检查点（{checkpoint.tree_size} 条）：{exc}")
            continue
        if parsed.size != checkpoint.tree_size or parsed.root != bytes(checkpoint.root_hash):
            report.problems.append(f"检查点（{checkpoint.tree_size} 条）：签名文本与记录不符")
    pending = [c for c in checkpoints if c.tree_size]
    for empty in (c for c in checkpoints if not c.tree_size):
        report.checkpoints_checked += 1
        if bytes(empty.root_hash) != hash_fn(b""):
            report.problems.append("空日志检查点的根哈希错误")
    frontier = merkle.Frontier(hash_fn)
    rows = (
        LedgerEntry.objects.filter(log=log)
        .order_by("index")
        .values_list("index", "payload", "leaf_hash")
        .iterator(chunk_size=chunk_size)
    )
    for index, payload, stored_leaf in rows:
        if index != frontier.size:
            report.problems.append(f"第 {frontier.size} 条缺失或序号错乱（见到第 {index} 条）")
            break
        leaf = merkle.leaf_hash(hash_fn, bytes(payload))
        if leaf != bytes(stored_leaf) and len(report.problems) < max_problems:
            report.problems.append(f"第 {index} 条内容与其叶子哈希不符：内容被篡改")
        frontier.append(leaf)
        while pending and pending[0].tree_size == frontier.size:
            checkpoint = pending.pop(0)
            report.checkpoints_checked += 1
            if frontier.root() != bytes(checkpoint.root_hash):
                report.problems.append(f"前 {checkpoint.tree_size} 条的根哈希与已签名检查点不符：日志被改写")
    for checkpoint in pending:
        report.problems.append(
            f"已签名检查点记载 {checkpoint.tree_size} 条，但日志只有 {frontier.size} 条：条目被删除"
        )
    report.tree_size = frontier.size
    log.refresh_from_db(fields=["tree_size", "root_hash"])
    if frontier.size != log.tree_size or (frontier.size and frontier.root() != bytes(log.root_hash)):
        report.problems.append("日志记录的条目数或根哈希与条目不符")
    elif frontier.size:
        try:
            stored_root = merkle.root_hash(hash_fn, NodeStore(log), frontier.size)
        except merkle.ProofError:
            stored_root = b""
        if stored_root != frontier.root():
            report.problems.append("默克尔节点表与条目不符：证明将无法通过验证")
    return report
