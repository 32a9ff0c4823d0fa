"""c2sp.org/tlog-witness: the add-checkpoint wire format, and the witness side in process (no database: a witness is
someone else's machine; the tests serve it over HTTP, the demo runs it in process).

A witness remembers, per log origin, the last size and root it cosigned. It cosigns a new checkpoint only when
the log's signature verifies and a consistency proof (RFC 9162 §2.1.4.2) from that remembered state verifies: an
operator who rewrote history cannot produce one, so the witness refuses (``WitnessRefused``).

Request body of ``POST <submission prefix>/add-checkpoint``::

    old <size the client believes the witness last cosigned, decimal, no leading zeroes>
    <base64 consistency-proof hash, one per line, at most 63; none when old is 0>
    <blank line>
    <the checkpoint: C2SP signed note>

Answers: 200 with cosignature lines (``— <name> <base64>``); 404 unknown origin; 403 no trusted signature; 400 a
malformed body or old size above the checkpoint size; 409 (``Content-Type: text/x.tlog.size``, body: the size the
witness last cosigned and a newline) when the old size is stale or the same size has another root; 422 when the
consistency proof does not verify.
"""

from __future__ import annotations

import base64
import binascii
import threading
import time
from dataclasses import dataclass, field

from smartjustice import crypto

from . import merkle, notes

ADD_CHECKPOINT = "add-checkpoint"
SIZE_CONTENT_TYPE = "text/x.tlog.size"
MAX_PROOF_LINES = 63


class WitnessRefused(Exception):
    def __init__(self, message: str, *, status: int = 422, conflict_size: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status  # the HTTP status tlog-witness prescribes for this refusal
        self.conflict_size = conflict_size  # set when the caller's idea of our state was stale (HTTP 409)


def _decimal(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or (text != "0" and text.startswith("0")):
        return None
    return int(text)


def format_add_checkpoint(old_size: int, proof: list[bytes], checkpoint_text: str) -> bytes:
    """The add-checkpoint request body."""
    lines = [f"old {old_size}", *(base64.b64encode(h).decode() for h in proof)]
    return ("\n".join(lines) + "\n\n" + checkpoint_text).encode()


def parse_add_checkpoint(body: bytes) -> tuple[int, list[bytes], str]:
    """(old size, proof, checkpoint text) of an add-checkpoint body; WitnessRefused (400) when malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise WitnessRefused("请求不是 UTF-8 文本", status=400) from None
    head, sep, checkpoint_text = text.partition("\n\n")
    lines = head.split("\n")
    old_size = _decimal(lines[0].removeprefix("old ")) if lines[0].startswith("old ") else None
    if not sep or old_size is None:
        raise WitnessRefused("请求格式错误：缺少“old 条目数”行或空行", status=400)
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise WitnessRefused("请求格式错误：一致性证明超过 63 行", status=400)
    try:
        proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
    except binascii.Error:
        raise WitnessRefused("请求格式错误：一致性证明不是 base64", status=400) from None
    return old_size, proof, checkpoint_text


def parse_conflict_size(body: bytes) -> int | None:
    """The witness's size from a 409 answer (``<size>\\n``), or None when the body is not one."""
    text = body.decode("ascii", "replace")
    return _decimal(text[:-1]) if text.endswith("\n") else None


@dataclass
class TrustedLog:
    origin: str
    hash_algorithm: str
    signature_algorithm: str
    public_key: bytes


@dataclass
class WitnessSigner:
    name: str
    private_key: bytes
    logs: dict[str, TrustedLog] = field(default_factory=dict)
    state: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # origin -> (size, root) last cosigned
    # Checking the old size and recording the new state are one step (the spec's rollback race between requests).
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def generate(cls, name: str) -> WitnessSigner:
        private, _ = crypto.generate_keypair("ed25519")
        return cls(name=name, private_key=private)

    @property
    def public_key(self) -> bytes:
        return crypto.public_key_of("ed25519", self.private_key)

    def trust(self, origin: str, *, hash_algorithm: str, signature_algorithm: str, public_key: bytes) -> None:
        self.logs[origin] = TrustedLog(origin, hash_algorithm, signature_algorithm, bytes(public_key))

    def size_of(self, origin: str) -> int:
        return self.state.get(origin, (0, b""))[0]

    def add_checkpoint(
        self, text: str, *, old_size: int, proof: list[bytes], timestamp: int | None = None
    ) -> str:
        """Verify and cosign; returns the cosignature line (``— <name> <base64>``)."""
        try:
            parsed = notes.parse_checkpoint(text)
        except notes.NoteError as exc:
            raise WitnessRefused(str(exc), status=400) from None
        log = self.logs.get(parsed.origin)
        if log is None:
            raise WitnessRefused("见证方不认识该日志", status=404)
        try:
            checkpoint = notes.verify_checkpoint(
                text, name=log.origin, algorithm=log.signature_algorithm, public_key=log.public_key
            )
        except notes.NoteError as exc:
            raise WitnessRefused(str(exc), status=403) from None
        if old_size > checkpoint.size:
            raise WitnessRefused("旧条目数大于检查点条目数", status=400)
        with self.lock:
            known_size, known_root = self.state.get(log.origin, (0, b""))
            if old_size != known_size:
                raise WitnessRefused("旧条目数与见证方记录不一致", status=409, conflict_size=known_size)
            if checkpoint.size == known_size and known_size and checkpoint.root != known_root:
                raise WitnessRefused(
                    "同一条目数的根哈希不同：日志出现分叉", status=409, conflict_size=known_size
                )
            hash_fn = crypto.hasher(log.hash_algorithm)
            if known_size == 0:
                consistent = not proof
            else:
                consistent = merkle.verify_consistency(
                    hash_fn, known_size, checkpoint.size, known_root, checkpoint.root, proof
                )
            if not consistent:
                raise WitnessRefused("一致性证明验证失败：日志历史被改写", status=422)
            self.state[log.origin] = (checkpoint.size, checkpoint.root)
        return notes.cosign(
            checkpoint.body,
            name=self.name,
            private_key=self.private_key,
            public_key=self.public_key,
            timestamp=int(time.time()) if timestamp is None else timestamp,
        )

    def handle_add_checkpoint(self, body: bytes) -> tuple[int, str, bytes]:
        """One add-checkpoint request over HTTP: (status, content type, body), as the spec prescribes."""
        try:
            old_size, proof, text = parse_add_checkpoint(body)
            line = self.add_checkpoint(text, old_size=old_size, proof=proof)
        except WitnessRefused as refused:
            if refused.status == 409:
                return 409, SIZE_CONTENT_TYPE, f"{refused.conflict_size}\n".encode()
            return refused.status, "text/plain; charset=utf-8", (refused.message + "\n").encode()
        return 200, "text/plain; charset=utf-8", line.encode()
