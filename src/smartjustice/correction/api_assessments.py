"""API of 考核奖惩 (helper E) at /api/v1/correction/: assessments and sanctions with every workflow step
(core.workflow_api). Thin: parse → conduct_queries → one service → schema."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import access, attachments, workflow, workflow_api
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import NotFound
from smartjustice.core.pagination import PageNumberPagination

from . import assessments, conduct_documents, conduct_queries, sanctions
from .conduct_schemas import (
    SANCTION_TRANSITION_INPUTS,
    AssessmentFilter,
    AssessmentIn,
    AssessmentOut,
    SanctionDetailOut,
    SanctionFilter,
    SanctionIn,
    SanctionOut,
    SanctionPatch,
)
from .models.conduct import Assessment, Sanction

router = Router(tags=["社区矫正：考核奖惩"])


# --- assessments (考核) ----------------------------------------------------------------------------------------------


@router.get(
    "/assessments",
    response=list[AssessmentOut],
    auth=API_AUTH,
    summary="考核记录（本辖区；对象本人：自己的）",
)
@paginate(PageNumberPagination)
def list_assessments(request, filters: Query[AssessmentFilter]):
    return conduct_queries.list_assessments(request.auth, **filters.dict())


@router.post("/assessments", response={201: AssessmentOut}, auth=API_AUTH, summary="记录月度或季度考核")
def record_assessment(request, payload: AssessmentIn):
    access.require(request.auth, "add", Assessment)
    data = payload.dict()
    subject = conduct_queries.get_subject_for(request.auth, data.pop("subject_id"))
    assessment = assessments.record_assessment(subject, actor=request.auth, **data)
    return Status(201, conduct_queries.get_assessment_for(request.auth, assessment.pk))


@router.get("/assessments/{assessment_id}", response=AssessmentOut, auth=API_AUTH, summary="考核详情")
def get_assessment(request, assessment_id: int):
    return conduct_queries.get_assessment_for(request.auth, assessment_id)


# --- sanctions (奖惩) ------------------------------------------------------------------------------------------------


def _detail(request, sanction: Sanction) -> Sanction:
    sanction._transitions = [
        t
        for t in workflow.available_transitions(sanction, request.auth)
        if t.name in sanctions.TRANSITION_SERVICES
    ]
    sanction._history = list(workflow.history(sanction))
    return sanction


def _get(user, pk) -> Sanction:
    return conduct_queries.get_sanction_for(user, pk)


@router.get(
    "/sanctions", response=list[SanctionOut], auth=API_AUTH, summary="奖惩事项（本辖区；对象本人：自己的）"
)
@paginate(PageNumberPagination)
def list_sanctions(request, filters: Query[SanctionFilter]):
    return conduct_queries.list_sanctions(request.auth, **filters.dict())


@router.post(
    "/sanctions", response={201: SanctionDetailOut}, auth=API_AUTH, summary="拟办表扬、训诫、警告或提请建议"
)
def draft_sanction(request, payload: SanctionIn):
    access.require(request.auth, "add", Sanction)
    data = payload.dict()
    subject = conduct_queries.get_subject_for(request.auth, data.pop("subject_id"))
    sanction = sanctions.draft_sanction(subject, actor=request.auth, **data)
    return Status(201, _detail(request, _get(request.auth, sanction.pk)))


@router.get("/sanctions/{sanction_id}", response=SanctionDetailOut, auth=API_AUTH, summary="奖惩事项详情")
def get_sanction(request, sanction_id: int):
    return _detail(request, _get(request.auth, sanction_id))


@router.patch(
    "/sanctions/{sanction_id}", response=SanctionDetailOut, auth=API_AUTH, summary="修改拟办的奖惩事项"
)
def update_sanction(request, sanction_id: int, payload: SanctionPatch):
    sanction = conduct_queries.get_sanction_for(request.auth, sanction_id, action="change")
    sanctions.update_sanction(sanction, actor=request.auth, **payload.dict(exclude_unset=True))
    return _detail(request, _get(request.auth, sanction.pk))


@router.get(
    "/sanctions/{sanction_id}/documents",
    response=list[AttachmentOut],
    auth=API_AUTH,
    summary="决定书、建议书",
)
def sanction_documents(request, sanction_id: int):
    return conduct_documents.documents_of(_get(request.auth, sanction_id))


@router.get(
    "/sanctions/{sanction_id}/documents/{attachment_id}/download", auth=API_AUTH, summary="下载决定书、建议书"
)
def download_sanction_document(request, sanction_id: int, attachment_id: int):
    attachment = (
        conduct_documents.documents_of(_get(request.auth, sanction_id)).filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise NotFound("文书不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.auth)


# GET /sanctions/{id}/transitions and POST …/transitions/<step>: submit, approve, return, issue, send_to_court …
workflow_api.transition_routes(
    router,
    path="/sanctions",
    model=Sanction,
    get_for=_get,
    detail=_detail,
    response=SanctionDetailOut,
    services=sanctions.TRANSITION_SERVICES,
    inputs=SANCTION_TRANSITION_INPUTS,
    id_param="sanction_id",
)
