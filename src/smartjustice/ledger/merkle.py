"""Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1, over a store of complete-subtree hashes.

* leaf hash ``H(0x00 || d)``, interior node ``H(0x01 || left || right)``; ``H`` is SM3 or SHA-256 (see ``crypto``).
* The store keeps one hash per *complete* subtree: node ``(level, index)`` covers leaves
  ``[index·2^level, (index+1)·2^level)``; level 0 holds the leaf hashes. A tree of ``n`` leaves therefore has
  at most ``2n`` stored nodes, and any ``MTH(D[a:b])`` that the RFC's recursions ask for (``a`` aligned to the
  largest power of two below ``b-a``) is a right fold of at most ``log2 n`` stored nodes.
* Proof generation (``inclusion_proof``: RFC 9162 §2.1.3.1 PATH; ``consistency_proof``: §2.1.4.1 PROOF) first
  lists every node it needs, fetches them in one ``store.get_many`` call, then assembles the proof: O(log n) reads.
* Verification (``verify_inclusion``: §2.1.3.2; ``verify_consistency``: §2.1.4.2) needs only hashes, no store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from smartjustice.crypto import hasher

Coord = tuple[int, int]  # (level, index)


class ProofError(ValueError):
    """A proof was asked for positions that the tree does not have."""


def leaf_hash(hash_fn: Callable[[bytes], bytes], data: bytes) -> bytes:
    return hash_fn(b"\x00" + data)


def node_hash(hash_fn: Callable[[bytes], bytes], left: bytes, right: bytes) -> bytes:
    return hash_fn(b"\x01" + left + right)


def _largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _range_coords(start: int, end: int) -> list[Coord]:
    """The complete subtrees whose right fold is MTH(D[start:end]), left to right."""
    coords = []
    while start < end:
        size = end - start
        level = size.bit_length() - 1
        if size == 1 << level:
            if start % size:
                raise ProofError(f"range [{start}, {end}) is not aligned")
            coords.append((level, start >> level))
            break
        k = _largest_power_of_two_below(size)
        if start % k:
            raise ProofError(f"range [{start}, {end}) is not aligned")
        coords.append((k.bit_length() - 1, start // k))
        start += k
    return coords


def _fold(hash_fn, hashes: Sequence[bytes]) -> bytes:
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(hash_fn, left, result)
    return result


def _path_ranges(m: int, start: int, end: int) -> list[tuple[int, int]]:
    """RFC 9162 PATH(m, D[start:end]) as the list of ranges whose MTHs make up the proof."""
    ranges = []
    while end - start > 1:
        k = _largest_power_of_two_below(end - start)
        if m < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
    return list(reversed(ranges))


def _subproof_ranges(m: int, start: int, end: int, complete: bool) -> list[tuple[int, int]]:
    """RFC 9162 SUBPROOF(m, D[start:end], b) as ranges."""
    ranges = []
    while True:
        n = end - start
        if m == n:
            if not complete:
                ranges.append((start, end))
            break
        k = _largest_power_of_two_below(n)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    return list(reversed(ranges))


class Store:
    """Where node hashes live: ``get_many(coords) -> {coord: hash}`` (a missing coord is a corrupt store)."""

    def get_many(self, coords: Iterable[Coord]) -> dict[Coord, bytes]:  # pragma: no cover - interface
        raise NotImplementedError


class MemoryStore(Store):
    def __init__(self):
        self.nodes: dict[Coord, bytes] = {}

    def get_many(self, coords):
        return {c: self.nodes[c] for c in coords if c in self.nodes}


def _hashes_of_ranges(hash_fn, store: Store, ranges) -> list[bytes]:
    per_range = [_range_coords(a, b) for a, b in ranges]
    wanted = {c for coords in per_range for c in coords}
    nodes = store.get_many(wanted) if wanted else {}
    missing = wanted - set(nodes)
    if missing:
        raise ProofError(f"node store lacks {sorted(missing)[:3]}")
    return [_fold(hash_fn, [nodes[c] for c in coords]) for coords in per_range]


def root_hash(hash_fn, store: Store, size: int) -> bytes:
    """MTH of the first ``size`` leaves; the empty tree's root is H() (RFC 9162 §2.1.1)."""
    if size == 0:
        return hash_fn(b"")
    return _hashes_of_ranges(hash_fn, store, [(0, size)])[0]


def inclusion_proof(hash_fn, store: Store, index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size}")
    return _hashes_of_ranges(hash_fn, store, _path_ranges(index, 0, size))


def consistency_proof(hash_fn, store: Store, old_size: int, new_size: int) -> list[bytes]:
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    return _hashes_of_ranges(hash_fn, store, _subproof_ranges(old_size, 0, new_size, True))


def verify_inclusion(
    hash_fn, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2; ``leaf`` is the leaf hash."""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(hash_fn, p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(hash_fn, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    hash_fn, old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2 (plus the trivial cases: equal sizes, or an empty old tree, need an empty proof)."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(hash_fn, c, fr)
            sr = node_hash(hash_fn, c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(hash_fn, sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class Frontier:
    """The right edge of a tree (its complete subtrees, largest first): enough to append leaves and give the root.

    ``append(leaf_hash)`` returns the nodes it completes, ``[(level, index, hash), ...]`` starting with the leaf
    itself; a caller persists those and keeps the frontier (``size`` and ``hashes``) between batches.
    """

    def __init__(self, hash_fn, size: int = 0, hashes: Sequence[bytes] = ()):
        self.hash_fn = hash_fn
        self.size = size
        self.hashes = list(hashes)  # one per set bit of size, highest first
        if len(self.hashes) != bin(size).count("1"):
            raise ValueError("frontier does not match the tree size")

    @staticmethod
    def coords(size: int) -> list[Coord]:
        """Which stored nodes form the frontier of a tree of ``size`` leaves."""
        coords, start = [], 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                coords.append((level, start >> level))
                start += 1 << level
        return coords

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        index = self.size
        created = [(0, index, leaf)]
        current, level = leaf, 0
        while index & 1:
            current = node_hash(self.hash_fn, self.hashes.pop(), current)
            index >>= 1
            level += 1
            created.append((level, index, current))
        self.hashes.append(current)
        self.size += 1
        return created

    def root(self) -> bytes:
        if not self.hashes:
            return self.hash_fn(b"")
        return _fold(self.hash_fn, self.hashes)


__all__ = [
    "Frontier",
    "MemoryStore",
    "ProofError",
    "Store",
    "consistency_proof",
    "hasher",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]
