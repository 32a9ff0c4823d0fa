"""`make bench-ledger`: batched appends to a ledger log and proof times at N leaves, against baselines.

For each size N (default 1,000,000; `--sizes 1000000,10000000`):
1. Baseline A: SM3 leaf hashing of the N payloads in memory (the least any append path must do).
2. `ledger.services.append_batch` in batches of `--batch` (default 10,000): leaf hashes, complete-subtree nodes,
   rows in the database, tree state, one transaction per batch. Target: >= 20,000 appends/s.
3. Inclusion and consistency proofs from the database node store (O(log N) rows, one query each), against
   baseline B: the same proofs from an in-memory dict of the same nodes.

Runs in a throw-away test database: SQLite in memory by default, or PostgreSQL when DATABASE_URL is set
(Django creates `test_<name>` and drops it afterwards).
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000000", help="comma-separated leaf counts (default 1000000)")
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--proofs", type=int, default=200, help="proofs timed per kind")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # as in production: no per-query SQL logging

    from smartjustice.crypto import hasher
    from smartjustice.ledger import merkle, services
    from smartjustice.ledger.models import Log, Node

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    rng = random.Random(2026)
    sm3 = hasher("sm3")
    try:
        for n in sizes:
            payloads = [
                f"案件{i:010d}|处罚决定书|SM3摘要{rng.getrandbits(128):032x}".encode() for i in range(n)
            ]

            start = time.perf_counter()
            for payload in payloads:
                merkle.leaf_hash(sm3, payload)
            hash_s = time.perf_counter() - start

            name = f"bench-{n}"
            start = time.perf_counter()
            for offset in range(0, n, args.batch):
                services.append_batch(name, payloads[offset : offset + args.batch], kind="bench")
            append_s = time.perf_counter() - start
            log = Log.objects.get(name=name)
            assert log.tree_size == n

            indexes = [rng.randrange(n) for _ in range(args.proofs)]
            pairs = [tuple(sorted(rng.sample(range(1, n + 1), 2))) for _ in range(args.proofs)]
            store = services.NodeStore(log)
            start = time.perf_counter()
            proofs = [merkle.inclusion_proof(sm3, store, i, n) for i in indexes]
            inclusion_s = (time.perf_counter() - start) / args.proofs
            start = time.perf_counter()
            for m, k in pairs:
                merkle.consistency_proof(sm3, store, m, k)
            consistency_s = (time.perf_counter() - start) / args.proofs

            wanted = set()
            for i in indexes:
                for a, b in merkle._path_ranges(i, 0, n):
                    wanted.update(merkle._range_coords(a, b))
            for m, k in pairs:
                for a, b in merkle._subproof_ranges(m, 0, k, True):
                    wanted.update(merkle._range_coords(a, b))
            memory = merkle.MemoryStore()
            lookup = {(c[0], c[1]) for c in wanted}
            for level, index, value in (
                Node.objects.filter(log=log).values_list("level", "index", "hash").iterator()
            ):
                if (level, index) in lookup:
                    memory.nodes[(level, index)] = bytes(value)
            start = time.perf_counter()
            memory_proofs = [merkle.inclusion_proof(sm3, memory, i, n) for i in indexes]
            memory_inclusion_s = (time.perf_counter() - start) / args.proofs
            start = time.perf_counter()
            for m, k in pairs:
                merkle.consistency_proof(sm3, memory, m, k)
            memory_consistency_s = (time.perf_counter() - start) / args.proofs
            assert proofs == memory_proofs
            root = bytes(log.root_hash)
            assert all(
                merkle.verify_inclusion(sm3, merkle.leaf_hash(sm3, payloads[i]), i, n, p, root)
                for i, p in zip(indexes, proofs, strict=True)
            )

            rate = n / append_s
            print(f"\nN = {n:,} leaves (batch {args.batch:,})")
            print(f"  baseline A, SM3 leaf hashing in memory: {n / hash_s:12,.0f} leaves/s")
            print(
                f"  append_batch into the database:        {rate:12,.0f} appends/s  "
                f"(ratio {rate / (n / hash_s):.3f} of baseline; target >= 20,000/s: {'OK' if rate >= 20_000 else 'MISSED'})"
            )
            print(
                f"  inclusion proof:   {inclusion_s * 1e3:8.3f} ms from the database, "
                f"{memory_inclusion_s * 1e3:8.3f} ms in memory (ratio {inclusion_s / memory_inclusion_s:.1f}x)"
            )
            print(
                f"  consistency proof: {consistency_s * 1e3:8.3f} ms from the database, "
                f"{memory_consistency_s * 1e3:8.3f} ms in memory (ratio {consistency_s / memory_consistency_s:.1f}x)"
            )
            print(
                f"  proof length at N: {len(proofs[0])} hashes; nodes stored: {Node.objects.filter(log=log).count():,}"
            )
            del payloads
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
