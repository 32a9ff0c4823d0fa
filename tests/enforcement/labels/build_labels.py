"""Turn the hand labels (labels.txt, short codes) and the chosen articles (sample.jsonl) into labels.jsonl.

    .venv/bin/python tests/enforcement/labels/build_labels.py

labels.txt is what was typed while reading each article; labels.jsonl is what the benchmark and the tests read
(self-contained: law, article, text and the expected sanctions). The codes are listed in README.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
CODES = {
    "W": "警告、通报批评",
    "F": "罚款",
    "CG": "没收违法所得",
    "CP": "没收非法财物",
    "ZK": "暂扣许可证件",
    "JD": "降低资质等级",
    "DX": "吊销许可证件",
    "XS": "限制开展生产经营活动",
    "TY": "责令停产停业",
    "GB": "责令关闭",
    "XC": "限制从业",
    "J": "行政拘留",
    "QT": "其他",
}
ITEM = re.compile(
    r"^(?P<code>[A-Z]+)(?:\s+(?:(?P<base>[^*\s]+)\*)?(?P<lo>[\d.]*)~(?P<hi>[\d.]*)(?:/(?P<per>\S+))?)?$"
)


def _number(text: str, *, factor: bool):
    if not text:
        return None
    return float(text) if factor else int(text)


def parse_item(item: str) -> dict:
    match = ITEM.match(item.strip())
    if not match:
        raise ValueError(f"cannot read label item {item!r}")
    code = match["code"]
    factor = bool(match["base"])
    sanction = {
        "kind": CODES[code],
        "lower": None,
        "upper": None,
        "multiple_of": "",
        "multiple_lower": None,
        "multiple_upper": None,
        "unit": "",
    }
    if factor:
        sanction.update(
            multiple_of=match["base"],
            multiple_lower=_number(match["lo"], factor=True),
            multiple_upper=_number(match["hi"], factor=True),
            unit="倍",
        )
    elif match["lo"] is not None:
        sanction.update(
            lower=_number(match["lo"], factor=False),
            upper=_number(match["hi"], factor=False),
            unit="日" if code == "J" else ("元/" + match["per"] if match["per"] else "元"),
        )
    return sanction


def main() -> None:
    sample = [json.loads(line) for line in (HERE / "sample.jsonl").open(encoding="utf-8")]
    out = []
    for line in (HERE / "labels.txt").open(encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        index, _, items = line.partition("|")
        article = sample[int(index)]
        sanctions = [parse_item(item) for item in items.split(";") if item.strip()]
        out.append({"index": int(index), **article, "sanctions": sanctions})
    with (HERE / "labels.jsonl").open("w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    positives = sum(1 for row in out if any(s["kind"] != "其他" for s in row["sanctions"]))
    print(f"{len(out)} articles, {positives} with penalty provisions, {len({r['law'] for r in out})} laws")


if __name__ == "__main__":
    main()
