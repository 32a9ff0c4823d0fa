"""双随机、一公开 (《中华人民共和国民营经济促进法》第五十二条第二款): every write of random inspections, one audited
operation each.

The life of a plan: create_plan (draft, parameters editable) → commit_seed (32 random bytes; SHA-256(seed ||
canonical parameters) appended to the ledger; the candidate list, officer pool and conflicts frozen; parameters
fixed from then on) → perform_draw (the seed revealed, draw.py picks the entities and two officers each, the result
appended to the ledger) → record_result by an officer drawn for that entity → publish_results (the public page) →
open_case_from_inspection for a failed one. verify_draw redoes the draw from the revealed seed and the ledger
entries (docs/decisions/0012-random-draw.md).
"""

from __future__ import annotations

import datetime
import secrets
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, audit, notifications
from smartjustice.core.choices import EnforcementDomain, OrganisationKind
from smartjustice.core.errors import Conflict, PermissionDenied, ValidationFailed
from smartjustice.core.models import Jurisdiction, Organisation

from . import draw as drawing
from . import inspection_queries as queries
from .choices import CaseAuditEvent, CaseSource, InspectionPlanStatus, InspectionResult, PartyKind, RiskLevel
from .eligibility import eligible_officers, ineligibility, officer_of

# The registry and the verification live in their own modules; callers use inspections.<name> for all of them.
from .inspection_registry import (  # noqa: F401 (re-exported)
    ImportReport,
    import_entities,
    register_conflict,
    register_entity,
)
from .inspection_verification import (  # noqa: F401 (re-exported)
    Check,
    DrawVerification,
    plan_parameters,
    run_draw,
    targets_json,
    verify_draw,
)
from .models import ConflictOfInterest, EnforcementOfficer, Inspection, InspectionPlan, RegulatedEntity
from .models.inspections import default_sampling_ratios
from .officers import agency_domains
from .rules import INSPECTION_OFFICERS, RANDOM_INSPECTION

LEDGER_LOG = "enforcement-inspections"
COMMITMENT_KIND = "enforcement.inspection.seed"
DRAW_KIND = "enforcement.inspection.draw"


def _fail(field_name: str, message: str):
    return ValidationFailed(message, fields={field_name: [message]})


# --- plans ----------------------------------------------------------------------------------------------------------


def _clean_ratios(ratios) -> dict:
    if ratios is None:
        ratios = default_sampling_ratios()
    if not isinstance(ratios, dict):
        raise _fail("sampling_ratios", "抽查比例须按风险等级填写")
    unknown = [k for k in ratios if k not in RiskLevel.values]
    if unknown:
        raise _fail("sampling_ratios", f"未定义的风险等级：{'、'.join(map(str, unknown))}")
    cleaned = {}
    for level in RiskLevel.values:
        try:
            value = drawing.ratio_value(ratios.get(level, 0))
        except drawing.DrawError as error:
            raise _fail("sampling_ratios", str(error)) from None
        if value.as_tuple().exponent < -4:
            raise _fail("sampling_ratios", "抽查比例最多保留四位小数")
        cleaned[str(level)] = float(value)
    if not any(cleaned.values()):
        raise _fail("sampling_ratios", "至少一个风险等级的抽查比例须大于0")
    return cleaned


def _check_plan_fields(
    agency: Organisation, jurisdiction: Jurisdiction | None, domain: str, per: int
) -> None:
    if jurisdiction is None:
        raise _fail("jurisdiction", "抽查区划不存在")
    if not agency.jurisdiction.contains(jurisdiction.code):
        raise _fail("jurisdiction", f"抽查区划须在{agency.jurisdiction}范围内")
    if domain not in agency_domains(agency):
        label = EnforcementDomain(domain).label if domain in EnforcementDomain.values else domain
        raise _fail("domain", f"{agency.name}的法定职责不含{label}")
    if not isinstance(per, int) or not INSPECTION_OFFICERS.value <= per <= 5:
        raise _fail(
            "officers_per_inspection",
            f"每户执法人员数须为{INSPECTION_OFFICERS.value}至5人（{INSPECTION_OFFICERS.citation}）",
        )


def _place(code) -> Jurisdiction | None:
    if isinstance(code, Jurisdiction):
        return code
    return Jurisdiction.objects.filter(code=str(code or "")).first()


@transaction.atomic
def create_plan(
    *,
    actor,
    agency: Organisation | None = None,
    name: str,
    domain: str,
    jurisdiction=None,
    sampling_ratios: dict | None = None,
    officers_per_inspection: int = INSPECTION_OFFICERS.value,
) -> InspectionPlan:
    """Create a 双随机 plan of the actor's agency (draft: its parameters may change until the seed is committed)."""
    access.require(actor, "add", InspectionPlan)
    agency = agency or actor.organisation
    if agency is None or agency.kind != OrganisationKind.ENFORCEMENT_AGENCY or not agency.is_active:
        raise _fail("agency", "抽查计划须由行政执法主体制定")
    if not actor.is_superuser and actor.organisation_id != agency.pk:
        raise PermissionDenied("您只能制定本单位的抽查计划")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise _fail("name", "请填写计划名称（200字以内）")
    place = _place(jurisdiction) if jurisdiction else agency.jurisdiction
    _check_plan_fields(agency, place, domain, officers_per_inspection)
    with audit.operation(CaseAuditEvent.PLAN_CREATED, obj=audit.NEW, actor=actor):
        return InspectionPlan.objects.create(
            name=name,
            agency=agency,
            jurisdiction=place,
            domain=domain,
            sampling_ratios=_clean_ratios(sampling_ratios),
            officers_per_inspection=officers_per_inspection,
        )


def _require_change(plan: InspectionPlan, actor) -> None:
    if not access.can(actor, "change", plan):
        raise PermissionDenied("您不能操作该抽查计划")


@transaction.atomic
def update_plan(plan: InspectionPlan, *, actor, **changes) -> InspectionPlan:
    """Change a draft plan (name, area, domain, ratios, officers per inspection); fixed once the seed is committed."""
    _require_change(plan, actor)
    plan = InspectionPlan.objects.select_for_update().select_related("agency__jurisdiction").get(pk=plan.pk)
    if plan.status != InspectionPlanStatus.DRAFT:
        raise Conflict("随机种子已存证，抽查参数不得再修改")
    name = changes.get("name", plan.name)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise _fail("name", "请填写计划名称（200字以内）")
    place = _place(changes["jurisdiction"]) if changes.get("jurisdiction") else plan.jurisdiction
    domain = changes.get("domain", plan.domain)
    per = changes.get("officers_per_inspection", plan.officers_per_inspection)
    _check_plan_fields(plan.agency, place, domain, per)
    ratios = (
        _clean_ratios(changes["sampling_ratios"]) if "sampling_ratios" in changes else plan.sampling_ratios
    )
    with audit.operation(CaseAuditEvent.PLAN_UPDATED, obj=plan, actor=actor):
        plan.name, plan.jurisdiction, plan.domain = name, place, domain
        plan.officers_per_inspection, plan.sampling_ratios = per, ratios
        plan.save()
    return plan


# --- commit, draw, verify ---------------------------------------------------------------------------------------------


def _freeze_inputs(plan: InspectionPlan) -> dict:
    candidates = queries.candidate_rows(plan)
    pool = sorted(
        eligible_officers(plan.domain, plan.jurisdiction_id)
        .filter(agency_id=plan.agency_id)
        .values_list("pk", flat=True)
    )
    listed = {uscc for uscc, _ in candidates}
    return {
        "candidates": [[uscc, risk] for uscc, risk in candidates],
        "officers": pool,
        "conflicts": sorted([o, u] for o, u in _conflict_pairs(pool) if u in listed),
    }


def _conflict_pairs(officer_ids) -> set[tuple[int, str]]:
    """(officer id, USCC) of every conflict of these officers (few officers; the registry may be large)."""
    return set(
        ConflictOfInterest.objects.filter(officer_id__in=list(officer_ids)).values_list(
            "officer_id", "entity__uscc"
        )
    )


def _ledger_payload(value: dict) -> bytes:
    return drawing.canonical_json(value)


@transaction.atomic
def commit_seed(plan: InspectionPlan, *, actor) -> InspectionPlan:
    """Generate the seed and commit to it in the ledger before the draw: SHA-256(seed || canonical parameters),
    with the candidate list, officer pool and conflicts frozen (their SHA-256 is a parameter)."""
    from smartjustice.ledger import services as ledger

    _require_change(plan, actor)
    plan = InspectionPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    if plan.status != InspectionPlanStatus.DRAFT:
        raise Conflict("该计划的随机种子已存证")
    inputs = _freeze_inputs(plan)
    if not inputs["candidates"]:
        raise _fail("jurisdiction", "抽查区划内没有该领域的存续监管对象，无法抽查")
    if len(inputs["officers"]) < plan.officers_per_inspection:
        raise _fail(
            "officers_per_inspection",
            f"本单位持有效行政执法证的该领域执法人员不足{plan.officers_per_inspection}人（{INSPECTION_OFFICERS.citation}）",
        )
    seed = secrets.token_bytes(drawing.SEED_BYTES).hex()
    parameters = plan_parameters(plan, inputs)
    committed = drawing.commitment(seed, parameters)
    with audit.operation(
        CaseAuditEvent.PLAN_SEED_COMMITTED, obj=plan, actor=actor, detail=f"承诺值 {committed}"
    ):
        entry = ledger.append_entry(
            LEDGER_LOG,
            _ledger_payload({"type": "seed_commitment", "commitment": committed, "parameters": parameters}),
            kind=COMMITMENT_KIND,
            actor=actor,
        )
        plan.seed = seed
        plan.seed_commitment = committed
        plan.seed_ledger_log = LEDGER_LOG
        plan.seed_ledger_index = entry.index
        plan.draw_inputs = inputs
        plan.committed_at = timezone.now()
        plan.status = InspectionPlanStatus.COMMITTED
        plan.save()
    return plan


@transaction.atomic
def perform_draw(plan: InspectionPlan, *, actor) -> InspectionPlan:
    """Reveal the seed and draw: the entities per risk level and the officers for each (draw.py), recorded as
    inspections and appended to the ledger. Officers of the frozen pool no longer eligible today are left out
    (listed with the reason); conflicts registered since the commitment are honoured (listed too)."""
    from smartjustice.ledger import services as ledger

    _require_change(plan, actor)
    plan = InspectionPlan.objects.select_for_update().select_related("agency", "jurisdiction").get(pk=plan.pk)
    if plan.status == InspectionPlanStatus.DRAFT:
        raise Conflict("随机种子尚未存证，不能抽取（须先将随机种子存证）")
    if plan.status != InspectionPlanStatus.COMMITTED:
        raise Conflict("该计划已经抽取")
    inputs = dict(plan.draw_inputs)
    pool = {
        o.pk: o
        for o in EnforcementOfficer.objects.select_related("user", "jurisdiction", "credential").filter(
            pk__in=inputs["officers"]
        )
    }
    excluded = []
    for officer_id in inputs["officers"]:
        reason = ineligibility(pool.get(officer_id), plan.domain, plan.jurisdiction_id)
        if reason:
            excluded.append([officer_id, reason])
    frozen = {(o, u) for o, u in inputs["conflicts"]}
    listed = {uscc for uscc, _ in inputs["candidates"]}
    late = sorted(
        [o, u] for o, u in _conflict_pairs(inputs["officers"]) if u in listed and (o, u) not in frozen
    )
    inputs["excluded"], inputs["late_conflicts"] = excluded, late
    try:
        targets = run_draw(plan, plan.seed, inputs)
    except drawing.DrawError as error:
        raise _fail("officers_per_inspection", str(error)) from None
    entities = {e.uscc: e for e in RegulatedEntity.objects.filter(uscc__in=[t.uscc for t in targets])}
    with audit.operation(
        CaseAuditEvent.PLAN_DRAWN, obj=plan, actor=actor, detail=f"抽取{len(targets)}户，种子 {plan.seed}"
    ):
        entry = ledger.append_entry(
            LEDGER_LOG,
            _ledger_payload(
                {
                    "type": "draw",
                    "plan": plan.pk,
                    "seed": plan.seed,
                    "commitment": plan.seed_commitment,
                    "commitment_index": plan.seed_ledger_index,
                    "excluded": excluded,
                    "late_conflicts": late,
                    "targets_sha256": drawing.digest(targets_json(targets)),
                }
            ),
            kind=DRAW_KIND,
            actor=actor,
        )
        inputs["draw_ledger_index"] = entry.index
        # Set-based: a draw of thousands of entities is three INSERTs, not thousands (one creation entry each).
        rows = Inspection.objects.bulk_create(
            [Inspection(plan=plan, entity=entities[t.uscc]) for t in targets]
        )
        audit.record_created_many(rows)
        through = Inspection.officers.through
        through.objects.bulk_create(
            [
                through(inspection_id=row.pk, enforcementofficer_id=officer_id)
                for row, target in zip(rows, targets, strict=True)
                for officer_id in target.officers
            ]
        )
        tasks = Counter(officer_id for target in targets for officer_id in target.officers)
        for officer_id, count in sorted(tasks.items()):
            notifications.notify(
                pool[officer_id].user,
                title=f"双随机抽查任务：{plan.name}",
                body=f"您被随机选派检查“{plan.name}”中的{count}户监管对象。",
                link=reverse("enforcement:my-inspections"),
                category="enforcement",
            )
        plan.draw_inputs = inputs
        plan.drawn_at = timezone.now()
        plan.status = InspectionPlanStatus.DRAWN
        plan.save()
    return plan


# --- results --------------------------------------------------------------------------------------------------------


def _coordinate(value, name: str, limit: int):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise _fail(name, "坐标格式无效") from None
    if not -limit <= number <= limit:
        raise _fail(name, f"坐标须在±{limit}之间")
    return number


@transaction.atomic
def record_result(
    inspection: Inspection,
    *,
    actor,
    result: str,
    findings: str = "",
    inspected_at: datetime.datetime | None = None,
    latitude=None,
    longitude=None,
    present_officer_ids: Iterable[int] | None = None,
) -> Inspection:
    """Record what the inspection found: only an officer drawn for it, with at least two drawn officers present
    (《行政处罚法》第四十二条)."""
    inspection = Inspection.objects.select_for_update().select_related("plan", "entity").get(pk=inspection.pk)
    plan = inspection.plan
    if not access.can(actor, "change", inspection):
        raise PermissionDenied("您不能登记该检查的结果")
    assigned = set(inspection.officers.values_list("pk", flat=True))
    me = officer_of(actor)
    if me is None or me.pk not in assigned:
        raise PermissionDenied("只有被抽取的执法人员才能登记检查结果")
    problem = ineligibility(me, plan.domain, inspection.entity.jurisdiction_id)
    if problem:
        raise PermissionDenied(problem)
    if plan.status not in (InspectionPlanStatus.DRAWN, InspectionPlanStatus.COMPLETED):
        raise Conflict(
            "抽查结果已公示，不能再修改" if plan.status == InspectionPlanStatus.PUBLISHED else "尚未抽取"
        )
    if result not in InspectionResult.values or result == InspectionResult.PENDING:
        raise _fail("result", "请选择检查结果")
    present = set(assigned if present_officer_ids is None else map(int, present_officer_ids))
    if not present <= assigned:
        raise _fail("present_officer_ids", "在场执法人员须为被抽取的执法人员")
    if me.pk not in present or len(present) < INSPECTION_OFFICERS.value:
        raise _fail(
            "present_officer_ids",
            f"检查时在场的执法人员不得少于{INSPECTION_OFFICERS.value}人（{INSPECTION_OFFICERS.citation}）",
        )
    findings = (findings or "").strip()
    if result != InspectionResult.PASSED and not findings:
        raise _fail("findings", "检查不合格或责令整改的，须填写检查情况")
    if len(findings) > 5000:
        raise _fail("findings", "检查情况不能超过5000字")
    now = timezone.now()
    inspected_at = inspected_at or now
    if inspected_at > now + datetime.timedelta(minutes=5):
        raise _fail("inspected_at", "检查时间不能晚于现在")
    if plan.drawn_at and inspected_at < plan.drawn_at:
        raise _fail("inspected_at", "检查时间不能早于抽取时间")
    latitude, longitude = _coordinate(latitude, "latitude", 90), _coordinate(longitude, "longitude", 180)
    names = "、".join(
        o.user.display_name
        for o in inspection.officers.select_related("user").order_by("id")
        if o.pk in present
    )
    with audit.operation(
        CaseAuditEvent.INSPECTION_RESULT_RECORDED,
        obj=inspection,
        actor=actor,
        detail=f"在场执法人员：{names}",
    ):
        inspection.result = result
        inspection.findings = findings
        inspection.inspected_at = inspected_at
        inspection.latitude, inspection.longitude = latitude, longitude
        inspection.save()
        pending = Inspection.objects.filter(plan=plan, result=InspectionResult.PENDING).exists()
        if not pending and plan.status == InspectionPlanStatus.DRAWN:
            plan.status = InspectionPlanStatus.COMPLETED
            plan.save(update_fields=["status", "updated_at"])
    return inspection


@transaction.atomic
def publish_results(plan: InspectionPlan, *, actor) -> InspectionPlan:
    """Publish the plan's entities and results to the public (一公开; 《民营经济促进法》第五十二条第二款)."""
    _require_change(plan, actor)
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == InspectionPlanStatus.PUBLISHED:
        raise Conflict("抽查结果已公示")
    if plan.status != InspectionPlanStatus.COMPLETED:
        raise Conflict("检查尚未全部完成，不能公示")
    with audit.operation(
        CaseAuditEvent.PLAN_RESULTS_PUBLISHED, obj=plan, actor=actor, detail=RANDOM_INSPECTION.summary[:100]
    ):
        plan.status = InspectionPlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save()
    return plan


@transaction.atomic
def open_case_from_inspection(inspection: Inspection, *, actor):
    """A failed inspection becomes a case lead (案件来源：双随机抽查) against the entity, linked to the inspection."""
    from . import cases

    inspection = (
        Inspection.objects.select_for_update().select_related("plan__agency", "entity").get(pk=inspection.pk)
    )
    if not access.can(actor, "change", inspection):
        raise PermissionDenied("您不能处理该检查")
    if inspection.result != InspectionResult.FAILED:
        raise Conflict("只有检查不合格的才能转立案")
    if inspection.case_id is not None:
        raise Conflict("该检查已转为案件")
    plan, entity = inspection.plan, inspection.entity
    with audit.operation(CaseAuditEvent.INSPECTION_CASE_OPENED, obj=inspection, actor=actor):
        party = cases.register_party(
            agency=plan.agency,
            kind=PartyKind.ORGANISATION,
            name=entity.name,
            id_number=entity.uscc,
            address=entity.business_address,
            legal_representative=entity.legal_representative,
            actor=actor,
        )
        case = cases.register_case(
            agency=plan.agency,
            party=party,
            cause=f"双随机抽查不合格：{plan.name}",
            domain=plan.domain,
            discovered_on=timezone.localdate(inspection.inspected_at)
            if inspection.inspected_at
            else timezone.localdate(),
            source=CaseSource.INSPECTION,
            facts=inspection.findings,
            location=entity.business_address,
            actor=actor,
        )
        inspection.case = case
        inspection.save(update_fields=["case"])
    return case
