"""Redoing a 双随机 draw: the committed parameters, the draw from the frozen inputs, and verify_draw, which checks
the revealed seed, both ledger entries and the stored inspections against a re-run (docs/decisions/0012).
Re-exported by enforcement/inspections.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import draw as drawing
from .choices import InspectionPlanStatus
from .models import Inspection, InspectionPlan


def plan_parameters(plan: InspectionPlan, inputs: dict | None = None) -> dict:
    """The parameters the seed is committed with (canonical JSON of this dict is hashed after the seed)."""
    inputs = plan.draw_inputs if inputs is None else inputs
    frozen = {k: inputs.get(k, []) for k in ("candidates", "officers", "conflicts")}
    return {
        "plan": plan.pk,
        "agency": plan.agency_id,
        "jurisdiction": plan.jurisdiction_id,
        "domain": plan.domain,
        "ratios": {
            level: str(drawing.ratio_value(plan.sampling_ratios.get(level, 0)))
            for level in drawing.RISK_ORDER
        },
        "per_inspection": plan.officers_per_inspection,
        "inputs_sha256": drawing.digest(frozen),
    }


def _draw_officers(plan: InspectionPlan, inputs: dict) -> list[int]:
    excluded = {int(o) for o, _ in inputs.get("excluded", [])}
    return [o for o in inputs["officers"] if o not in excluded]


def _draw_conflicts(inputs: dict) -> list[tuple[int, str]]:
    return [(int(o), u) for o, u in list(inputs["conflicts"]) + list(inputs.get("late_conflicts", []))]


def run_draw(plan: InspectionPlan, seed: str, inputs: dict) -> list[drawing.Target]:
    return drawing.draw(
        seed,
        [drawing.Candidate(u, r) for u, r in inputs["candidates"]],
        _draw_officers(plan, inputs),
        plan.sampling_ratios,
        _draw_conflicts(inputs),
        plan.officers_per_inspection,
    )


def targets_json(targets: Iterable[drawing.Target]) -> list:
    return [[t.uscc, list(t.officers)] for t in targets]


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


@dataclass
class DrawVerification:
    """The outcome of verify_draw: every check with what it found."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, label: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(label, bool(ok), detail))
        return bool(ok)


def _ledger_entry(log_name: str, index):
    from smartjustice.crypto import hasher
    from smartjustice.ledger import merkle
    from smartjustice.ledger.models import LedgerEntry

    if not log_name or index is None:
        return None, None
    entry = LedgerEntry.objects.select_related("log").filter(log__name=log_name, index=index).first()
    if entry is None:
        return None, None
    payload = bytes(entry.payload)
    intact = merkle.leaf_hash(hasher(entry.log.hash_algorithm), payload) == bytes(entry.leaf_hash)
    try:
        return json.loads(payload), intact
    except ValueError:
        return {}, intact


def verify_draw(plan: InspectionPlan) -> DrawVerification:
    """Redo the draw from the revealed seed and check it against the ledger entries and the stored inspections."""
    report = DrawVerification()
    plan = InspectionPlan.objects.get(pk=plan.pk)
    if plan.status in (InspectionPlanStatus.DRAFT, InspectionPlanStatus.COMMITTED):
        report.add("随机种子已公开", False, "尚未抽取，随机种子未公开")
        return report
    committed, intact = _ledger_entry(plan.seed_ledger_log, plan.seed_ledger_index)
    if not report.add(
        "承诺存证", committed is not None and intact, f"{plan.seed_ledger_log} #{plan.seed_ledger_index}"
    ):
        return report
    report.add(
        "存证承诺值与计划一致",
        committed.get("commitment") == plan.seed_commitment,
        f"账本 {committed.get('commitment', '')[:16]}…，计划 {plan.seed_commitment[:16]}…",
    )
    try:
        parameters = plan_parameters(plan)
    except (drawing.DrawError, AttributeError, TypeError) as error:
        report.add("抽查参数与存证一致（存证后未修改）", False, str(error))
        return report
    report.add(
        "抽查参数与存证一致（存证后未修改）",
        committed.get("parameters") == parameters,
        "参数含候选名单、执法人员库和回避关系的 SHA-256",
    )
    try:
        recomputed = drawing.commitment(plan.seed, committed.get("parameters") or {})
    except drawing.DrawError as error:
        report.add("随机种子与承诺值相符", False, str(error))
        return report
    report.add(
        "随机种子与承诺值相符", recomputed == committed.get("commitment"), "SHA-256(种子 ‖ 参数) = 承诺值"
    )
    inputs = plan.draw_inputs
    revealed, intact = _ledger_entry(plan.seed_ledger_log, inputs.get("draw_ledger_index"))
    report.add(
        "抽取结果存证",
        revealed is not None and intact,
        f"{plan.seed_ledger_log} #{inputs.get('draw_ledger_index')}",
    )
    revealed = revealed or {}
    report.add(
        "公开的种子与存证一致",
        revealed.get("seed") == plan.seed
        and revealed.get("excluded") == inputs.get("excluded", [])
        and revealed.get("late_conflicts") == inputs.get("late_conflicts", []),
    )
    try:
        targets = run_draw(plan, plan.seed, inputs)
    except (drawing.DrawError, KeyError, TypeError, ValueError) as error:
        report.add("重新抽取", False, str(error))
        return report
    report.add(
        "重新抽取结果与存证一致",
        drawing.digest(targets_json(targets)) == revealed.get("targets_sha256"),
        f"{len(targets)}户",
    )
    stored = {uscc: frozenset(ids) for uscc, ids in _stored_targets(plan).items()}
    expected = {t.uscc: frozenset(t.officers) for t in targets}
    differing = sorted(
        set(stored) ^ set(expected) | {u for u in stored if u in expected and stored[u] != expected[u]}
    )
    report.add(
        "检查对象和执法人员与重新抽取一致",
        not differing,
        "不一致：" + "、".join(differing[:10]) if differing else f"{len(stored)}户均一致",
    )
    return report


def _stored_targets(plan: InspectionPlan) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    rows = Inspection.objects.filter(plan=plan).values_list("entity__uscc", "officers__id")
    for uscc, officer_id in rows:
        found.setdefault(uscc, [])
        if officer_id is not None:
            found[uscc].append(officer_id)
    return found
