"""Minimal, realistic factories for the supervision tests: agencies, officers holding a 行政执法证, power-list items
with their statutory range and discretion benchmark, and cases at a given stage written directly through the models
(the case services are exercised by tests/enforcement). Identities are generated, never real."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import random
from decimal import Decimal

from django.utils import timezone

from smartjustice.core import assignments, identity
from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import COUNTY_A, Place, make_staff, organisation_in
from smartjustice.enforcement import officers
from smartjustice.enforcement.choices import CaseStatus, DiscretionGrade, PartyKind, Procedure
from smartjustice.enforcement.models import (
    DiscretionBenchmark,
    EnforcementCase,
    EnforcementItem,
    ItemSanction,
    Party,
)
from smartjustice.supervision.choices import FlagStatus
from smartjustice.supervision.models import SupervisionFlag

MARKET = "market_regulation"
_rng = random.Random(20261206)
_serial = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def agency(code: str = COUNTY_A, domain: str = MARKET):
    """The 行政执法主体 (市场监督管理局) of `code`."""
    org = organisation_in(code, OrganisationKind.ENFORCEMENT_AGENCY)
    if org.enforcement_domain != domain:
        org.enforcement_domain = domain
        org.save(update_fields=["enforcement_domain"])
    return org


def officer(org, *, name: str | None = None, domains=(MARKET,), certified: bool = True):
    """A staff member of `org` registered as its officer and, when `certified`, holding a valid 行政执法证."""
    n = next(_serial)
    registrar = make_staff(org.jurisdiction_id, "officer_manager", organisation=org, real_name="人事专员")
    user = make_staff(
        org.jurisdiction_id, "enforcement_officer", organisation=org, real_name=name or f"执法员{n:03d}"
    )
    record = officers.register_officer(actor=registrar, user=user, agency=org, domains=list(domains))
    if certified:
        issuer = make_staff(org.jurisdiction_id, "credential_officer", real_name="发证专员")
        record = officers.issue_certificate(record, actor=issuer)
    return record


def party(org, *, kind: str = PartyKind.PERSON) -> Party:
    n = next(_serial)
    if kind == PartyKind.PERSON:
        number = identity.generate_citizen_id(
            _rng,
            region_code=org.jurisdiction_id[:6],
            birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=n),
            sex="男",
        )
        name = f"张{n:03d}"
    else:
        number = identity.generate_uscc(_rng, region_code=org.jurisdiction_id[:6])
        name = f"广州市某某商贸有限公司{n:03d}"
    return Party.objects.create(
        agency=org,
        jurisdiction_id=org.jurisdiction_id,
        kind=kind,
        name=name,
        id_number=number,
        phone="13800138000",
        address="广州市天河区体育西路100号",
    )


def item(org, *, lower: int = 5000, upper: int = 50000, bench=(5000, 20000)):
    """A published 行政处罚 item of `org`: a fine of lower–upper 元 and one 从轻 discretion benchmark."""
    n = next(_serial)
    record = EnforcementItem.objects.create(
        code=f"SV-ITEM-{n:05d}",
        name=f"对未按规定明码标价行为的行政处罚{n}",
        item_type="penalty",
        domain=MARKET,
        levels=["county"],
        organisation=org,
        status="published",
    )
    ItemSanction.objects.create(item=record, kind="罚款", lower=lower, upper=upper, unit="元")
    DiscretionBenchmark.objects.create(
        item=record,
        circumstance="首次违法、及时改正",
        grade=DiscretionGrade.LIGHTER,
        fine_lower=bench[0],
        fine_upper=bench[1],
    )
    return record


def conduct_key(p: Party, cause: str, on: datetime.date) -> str:
    return hashlib.sha256(f"{p.id_number}|{cause}|{on.isoformat()}".encode()).hexdigest()


def case(org, *, handlers=(), party_obj=None, **fields) -> EnforcementCase:
    """A case of `org` under investigation (pass status and the stage's fields for later stages); `handlers` are
    officers assigned as 承办人 through core.assignments."""
    n = next(_serial)
    p = party_obj or party(org)
    occurred = today() - datetime.timedelta(days=40)
    cause = fields.pop("cause", "未按规定明码标价")
    values = {
        "number": f"天市监立〔{today().year}〕{n}号",
        "agency": org,
        "jurisdiction_id": org.jurisdiction_id,
        "domain": org.enforcement_domain or MARKET,
        "party": p,
        "cause": cause,
        "facts": "当事人在经营场所销售商品未按规定明码标价。",
        "location": "广州市天河区天河路1号",
        "occurred_on": occurred,
        "discovered_on": occurred + datetime.timedelta(days=2),
        "filed_on": today() - datetime.timedelta(days=20),
        "procedure": Procedure.ORDINARY,
        "status": CaseStatus.INVESTIGATING,
        "conduct_key": conduct_key(p, cause, occurred),
    }
    values.update(fields)
    record = EnforcementCase.objects.create(**values)
    manager = make_staff(org.jurisdiction_id, organisation=org, real_name="案件审批人")
    for o in handlers:
        assignments.assign(record, user=o.user, role=assignments.HANDLER, actor=manager)
    return record


def decided(org, *, handlers=(), it=None, fine: Decimal = Decimal("8000.00"), **fields) -> EnforcementCase:
    """A case decided lawfully: two certified handlers, the item's range and benchmark kept, prior notice served."""
    n = next(_serial)
    values = {
        "status": CaseStatus.DECIDED,
        "item": it,
        "benchmark": it.benchmarks.first() if it else None,
        "discretion_grade": DiscretionGrade.LIGHTER if it else "",
        "fine_amount": fine,
        "legal_basis": "《明码标价和禁止价格欺诈规定》第二十一条",
        "notice_number": f"天市监罚告〔{today().year}〕{n}号",
        "notified_on": today() - datetime.timedelta(days=10),
        # 8,000 yuan to a person is 较大数额 in Guangdong (enforcement.rules.HEARING_THRESHOLD_GUANGDONG): offered.
        "hearing_offered": True,
        "decision_number": f"天市监罚决〔{today().year}〕{n}号",
        "decided_on": today() - datetime.timedelta(days=3),
    }
    values.update(fields)
    return case(org, handlers=handlers, **values)


def flag(place: Place, **fields) -> SupervisionFlag:
    """An open flag on a case of `place`'s organisation (for the API and matrix tests)."""
    org = place.organisation
    record = case(org)
    now = timezone.now()
    values = {
        "case": record,
        "rule": "single_officer",
        "status": FlagStatus.OPEN,
        "evidence": {"status": "investigating", "status_label": "调查取证", "handlers": 0, "minimum": 2},
        "first_fired_at": now,
        "last_seen_at": now,
        "jurisdiction_id": record.jurisdiction_id,
        "agency": org,
        "domain": record.domain,
    }
    values.update(fields)
    return SupervisionFlag.objects.create(**values)


def supervisor(code: str = COUNTY_A, **fields):
    """An 执法监督员 of the 司法局 of `code`."""
    return make_staff(code, "enforcement_supervisor", real_name=fields.pop("real_name", "监督员"), **fields)


def order(place: Place, **fields):
    """A 督办 on a case of `place`'s organisation, issued by a supervisor of `place` (through the service)."""
    from smartjustice.supervision import services

    record = case(
        place.organisation, number=fields.pop("case_number", None) or f"天市监立〔2026〕{next(_serial)}号"
    )
    return services.issue_order(
        case=record,
        actor=fields.pop("actor", None) or supervisor(place.code),
        requirement=fields.pop("requirement", "请补充两名持证执法人员，并于期限内报送整改情况。"),
        deadline_on=fields.pop("deadline_on", today() + datetime.timedelta(days=20)),
        **fields,
    )


def order_payload(place: Place) -> dict:
    record = case(place.organisation)
    return {
        "case_id": record.pk,
        "requirement": "请依法组织法制审核并报送整改情况。",
        "deadline_on": (today() + datetime.timedelta(days=15)).isoformat(),
    }


def review(place: Place, **fields):
    """A sampled 案卷评查 of a closed case of `place`'s organisation."""
    from smartjustice.supervision.models import CaseFileReview

    record = decided(
        place.organisation,
        status=CaseStatus.CLOSED,
        closed_on=today() - datetime.timedelta(days=5),
        number=fields.pop("case_number", None) or f"天市监立〔2026〕{next(_serial)}号",
    )
    return CaseFileReview.objects.create(
        batch=fields.pop("batch", "2026年第四季度"),
        seed="2026年第四季度",
        case=record,
        sampled_by=fields.pop("sampled_by", None) or supervisor(place.code),
        checklist_version="2026-12",
        jurisdiction_id=record.jurisdiction_id,
        agency=record.agency,
        domain=record.domain,
        **fields,
    )


def full_scores(**overrides) -> dict:
    from smartjustice.supervision import rules

    scores = {item["code"]: item["weight"] for item in rules.load_checklist()["items"]}
    scores.update(overrides)
    return scores
