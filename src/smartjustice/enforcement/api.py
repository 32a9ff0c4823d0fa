"""API of 行政执法 at /api/v1/enforcement/: the power list (published items are public; maintenance needs the
enforcement.*_enforcementitem permissions)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import workflow_api
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import power_list, queries
from .models import EnforcementItem
from .schemas import (
    TRANSITION_INPUTS,
    DiscretionBenchmarkIn,
    DiscretionBenchmarkOut,
    EnforcementItemFilter,
    EnforcementItemIn,
    EnforcementItemManageFilter,
    EnforcementItemOut,
    EnforcementItemPatch,
    ItemProposalIn,
    ItemProposalOut,
    ItemProposalRow,
    ProposalFilter,
)

router = Router(tags=["行政执法"])


# --- power list (权责清单) ---------------------------------------------------------------------------------------------


@router.get("/items", response=list[EnforcementItemOut], auth=None, summary="权责清单（已发布的执法事项）")
@paginate(PageNumberPagination)
def list_items(request, filters: Query[EnforcementItemFilter]):
    return queries.published_items(**filters.dict())


@router.get(
    "/items/manage", response=list[EnforcementItemOut], auth=API_AUTH, summary="权责清单维护列表（含草稿）"
)
@paginate(PageNumberPagination)
def list_items_for_staff(request, filters: Query[EnforcementItemManageFilter]):
    return queries.list_items_for(request.auth, **filters.dict())


@router.post("/items", response={201: EnforcementItemOut}, auth=API_AUTH, summary="新增执法事项（草稿）")
def create_item(request, payload: EnforcementItemIn):
    data = payload.dict()
    item = power_list.create_item(actor=request.auth, **data)
    return Status(201, queries.get_item_for(request.auth, item.pk))


@router.get(
    "/items/proposals",
    response=list[ItemProposalRow],
    auth=API_AUTH,
    summary="预览法规库罚则条款的执法事项建议（不保存）",
)
def preview_proposals(request, filters: Query[ProposalFilter]):
    queries.require_proposer(request.auth)
    return queries.proposals_for(filters.law)


@router.post(
    "/items/propose",
    response={201: ItemProposalOut},
    auth=API_AUTH,
    summary="从法规库的罚则条款生成执法事项草稿",
)
def propose_items(request, payload: ItemProposalIn):
    result = power_list.propose_items(actor=request.auth, **payload.dict())
    return Status(201, result)


@router.get("/items/{item_id}", response=EnforcementItemOut, auth=None, summary="执法事项详情（已发布）")
def get_item(request, item_id: int):
    return queries.get_published_item(item_id)


@router.get(
    "/items/{item_id}/edit",
    response=EnforcementItemOut,
    auth=API_AUTH,
    summary="执法事项（维护视图，含草稿）",
)
def get_item_for_staff(request, item_id: int):
    return queries.get_item_for(request.auth, item_id)


@router.patch("/items/{item_id}", response=EnforcementItemOut, auth=API_AUTH, summary="修改执法事项")
def update_item(request, item_id: int, payload: EnforcementItemPatch):
    item = queries.get_item_to_change(request.auth, item_id)
    power_list.update_item(item, actor=request.auth, **payload.dict(exclude_unset=True))
    return queries.get_item_for(request.auth, item_id)


@router.post(
    "/items/{item_id}/benchmarks",
    response={201: DiscretionBenchmarkOut},
    auth=API_AUTH,
    summary="新增裁量基准",
)
def add_benchmark(request, item_id: int, payload: DiscretionBenchmarkIn):
    item = queries.get_item_to_change(request.auth, item_id)
    return Status(201, power_list.save_benchmark(item, actor=request.auth, **payload.dict()))


@router.put(
    "/items/{item_id}/benchmarks/{benchmark_id}",
    response=DiscretionBenchmarkOut,
    auth=API_AUTH,
    summary="修改裁量基准",
)
def change_benchmark(request, item_id: int, benchmark_id: int, payload: DiscretionBenchmarkIn):
    item = queries.get_item_to_change(request.auth, item_id)
    return power_list.save_benchmark(item, actor=request.auth, benchmark_id=benchmark_id, **payload.dict())


@router.delete(
    "/items/{item_id}/benchmarks/{benchmark_id}", response={204: None}, auth=API_AUTH, summary="删除裁量基准"
)
def delete_benchmark(request, item_id: int, benchmark_id: int):
    item = queries.get_item_to_change(request.auth, item_id)
    power_list.delete_benchmark(item, actor=request.auth, benchmark_id=benchmark_id)
    return Status(204, None)


# The review (models.power_list.WORKFLOW): GET /items/{item_id}/transitions and POST
# /items/{item_id}/transitions/<step> for submit 提交审核, publish 审核发布, return 退回修改, withdraw 撤回.
workflow_api.transition_routes(
    router,
    path="/items",
    model=EnforcementItem,
    get_for=queries.get_item_to_change,
    detail=lambda request, item: queries.get_item_for(request.auth, item.pk),
    response=EnforcementItemOut,
    services=power_list.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    id_param="item_id",
)

# 行政执法主体 and 行政执法人员: /agencies, /officers (api_officers.py).
from .api_officers import mount as mount_officer_routes  # noqa: E402

mount_officer_routes(router)

# 双随机、一公开: /entities, /conflicts, /plans, /inspections, /public/plans (api_inspections.py).
from .api_inspections import router as inspections_router  # noqa: E402

router.add_router("", inspections_router)

from .api_mobile import router as mobile_router  # noqa: E402  (移动执法 /m/…, helper H3)

router.add_router("/m", mobile_router)

from .api_cases import router as cases_router  # noqa: E402  (办案 /parties, /cases, /evidence, /payments — helper H2)

router.add_router("", cases_router)
