"""A reference to a provision of law, carried by every rule that implements one (OpenFisca-style)."""

from __future__ import annotations

from dataclasses import dataclass

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1–9999 in the form statutes number their articles: 33 → 三十三, 201 → 二百零一, 1260 → 一千二百六十."""
    if not 0 < n < 10000:
        raise ValueError("article numbers run from 1 to 9999")
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out = ""
    rest = n
    pending_zero = False
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                out += "零"
            out += ("" if (value == 10 and digit == 1 and not out) else _DIGITS[digit]) + name
            pending_zero = False
        elif out:
            pending_zero = True
    if rest:
        out += ("零" if pending_zero else "") + _DIGITS[rest]
    return out


@dataclass(frozen=True)
class Citation:
    """Law name as in the statute library, article number, and optionally the paragraph (款)."""

    law: str
    article: int
    paragraph: int | None = None

    @property
    def article_label(self) -> str:
        return f"第{chinese_numeral(self.article)}条"

    def __str__(self) -> str:
        text = f"《{self.law}》{self.article_label}"
        if self.paragraph:
            text += f"第{chinese_numeral(self.paragraph)}款"
        return text
