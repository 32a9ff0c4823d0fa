"""The node-store Merkle tree against a direct transcription of RFC 9162 §2.1's recursive definitions."""

import hashlib

import pytest

from smartjustice.crypto import hasher
from smartjustice.ledger import merkle


def H(data):
    return hashlib.sha256(data).digest()


# --- reference: RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1 written literally over the leaf data ---
def ref_mth(d):
    n = len(d)
    if n == 0:
        return H(b"")
    if n == 1:
        return H(b"\x00" + d[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return H(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def _k(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_path(m, d):
    n = len(d)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return ref_path(m, d[:k]) + [ref_mth(d[k:])]
    return ref_path(m - k, d[k:]) + [ref_mth(d[:k])]


def ref_subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return ref_subproof(m, d[:k], b) + [ref_mth(d[k:])]
    return ref_subproof(m - k, d[k:], False) + [ref_mth(d[:k])]


def build(count, hash_fn=H):
    data = [f"entry-{i}".encode() for i in range(count)]
    store = merkle.MemoryStore()
    frontier = merkle.Frontier(hash_fn)
    for item in data:
        for level, index, value in frontier.append(merkle.leaf_hash(hash_fn, item)):
            store.nodes[(level, index)] = value
    return data, store, frontier


def test_empty_tree_root():
    _, store, frontier = build(0)
    assert merkle.root_hash(H, store, 0) == H(b"") == frontier.root()


def test_roots_and_inclusion_for_every_leaf_of_trees_up_to_70():
    data, store, _ = build(70)
    for n in range(1, 71):
        root = merkle.root_hash(H, store, n)
        assert root == ref_mth(data[:n])
        for m in range(n):
            proof = merkle.inclusion_proof(H, store, m, n)
            assert proof == ref_path(m, data[:n])
            leaf = merkle.leaf_hash(H, data[m])
            assert merkle.verify_inclusion(H, leaf, m, n, proof, root)
            assert not merkle.verify_inclusion(H, merkle.leaf_hash(H, b"tampered"), m, n, proof, root)
            assert not merkle.verify_inclusion(H, leaf, m, n, proof, H(b"wrong root"))
            if proof:
                assert not merkle.verify_inclusion(H, leaf, m, n, proof[:-1], root)
                assert not merkle.verify_inclusion(H, leaf, m, n, [*proof, proof[0]], root)
            if n > 1:
                assert not merkle.verify_inclusion(H, leaf, (m + 1) % n, n, proof, root)


def test_frontier_root_matches_after_each_append():
    data, store, frontier = build(0)
    for i in range(33):
        for level, index, value in frontier.append(merkle.leaf_hash(H, f"x{i}".encode())):
            store.nodes[(level, index)] = value
        assert frontier.root() == merkle.root_hash(H, store, i + 1)
    restored = merkle.Frontier(H, 33, [store.nodes[c] for c in merkle.Frontier.coords(33)])
    assert restored.root() == frontier.root()


def test_consistency_for_every_pair_up_to_40():
    data, store, _ = build(40)
    roots = {n: ref_mth(data[:n]) for n in range(0, 41)}
    for n in range(1, 41):
        for m in range(0, n + 1):
            proof = merkle.consistency_proof(H, store, m, n)
            expected = [] if m in (0, n) else ref_subproof(m, data[:n], True)
            assert proof == expected
            assert merkle.verify_consistency(H, m, n, roots[m], roots[n], proof)
            if 0 < m < n:
                assert not merkle.verify_consistency(H, m, n, H(b"rewritten"), roots[n], proof)
                assert not merkle.verify_consistency(H, m, n, roots[m], H(b"forged"), proof)
                bad = list(proof)
                bad[-1] = H(bad[-1])
                assert not merkle.verify_consistency(H, m, n, roots[m], roots[n], bad)
                assert not merkle.verify_consistency(H, m, n, roots[m], roots[n], [])


def test_history_rewrite_is_not_consistent():
    data, store, _ = build(20)
    old_root = merkle.root_hash(H, store, 12)
    rewritten = [*data[:5], b"forged", *data[6:20]]
    _, other, _ = build(0)
    frontier = merkle.Frontier(H)
    for item in rewritten:
        for level, index, value in frontier.append(merkle.leaf_hash(H, item)):
            other.nodes[(level, index)] = value
    proof = merkle.consistency_proof(H, other, 12, 20)
    assert not merkle.verify_consistency(H, 12, 20, old_root, frontier.root(), proof)


def test_sm3_tree():
    sm3 = hasher("sm3")
    data, store, frontier = build(9, sm3)
    root = merkle.root_hash(sm3, store, 9)
    assert root == frontier.root()
    proof = merkle.inclusion_proof(sm3, store, 4, 9)
    assert merkle.verify_inclusion(sm3, merkle.leaf_hash(sm3, data[4]), 4, 9, proof, root)


def test_out_of_range_requests_are_refused():
    _, store, _ = build(4)
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_proof(H, store, 4, 4)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_proof(H, store, 5, 4)
    with pytest.raises(merkle.ProofError):
        merkle.root_hash(H, store, 5)
    assert not merkle.verify_inclusion(H, b"", 4, 4, [], b"")
    assert not merkle.verify_consistency(H, 5, 4, b"", b"", [])
