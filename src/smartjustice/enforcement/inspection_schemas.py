"""In/out schemas of the 双随机、一公开 API: entities, conflicts, plans, inspections and the public results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from ninja import Field, Schema

from smartjustice.core.pagination import Id
from smartjustice.core.schemas import PatchSchema

from .choices import InspectionPlanStatus
from .models import InspectionPlan

CODE = r"^(\d{12})?$"


class RegulatedEntityFilter(Schema):
    q: str = Field("", max_length=100, description="名称或统一社会信用代码")
    jurisdiction: str = Field("", pattern=CODE, description="登记区划（含下级区划）")
    domain: str = Field("", max_length=32, description="监管领域代码")
    risk_level: str = Field("", pattern=r"^(low|medium|high)?$", description="风险等级")


class RegulatedEntityIn(Schema):
    uscc: str = Field(..., max_length=30, description="统一社会信用代码")
    name: str = Field(..., max_length=200)
    jurisdiction: str = Field(..., pattern=r"^\d{12}$", description="登记区划代码")
    domains: list[str] = Field(..., min_length=1, max_length=20, description="监管领域代码")
    risk_level: str = Field("low", pattern=r"^(low|medium|high)$")
    legal_representative: str = Field("", max_length=100)
    business_address: str = Field("", max_length=300)
    is_active: bool = True


class RegulatedEntityOut(Schema):
    id: int
    uscc: str
    name: str
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    domains: list[str]
    risk_level: str
    legal_representative: str
    business_address: str
    is_active: bool


class ConflictOfInterestFilter(Schema):
    officer_id: Id | None = None
    entity_id: Id | None = None


class ConflictOfInterestIn(Schema):
    officer_id: Id
    entity_id: Id
    reason: str = Field(..., max_length=200)


class ConflictOfInterestOut(Schema):
    id: int
    officer_id: int
    officer_name: str = Field(..., alias="officer.user.display_name")
    entity_id: int
    entity_name: str = Field(..., alias="entity.name")
    reason: str


class InspectionPlanFilter(Schema):
    q: str = Field("", max_length=100, description="计划名称")
    status: str = Field("", pattern=r"^(draft|committed|drawn|completed|published)?$")
    domain: str = Field("", max_length=32)


class SamplingRatiosIn(Schema):
    high: float = Field(0.5, ge=0, le=1, description="高风险抽查比例")
    medium: float = Field(0.2, ge=0, le=1, description="中风险抽查比例")
    low: float = Field(0.05, ge=0, le=1, description="低风险抽查比例")


class InspectionPlanIn(Schema):
    name: str = Field(..., max_length=200)
    domain: str = Field(..., max_length=32, description="执法领域代码")
    jurisdiction: str = Field("", pattern=CODE, description="抽查区划（默认为执法主体所在区划）")
    sampling_ratios: SamplingRatiosIn | None = None
    officers_per_inspection: int = Field(2, ge=1, le=10)


class InspectionPlanPatch(PatchSchema):
    patch_model: ClassVar = InspectionPlan

    name: str | None = Field(None, max_length=200)
    domain: str | None = Field(None, max_length=32)
    jurisdiction: str | None = Field(None, pattern=r"^\d{12}$")
    sampling_ratios: SamplingRatiosIn | None = None
    officers_per_inspection: int | None = Field(None, ge=1, le=10)


class InspectionPlanOut(Schema):
    id: int
    name: str
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    jurisdiction_code: str = Field(..., alias="jurisdiction_id")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    domain: str
    sampling_ratios: dict[str, float]
    officers_per_inspection: int
    status: str
    seed: str = Field("", description="随机种子（抽取后公开）")
    seed_commitment: str
    seed_ledger_log: str
    seed_ledger_index: int | None
    draw_ledger_index: int | None = None
    candidate_count: int = 0
    committed_at: datetime | None
    drawn_at: datetime | None
    published_at: datetime | None

    @staticmethod
    def resolve_seed(obj) -> str:
        # Private until the draw reveals it: whoever knew it earlier could foresee the draw.
        hidden = (InspectionPlanStatus.DRAFT, InspectionPlanStatus.COMMITTED)
        return "" if obj.status in hidden else obj.seed

    @staticmethod
    def resolve_draw_ledger_index(obj):
        return (obj.draw_inputs or {}).get("draw_ledger_index")

    @staticmethod
    def resolve_candidate_count(obj) -> int:
        return len((obj.draw_inputs or {}).get("candidates", []))


class DrawCheckOut(Schema):
    label: str
    ok: bool
    detail: str


class DrawVerificationOut(Schema):
    ok: bool
    checks: list[DrawCheckOut]


class InspectionListFilter(Schema):
    plan_id: Id | None = None
    result: str = Field("", pattern=r"^(pending|passed|failed|rectify|not_found)?$")
    mine: bool = Field(False, description="只看本人被抽取的检查")


class InspectionOfficerOut(Schema):
    id: int
    name: str = Field(..., alias="user.display_name")


class DrawnInspectionOut(Schema):
    id: int
    plan_id: int
    plan_name: str = Field(..., alias="plan.name")
    entity_id: int
    entity_name: str = Field(..., alias="entity.name")
    entity_uscc: str = Field(..., alias="entity.uscc")
    risk_level: str = Field(..., alias="entity.risk_level")
    officers: list[InspectionOfficerOut]
    result: str
    findings: str
    inspected_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    case_id: int | None

    @staticmethod
    def resolve_officers(obj):
        return list(obj.officers.all())


class InspectionResultIn(Schema):
    result: str = Field(..., pattern=r"^(passed|failed|rectify|not_found)$")
    findings: str = Field("", max_length=5000)
    inspected_at: datetime | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    present_officer_ids: list[Id] | None = Field(None, max_length=10, description="在场执法人员（默认全部）")


class InspectionCaseOut(Schema):
    inspection_id: int
    case_id: int


class PublishedPlanFilter(Schema):
    q: str = Field("", max_length=100)
    domain: str = Field("", max_length=32)
    jurisdiction: str = Field("", pattern=CODE)


class PublishedPlanOut(Schema):
    id: int
    name: str
    agency_name: str = Field(..., alias="agency.name")
    jurisdiction_name: str = Field(..., alias="jurisdiction.name")
    domain: str
    seed: str
    seed_commitment: str
    seed_ledger_log: str
    seed_ledger_index: int | None
    drawn_at: datetime | None
    published_at: datetime | None


class PublishedInspectionOut(Schema):
    """What 一公开 shows: the entity (name, USCC) and the result; no personal data."""

    entity_name: str = Field(..., alias="entity.name")
    entity_uscc: str = Field(..., alias="entity.uscc")
    result: str
    inspected_at: datetime | None


class PublishedPlanDetailOut(PublishedPlanOut):
    inspections: list[PublishedInspectionOut] = Field(..., alias="public_inspections")
