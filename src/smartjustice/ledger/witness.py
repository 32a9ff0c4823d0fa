"""The witness side of c2sp.org/tlog-witness, in process: no database (a witness is someone else's machine).

A witness remembers, per log origin, the last size and root it cosigned. It cosigns a new checkpoint only when
the log's signature verifies and a consistency proof (RFC 9162 §2.1.4.2) from that remembered state verifies: an
operator who rewrote history cannot produce one, so the witness refuses (``WitnessRefused``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from . import crypto, merkle, notes


class WitnessRefused(Exception):
    def __init__(self, message: str, *, conflict_size: int | None = None):
        super().__init__(message)
        self.message = message
        self.conflict_size = conflict_size  # set when the caller's idea of our state was stale (HTTP 409)


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
            raise WitnessRefused(str(exc)) from None
        log = self.logs.get(parsed.origin)
        if log is None:
            raise WitnessRefused("见证方不认识该日志")
        try:
            checkpoint = notes.verify_checkpoint(
                text, name=log.origin, algorithm=log.signature_algorithm, public_key=log.public_key
            )
        except notes.NoteError as exc:
            raise WitnessRefused(str(exc)) from None
        known_size, known_root = self.state.get(log.origin, (0, b""))
        if old_size != known_size:
            raise WitnessRefused("旧条目数与见证方记录不一致", conflict_size=known_size)
        if checkpoint.size < known_size:
            raise WitnessRefused("检查点条目数小于见证方已见证的条目数（日志回滚）")
        hash_fn = crypto.hasher(log.hash_algorithm)
        if known_size == 0:
            consistent = not proof
        else:
            consistent = merkle.verify_consistency(
                hash_fn, known_size, checkpoint.size, known_root, checkpoint.root, proof
            )
        if not consistent:
            raise WitnessRefused("一致性证明验证失败：日志历史被改写")
        self.state[log.origin] = (checkpoint.size, checkpoint.root)
        return notes.cosign(
            checkpoint.body,
            name=self.name,
            private_key=self.private_key,
            public_key=self.public_key,
            timestamp=int(time.time()) if timestamp is None else timestamp,
        )
