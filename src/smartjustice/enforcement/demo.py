"""Demo 权责清单: the province's market regulator's penalty items proposed from 《消费者权益保护法》 in the statute
library, a few reviewed and published with a discretion benchmark, the rest left as drafts for staff to correct.

Everything goes through the services as the demo accounts (gd_reviewer drafts, gd_supervisor publishes). Loading
is idempotent: proposals are one per article, so a second run creates nothing.
"""

from __future__ import annotations

from django.db import transaction

from smartjustice.core.demo import Step
from smartjustice.core.models import Organisation, User

from . import power_list
from .choices import DiscretionGrade, ExemptionList

AGENCY = "广东省市场监督管理局"
LAW = "中华人民共和国消费者权益保护法"
PUBLISHED = 3


def _benchmarks(item, actor) -> None:
    statutory = power_list.statutory_fine_range(item)
    power_list.save_benchmark(
        item,
        actor=actor,
        circumstance="初次违法，危害后果轻微并及时改正",
        grade=DiscretionGrade.NO_PENALTY,
        exemption_list=ExemptionList.FIRST_VIOLATION,
    )
    if statutory and statutory[1]:
        low, high = statutory[0] or 0, statutory[1]
        middle = low + (high - low) // 2
        power_list.save_benchmark(
            item,
            actor=actor,
            circumstance="主动消除或者减轻违法行为危害后果",
            grade=DiscretionGrade.LIGHTER,
            fine_lower=low,
            fine_upper=middle,
        )
        power_list.save_benchmark(
            item,
            actor=actor,
            circumstance="违法行为持续时间长或者造成严重后果",
            grade=DiscretionGrade.HEAVIER,
            fine_lower=middle,
            fine_upper=high,
        )


@transaction.atomic
def load() -> Step:
    """Propose the demo agency's items and publish the first few."""
    step = Step("权责清单")
    agency = Organisation.objects.filter(name=AGENCY).first()
    drafter = User.objects.filter(username="gd_reviewer").first()
    reviewer = User.objects.filter(username="gd_supervisor").first()
    if agency is None or drafter is None or reviewer is None:
        return step
    result = power_list.propose_items(
        law=LAW, actor=drafter, organisation_id=agency.pk, domain="market_regulation"
    )
    step.created, step.existing = len(result["created"]), result["existing"]
    for item in result["created"][:PUBLISHED]:
        _benchmarks(item, drafter)
        power_list.submit_item(item, actor=drafter)
        power_list.publish_item(item, actor=reviewer, comment="依据核对无误")
    step.detail = {"已发布": min(PUBLISHED, step.created), "草稿": max(0, step.created - PUBLISHED)}
    return step
