"""Offline verification of proof bundles: no database, no settings, no network (only crypto, merkle, notes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from smartjustice.crypto import HASH_ALGORITHMS, SIGNATURE_ALGORITHMS, hasher

from . import merkle, notes
from .bundles import BundleError, parse_bundle

# Exit status of `smartjustice ledger verify` (ADR 0009; the same numbers as `credentials verify` where the meaning is
# the same): 0 verified against a pinned log key, 1 invalid, 2 unusable input (argparse's too), 3 unverified (no
# pinned key: the proof holds together but its key came with it), 9 too few valid witness cosignatures.
EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_INPUT_ERROR = 2
EXIT_UNVERIFIED = 3
EXIT_WITNESSES = 9


@dataclass
class VerifyResult:
    ok: bool
    message: str
    log: str = ""
    origin: str = ""
    index: int | None = None
    tree_size: int | None = None
    kind: str = ""
    data: bytes = b""
    key_pinned: bool = False
    witnesses: list[str] = field(default_factory=list)  # names of witnesses whose cosignature verified


def origin_names_log(origin: str, log: str) -> bool:
    """Whether a checkpoint origin belongs to the log called ``log`` (origins are ``<prefix>/<log name>``)."""
    return origin == log or origin.endswith("/" + log)


def verify_proof_bundle(
    text: str,
    public_key: bytes | None = None,
    *,
    witnesses: dict[str, bytes] | None = None,
    payload: bytes | None = None,
) -> VerifyResult:
    """Check a bundle: log signature on the checkpoint, inclusion of the entry, optional witness cosignatures.

    ``public_key``: the log's key obtained independently (pinned); without it the bundle's own key is used and
    the result says so (``key_pinned`` False). ``witnesses``: {name: Ed25519 public key} to check cosignatures.
    ``payload``: the document the caller holds; the bundle must prove exactly these bytes.
    """
    try:
        bundle = parse_bundle(text)
    except BundleError as exc:
        return VerifyResult(False, str(exc))
    result = VerifyResult(False, "", log=bundle.log, index=bundle.index, kind=bundle.kind, data=bundle.data)
    if bundle.hash_algorithm not in HASH_ALGORITHMS or bundle.signature_algorithm not in SIGNATURE_ALGORITHMS:
        result.message = "证明文件使用了不支持的算法"
        return result
    if payload is not None and bytes(payload) != bundle.data:
        result.message = "证明文件记载的内容与所持文件不一致"
        return result
    if public_key is not None and bytes(public_key) != bundle.public_key:
        result.message = "证明文件中的公钥与指定的日志公钥不一致"
        return result
    result.key_pinned = public_key is not None
    try:
        parsed = notes.parse_checkpoint(bundle.checkpoint)
        result.origin = parsed.origin
        checkpoint = notes.verify_checkpoint(
            bundle.checkpoint,
            name=parsed.origin,
            algorithm=bundle.signature_algorithm,
            public_key=bundle.public_key,
        )
    except notes.NoteError as exc:
        result.message = str(exc)
        return result
    if not origin_names_log(parsed.origin, bundle.log):
        # The ``log`` line is not signed; the origin is. A receipt relabelled to another log is refused.
        result.message = f"证明文件记载的日志“{bundle.log}”与检查点的来源标识 {parsed.origin} 不符"
        return result
    result.tree_size = checkpoint.size
    hash_fn = hasher(bundle.hash_algorithm)
    leaf = merkle.leaf_hash(hash_fn, bundle.data)
    if not merkle.verify_inclusion(
        hash_fn, leaf, bundle.index, checkpoint.size, bundle.proof, checkpoint.root
    ):
        result.message = "包含性证明验证失败：该内容不在已签名的日志中，或已被篡改"
        return result
    for name, key in (witnesses or {}).items():
        if notes.verify_cosignature(checkpoint, name=name, public_key=key) is not None:
            result.witnesses.append(name)
    result.ok = True
    result.message = "验证通过：该内容已写入签名日志" + (
        "" if result.key_pinned else "（公钥取自证明文件本身，请与公示公钥核对）"
    )
    return result
