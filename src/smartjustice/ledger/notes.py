"""C2SP signed notes, checkpoints and cosignatures: formatting, parsing and verification (no database).

* Checkpoint body (c2sp.org/tlog-checkpoint): ``<origin>\\n<tree size>\\n<base64 root hash>\\n``.
* Signed note (c2sp.org/signed-note): body, a blank line, then lines ``— <key name> <base64(key id || sig)>``.
  key id = ``SHA-256(key name || 0x0A || type || public key)[:4]``:
  - Ed25519: type ``0x01``, 32-byte public key, signature over the body.
  - SM2 (our choice; the spec reserves ``0xff`` "followed by a longer identifier"): type bytes
    ``0xff || "sm2-sm3/v1"``, public key ``04||x||y`` (65 bytes); the signature is SM2/SM3 with the default user
    id over the body, 64 bytes ``r || s`` (see ``crypto``).
  - Witness cosignature (c2sp.org/tlog-cosignature): type ``0x04`` over the witness's Ed25519 key; the signature
    field is ``timestamp (8 bytes, big-endian) || Ed25519 signature`` over
    ``"cosignature/v1\\ntime <timestamp>\\n" + body``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass, field

from smartjustice import crypto

DASH = "\u2014"
TYPE_ED25519 = b"\x01"
TYPE_COSIGNATURE = b"\x04"
TYPE_SM2 = b"\xff" + b"sm2-sm3/v1"
SIGNATURE_TYPES = {"ed25519": TYPE_ED25519, "sm2": TYPE_SM2}


class NoteError(ValueError):
    pass


def key_id(name: str, signature_type: bytes, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + signature_type + bytes(public_key)).digest()[:4]


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes
    body: str
    signatures: list[tuple[str, bytes]] = field(default_factory=list)  # (key name, key id || signature)

    def text(self) -> str:
        return signed_note(self.body, self.signatures)


def signature_line(name: str, key_and_signature: bytes) -> str:
    return f"{DASH} {name} {base64.b64encode(key_and_signature).decode()}\n"


def signed_note(body: str, signatures) -> str:
    return body + "\n" + "".join(signature_line(name, blob) for name, blob in signatures)


def sign_note(body: str, *, name: str, algorithm: str, private_key: bytes, public_key: bytes) -> str:
    signature = crypto.sign(algorithm, private_key, body.encode())
    return signature_line(name, key_id(name, SIGNATURE_TYPES[algorithm], public_key) + signature)


def parse_checkpoint(text: str) -> Checkpoint:
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("检查点含有控制字符")
    body, sep, signature_block = text.partition("\n\n")
    if not sep or not signature_block.endswith("\n"):
        raise NoteError("检查点格式错误：缺少签名部分")
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise NoteError("检查点格式错误：正文不足三行")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError("检查点格式错误：条目数无效")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise NoteError("检查点格式错误：根哈希不是 base64") from exc
    signatures = []
    for line in signature_block[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise NoteError("检查点格式错误：签名行无效")
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except binascii.Error as exc:
            raise NoteError("检查点格式错误：签名不是 base64") from exc
        if len(blob) < 5:
            raise NoteError("检查点格式错误：签名过短")
        signatures.append((parts[1], blob))
    return Checkpoint(origin, int(size_text), root, body, signatures)


def verify_checkpoint(text: str, *, name: str, algorithm: str, public_key: bytes) -> Checkpoint:
    """Parse and check the signature of the known key (name + key id); NoteError when it is absent or bad."""
    checkpoint = parse_checkpoint(text)
    wanted = key_id(name, SIGNATURE_TYPES[algorithm], public_key)
    found = [blob for line_name, blob in checkpoint.signatures if line_name == name and blob[:4] == wanted]
    if not found:
        raise NoteError("检查点没有该日志公钥的签名")
    for blob in found:
        if not crypto.verify(algorithm, public_key, checkpoint.body.encode(), blob[4:]):
            raise NoteError("检查点签名验证失败")
    return checkpoint


def cosignature_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def cosign(body: str, *, name: str, private_key: bytes, public_key: bytes, timestamp: int) -> str:
    signature = crypto.sign("ed25519", private_key, cosignature_message(body, timestamp))
    blob = key_id(name, TYPE_COSIGNATURE, public_key) + struct.pack(">Q", timestamp) + signature
    return signature_line(name, blob)


def find_cosignature(checkpoint: Checkpoint, *, name: str, public_key: bytes) -> tuple[int, bytes] | None:
    """(timestamp, key id || timestamp || signature) of a valid cosignature by this witness, or None."""
    wanted = key_id(name, TYPE_COSIGNATURE, public_key)
    for line_name, blob in checkpoint.signatures:
        if line_name == name and blob[:4] == wanted and len(blob) == 4 + 8 + 64:
            (timestamp,) = struct.unpack(">Q", blob[4:12])
            if crypto.verify(
                "ed25519", public_key, cosignature_message(checkpoint.body, timestamp), blob[12:]
            ):
                return timestamp, blob
    return None


def verify_cosignature(checkpoint: Checkpoint, *, name: str, public_key: bytes) -> int | None:
    """The timestamp of a valid cosignature by this witness, or None."""
    found = find_cosignature(checkpoint, name=name, public_key=public_key)
    return found[0] if found else None


def valid_key_name(name: str) -> bool:
    """signed-note key names: non-empty, no Unicode spaces, no plus sign."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def verifier_key(name: str, signature_type: bytes, public_key: bytes) -> str:
    """The signed-note verifier key string ``<name>+<hex key id>+<base64(type || public key)>``."""
    encoded = base64.b64encode(signature_type + bytes(public_key)).decode()
    return f"{name}+{key_id(name, signature_type, public_key).hex()}+{encoded}"


def parse_verifier_key(text: str) -> tuple[str, bytes, bytes]:
    """(name, signature type, public key) of a verifier key string; NoteError when malformed or inconsistent."""
    name, _, rest = text.strip().partition("+")
    hex_id, _, encoded = rest.partition("+")
    try:
        raw = base64.b64decode(encoded, validate=True)
        wanted = bytes.fromhex(hex_id)
    except (binascii.Error, ValueError):
        raise NoteError("验证公钥格式错误") from None
    for signature_type in (TYPE_SM2, TYPE_COSIGNATURE, TYPE_ED25519):
        if raw.startswith(signature_type) and len(raw) > len(signature_type):
            public_key = raw[len(signature_type) :]
            if not valid_key_name(name) or key_id(name, signature_type, public_key) != wanted:
                raise NoteError("验证公钥的名称或标识不一致")
            return name, signature_type, public_key
    raise NoteError("验证公钥的算法不受支持")
