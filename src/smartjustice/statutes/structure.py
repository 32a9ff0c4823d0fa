"""An article's text split into paragraphs (款, one per line) and items (项, lines starting with （一）…)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ITEM = re.compile(r"^[（(]([一二三四五六七八九十百]+)[）)]\s*(.*)$", re.S)


@dataclass
class ItemPart:
    number: int
    label: str
    text: str


@dataclass
class ParagraphPart:
    number: int
    text: str
    items: list[ItemPart] = field(default_factory=list)


def split_article(text: str) -> list[ParagraphPart]:
    """Paragraphs and their items. A line after items that is not an item starts the next paragraph."""
    paragraphs: list[ParagraphPart] = []
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        match = _ITEM.match(line)
        if match and paragraphs:
            current = paragraphs[-1]
            current.items.append(
                ItemPart(number=len(current.items) + 1, label=f"（{match[1]}）", text=match[2].strip())
            )
            continue
        paragraphs.append(ParagraphPart(number=len(paragraphs) + 1, text=line))
    return paragraphs
