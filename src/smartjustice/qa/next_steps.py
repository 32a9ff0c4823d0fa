"""What a person can do next (法律援助、人民调解、律师咨询、12348 …): codes, Chinese labels and link targets.

Content, not code: names and descriptions are the FAQ's service catalogue (statutes/data/faq/services.json), the
fixed set and the links are qa/data/next_steps.json. Service modules link themselves by adding their URL name there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.urls import NoReverseMatch, reverse

CATALOGUE = Path(__file__).resolve().parents[1] / "statutes" / "data" / "faq" / "services.json"
LINKS = Path(__file__).resolve().parent / "data" / "next_steps.json"


@dataclass(frozen=True)
class NextStep:
    """One thing a person can do next, as data: code, label, what it is, where it leads, why it is offered."""

    code: str
    label: str
    description: str
    provider: str  # "platform" (the platform or a body it supervises) or "referral" (another authority)
    url: str
    recommended: bool  # True when an FAQ entry matching the question recommends it


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return {row["code"]: row for row in data["services"]}


@lru_cache(maxsize=1)
def _links() -> dict:
    return json.loads(LINKS.read_text(encoding="utf-8"))


def service_codes() -> list[str]:
    return list(catalogue())


def service_label(code: str) -> str:
    return catalogue().get(code, {}).get("name", code)


def link_for(code: str) -> str:
    link = _links()["links"].get(code, {})
    if link.get("url_name"):
        try:
            return reverse(link["url_name"])
        except NoReverseMatch:
            pass  # the module is not there yet
    return link.get("fallback", "")


def steps_for(recommended_codes: list[str]) -> list[NextStep]:
    """The recommended services first (in order, once each), then the fixed set everyone is offered."""
    recommended = list(dict.fromkeys(c for c in recommended_codes if c in catalogue()))
    codes = recommended + [c for c in _links()["always"] if c not in recommended]
    steps = []
    for code in codes:
        row = catalogue()[code]
        steps.append(
            NextStep(
                code=code,
                label=row["name"],
                description=row.get("description", ""),
                provider=row.get("provider", "platform"),
                url=link_for(code),
                recommended=code in recommended,
            )
        )
    return steps
