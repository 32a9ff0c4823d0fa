"""W3C Bitstring Status List v1.0: a bit per credential, GZIP-compressed and multibase base64url-encoded.

Index 0 is the left-most bit of the first byte (§4.1 / §3.2 step "bitstring"); a list holds at least 131,072
entries (16 KiB) so one credential's status cannot be told from the list's size or from which entries are set
("herd privacy", §6.1). Pure: the offline verifier decodes snapshots with it.
"""

from __future__ import annotations

import base64
import gzip

MIN_ENTRIES = 131_072
PURPOSES = ("revocation", "suspension")


class Bitstring:
    """A fixed-size bitstring; `set(i, True)` marks entry i (revoked / suspended)."""

    def __init__(self, size: int = MIN_ENTRIES, data: bytes | None = None):
        if size < MIN_ENTRIES or size % 8:
            raise ValueError(f"a status list holds at least {MIN_ENTRIES} entries, a multiple of 8")
        self.size = size
        self.data = bytearray(data if data is not None else bytes(size // 8))
        if len(self.data) != size // 8:
            raise ValueError("bitstring length does not match its size")

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self.data[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool) -> None:
        self._check(index)
        mask = 0x80 >> (index % 8)
        if value:
            self.data[index // 8] |= mask
        else:
            self.data[index // 8] &= ~mask & 0xFF

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise IndexError(f"status index {index} outside 0…{self.size - 1}")

    def encode(self) -> str:
        """`encodedList`: multibase prefix "u" + base64url (no padding) of the GZIP-compressed bits."""
        compressed = gzip.compress(bytes(self.data), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, encoded: str) -> Bitstring:
        if not encoded.startswith("u"):
            raise ValueError("encodedList must be multibase base64url (prefix 'u')")
        body = encoded[1:]
        raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        return cls(len(raw) * 8, raw)

    def count(self) -> int:
        return sum(bin(b).count("1") for b in self.data)
