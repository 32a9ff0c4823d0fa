"""The 双随机 draw: which entities are inspected and which officers inspect them, as a pure function of a seed.

Anyone holding the revealed seed and the frozen inputs can redo the draw (docs/decisions/0012-random-draw.md is
the specification; this module is its reference implementation). No `random`, no clock, no database:

* randomness: HMAC-SHA256(key = seed, message = label UTF-8 || 0x00 || counter as 8-byte big-endian), one counter
  per label starting at 0, incremented after every block used (rejected ones too);
* an index below m: the block's first 8 bytes as a big-endian integer x, accepted when x < 2^64 − (2^64 mod m)
  (rejection sampling, so every index is exactly equally likely), answer x mod m;
* targets per risk level (high, medium, low), each level drawn from its own candidates in USCC order by a
  partial Fisher–Yates shuffle under the label ``targets/<level>``: count = ceil(ratio × n), at least 1 when
  n > 0 and ratio > 0, never more than n;
* officers per target, targets taken in USCC order, under the one label ``officers``: among the officers not
  yet on this target and without a conflict of interest with it, those with the fewest assignments so far in
  this draw (ties in officer-id order) — one of them is drawn; repeated `per_inspection` times.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

RISK_ORDER = ("high", "medium", "low")
SEED_BYTES = 32
_TWO_64 = 1 << 64


class DrawError(ValueError):
    """The inputs do not allow a draw (too few officers for a target, a malformed seed or ratio)."""


@dataclass(frozen=True)
class Candidate:
    """One entity of the frozen candidate list: its USCC and risk level."""

    uscc: str
    risk_level: str


@dataclass(frozen=True)
class Target:
    """One drawn entity and the officers (ids) drawn to inspect it."""

    uscc: str
    risk_level: str
    officers: tuple[int, ...]


@dataclass
class Stream:
    """The HMAC-SHA256 counter-mode stream of one seed: `index(label, m)` is a uniform integer in [0, m)."""

    key: bytes
    counters: dict[str, int] = field(default_factory=dict)

    def block(self, label: str) -> bytes:
        counter = self.counters.get(label, 0)
        self.counters[label] = counter + 1
        message = label.encode() + b"\x00" + counter.to_bytes(8, "big")
        return hmac.new(self.key, message, hashlib.sha256).digest()

    def index(self, label: str, m: int) -> int:
        if m <= 0:
            raise DrawError("no choice to draw from")
        limit = _TWO_64 - (_TWO_64 % m)
        while True:
            x = int.from_bytes(self.block(label)[:8], "big")
            if x < limit:
                return x % m


def seed_bytes(seed: str) -> bytes:
    """The 32 bytes of a seed given as 64 hex digits."""
    try:
        raw = bytes.fromhex(seed)
    except (TypeError, ValueError):
        raise DrawError("随机种子须为64位十六进制数") from None
    if len(raw) != SEED_BYTES:
        raise DrawError("随机种子须为64位十六进制数")
    return raw


def canonical_json(value) -> bytes:
    """Sorted keys, no spaces, UTF-8 (only strings, integers, lists and objects: never floats)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ratio_value(ratio) -> Decimal:
    """A sampling ratio as an exact decimal in [0, 1] (floats go through their shortest text: 0.7 is 7/10)."""
    try:
        value = Decimal(str(ratio))
    except (InvalidOperation, ValueError):
        raise DrawError(f"抽查比例无效：{ratio}") from None
    if not value.is_finite() or not 0 <= value <= 1:
        raise DrawError(f"抽查比例须在0至1之间：{ratio}")
    return value


def target_count(ratio, n: int) -> int:
    """ceil(ratio × n) computed exactly, at least 1 when there is any candidate and the ratio is positive."""
    value = ratio_value(ratio)
    if n <= 0 or value == 0:
        return 0
    return min(n, max(1, math.ceil(value * n)))


def _pick_targets(stream: Stream, level: str, pool: list[Candidate], k: int) -> list[Candidate]:
    pool = list(pool)
    n = len(pool)
    for i in range(k):
        j = i + stream.index(f"targets/{level}", n - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def draw(
    seed: str,
    candidates: Sequence[Candidate | tuple[str, str]],
    officers: Iterable[int],
    ratios: Mapping[str, object],
    conflicts: Iterable[tuple[int, str]] = (),
    per_inspection: int = 2,
) -> list[Target]:
    """Draw the targets and their officers. `candidates` in USCC order (sorted here too), `officers` the
    eligible officer ids, `ratios` by risk level, `conflicts` (officer id, USCC) pairs that must not meet."""
    stream = Stream(seed_bytes(seed))
    listed = sorted(
        (c if isinstance(c, Candidate) else Candidate(*c) for c in candidates), key=lambda c: c.uscc
    )
    if len({c.uscc for c in listed}) != len(listed):
        raise DrawError("候选名单中有重复的统一社会信用代码")
    pool = sorted(set(int(o) for o in officers))
    barred = {(int(o), u) for o, u in conflicts}
    if per_inspection < 1:
        raise DrawError("每户执法人员数至少为1")

    chosen: list[Candidate] = []
    for level in RISK_ORDER:
        of_level = [c for c in listed if c.risk_level == level]
        chosen += _pick_targets(stream, level, of_level, target_count(ratios.get(level, 0), len(of_level)))

    load = dict.fromkeys(pool, 0)
    targets = []
    for candidate in sorted(chosen, key=lambda c: c.uscc):
        picked: list[int] = []
        for _ in range(per_inspection):
            free = [o for o in pool if o not in picked and (o, candidate.uscc) not in barred]
            if not free:
                raise DrawError(f"可抽取的执法人员不足，无法为{candidate.uscc}抽取{per_inspection}名执法人员")
            least = min(load[o] for o in free)
            ties = [o for o in free if load[o] == least]
            officer = ties[stream.index("officers", len(ties))]
            load[officer] += 1
            picked.append(officer)
        targets.append(Target(candidate.uscc, candidate.risk_level, tuple(picked)))
    return targets


def commitment(seed: str, parameters: Mapping) -> str:
    """SHA-256(seed bytes || canonical JSON of the plan's parameters), hex: what the ledger holds before the draw."""
    return hashlib.sha256(seed_bytes(seed) + canonical_json(parameters)).hexdigest()


def digest(value) -> str:
    """SHA-256 of a value's canonical JSON, hex (the frozen inputs are committed through it)."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
