"""Demo 法条变更提醒: one run of the cited-article check, so the administrators' page has something to show.

No rule of the platform cites an amended or repealed article today (the test resolving every citation sees to
that), and none should be made to. So the demo checks, besides the registered rules, one demo-only rule — not
registered, labelled 演示 on the page — citing a real article whose only version in the library is 已被修改:
《中华人民共和国刑法》第七十六条 (缓刑期间依法实行社区矫正; the corpus holds the 2020 text, since amended), the kind of
article the coming community-correction module will cite. Idempotent: a change is flagged once.
"""

from __future__ import annotations

from smartjustice.core.citations import Citation
from smartjustice.core.demo import Step
from smartjustice.core.rules import Rule, all_rules

from . import services
from .models import CitedArticleAlert

DEMO_RULE = Rule(
    "demo_probation_correction",
    "（演示）对宣告缓刑的犯罪分子，在缓刑考验期限内依法实行社区矫正",
    Citation("中华人民共和国刑法", 76),
    module="statutes",
    register=False,
)


def load() -> Step:
    """Run the cited-article check once over the registered rules and the demo rule."""
    step = Step("法条变更提醒")
    report = services.flag_cited_articles(rules=[*all_rules(), DEMO_RULE])
    step.created = len(report.flagged)
    step.existing = CitedArticleAlert.objects.count() - step.created
    return step
