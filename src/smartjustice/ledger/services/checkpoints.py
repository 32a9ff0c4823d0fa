"""Checkpoints (C2SP tlog-checkpoint signed notes), proofs against them, and re-deriving a log to audit it."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from smartjustice.core import audit
from smartjustice.core.errors import NotFound
from smartjustice.crypto import hasher

from .. import merkle, notes, trust
from ..choices import LedgerAuditEvent
from ..keys import decrypt_private_key, log_key
from ..models import Checkpoint, Cosignature, LedgerEntry, Log, Node
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
    key = log_key(log)
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
    """Outcome of re-deriving a log from its stored entries and checking its checkpoints against pinned keys."""

    log: str
    tree_size: int = 0
    checkpoints_checked: int = 0
    nodes_checked: int = 0
    cosignatures_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_signatures(log: Log, checkpoints, report: IntegrityReport, max_problems: int) -> None:
    """Each checkpoint must carry a valid signature by a key pinned for the log's origin (``trust``), and each
    stored cosignature must verify under the witness's pinned key: key and witness rows in the database count for
    nothing, since whoever rewrote the log could have inserted them."""
    try:
        log_pins = trust.log_pins(log.origin, strict=True)
        all_pins = trust.pins(strict=True)
    except trust.TrustError as exc:
        report.problems.append(str(exc))
        return
    if not log_pins:
        report.problems.append(
            f"没有为日志 {log.origin} 固定任何公钥（信任文件或 SMARTJUSTICE_LEDGER_PINNED_KEYS）"
        )
    witness_keys: dict[str, list[bytes]] = {}
    for pin in all_pins:
        if pin.is_witness:
            witness_keys.setdefault(pin.name, []).append(pin.public_key)
    cosignatures: dict[int, list[Cosignature]] = {}
    for cosignature in Cosignature.objects.filter(checkpoint__log=log).select_related("witness"):
        cosignatures.setdefault(cosignature.checkpoint_id, []).append(cosignature)
    for checkpoint in checkpoints:
        label = f"检查点（{checkpoint.tree_size} 条）"
        key = checkpoint.key
        if not any(p.algorithm == key.algorithm and p.public_key == bytes(key.public_key) for p in log_pins):
            report.problems.append(f"{label}由未固定的密钥 {key.key_id} 签名：该密钥不在信任文件中")
        parsed, error = None, "检查点没有固定公钥的签名"
        for pin in log_pins:
            try:
                parsed = notes.verify_checkpoint(
                    checkpoint.text, name=log.origin, algorithm=pin.algorithm, public_key=pin.public_key
                )
                break
            except notes.NoteError as exc:
                # A signature line of this pinned key that does not verify says more than "no such key".
                if "没有该日志公钥的签名" not in str(exc):
                    error = str(exc)
        if parsed is None:
            if log_pins:
                report.problems.append(f"{label}：{error}")
        elif parsed.size != checkpoint.tree_size or parsed.root != bytes(checkpoint.root_hash):
            report.problems.append(f"{label}：签名文本与记录不符")
        for cosignature in cosignatures.get(checkpoint.pk, []):
            report.cosignatures_checked += 1
            name = cosignature.witness.name
            if name not in witness_keys:
                report.problems.append(f"{label}的见证方 {name} 未固定公钥，其联署无法核对")
                continue
            try:
                cosigned = notes.parse_checkpoint(checkpoint.text + cosignature.line)
            except notes.NoteError:
                cosigned = None
            if cosigned is None or not any(
                notes.find_cosignature(cosigned, name=name, public_key=key) for key in witness_keys[name]
            ):
                report.problems.append(f"{label}的见证方 {name} 联署无效：与固定公钥或检查点正文不符")
        if len(report.problems) >= max_problems:
            return


def _stored_nodes(log: Log, start: int, end: int) -> dict[tuple[int, int], bytes]:
    """Stored nodes whose last leaf lies in [start, end): those that appending these leaves created."""
    found = {}
    level = 0
    while (end >> level) - 1 >= start >> level:
        rows = Node.objects.filter(
            log=log, level=level, index__gte=start >> level, index__lte=(end >> level) - 1
        ).values_list("index", "hash")
        found.update(((level, index), bytes(value)) for index, value in rows)
        level += 1
    return found


def _compare_nodes(expected, stored, report: IntegrityReport, max_problems: int) -> int:
    """Report missing and wrong nodes; returns how many of the stored nodes were expected."""
    report.nodes_checked += len(expected)
    present = sum(1 for coord in expected if coord in stored)
    for coord, value in expected.items():
        if len(report.problems) >= max_problems:
            break
        level, index = coord
        if coord not in stored:
            report.problems.append(f"默克尔节点（层 {level}，序号 {index}）缺失：证明将无法通过验证")
        elif stored[coord] != value:
            report.problems.append(f"默克尔节点（层 {level}，序号 {index}）与条目不符：证明将无法通过验证")
    return present


def check_integrity(
    log: Log, *, chunk_size: int = 5000, max_problems: int = 20, progress=None
) -> IntegrityReport:
    """Recompute every leaf, every stored node and the tree from the stored entries and compare with the signed
    checkpoints, whose signatures (and witness cosignatures) must verify under pinned keys (``trust``).

    Detects an entry whose content was changed, removed or inserted after signing, any stored node that does not
    match the entries (proofs served from it would fail), a checkpoint re-signed with a key that is not pinned, and
    a cosignature that does not hold. Reads only; O(n) time, entries and nodes read ``chunk_size`` leaves at a time;
    ``progress(done, total, label)`` is called after each chunk.
    """
    report = IntegrityReport(log=log.name)
    hash_fn = hasher(log.hash_algorithm)
    log.refresh_from_db(fields=["tree_size", "root_hash"])
    checkpoints = list(Checkpoint.objects.filter(log=log).select_related("key").order_by("tree_size"))
    _check_signatures(log, checkpoints, report, max_problems)
    pending = [c for c in checkpoints if c.tree_size]
    for empty in (c for c in checkpoints if not c.tree_size):
        report.checkpoints_checked += 1
        if bytes(empty.root_hash) != hash_fn(b""):
            report.problems.append("空日志检查点的根哈希错误")
    frontier = merkle.Frontier(hash_fn)
    total = log.tree_size
    broken = False
    present = 0
    while not broken:
        start = frontier.size
        rows = list(
            LedgerEntry.objects.filter(log=log, index__gte=start)
            .order_by("index")
            .values_list("index", "payload", "leaf_hash")[:chunk_size]
        )
        if not rows:
            break
        expected: dict[tuple[int, int], bytes] = {}
        for index, payload, stored_leaf in rows:
            if index != frontier.size:
                report.problems.append(f"第 {frontier.size} 条缺失或序号错乱（见到第 {index} 条）")
                broken = True
                break
            leaf = merkle.leaf_hash(hash_fn, bytes(payload))
            if leaf != bytes(stored_leaf) and len(report.problems) < max_problems:
                report.problems.append(f"第 {index} 条内容与其叶子哈希不符：内容被篡改")
            expected.update(((level, i), h) for level, i, h in frontier.append(leaf))
            while pending and pending[0].tree_size == frontier.size:
                checkpoint = pending.pop(0)
                report.checkpoints_checked += 1
                if frontier.root() != bytes(checkpoint.root_hash):
                    report.problems.append(
                        f"前 {checkpoint.tree_size} 条的根哈希与已签名检查点不符：日志被改写"
                    )
        present += _compare_nodes(expected, _stored_nodes(log, start, frontier.size), report, max_problems)
        if progress:
            progress(frontier.size, max(total, frontier.size), log.name)
    for checkpoint in pending:
        report.problems.append(
            f"已签名检查点记载 {checkpoint.tree_size} 条，但日志只有 {frontier.size} 条：条目被删除"
        )
    report.tree_size = frontier.size
    if not broken and Node.objects.filter(log=log).count() > present:
        report.problems.append("默克尔节点表含有与条目不对应的节点")
    if frontier.size != log.tree_size or (frontier.size and frontier.root() != bytes(log.root_hash)):
        report.problems.append("日志记录的条目数或根哈希与条目不符")
    return report
