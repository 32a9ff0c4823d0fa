"""API of 审批事项 (helper E) at /api/v1/correction/approvals: a subject's requests (外出、迁居、进入特定场所、会见特定
人员), submitted by the subject (粤矫通) or an officer on their behalf, and every step (core.workflow_api)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import attachments, workflow, workflow_api
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import NotFound
from smartjustice.core.pagination import PageNumberPagination

from . import approvals, conduct_documents, conduct_queries
from .conduct_schemas import (
    APPROVAL_TRANSITION_INPUTS,
    ApprovalRequestDetailOut,
    ApprovalRequestFilter,
    ApprovalRequestIn,
    ApprovalRequestOut,
)
from .models.conduct import ApprovalRequest

router = Router(tags=["社区矫正：审批事项"])


def _detail(request, item: ApprovalRequest) -> ApprovalRequest:
    item._transitions = [
        t
        for t in workflow.available_transitions(item, request.auth)
        if t.name in approvals.TRANSITION_SERVICES
    ]
    item._history = list(workflow.history(item))
    return item


def _get(user, pk) -> ApprovalRequest:
    return conduct_queries.get_request_for(user, pk)


@router.get(
    "/approvals",
    response=list[ApprovalRequestOut],
    auth=API_AUTH,
    summary="审批事项（本辖区；对象本人：自己的）",
)
@paginate(PageNumberPagination)
def list_requests(request, filters: Query[ApprovalRequestFilter]):
    return conduct_queries.list_requests(request.auth, **filters.dict())


@router.post(
    "/approvals",
    response={201: ApprovalRequestDetailOut},
    auth=API_AUTH,
    summary="提交外出、迁居、进入特定场所或会见特定人员申请（对象本人或工作人员代为提交）",
)
def submit_request(request, payload: ApprovalRequestIn):
    data = payload.dict()
    # The subject's own record (owner) or one the officer may change: the same NotFound for anything else.
    subject = conduct_queries.get_subject_for(request.auth, data.pop("subject_id"), action="view")
    item = approvals.submit_request(subject, actor=request.auth, **data)
    return Status(201, _detail(request, _get(request.auth, item.pk)))


@router.get(
    "/approvals/{request_id}", response=ApprovalRequestDetailOut, auth=API_AUTH, summary="审批事项详情和进度"
)
def get_request(request, request_id: int):
    return _detail(request, _get(request.auth, request_id))


@router.get(
    "/approvals/{request_id}/documents", response=list[AttachmentOut], auth=API_AUTH, summary="审批决定书"
)
def request_documents(request, request_id: int):
    return conduct_documents.documents_of(_get(request.auth, request_id))


@router.get(
    "/approvals/{request_id}/documents/{attachment_id}/download", auth=API_AUTH, summary="下载审批决定书"
)
def download_request_document(request, request_id: int, attachment_id: int):
    attachment = (
        conduct_documents.documents_of(_get(request.auth, request_id)).filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise NotFound("文书不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.auth)


workflow_api.transition_routes(
    router,
    path="/approvals",
    model=ApprovalRequest,
    get_for=_get,
    detail=_detail,
    response=ApprovalRequestDetailOut,
    services=approvals.TRANSITION_SERVICES,
    inputs=APPROVAL_TRANSITION_INPUTS,
    id_param="request_id",
)
