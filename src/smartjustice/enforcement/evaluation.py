"""How well the extractor reads penalty provisions: precision and recall per field against hand labels.

The labels (tests/enforcement/labels/labels.jsonl, README.md there) give, per article, the sanctions a careful
reader finds. Fields, each scored over all labelled articles:

* kind — the distinct kinds an article provides for (其他 is not scored: it is too open to label consistently);
* lower, upper — (kind, bound) of every fine or detention with that bound, as multisets per article;
* amount — (kind, lower, upper, unit) of every fine or detention with a stated range, exact;
* multiple — (base, lower factor, upper factor) of every fine stated as a multiple; the bases match when one
  contains the other ("药品货值金额" and "货值金额").

`naive_extract` is the baseline measured in the same run: one regex for "X元以上Y元以下".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .extraction import Sanction, SanctionKind, extract_sanctions, parse_amount

FIELDS = ("kind", "lower", "upper", "amount", "multiple")


@dataclass
class FieldScore:
    """Counts for one field; precision and recall are 1.0 when there is nothing to find or nothing found."""

    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_labels(path: Path) -> list[dict]:
    """The labelled articles: law, article, text and sanctions (dicts with Sanction's fields)."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _as_dict(sanction: Sanction | dict) -> dict:
    return sanction.as_dict() if isinstance(sanction, Sanction) else sanction


def _is_multiple(s: dict) -> bool:
    return (
        bool(s.get("multiple_of"))
        or s.get("multiple_lower") is not None
        or s.get("multiple_upper") is not None
    )


def _field_items(sanctions: Iterable[dict], field: str) -> list:
    scored = [s for s in sanctions if s["kind"] != SanctionKind.OTHER]
    if field == "kind":
        return sorted({s["kind"] for s in scored})
    plain = [s for s in scored if not _is_multiple(s)]
    if field == "lower":
        return [(s["kind"], s["lower"]) for s in plain if s["lower"] is not None]
    if field == "upper":
        return [(s["kind"], s["upper"]) for s in plain if s["upper"] is not None]
    if field == "amount":
        return [
            (s["kind"], s["lower"], s["upper"], s["unit"])
            for s in plain
            if s["lower"] is not None or s["upper"] is not None
        ]
    if field == "multiple":
        return [
            (s["multiple_of"], _round(s["multiple_lower"]), _round(s["multiple_upper"]))
            for s in scored
            if _is_multiple(s)
        ]
    raise ValueError(field)


def _round(value):
    return None if value is None else round(float(value), 4)


def _matches(field: str, predicted, expected) -> bool:
    if field != "multiple":
        return predicted == expected
    base_p, base_e = predicted[0], expected[0]
    return predicted[1:] == expected[1:] and (base_e in base_p or base_p in base_e)


def _count_matches(field: str, predicted: list, expected: list) -> int:
    if field != "multiple":
        return sum((Counter(predicted) & Counter(expected)).values())
    left = list(expected)
    hits = 0
    for item in predicted:
        for i, other in enumerate(left):
            if _matches(field, item, other):
                hits += 1
                del left[i]
                break
    return hits


def score(rows: list[dict], extract: Callable[[str], list] = extract_sanctions) -> dict[str, FieldScore]:
    """Precision and recall per field of `extract` over the labelled rows."""
    scores = {field: FieldScore() for field in FIELDS}
    for row in rows:
        predicted = [_as_dict(s) for s in extract(row["text"])]
        for field, total in scores.items():
            got = _field_items(predicted, field)
            want = _field_items(row["sanctions"], field)
            total.predicted += len(got)
            total.expected += len(want)
            total.true_positives += _count_matches(field, got, want)
    return scores


def differences(
    row: dict, extract: Callable[[str], list] = extract_sanctions
) -> dict[str, tuple[list, list]]:
    """Per field, what was found but not expected and what was expected but missed (for reading errors)."""
    predicted = [_as_dict(s) for s in extract(row["text"])]
    out = {}
    for field in FIELDS:
        got, want = _field_items(predicted, field), _field_items(row["sanctions"], field)
        extra = list(got)
        missed = []
        for item in want:
            for i, other in enumerate(extra):
                if _matches(field, other, item):
                    del extra[i]
                    break
            else:
                missed.append(item)
        if extra or missed:
            out[field] = (extra, missed)
    return out


_NAIVE = re.compile(
    r"([零〇一二两三四五六七八九十百千万0-9]+)元以上([零〇一二两三四五六七八九十百千万0-9]+)元以下"
)


def naive_extract(text: str) -> list[Sanction]:
    """The baseline: every "X元以上Y元以下" is a fine from X to Y yuan; nothing else is found."""
    found = []
    for match in _NAIVE.finditer(text):
        try:
            lower, upper = parse_amount(match[1]), parse_amount(match[2])
        except ValueError:
            continue
        found.append(Sanction(SanctionKind.FINE, lower=lower, upper=upper, unit="元", text_span=match.span()))
    return found
