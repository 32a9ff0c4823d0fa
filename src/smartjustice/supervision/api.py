"""API of 执法监督 at /api/v1/supervision/: parse → query/service → schema."""

from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core import access, attachments, workflow, workflow_api
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import queries, rules, services
from .models import CaseFileReview, SupervisionFlag, SupervisionOrder
from .schemas import (
    TRANSITION_INPUTS,
    ChecklistItemOut,
    DashboardOut,
    DismissIn,
    FlagFilter,
    FlagOut,
    OrderDetailOut,
    OrderFilter,
    OrderIn,
    OrderOut,
    ReviewFilter,
    ReviewOut,
    SampleIn,
    ScoreIn,
)

router = Router(tags=["执法监督"])


# --- flags --------------------------------------------------------------------------------------------------------------


@router.get(
    "/flags", response=list[FlagOut], auth=API_AUTH, summary="监督预警（监督员：本辖区；执法机关：本单位）"
)
@paginate(PageNumberPagination)
def list_flags(request, filters: Query[FlagFilter]):
    access.require(request.auth, "view", SupervisionFlag)
    return queries.list_flags(request.auth, **filters.dict())


@router.get("/flags/{flag_id}", response=FlagOut, auth=API_AUTH, summary="预警详情（触发原因和证据）")
def get_flag(request, flag_id: int):
    return queries.get_flag_for(request.auth, flag_id)


@router.post("/flags/{flag_id}/dismiss", response=FlagOut, auth=API_AUTH, summary="核销预警")
def dismiss_flag(request, flag_id: int, payload: DismissIn):
    flag = queries.get_flag_for(request.auth, flag_id, action="change")
    return services.dismiss_flag(flag, actor=request.auth, reason=payload.reason)


@router.get(
    "/dashboard", response=DashboardOut, auth=API_AUTH, summary="按规则、区划、领域、执法主体统计预警"
)
def dashboard(request):
    access.require(request.auth, "view", SupervisionFlag)
    return queries.dashboard(request.auth)


# --- 督办 -------------------------------------------------------------------------------------------------------------


def _detail(request, order):
    order._attachments = list(attachments.attachments_of(order))
    order._history = list(workflow.history(order))
    order.flag_ids = list(order.flags.values_list("pk", flat=True))
    return order


@router.get("/orders", response=list[OrderOut], auth=API_AUTH, summary="督办列表")
@paginate(PageNumberPagination)
def list_orders(request, filters: Query[OrderFilter]):
    access.require(request.auth, "view", SupervisionOrder)
    return queries.list_orders(request.auth, **filters.dict())


@router.post("/orders", response={201: OrderDetailOut}, auth=API_AUTH, summary="发出督办")
def issue_order(request, payload: OrderIn):
    access.require(request.auth, "add", SupervisionOrder)
    flags = [queries.get_flag_for(request.auth, pk) for pk in payload.flag_ids]
    case = queries.get_case_to_supervise(request.auth, payload.case_id, flags=flags)
    order = services.issue_order(
        case=case,
        actor=request.auth,
        requirement=payload.requirement,
        deadline_on=payload.deadline_on,
        flags=flags,
    )
    return Status(201, _detail(request, queries.get_order_for(request.auth, order.pk)))


@router.get("/orders/{order_id}", response=OrderDetailOut, auth=API_AUTH, summary="督办详情")
def get_order(request, order_id: int):
    return _detail(request, queries.get_order_for(request.auth, order_id))


@router.post(
    "/orders/{order_id}/attachments",
    response={201: list[AttachmentOut]},
    auth=API_AUTH,
    summary="上传整改材料（被督办单位）",
)
def upload_files(request, order_id: int, files: File[list[UploadedFile]]):
    order = queries.get_order_for(request.auth, order_id, action="change")
    return Status(201, services.add_order_files(order, actor=request.auth, files=files))


workflow_api.transition_routes(
    router,
    path="/orders",
    model=SupervisionOrder,
    get_for=queries.get_order_for,
    detail=_detail,
    response=OrderDetailOut,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    id_param="order_id",
)


# --- 案卷评查 ---------------------------------------------------------------------------------------------------------


@router.get("/checklist", response=list[ChecklistItemOut], auth=API_AUTH, summary="案卷评查标准")
def checklist(request):
    access.require(request.auth, "view", CaseFileReview)
    data = rules.load_checklist()
    return [{**item, "citation": str(rules.CHECKLIST_RULES[item["code"]].citation)} for item in data["items"]]


@router.get("/reviews", response=list[ReviewOut], auth=API_AUTH, summary="案卷评查列表")
@paginate(PageNumberPagination)
def list_reviews(request, filters: Query[ReviewFilter]):
    access.require(request.auth, "view", CaseFileReview)
    return queries.list_reviews(request.auth, **filters.dict())


@router.post("/reviews/sample", response={201: list[ReviewOut]}, auth=API_AUTH, summary="抽取评查案卷")
def sample_reviews(request, payload: SampleIn):
    created = services.sample_reviews(actor=request.auth, **payload.dict())
    ids = [r.pk for r in created]
    return Status(201, list(queries.list_reviews(request.auth).filter(pk__in=ids)))


@router.get("/reviews/{review_id}", response=ReviewOut, auth=API_AUTH, summary="评查详情")
def get_review(request, review_id: int):
    return queries.get_review_for(request.auth, review_id)


@router.post("/reviews/{review_id}/score", response=ReviewOut, auth=API_AUTH, summary="评查评分")
def score_review(request, review_id: int, payload: ScoreIn):
    review = queries.get_review_for(request.auth, review_id, action="change")
    return services.score_review(review, actor=request.auth, scores=payload.scores, notes=payload.notes)
