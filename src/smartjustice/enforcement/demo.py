"""Demo 行政执法 (`smartjustice load_demo`): a power list, certified officers in three cities, cases in every stage of
both procedures, and a 双随机 plan drawn and published.

* 权责清单: the province's market regulator's penalty items proposed from 《消费者权益保护法》《食品安全法》《价格法》
  in the statute library; those the demo cases cite reviewed and published with discretion benchmarks (gd_reviewer
  drafts, gd_powerlist publishes), the rest left as drafts for staff to correct.
* 执法人员: the officers of 广州市天河区 (market regulation, urban management), 深圳市福田区 and 乐昌市 registered by their
  agency's officer manager, each given a 行政执法证 by the city's 证照管理员 through the credential service.
* 案件 (data/demo.json): one case per stage of the ordinary procedure — 线索登记 … 已归档, 不予立案, 不予处罚 — and of
  the simplified one, each walked through enforcement/cases.py or enforcement/simplified.py step by step as the
  demo accounts (handlers, 法制审核人员, 机关负责人), with dates in the past where the law lets a step be dated.
* 双随机抽查: a plan of the 天河区 market regulator with its seed committed in the ledger, drawn, inspected (one
  failure opened as a case) and published.

Everything goes through the services; loading is idempotent (officers by account, cases by agency and 案由, the plan
by name), so a second run creates nothing.
"""

from __future__ import annotations

import datetime
import json
import random
import struct
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from smartjustice.core import context, identity
from smartjustice.core import demo as core_demo
from smartjustice.core.demo import Step
from smartjustice.core.models import Organisation, User

from . import power_list
from .choices import (
    DiscretionGrade,
    EvidenceKind,
    ExemptionList,
    InspectionResult,
    ItemStatus,
    PartyKind,
    PaymentKind,
    ServiceMethod,
)
from .models import EnforcementCase, EnforcementItem, EnforcementOfficer, InspectionPlan

DATA_FILE = Path(__file__).parent / "data" / "demo.json"
TRADES = ["恒达", "嘉信", "粤丰", "利民", "华润祥", "金穗", "珠江源", "岭南春"]
INDUSTRIES = ["贸易有限公司", "餐饮管理有限公司", "食品有限公司", "商贸有限公司", "农业发展有限公司"]


@lru_cache(maxsize=1)
def spec() -> dict:
    """The demo officers, cases and inspection plan (enforcement/data/demo.json)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load() -> Step:
    """Create whatever part of the enforcement demo is missing (needs the core demo's agencies and accounts)."""
    step = Step("行政执法")
    data = spec()
    wanted = {data["power_list"]["drafter"], data["power_list"]["publisher"]}
    for agency in data["agencies"].values():
        wanted |= {*agency["officers"], agency["head"], agency["manager"], agency["issuer"]}
        wanted |= {agency[role] for role in ("reviewer", "planner") if agency.get(role)}
    users = {u.username: u for u in User.objects.filter(username__in=wanted).select_related("organisation")}
    detail: Counter[str] = Counter()
    with (
        transaction.atomic(),
        context.acting(actor=None, channel="command", request_id=context.new_request_id()),
    ):
        _ensure_catalogue()
        if {data["power_list"]["drafter"], data["power_list"]["publisher"]} <= set(users):
            _power_list(step, detail, users)
        if set(users) == wanted:  # else a partial demo without the agencies' accounts: nothing to act as
            agencies = _officers(step, detail, users)
            for entry in data["cases"]:
                _ordinary_case(step, detail, entry, agencies[entry["agency"]])
            for entry in data["simplified"]:
                _simplified_case(step, detail, entry, agencies[entry["agency"]])
            _inspection(step, detail, data["inspection"], agencies)
    step.detail = dict(detail)
    return step


def _ensure_catalogue() -> None:
    """Decisions are published to the hub's 行政执法案件 dataset: load the catalogue if it is not (`make run` does)."""
    from smartjustice.hub.models import Dataset
    from smartjustice.hub.services import load_catalogue

    from .cases import DATASET

    if not Dataset.objects.filter(code=DATASET).exists():
        load_catalogue()


# --- the power list ---------------------------------------------------------------------------------------------


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


def _power_list(step: Step, detail: Counter, users: dict) -> None:
    """Propose the province market regulator's items from the listed laws and publish the ones the cases cite."""
    entry = spec()["power_list"]
    agency = Organisation.objects.filter(name=entry["agency"]).first()
    if agency is None:
        return
    drafter, publisher = users[entry["drafter"]], users[entry["publisher"]]
    for law in entry["laws"]:
        result = power_list.propose_items(
            law=law, actor=drafter, organisation_id=agency.pk, domain=entry["domain"]
        )
        step.created += len(result["created"])
        step.existing += result["existing"]
    for item in EnforcementItem.objects.filter(source__in=entry["publish"], status=ItemStatus.DRAFT):
        _benchmarks(item, drafter)
        power_list.submit_item(item, actor=drafter)
        power_list.publish_item(item, actor=publisher, comment="依据核对无误，裁量基准符合法定幅度")
    items = EnforcementItem.objects.filter(organisation=agency)
    detail["执法事项（已发布）"] = items.filter(status=ItemStatus.PUBLISHED).count()
    detail["执法事项（草稿）"] = items.filter(status=ItemStatus.DRAFT).count()


# --- officers and their certificates -----------------------------------------------------------------------------


def _officers(step: Step, detail: Counter, users: dict) -> dict[str, dict]:
    """Register each agency's officers and issue their 行政执法证; returns the people of each agency."""
    from . import officers as officer_services

    year = timezone.localdate().year
    agencies = {}
    for key, entry in spec()["agencies"].items():
        agency = Organisation.objects.select_related("jurisdiction").get(name=entry["name"])
        handlers = [users[name] for name in entry["officers"]]
        for user in handlers:
            officer = EnforcementOfficer.objects.filter(user=user).first()
            if officer is None:
                officer = officer_services.register_officer(
                    actor=users[entry["manager"]],
                    user=user,
                    agency=agency,
                    domains=[entry["domain"]],
                    training_hours={str(year - 1): 40, str(year): 32},
                )
                step.created += 1
                detail["执法人员"] += 1
            else:
                step.existing += 1
            if officer.credential is None:
                officer_services.issue_certificate(officer, actor=users[entry["issuer"]])
                detail["行政执法证"] += 1
        agencies[key] = {
            "agency": agency,
            "domain": entry["domain"],
            "handlers": handlers,
            "head": users[entry["head"]],
            "reviewer": users.get(entry.get("reviewer", "")),
            "planner": users.get(entry.get("planner", "")),
        }
    return agencies


# --- parties ------------------------------------------------------------------------------------------------------


def _party(people: dict, kind: str, key: str):
    """A party of the agency, generated from the demo seed (valid ID number or USCC, never a real one)."""
    from . import cases

    agency = people["agency"]
    rng = random.Random(f"{core_demo.spec()['seed']}:enforcement:{key}")
    region = core_demo.registration_code(agency.jurisdiction)
    if kind == PartyKind.PERSON:
        sex = rng.choice(["男", "女"])
        fields = {
            "name": core_demo.person_name(rng, sex),
            "id_number": identity.generate_citizen_id(
                rng, region_code=region, birth_date=core_demo.birth_date(rng, min_age=20, max_age=65), sex=sex
            ),
        }
    else:
        city = agency.jurisdiction.full_name[3:5] if agency.jurisdiction.full_name else ""
        fields = {
            "name": f"{city}市{rng.choice(TRADES)}{rng.choice(INDUSTRIES)}",
            "id_number": identity.generate_uscc(rng, region_code=region, department="9", category="1"),
            "legal_representative": core_demo.person_name(rng, rng.choice(["男", "女"])),
        }
    return cases.register_party(
        agency=agency,
        kind=kind,
        phone=identity.generate_mobile(rng),
        address=f"{agency.jurisdiction.full_name or agency.jurisdiction.name}某路{rng.randint(1, 300)}号",
        actor=people["handlers"][0],
        **fields,
    )


def _item(source: str | None):
    """The published item a case cites (None where the statute library, hence the power list, is not loaded)."""
    if not source:
        return None
    return EnforcementItem.objects.filter(source=source, status=ItemStatus.PUBLISHED).first()


def _noon(day: datetime.date) -> datetime.datetime:
    """Half past ten on the day, but never later than two hours ago: loaded just after midnight, "today's" case must
    not claim a moment still to come (services refuse a scene time in the future)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
    return min(moment, timezone.now() - datetime.timedelta(hours=2))


def _signature_png() -> bytes:
    """A small PNG standing for the party's handwritten signature (a stroke on white)."""
    width, height = 120, 40
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            ink = abs(y - (20 + int(8 * ((x % 40) / 20 - 1)))) < 2 and 10 < x < 110
            row += b"\x00" if ink else b"\xff"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


# --- cases --------------------------------------------------------------------------------------------------------


def _ordinary_case(step: Step, detail: Counter, entry: dict, people: dict) -> None:
    """One case of the ordinary procedure, walked through the services up to its stage."""
    from . import cases

    agency = people["agency"]
    if EnforcementCase.objects.filter(agency=agency, cause=entry["cause"]).exists():
        step.existing += 1
        return
    today = timezone.localdate()
    days = entry["days"]

    def day(name: str):
        return today - datetime.timedelta(days=days[name]) if name in days else None

    handler = people["handlers"][0]
    discovered = day("discovered")
    case = cases.register_case(
        agency=agency,
        party=_party(people, entry["party"], entry["cause"]),
        cause=entry["cause"],
        domain=people["domain"],
        discovered_on=discovered,
        source=entry["source"],
        item=_item(entry.get("item")),
        facts=entry["facts"],
        location=entry["location"],
        occurred_on=discovered - datetime.timedelta(days=1),
        actor=handler,
    )
    step.created += 1
    _advance(case, entry, people, day)
    case.refresh_from_db()
    detail[f"普通程序·{case.get_status_display()}"] += 1


def _advance(case, entry: dict, people: dict, day) -> None:  # noqa: C901 — one step per stage, in the law's order
    from . import cases

    handler, colleague = people["handlers"]
    head, stage = people["head"], entry["stage"]
    if stage == "lead":
        return
    if stage == "not_filed":
        cases.not_file_case(case, reason=entry["reason"], actor=head)
        return
    filed = day("filed")
    cases.file_case(case, officers=people["handlers"], actor=head, filed_on=filed)
    cases.record_evidence(
        case,
        kind=EvidenceKind.INSPECTION_RECORD,
        title="现场检查笔录",
        content=f"检查地点：{entry['location']}\n检查情况：{entry['facts']}\n执法人员出示了行政执法证。",
        captured_at=_noon(filed),
        actor=handler,
    )
    cases.record_evidence(
        case,
        kind=EvidenceKind.INQUIRY_RECORD,
        title="询问笔录（当事人）",
        content="问：你是否知道执法人员今天来的原因？\n答：知道。\n问：对检查发现的问题有何说明？\n答：如实说明情况，愿意配合调查。",
        captured_at=_noon(filed) + datetime.timedelta(hours=1),
        actor=colleague,
    )
    if stage == "investigating":
        return
    if stage == "dropped":
        cases.drop_case(case, reason=entry["reason"], actor=head)
        return
    cases.propose_penalty(
        case,
        fine_amount=entry["fine"],
        discretion_grade=entry.get("grade", ""),
        legal_basis=entry["basis"],
        grave=entry.get("grave", False),
        actor=handler,
    )
    if case.legal_review_required:
        cases.submit_for_review(case, actor=handler)
        if stage == "legal_review":
            return
        cases.give_legal_review(
            case,
            passed=True,
            opinion="主体合法，事实清楚，证据确凿，适用依据正确，程序合法，处罚适当，同意拟处罚意见。",
            actor=people["reviewer"],
        )
    cases.serve_prior_notice(case, actor=handler, notified_on=day("notified"))
    if stage == "notified":
        return
    if stage == "hearing":
        today = timezone.localdate()
        cases.request_hearing(
            case, actor=handler, requested_on=today, hearing_on=today + datetime.timedelta(days=10)
        )
        return
    if entry.get("statement"):
        cases.record_statement(case, statement=entry["statement"], actor=handler)
    else:
        cases.record_statement(case, waived=True, actor=handler)
    if case.grave:
        cases.record_discussion(
            case,
            record="局长办公会集体讨论：违法事实清楚，情节严重，同意按拟处罚意见作出决定。",
            actor=handler,
        )
        if stage == "discussion":
            return
    cases.decide(case, actor=head, decided_on=day("decided"))
    if stage == "decided":
        return
    cases.serve_decision(case, method=ServiceMethod.IN_PERSON, actor=handler, served_on=day("served"))
    if stage == "served":
        return
    _pay_and_finish(case, stage, handler, day("paid"))


def _pay_and_finish(case, stage: str, actor, paid_on) -> None:
    from . import cases

    cases.record_payment(
        case,
        amount=case.fine_amount,
        paid_on=paid_on,
        receipt_number=f"4400{case.pk:08d}",
        kind=PaymentKind.FINE,
        actor=actor,
    )
    cases.execute_case(case, actor=actor)
    if stage == "executed":
        return
    cases.close_case(case, actor=actor)
    if stage == "closed":
        return
    cases.archive_case(case, actor=actor)


def _simplified_case(step: Step, detail: Counter, entry: dict, people: dict) -> None:
    """One on-the-spot penalty (简易程序), then paid, closed and archived as its stage says."""
    from . import simplified

    agency = people["agency"]
    if EnforcementCase.objects.filter(agency=agency, cause=entry["cause"]).exists():
        step.existing += 1
        return
    today = timezone.localdate()
    officer, colleague = people["handlers"]
    refused = entry["signature"] == "refused"
    case = simplified.issue_on_the_spot_penalty(
        officer=officer,
        party=_party(people, entry["party"], entry["cause"]),
        cause=entry["cause"],
        facts=entry["facts"],
        location=entry["location"],
        legal_basis=entry["basis"],
        fine_amount=entry["fine"],
        signature_png=None if refused else _signature_png(),
        signature_refused=refused,
        captured_at=_noon(today - datetime.timedelta(days=entry["days"])),
        co_officers=[colleague],
        actor=officer,
    )
    step.created += 1
    if entry["stage"] != "served":
        paid_on = today - datetime.timedelta(days=entry["paid"])
        _pay_and_finish(case, entry["stage"], officer, paid_on)
    case.refresh_from_db()
    detail[f"简易程序·{case.get_status_display()}"] += 1


# --- 双随机、一公开 -------------------------------------------------------------------------------------------------


def _inspection(step: Step, detail: Counter, entry: dict, agencies: dict) -> None:
    """A plan of the agency: entities registered, the seed committed, the draw made, results recorded and
    published; the failed inspection becomes a case lead."""
    from . import inspections

    people = agencies[entry["agency"]]
    agency = people["agency"]
    if InspectionPlan.objects.filter(agency=agency, name=entry["name"]).exists():
        step.existing += 1
        return
    planner = people["planner"]
    region = core_demo.registration_code(agency.jurisdiction)
    for number, (name, risk) in enumerate(entry["entities"]):
        rng = random.Random(f"{core_demo.spec()['seed']}:enforcement:entity:{number}")
        inspections.register_entity(
            actor=planner,
            uscc=identity.generate_uscc(rng, region_code=region, department="9", category="1"),
            name=name,
            jurisdiction=agency.jurisdiction,
            domains=[entry["domain"]],
            risk_level=risk,
            legal_representative=core_demo.person_name(rng, rng.choice(["男", "女"])),
            business_address=f"{agency.jurisdiction.full_name}某路{rng.randint(1, 300)}号",
        )
    plan = inspections.create_plan(
        actor=planner,
        agency=agency,
        name=entry["name"],
        domain=entry["domain"],
        sampling_ratios=entry["ratios"],
    )
    plan = inspections.commit_seed(plan, actor=planner)
    plan = inspections.perform_draw(plan, actor=planner)
    results = iter(entry["findings"])
    failed = None
    for inspection in plan.inspections.select_related("entity").order_by("id"):
        result = next(results, InspectionResult.PASSED)
        drawn = list(inspection.officers.select_related("user"))
        actor = drawn[0].user
        findings = {
            InspectionResult.PASSED: "",
            InspectionResult.RECTIFY: "后厨防蝇防鼠设施不完善，责令十日内整改。",
            InspectionResult.FAILED: "经营场所存放超过保质期的食品原料，涉嫌违法，建议立案调查。",
        }[result]
        inspections.record_result(inspection, actor=actor, result=result, findings=findings)
        if result == InspectionResult.FAILED:
            failed = (inspection, actor)
    plan.refresh_from_db()
    inspections.publish_results(plan, actor=planner)
    if failed is not None:
        inspections.open_case_from_inspection(failed[0], actor=failed[1])
    step.created += 1
    detail["双随机抽查计划"] += 1
    detail["抽查检查"] += plan.inspections.count()
