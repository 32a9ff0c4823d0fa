"""API of case handling (办案) at /api/v1/enforcement/: parties, cases, evidence, payments, documents and every
workflow step (core.workflow_api). Thin: parse → case_queries / core.access → enforcement.cases → schema."""

from django.db import transaction
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core import access, assignments, attachments, workflow, workflow_api
from smartjustice.core import services as core_services
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import NotFound, PermissionDenied, ValidationFailed
from smartjustice.core.pagination import CappedPageNumberPagination, PageNumberPagination

from . import case_queries, cases, documents, queries
from .case_schemas import (
    TRANSITION_INPUTS,
    CaseDetailOut,
    CaseFilter,
    CaseIn,
    CaseOut,
    DocumentIn,
    DocumentOut,
    EvidenceFilter,
    EvidenceIn,
    EvidenceOut,
    InstalmentsIn,
    OfficersIn,
    PartyFilter,
    PartyIn,
    PartyOut,
    PaymentFilter,
    PaymentIn,
    PaymentOut,
    PenaltyIn,
    RecordIn,
    RevokeIn,
    StatementIn,
    officers_by_id,
    step_services,
)
from .models import CaseEvidence, CasePayment, EnforcementCase, Party

router = Router(tags=["行政处罚案件"])
STEP_SERVICES = step_services()


def _detail(request, case: EnforcementCase) -> EnforcementCase:
    """The detail of one case for the caller: the officers, their buttons, the history (party masked)."""
    case._officers = list(assignments.assignments_of(case))
    case._transitions = [
        t for t in workflow.available_transitions(case, request.auth) if t.name in STEP_SERVICES
    ]
    case._history = list(workflow.history(case))
    return case


def _reloaded(request, case) -> EnforcementCase:
    return _detail(request, case_queries.get_case_for(request.auth, case.pk))


def _case_to_change(user, pk) -> EnforcementCase:
    return case_queries.get_case_for(user, pk, action="change")


# --- parties (当事人) --------------------------------------------------------------------------------------------


@router.get(
    "/parties", response=list[PartyOut], auth=API_AUTH, summary="当事人（本机关登记的；证件号码可精确查找）"
)
@paginate(PageNumberPagination)
def list_parties(request, filters: Query[PartyFilter]):
    if filters.q.strip():
        return case_queries.find_parties(request.auth, filters.q, limit=100)
    return case_queries.list_parties(request.auth)


@router.post(
    "/parties", response={201: PartyOut}, auth=API_AUTH, summary="登记当事人（证件号码相同的更新信息）"
)
def create_party(request, payload: PartyIn):
    access.require(request.auth, "add", Party)
    party = cases.register_party(agency=request.auth.organisation, actor=request.auth, **payload.dict())
    return Status(201, case_queries.get_party_for(request.auth, party.pk))


@router.get("/parties/{party_id}", response=PartyOut, auth=API_AUTH, summary="当事人详情（个人信息脱敏）")
def get_party(request, party_id: int):
    return case_queries.get_party_for(request.auth, party_id)


@router.post(
    "/parties/{party_id}/reveal",
    response=PartyOut,
    auth=API_AUTH,
    summary="查看当事人完整个人信息（须有权限，记入审计日志）",
)
def reveal_party(request, party_id: int):
    party = case_queries.get_party_for(request.auth, party_id)
    if not core_services.reveal_personal_information(party, actor=request.auth, channel="API"):
        raise PermissionDenied("您没有查看完整个人信息的权限")
    return party


# --- cases (案件) ------------------------------------------------------------------------------------------------


@router.get(
    "/cases", response=list[CaseOut], auth=API_AUTH, summary="行政处罚案件（本机关；监督部门：本辖区）"
)
@paginate(CappedPageNumberPagination)
def list_cases(request, filters: Query[CaseFilter]):
    return case_queries.list_cases(request.auth, **filters.dict())


@router.post("/cases", response={201: CaseDetailOut}, auth=API_AUTH, summary="登记案件线索")
def register_case(request, payload: CaseIn):
    access.require(request.auth, "add", EnforcementCase)
    data = payload.dict()
    party_id, new_party, item_id = data.pop("party_id"), data.pop("party"), data.pop("item_id")
    if not new_party and not party_id:
        raise ValidationFailed("请选择已登记的当事人或填写新当事人", fields={"party_id": ["请选择当事人"]})
    agency = request.auth.organisation
    item = queries.readable_item(request.auth, item_id) if item_id else None
    data["domain"] = data["domain"] or agency.enforcement_domain
    with transaction.atomic():  # a new party and its case, or neither
        if new_party:
            party = cases.register_party(agency=agency, actor=request.auth, **new_party)
        else:
            party = case_queries.get_party_for(request.auth, party_id, action="change")
        case = cases.register_case(agency=agency, party=party, item=item, actor=request.auth, **data)
    return Status(201, _reloaded(request, case))


@router.get("/cases/{case_id}", response=CaseDetailOut, auth=API_AUTH, summary="案件详情")
def get_case(request, case_id: int):
    return _detail(request, case_queries.get_case_for(request.auth, case_id))


@router.put(
    "/cases/{case_id}/officers", response=CaseDetailOut, auth=API_AUTH, summary="指派承办人员（不少于两人）"
)
def assign_officers(request, case_id: int, payload: OfficersIn):
    case = _case_to_change(request.auth, case_id)
    cases.assign_officers(
        case, officers=officers_by_id(request.auth, payload.officer_ids), actor=request.auth
    )
    return _reloaded(request, case)


# --- evidence (证据) ---------------------------------------------------------------------------------------------


def _evidence(user):
    return access.restrict(
        CaseEvidence.objects.select_related("attachment__uploaded_by", "recorded_by"), user, "view"
    )


@router.get("/evidence", response=list[EvidenceOut], auth=API_AUTH, summary="证据（可按案件筛选）")
@paginate(PageNumberPagination)
def list_evidence(request, filters: Query[EvidenceFilter]):
    qs = _evidence(request.auth)
    if filters.case:
        qs = qs.filter(case_id=filters.case)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("-captured_at", "-id")


@router.get("/evidence/{evidence_id}", response=EvidenceOut, auth=API_AUTH, summary="证据详情（含存证序号）")
def get_evidence(request, evidence_id: int):
    return access.get_for(request.auth, _evidence(request.auth), evidence_id)


@router.get("/cases/{case_id}/evidence", response=list[EvidenceOut], auth=API_AUTH, summary="本案证据")
def case_evidence(request, case_id: int):
    case = case_queries.get_case_for(request.auth, case_id)
    return _evidence(request.auth).filter(case=case).order_by("captured_at", "id")


@router.post(
    "/cases/{case_id}/evidence",
    response={201: EvidenceOut},
    auth=API_AUTH,
    summary="登记证据（可上传文件；摘要写入存证账本）",
)
def record_evidence(request, case_id: int, payload: Form[EvidenceIn], file: File[UploadedFile] = None):
    case = _case_to_change(request.auth, case_id)
    evidence = cases.record_evidence(
        case,
        actor=request.auth,
        file=file,
        filename=file.name if file is not None else "",
        **payload.dict(),
    )
    return Status(201, access.get_for(request.auth, _evidence(request.auth), evidence.pk))


# --- payments (缴款) ---------------------------------------------------------------------------------------------


def _payments(user):
    return access.restrict(CasePayment.objects.select_related("recorded_by"), user, "view")


@router.get("/payments", response=list[PaymentOut], auth=API_AUTH, summary="缴款记录（可按案件筛选）")
@paginate(PageNumberPagination)
def list_payments(request, filters: Query[PaymentFilter]):
    qs = _payments(request.auth)
    if filters.case:
        qs = qs.filter(case_id=filters.case)
    return qs.order_by("-id")


@router.get("/payments/{payment_id}", response=PaymentOut, auth=API_AUTH, summary="缴款记录详情")
def get_payment(request, payment_id: int):
    return access.get_for(request.auth, _payments(request.auth), payment_id)


@router.get("/cases/{case_id}/payments", response=list[PaymentOut], auth=API_AUTH, summary="本案缴款记录")
def case_payments(request, case_id: int):
    case = case_queries.get_case_for(request.auth, case_id)
    return _payments(request.auth).filter(case=case).order_by("due_on", "id")


@router.post("/cases/{case_id}/payments", response={201: CaseDetailOut}, auth=API_AUTH, summary="登记缴款")
def record_payment(request, case_id: int, payload: PaymentIn):
    case = _case_to_change(request.auth, case_id)
    cases.record_payment(case, actor=request.auth, **payload.dict())
    return Status(201, _reloaded(request, case))


# --- the steps between the workflow's transitions ------------------------------------------------------------------


@router.put(
    "/cases/{case_id}/penalty", response=CaseDetailOut, auth=API_AUTH, summary="拟定处罚（种类、金额、依据）"
)
def propose_penalty(request, case_id: int, payload: PenaltyIn):
    case = _case_to_change(request.auth, case_id)
    data = payload.dict()
    benchmark_id = data.pop("benchmark_id")
    cases.propose_penalty(case, actor=request.auth, benchmark=benchmark_id, **data)
    return _reloaded(request, case)


@router.post("/cases/{case_id}/statement", response=CaseDetailOut, auth=API_AUTH, summary="记录陈述、申辩")
def record_statement(request, case_id: int, payload: StatementIn):
    case = _case_to_change(request.auth, case_id)
    cases.record_statement(case, actor=request.auth, **payload.dict())
    return _reloaded(request, case)


@router.post("/cases/{case_id}/hearing-record", response=CaseDetailOut, auth=API_AUTH, summary="记录听证笔录")
def record_hearing(request, case_id: int, payload: RecordIn):
    case = _case_to_change(request.auth, case_id)
    cases.record_hearing(case, actor=request.auth, **payload.dict())
    return _reloaded(request, case)


@router.post(
    "/cases/{case_id}/instalments",
    response=CaseDetailOut,
    auth=API_AUTH,
    summary="批准暂缓或分期缴纳罚款（机关负责人）",
)
def approve_instalments(request, case_id: int, payload: InstalmentsIn):
    case = case_queries.get_case_for(request.auth, case_id)
    plan = [(row.due_on, row.amount) for row in payload.plan]
    cases.approve_instalments(case, plan=plan, actor=request.auth)
    return _reloaded(request, case)


@router.post("/cases/{case_id}/revoke", response=CaseDetailOut, auth=API_AUTH, summary="撤销行政处罚决定")
def revoke_decision(request, case_id: int, payload: RevokeIn):
    case = case_queries.get_case_for(request.auth, case_id)
    cases.revoke_decision(case, actor=request.auth, **payload.dict())
    return _reloaded(request, case)


# --- documents (执法文书) ----------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/documents", response=list[AttachmentOut], auth=API_AUTH, summary="本案执法文书")
def case_documents(request, case_id: int):
    return documents.documents_of(case_queries.get_case_for(request.auth, case_id))


@router.post(
    "/cases/{case_id}/documents",
    response={201: DocumentOut},
    auth=API_AUTH,
    summary="制作执法文书（PDF 和 Word，按本机关文号编号）",
)
def generate_document(request, case_id: int, payload: DocumentIn):
    case = _case_to_change(request.auth, case_id)
    return Status(201, documents.generate_case_document(case, payload.kind, actor=request.auth))


@router.get(
    "/cases/{case_id}/documents/{attachment_id}/download",
    auth=API_AUTH,
    summary="下载执法文书（须有本案的查看权限）",
)
def download_document(request, case_id: int, attachment_id: int):
    case = case_queries.get_case_for(request.auth, case_id)
    attachment = attachments.attachments_of(case).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("文书不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.auth)


# Every workflow step: GET /cases/{case_id}/transitions and POST …/transitions/<step> (core.workflow_api).
workflow_api.transition_routes(
    router,
    path="/cases",
    model=EnforcementCase,
    # Read access loads the case; who may take each step (the head files and decides, the handlers the rest, only in
    # the case's own agency) is the workflow's and the services' decision.
    get_for=case_queries.get_case_for,
    detail=_detail,
    response=CaseDetailOut,
    services=STEP_SERVICES,
    inputs=TRANSITION_INPUTS,
    id_param="case_id",
)
