"""`make bench-qa`: 法宝宝's article retrieval against a plain BM25 baseline on the STARD dev set.

Prints Recall@5, Recall@10, MRR@10 and p50/p95 single-query latency for both, measured in the same run on the
statute library in the configured database (import it first: `smartjustice laws import`). The index is built from
the database if it is missing. Usage: `python benchmarks/bench_qa.py [QUERIES.jsonl]`.
"""

import os
import sys
from pathlib import Path

# One thread, as a web worker answers one question at a time.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO / ".." / "shared" / "data" / "stard-dev.jsonl"


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    queries = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_SET
    if not queries.exists():
        print(f"评测文件不存在：{queries}", file=sys.stderr)
        return 2
    call_command("laws", "eval", "--queries", str(queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
