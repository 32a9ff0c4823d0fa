"""Tokens for retrieval: jieba words, CJK character bigrams, query stop words and the legal-term expansions."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parents[1] / "data" / "legal_terms.txt"

_PUNCT = re.compile(r"^[\s\W_]+$")
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")

# Function and question words dropped from questions (never from articles): they match everything.
QUERY_STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "是",
        "在",
        "和",
        "与",
        "对",
        "于",
        "由",
        "从",
        "被",
        "把",
        "及",
        "或",
        "并",
        "等",
        "请问",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "他们",
        "这",
        "那",
        "个",
        "之",
        "其",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "怎么办",
        "是否",
        "能否",
        "可否",
        "可以",
        "能",
        "会",
        "要",
        "应该",
        "应当",
        "需要",
        "有",
        "没有",
        "如果",
        "因为",
        "所以",
        "但是",
        "然后",
        "还是",
        "哪些",
        "哪个",
        "谁",
        "多少",
        "一下",
        "该",
        "怎么样",
        "算",
        "不",
        "么",
        "啥",
    ]
)

_jieba = None
_jieba_lock = threading.Lock()


def _segmenter():
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(60)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def word_tokens(text: str) -> list[str]:
    """jieba's precise mode, punctuation removed."""
    return [t for t in _segmenter().lcut(text) if not _PUNCT.match(t)]


def bigram_tokens(text: str) -> list[str]:
    """Overlapping character pairs of every CJK run (single characters and Latin/digit runs kept whole)."""
    out: list[str] = []
    for run in _RUNS.findall(text):
        if len(run) == 1 or not "\u4e00" <= run[0] <= "\u9fff":
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class Expansion:
    """Lay phrasing → statutory words: when every trigger part occurs in the question, add the terms."""

    triggers: tuple[str, ...]
    terms: tuple[str, ...]


@lru_cache(maxsize=4)
def load_expansions(path: str = str(TERMS_FILE)) -> tuple[Expansion, ...]:
    """The hand-written dictionary (qa/data/legal_terms.txt: TRIGGER[+TRIGGER]<TAB>TERM TERM …)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        triggers, terms = line.split("\t", 1)
        out.append(Expansion(tuple(triggers.split("+")), tuple(terms.split())))
    return tuple(out)


def expand(question: str, expansions: tuple[Expansion, ...]) -> list[str]:
    """The statutory terms the question's lay words stand for (in dictionary order, may repeat)."""
    return [term for e in expansions if all(part in question for part in e.triggers) for term in e.terms]
