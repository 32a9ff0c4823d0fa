"""Factories for parties, cases, evidence and payments (API tests, page tests and the access matrix share them).

Records are made directly (not through enforcement.cases) so a test of the API or a page does not depend on every
step of the service layer; the service tests (tests/enforcement/test_cases*.py) make theirs through the services.
Identities are generated (valid check digits, never real people).
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from smartjustice.core import identity
from smartjustice.core.testing import Place
from smartjustice.enforcement.choices import (
    CaseStatus,
    EvidenceKind,
    PartyKind,
    PaymentKind,
    Procedure,
)
from smartjustice.enforcement.models import CaseEvidence, CasePayment, EnforcementCase, Party

MARKET = "market_regulation"
_rng = random.Random(20261206)
_serial = itertools.count(1)


def person_id() -> str:
    born = date(1960, 1, 1) + timedelta(days=next(_serial) * 37 % 15000)  # a different birthday each time
    return identity.generate_citizen_id(_rng, region_code="440106", birth_date=born, sex="男")


def party(place: Place, *, name: str | None = None, kind: str = PartyKind.PERSON, **fields) -> Party:
    """A party registered by the agency of `place` (its organisation)."""
    n = next(_serial)
    id_number = (
        person_id() if kind == PartyKind.PERSON else identity.generate_uscc(_rng, region_code="440106")
    )
    return Party.objects.create(
        agency=place.organisation,
        jurisdiction_id=place.organisation.jurisdiction_id,
        kind=kind,
        name=name or f"测试当事人{n:04d}",
        id_number=fields.pop("id_number", id_number),
        phone=fields.pop("phone", "13800138000"),
        address=fields.pop("address", "广州市天河区体育西路100号"),
        **fields,
    )


def case(place: Place, *, party_obj: Party | None = None, **fields) -> EnforcementCase:
    """A case of the agency of `place` (lead by default; pass status and the stage's fields for later stages)."""
    n = next(_serial)
    agency = place.organisation
    values = {
        "agency": agency,
        "jurisdiction_id": agency.jurisdiction_id,
        "domain": agency.enforcement_domain or MARKET,
        "party": party_obj or party(place),
        "cause": f"未按规定明码标价案{n:04d}",
        "facts": f"当事人在经营场所销售商品未按规定明码标价（案情{n:04d}）。",
        "location": "广州市天河区天河路1号",
        "discovered_on": timezone.localdate() - timedelta(days=10),
        "procedure": Procedure.ORDINARY,
        "status": CaseStatus.LEAD,
    }
    values.update(fields)
    return EnforcementCase.objects.create(**values)


def decided_case(place: Place, **fields) -> EnforcementCase:
    """A case decided with a fine (decision number set), ready for its 决定书."""
    today = timezone.localdate()
    n = next(_serial)
    values = {
        "status": CaseStatus.DECIDED,
        "number": f"测试案{n:05d}",
        "filed_on": today - timedelta(days=8),
        "fine_amount": Decimal("5000.00"),
        "legal_basis": "《明码标价和禁止价格欺诈规定》第二十一条",
        "notice_number": f"天市监罚告〔{today.year}〕{n}号",
        "notified_on": today - timedelta(days=5),
        "decision_number": f"天市监罚决〔{today.year}〕{n}号",
        "decided_on": today,
    }
    values.update(fields)
    return case(place, **values)


def evidence(place_or_case, *, kind: str = EvidenceKind.INSPECTION_RECORD, **fields) -> CaseEvidence:
    obj = place_or_case if isinstance(place_or_case, EnforcementCase) else case(place_or_case)
    from smartjustice.core.models import User

    recorder = fields.pop("recorded_by", None) or User.objects.filter(organisation=obj.agency).first()
    if recorder is None:
        from smartjustice.core.testing import make_staff

        recorder = make_staff(obj.jurisdiction_id, organisation=obj.agency)
    return CaseEvidence.objects.create(
        case=obj,
        kind=kind,
        title=fields.pop("title", "现场检查笔录"),
        content=fields.pop("content", "经检查，当事人经营场所内陈列的20种商品均未标明价格。"),
        captured_at=fields.pop("captured_at", timezone.now()),
        recorded_by=recorder,
        sha256=fields.pop("sha256", "0" * 64),
        **fields,
    )


def payment(place_or_case, **fields) -> CasePayment:
    obj = place_or_case if isinstance(place_or_case, EnforcementCase) else decided_case(place_or_case)
    from smartjustice.core.testing import make_staff

    recorder = fields.pop("recorded_by", None) or make_staff(obj.jurisdiction_id, organisation=obj.agency)
    return CasePayment.objects.create(
        case=obj,
        kind=fields.pop("kind", PaymentKind.FINE),
        amount=fields.pop("amount", Decimal("5000.00")),
        paid_on=fields.pop("paid_on", timezone.localdate()),
        receipt_number=fields.pop("receipt_number", "PJ-0001"),
        recorded_by=recorder,
        **fields,
    )
