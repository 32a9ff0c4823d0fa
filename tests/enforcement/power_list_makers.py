"""Factories for the power list (权责清单): the API tests and the access matrix share them."""

from __future__ import annotations

import itertools

from smartjustice.core.testing import Place, make_staff
from smartjustice.enforcement import power_list
from smartjustice.enforcement.choices import DiscretionGrade
from smartjustice.enforcement.models import EnforcementItem

_serial = itertools.count(1)


def editor(place: Place):
    """A legal reviewer of `place` who maintains its power list."""
    return make_staff(place.code, "legal_reviewer", organisation=place.organisation, real_name="清单维护员")


def item(place: Place) -> EnforcementItem:
    """A draft 行政处罚 item of `place`'s organisation: a fine of 1000–10000 元 and one discretion benchmark."""
    actor = editor(place)
    record = power_list.create_item(
        actor=actor,
        code=f"MX-ITEM-{next(_serial):05d}",
        name=f"矩阵测试执法事项{next(_serial)}",
        item_type="penalty",
        domain="market_regulation",
        levels=["county"],
        sanctions=[{"kind": "罚款", "lower": 1000, "upper": 10000}],
    )
    power_list.save_benchmark(
        record,
        actor=actor,
        circumstance="首次违法",
        grade=DiscretionGrade.LIGHTER,
        fine_lower=1000,
        fine_upper=3000,
    )
    return record


def item_payload(place: Place) -> dict:
    return {
        "code": f"API-ITEM-{next(_serial):05d}",
        "name": "对未按规定明码标价行为的行政处罚",
        "item_type": "penalty",
        "domain": "market_regulation",
        "levels": ["county", "city"],
        "sanctions": [{"kind": "罚款", "lower": 5000, "upper": 50000}],
    }
