"""Realistic hub records (generated identities with valid check digits, never real people)."""

from __future__ import annotations

import random
from datetime import date

from smartjustice.core import identity

_rng = random.Random(4401)
CAUSES = ["未按规定办理食品经营许可", "超标排放大气污染物", "违法占道经营", "未取得施工许可擅自施工"]


def citizen_id(seed: int | None = None) -> str:
    rng = random.Random(seed) if seed is not None else _rng
    born = date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
    return identity.generate_citizen_id(rng, region_code="440106", birth_date=born, sex=rng.choice("男女"))


def case(n: int, *, id_number: str | None = None, **overrides) -> dict:
    data = {
        "case_number": f"粤天河执罚〔2026〕{n}号",
        "case_type": "行政处罚",
        "cause": CAUSES[n % len(CAUSES)],
        "party_type": "自然人",
        "party_name": "张三丰",
        "party_id_number": id_number or citizen_id(n),
        "enforcement_agency": "广州市天河区市场监督管理局",
        "filed_on": "2026-03-01",
        "status": "已立案",
    }
    data.update(overrides)
    return data


def ingest_item(n: int, code: str = "440106000000", **overrides) -> dict:
    return {"record_key": f"TH-{n:06d}", "jurisdiction_code": code, "data": case(n, **overrides)}
