"""Larger, randomly chosen trees (up to 4,097 leaves, SM3) against the literal RFC 9162 recursions of test_merkle."""

import random

from smartjustice.crypto import hasher
from smartjustice.ledger import merkle

from . import test_merkle as ref

SM3 = hasher("sm3")


def test_random_sizes_and_positions_match_the_reference_implementation(monkeypatch):
    monkeypatch.setattr(ref, "H", SM3)  # the reference recursions, over SM3 instead of SHA-256
    rng = random.Random(9162)
    data, store, _ = ref.build(4097, SM3)
    sizes = sorted({1, 2, 3, 1023, 1024, 1025, 4096, 4097, *(rng.randrange(1, 4098) for _ in range(25))})
    for n in sizes:
        root = ref.ref_mth(data[:n])
        assert merkle.root_hash(SM3, store, n) == root
        for m in {0, n - 1, *(rng.randrange(n) for _ in range(3))}:
            proof = merkle.inclusion_proof(SM3, store, m, n)
            assert proof == ref.ref_path(m, data[:n])
            assert merkle.verify_inclusion(SM3, merkle.leaf_hash(SM3, data[m]), m, n, proof, root)
        for old in {1, n, *(rng.randrange(1, n + 1) for _ in range(3))}:
            proof = merkle.consistency_proof(SM3, store, old, n)
            assert proof == ([] if old == n else ref.ref_subproof(old, data[:n], True))
            assert merkle.verify_consistency(SM3, old, n, ref.ref_mth(data[:old]), root, proof)
