"""API of 政府信息公开申请 at /api/v1/govinfo/: parse → query/service → schema."""

from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core import attachments, workflow, workflow_api
from smartjustice.core import services as core_services
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import queries, services
from .models import GovInfoRequest
from .schemas import (
    TRANSITION_INPUTS,
    HandlingOrganisationOut,
    RequestDetailOut,
    RequestFilter,
    RequestIn,
    RequestOut,
)

router = Router(tags=["政府信息公开申请"])


def _detail(request, obj):
    """The detail view of one request for the caller: their buttons, the files, the history."""
    obj._pii_revealed = core_services.reveal_personal_information(obj, actor=request.auth, channel="API")
    obj._transitions = workflow.available_transitions(obj, request.auth)
    obj._attachments = list(attachments.attachments_of(obj))
    obj._history = list(workflow.history(obj))
    return obj


def _reloaded(request, obj):
    return _detail(request, queries.get_request_for(request.auth, obj.pk))


@router.get("/organisations", response=list[HandlingOrganisationOut], auth=API_AUTH, summary="受理申请的机关")
@paginate(PageNumberPagination)
def list_organisations(request, q: str = ""):
    return queries.handling_organisations(q=q)


@router.get(
    "/requests",
    response=list[RequestOut],
    auth=API_AUTH,
    summary="申请列表（工作人员：本辖区；申请人：本人）",
)
@paginate(PageNumberPagination)
def list_requests(request, filters: Query[RequestFilter]):
    return queries.list_requests(request.auth, **filters.dict())


@router.post("/requests", response={201: RequestDetailOut}, auth=API_AUTH, summary="提交政府信息公开申请")
def submit_request(request, payload: RequestIn):
    data = payload.dict()
    organisation = queries.get_handling_organisation(data.pop("organisation_id"))
    obj = services.submit_request(actor=request.auth, organisation=organisation, **data)
    return Status(201, _reloaded(request, obj))


@router.get("/requests/{request_id}", response=RequestDetailOut, auth=API_AUTH, summary="申请详情")
def get_request(request, request_id: int):
    return _detail(request, queries.get_request_for(request.auth, request_id))


@router.post(
    "/requests/{request_id}/materials",
    response={201: list[AttachmentOut]},
    auth=API_AUTH,
    summary="上传申请材料（申请人，办结前）",
)
def upload_materials(request, request_id: int, files: File[list[UploadedFile]]):
    obj = queries.get_request_for(request.auth, request_id)
    return Status(201, services.add_materials(obj, actor=request.auth, files=files))


# Every workflow step: GET /requests/{request_id}/transitions and POST …/transitions/<step> (core.workflow_api).
workflow_api.transition_routes(
    router,
    path="/requests",
    model=GovInfoRequest,
    get_for=queries.get_request_for,
    detail=_detail,
    response=RequestDetailOut,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    id_param="request_id",
)
