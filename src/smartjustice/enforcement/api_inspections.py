"""API of 双随机、一公开 (mounted on the enforcement router): the entity registry, conflicts of interest, plans with
their seed commitment, draw and verification, the officers' results, and the published results anyone may read."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import access
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import ValidationFailed
from smartjustice.core.pagination import PageNumberPagination

from . import inspection_queries as queries
from . import inspections
from .inspection_schemas import (
    ConflictOfInterestFilter,
    ConflictOfInterestIn,
    ConflictOfInterestOut,
    DrawnInspectionOut,
    DrawVerificationOut,
    InspectionCaseOut,
    InspectionListFilter,
    InspectionPlanFilter,
    InspectionPlanIn,
    InspectionPlanOut,
    InspectionPlanPatch,
    InspectionResultIn,
    PublishedPlanDetailOut,
    PublishedPlanFilter,
    PublishedPlanOut,
    RegulatedEntityFilter,
    RegulatedEntityIn,
    RegulatedEntityOut,
)
from .models import ConflictOfInterest
from .officers import get_officer_for

router = Router(tags=["双随机抽查"])


# --- registry ---------------------------------------------------------------------------------------------------------


@router.get("/entities", response=list[RegulatedEntityOut], auth=API_AUTH, summary="监管对象名录")
@paginate(PageNumberPagination)
def list_entities(request, filters: Query[RegulatedEntityFilter]):
    return queries.list_entities(request.auth, **filters.dict())


@router.post(
    "/entities",
    response={201: RegulatedEntityOut},
    auth=API_AUTH,
    summary="登记监管对象（按统一社会信用代码更新）",
)
def register_entity(request, payload: RegulatedEntityIn):
    entity = inspections.register_entity(actor=request.auth, **payload.dict())
    return Status(201, queries.get_entity_for(request.auth, entity.pk))


@router.get("/entities/{entity_id}", response=RegulatedEntityOut, auth=API_AUTH, summary="监管对象详情")
def get_entity(request, entity_id: int):
    return queries.get_entity_for(request.auth, entity_id)


@router.get("/conflicts", response=list[ConflictOfInterestOut], auth=API_AUTH, summary="回避关系")
@paginate(PageNumberPagination)
def list_conflicts(request, filters: Query[ConflictOfInterestFilter]):
    return queries.list_conflicts(request.auth, **filters.dict())


@router.post("/conflicts", response={201: ConflictOfInterestOut}, auth=API_AUTH, summary="登记回避关系")
def register_conflict(request, payload: ConflictOfInterestIn):
    access.require(request.auth, "add", ConflictOfInterest)
    officer = get_officer_for(request.auth, payload.officer_id)
    entity = queries.get_entity_for(request.auth, payload.entity_id)
    conflict = inspections.register_conflict(
        actor=request.auth, officer=officer, entity=entity, reason=payload.reason
    )
    return Status(201, queries.get_conflict_for(request.auth, conflict.pk))


@router.get("/conflicts/{conflict_id}", response=ConflictOfInterestOut, auth=API_AUTH, summary="回避关系详情")
def get_conflict(request, conflict_id: int):
    return queries.get_conflict_for(request.auth, conflict_id)


# --- plans ------------------------------------------------------------------------------------------------------------


@router.get("/plans", response=list[InspectionPlanOut], auth=API_AUTH, summary="双随机抽查计划")
@paginate(PageNumberPagination)
def list_plans(request, filters: Query[InspectionPlanFilter]):
    return queries.list_plans(request.auth, **filters.dict())


@router.post("/plans", response={201: InspectionPlanOut}, auth=API_AUTH, summary="新建抽查计划（草稿）")
def create_plan(request, payload: InspectionPlanIn):
    data = payload.dict()
    data["jurisdiction"] = data["jurisdiction"] or None
    plan = inspections.create_plan(actor=request.auth, **data)
    return Status(201, queries.get_plan_for(request.auth, plan.pk))


@router.get(
    "/plans/{plan_id}",
    response=InspectionPlanOut,
    auth=API_AUTH,
    summary="抽查计划详情（含种子承诺值和存证序号）",
)
def get_plan(request, plan_id: int):
    return queries.get_plan_for(request.auth, plan_id)


@router.patch(
    "/plans/{plan_id}", response=InspectionPlanOut, auth=API_AUTH, summary="修改抽查计划（种子存证前）"
)
def update_plan(request, plan_id: int, payload: InspectionPlanPatch):
    plan = queries.get_plan_for(request.auth, plan_id, action="change")
    changes = payload.dict(exclude_unset=True)
    if any(value is None for value in changes.values()):
        raise ValidationFailed(
            "字段不能为空", fields={k: ["不能为空"] for k, v in changes.items() if v is None}
        )
    inspections.update_plan(plan, actor=request.auth, **changes)
    return queries.get_plan_for(request.auth, plan_id)


@router.post(
    "/plans/{plan_id}/commit", response=InspectionPlanOut, auth=API_AUTH, summary="生成随机种子并存证（承诺）"
)
def commit_seed(request, plan_id: int):
    plan = queries.get_plan_for(request.auth, plan_id, action="change")
    inspections.commit_seed(plan, actor=request.auth)
    return queries.get_plan_for(request.auth, plan_id)


@router.post(
    "/plans/{plan_id}/draw",
    response=InspectionPlanOut,
    auth=API_AUTH,
    summary="公开种子并抽取检查对象和执法人员",
)
def perform_draw(request, plan_id: int):
    plan = queries.get_plan_for(request.auth, plan_id, action="change")
    inspections.perform_draw(plan, actor=request.auth)
    return queries.get_plan_for(request.auth, plan_id)


@router.post("/plans/{plan_id}/publish", response=InspectionPlanOut, auth=API_AUTH, summary="公示抽查结果")
def publish_results(request, plan_id: int):
    plan = queries.get_plan_for(request.auth, plan_id, action="change")
    inspections.publish_results(plan, actor=request.auth)
    return queries.get_plan_for(request.auth, plan_id)


@router.get("/plans/{plan_id}/verify", response=DrawVerificationOut, auth=API_AUTH, summary="验证抽取结果")
def verify_plan(request, plan_id: int):
    return _verification(queries.get_plan_for(request.auth, plan_id))


def _verification(plan) -> dict:
    report = inspections.verify_draw(plan)
    return {"ok": report.ok, "checks": report.checks}


# --- inspections ------------------------------------------------------------------------------------------------------


@router.get("/inspections", response=list[DrawnInspectionOut], auth=API_AUTH, summary="抽查检查")
@paginate(PageNumberPagination)
def list_inspections(request, filters: Query[InspectionListFilter]):
    return queries.list_inspections(request.auth, **filters.dict())


@router.get(
    "/inspections/{inspection_id}", response=DrawnInspectionOut, auth=API_AUTH, summary="抽查检查详情"
)
def get_inspection(request, inspection_id: int):
    return queries.get_inspection_for(request.auth, inspection_id)


@router.post(
    "/inspections/{inspection_id}/result",
    response=DrawnInspectionOut,
    auth=API_AUTH,
    summary="登记检查结果（被抽取的执法人员）",
)
def record_result(request, inspection_id: int, payload: InspectionResultIn):
    inspection = queries.get_inspection_for(request.auth, inspection_id, action="change")
    inspections.record_result(inspection, actor=request.auth, **payload.dict())
    return queries.get_inspection_for(request.auth, inspection_id)


@router.post(
    "/inspections/{inspection_id}/case",
    response={201: InspectionCaseOut},
    auth=API_AUTH,
    summary="检查不合格转立案",
)
def open_case(request, inspection_id: int):
    inspection = queries.get_inspection_for(request.auth, inspection_id, action="change")
    case = inspections.open_case_from_inspection(inspection, actor=request.auth)
    return Status(201, {"inspection_id": inspection.pk, "case_id": case.pk})


# --- 一公开 ---------------------------------------------------------------------------------------------------------


@router.get("/public/plans", response=list[PublishedPlanOut], auth=None, summary="双随机抽查结果公示")
@paginate(PageNumberPagination)
def list_published_plans(request, filters: Query[PublishedPlanFilter]):
    return queries.published_plans(**filters.dict())


@router.get("/public/plans/{plan_id}", response=PublishedPlanDetailOut, auth=None, summary="抽查结果公示详情")
def get_published_plan(request, plan_id: int):
    plan = queries.get_published_plan(plan_id)
    plan.public_inspections = list(queries.published_inspections(plan))
    return plan


@router.get(
    "/public/plans/{plan_id}/verify",
    response=DrawVerificationOut,
    auth=None,
    summary="验证已公示计划的抽取结果",
)
def verify_published_plan(request, plan_id: int):
    return _verification(queries.get_published_plan(plan_id))
