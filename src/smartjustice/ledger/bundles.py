"""Proof bundles: one C2SP tlog-proof file (c2sp.org/tlog-proof) proving that an entry is in a signed log.

Exact format (UTF-8, ``\\n`` line ends; base64 is RFC 4648 §4 standard with padding), suggested extension
``.tlog-proof``::

    c2sp.org/tlog-proof@v1
    extra <base64 of the entry description below>
    index <leaf index>
    <base64 inclusion-proof hash, one per line, RFC 9162 §2.1.3.1 PATH order: leaf sibling first>
    <blank line>
    <checkpoint verbatim: C2SP signed note, the log's signature line and any witness cosignature lines>

The ``extra`` data (opaque to other tlog-proof tools, which verify the proof against a leaf hash they compute
themselves) describe the entry so that a citizen needs nothing else::

    smartjustice.ledger/entry@v1
    log <log name>
    hash <sm3|sha256>
    signature <sm2|ed25519>
    key <base64 log public key: SM2 04||x||y 65 bytes, or Ed25519 32 bytes>
    kind <entry kind>
    data <base64 entry data>

The leaf hash is ``H(0x00 || data)``. The spec says "one SHA-256 hash per line": logs with ``hash sha256`` are
exactly that; SM3 logs (our default) use the same layout with 32-byte SM3 hashes. The extra data are not
authenticated: the data are bound by the inclusion proof, and the key only counts when it equals a key obtained
elsewhere (``/ledger/keys/`` or ``--key``); ``verify.verify_proof_bundle`` reports which case applied.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

PROOF_HEADER = "c2sp.org/tlog-proof@v1"
ENTRY_HEADER = "smartjustice.ledger/entry@v1"
FILE_EXTENSION = ".tlog-proof"


class BundleError(ValueError):
    pass


@dataclass
class Bundle:
    log: str
    hash_algorithm: str
    signature_algorithm: str
    public_key: bytes
    kind: str
    data: bytes
    index: int
    proof: list[bytes]
    checkpoint: str


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def entry_description(
    *, log: str, hash_algorithm: str, signature_algorithm: str, public_key: bytes, kind: str, data: bytes
) -> str:
    lines = [
        ENTRY_HEADER,
        f"log {log}",
        f"hash {hash_algorithm}",
        f"signature {signature_algorithm}",
        f"key {_b64(public_key)}",
        f"kind {kind}",
        f"data {_b64(data)}",
    ]
    return "\n".join(lines) + "\n"


def format_proof(*, index: int, proof: list[bytes], checkpoint_text: str, extra: bytes | None = None) -> str:
    """A tlog-proof file; ``checkpoint_text`` is the signed note with its cosignatures."""
    lines = [PROOF_HEADER]
    if extra is not None:
        lines.append(f"extra {_b64(extra)}")
    lines.append(f"index {index}")
    lines.extend(_b64(h) for h in proof)
    return "\n".join(lines) + "\n\n" + checkpoint_text


def format_bundle(*, entry, checkpoint, proof) -> str:
    from .services import checkpoint_with_cosignatures

    log = entry.log
    extra = entry_description(
        log=log.name,
        hash_algorithm=log.hash_algorithm,
        signature_algorithm=checkpoint.key.algorithm,
        public_key=bytes(checkpoint.key.public_key),
        kind=entry.kind,
        data=bytes(entry.payload),
    )
    return format_proof(
        index=entry.index,
        proof=proof,
        checkpoint_text=checkpoint_with_cosignatures(checkpoint),
        extra=extra.encode(),
    )


def _field(line: str, name: str) -> str:
    prefix = name + " "
    if not line.startswith(prefix):
        raise BundleError(f"证明文件格式错误：缺少“{name}”行")
    return line[len(prefix) :]


def _decode(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise BundleError(f"证明文件格式错误：{what}不是 base64") from None


def _decimal(text: str, what: str) -> int:
    if not text.isascii() or not text.isdigit() or (text != "0" and text.startswith("0")):
        raise BundleError(f"证明文件格式错误：{what}无效")
    return int(text)


def parse_bundle(text: str) -> Bundle:
    """Parse a tlog-proof file whose ``extra`` carries our entry description."""
    head, sep, checkpoint = text.partition("\n\n")
    if not sep:
        raise BundleError("证明文件格式错误：缺少检查点")
    lines = head.split("\n")
    if lines[0] != PROOF_HEADER:
        raise BundleError("证明文件格式错误：不是 c2sp.org/tlog-proof@v1 证明")
    if len(lines) < 3 or not lines[1].startswith("extra "):
        raise BundleError("证明文件格式错误：缺少存证内容（extra 行）")
    try:
        description = _decode(_field(lines[1], "extra"), "存证内容").decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError("证明文件格式错误：存证内容不是 UTF-8") from None
    entry = description.split("\n")
    if len(entry) != 8 or entry[0] != ENTRY_HEADER or entry[7] != "":
        raise BundleError("证明文件格式错误：不是本平台的存证证明")
    return Bundle(
        log=_field(entry[1], "log"),
        hash_algorithm=_field(entry[2], "hash"),
        signature_algorithm=_field(entry[3], "signature"),
        public_key=_decode(_field(entry[4], "key"), "公钥"),
        kind=_field(entry[5], "kind"),
        data=_decode(_field(entry[6], "data"), "存证内容"),
        index=_decimal(_field(lines[2], "index"), "序号"),
        proof=[_decode(line, "证明哈希") for line in lines[3:]],
        checkpoint=checkpoint,
    )
