"""API of 政府信息公开申请 at /api/v1/govinfo/: parse → query/service → schema."""

from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core import attachments, workflow
from smartjustice.core import services as core_services
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import queries, services
from .schemas import (
    AnswerIn,
    CommentIn,
    CorrectionIn,
    ExtendIn,
    HandlingOrganisationOut,
    RequestDetailOut,
    RequestFilter,
    RequestIn,
    RequestOut,
    ResubmitIn,
    WithdrawIn,
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
    return 201, _reloaded(request, obj)


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
    return 201, services.add_materials(obj, actor=request.auth, files=files)


@router.post("/requests/{request_id}/accept", response=RequestDetailOut, auth=API_AUTH, summary="登记受理")
def accept_request(request, request_id: int, payload: CommentIn):
    obj = queries.get_request_for(request.auth, request_id)
    return _reloaded(request, services.accept_request(obj, actor=request.auth, comment=payload.comment))


@router.post(
    "/requests/{request_id}/correction", response=RequestDetailOut, auth=API_AUTH, summary="告知补正"
)
def request_correction(request, request_id: int, payload: CorrectionIn):
    obj = queries.get_request_for(request.auth, request_id)
    return _reloaded(request, services.request_correction(obj, actor=request.auth, notice=payload.notice))


@router.post(
    "/requests/{request_id}/resubmit", response=RequestDetailOut, auth=API_AUTH, summary="提交补正（申请人）"
)
def resubmit_request(request, request_id: int, payload: ResubmitIn):
    obj = queries.get_request_for(request.auth, request_id)
    return _reloaded(
        request, services.resubmit_request(obj, actor=request.auth, description=payload.description)
    )


@router.post(
    "/requests/{request_id}/extend",
    response=RequestDetailOut,
    auth=API_AUTH,
    summary="延期答复（须负责人权限）",
)
def extend_request(request, request_id: int, payload: ExtendIn):
    obj = queries.get_request_for(request.auth, request_id)
    return _reloaded(
        request, services.extend_request(obj, actor=request.auth, reason=payload.reason, days=payload.days)
    )


@router.post(
    "/requests/{request_id}/answer",
    response=RequestDetailOut,
    auth=API_AUTH,
    summary="作出答复（生成答复书并通知申请人）",
)
def answer_request(request, request_id: int, payload: AnswerIn):
    obj = queries.get_request_for(request.auth, request_id)
    return _reloaded(
        request,
        services.answer_request(
            obj, actor=request.auth, reply_type=payload.reply_type, reply_text=payload.reply_text
        ),
    )


@router.post(
    "/requests/{request_id}/withdraw", response=RequestDetailOut, auth=API_AUTH, summary="撤回申请（申请人）"
)
def withdraw_request(request, request_id: int, payload: WithdrawIn):
    obj = queries.get_request_for(request.auth, request_id)
    return _reloaded(request, services.withdraw_request(obj, actor=request.auth, reason=payload.reason))
