"""`make bench-extraction`: how well penalty provisions are read out of articles, against a naive regex baseline.

Scores `enforcement.extraction.extract_sanctions` and the baseline (`evaluation.naive_extract`: one regex for
"X元以上Y元以下") on the hand labels in tests/enforcement/labels/labels.jsonl (how they were made:
tests/enforcement/labels/README.md), both in this run: precision and recall per field (kind, lower bound, upper
bound, whole amount, multiple), over all labelled articles and over the third draw alone (articles 290–349, labelled
after the extractor was written and scored before it was tuned on them). Also the time per article.

    .venv/bin/python benchmarks/bench_extraction.py [--labels FILE] [--errors]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")

from smartjustice.enforcement.evaluation import (  # noqa: E402  (path set up above)
    FIELDS,
    differences,
    load_labels,
    naive_extract,
    score,
)
from smartjustice.enforcement.extraction import extract_sanctions  # noqa: E402

HELD_OUT_FROM = 290  # sample index where the third, held-out draw starts
TARGET_PRECISION, TARGET_RECALL = 0.95, 0.90


def table(title: str, rows: list[dict]) -> None:
    ours, naive = score(rows, extract_sanctions), score(rows, naive_extract)
    positives = sum(1 for row in rows if row["sanctions"])
    print(
        f"\n{title}: {len(rows)} articles ({positives} with sanctions) from {len({r['law'] for r in rows})} laws"
    )
    print(
        f"{'field':<10}{'expected':>9} | {'precision':>9} {'recall':>7} {'F1':>6} | {'baseline P':>10} {'R':>6} {'F1':>6}"
    )
    for field in FIELDS:
        o, n = ours[field], naive[field]
        print(
            f"{field:<10}{o.expected:>9} | {o.precision:>9.3f} {o.recall:>7.3f} {o.f1:>6.3f} |"
            f" {n.precision:>10.3f} {n.recall:>6.3f} {n.f1:>6.3f}"
        )
    amounts = [ours[f] for f in ("lower", "upper", "multiple")]
    meets = all(s.precision >= TARGET_PRECISION and s.recall >= TARGET_RECALL for s in amounts)
    print(
        f"amounts (lower, upper, multiple) meet P ≥ {TARGET_PRECISION} and R ≥ {TARGET_RECALL}: {'yes' if meets else 'NO'}"
    )


def timing(rows: list[dict], rounds: int = 20) -> None:
    texts = [row["text"] for row in rows]
    for name, extract in (("extractor", extract_sanctions), ("baseline", naive_extract)):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                extract(text)
        elapsed = time.perf_counter() - start
        per = elapsed / (rounds * len(texts)) * 1e6
        print(f"{name:<10} {per:8.1f} µs per article ({rounds * len(texts) / elapsed:,.0f} articles/s)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--labels", type=Path, default=ROOT / "tests/enforcement/labels/labels.jsonl")
    parser.add_argument(
        "--errors", action="store_true", help="list every article where the extractor differs"
    )
    args = parser.parse_args()
    rows = load_labels(args.labels)
    table("All labelled articles", rows)
    table(
        "Third draw (290–349; first scored with the extractor frozen, see the labels README)",
        [r for r in rows if r["index"] >= HELD_OUT_FROM],
    )
    print()
    timing(rows)
    if args.errors:
        print()
        for row in rows:
            if diff := differences(row):
                print(f"[{row['index']}] 《{row['law']}》{row['article']}")
                for field, (extra, missed) in diff.items():
                    print(f"    {field}: found but not expected {extra}; expected but missed {missed}")


if __name__ == "__main__":
    main()
