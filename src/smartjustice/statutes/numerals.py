"""Chinese numerals as statutes write them, read back into integers (the other direction: core.citations)."""

from __future__ import annotations

import re

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
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

NUMERAL = r"[零〇一二两三四五六七八九十百千万0-9０-９]+"


def parse_numeral(text: str) -> int:
    """三十六 → 36, 一千二百六十 → 1260, 十 → 10, 36 or ３６ → 36; ValueError for anything else."""
    text = (text or "").strip().translate(_FULL_WIDTH)
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


_ARTICLE_LABEL = re.compile(rf"^第({NUMERAL})条(?:之({NUMERAL}))?$")
_ENTRY_LABEL = re.compile(rf"^条目({NUMERAL})$")


def parse_article_label(label: str) -> tuple[int, int]:
    """第十七条之一 → (17, 1); 第三十六条 → (36, 0); 条目三 (an amendment's entry) → (3, 0); 全文 → (0, 0)."""
    label = label.strip()
    if match := _ARTICLE_LABEL.match(label):
        return parse_numeral(match[1]), parse_numeral(match[2]) if match[2] else 0
    if match := _ENTRY_LABEL.match(label):
        return parse_numeral(match[1]), 0
    if label in ("全文", ""):
        return 0, 0
    raise ValueError(f"无法识别的条号：{label!r}")
