"""API of 社区矫正 — part: reporting (check-ins, visits and talks, a subject's supervision timeline, receipts)."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import access
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import reporting, reporting_queries
from .models import CheckIn, SupervisionRecord
from .reporting_schemas import (
    CheckInFilter,
    CheckInIn,
    CheckInOut,
    SupervisionRecordFilter,
    SupervisionRecordIn,
    SupervisionRecordOut,
    SupervisionTimelineOut,
)

router = Router(tags=["社区矫正"])


@router.get(
    "/check-ins", response=list[CheckInOut], auth=API_AUTH, summary="报到记录（本辖区；对象本人：自己的）"
)
@paginate(PageNumberPagination)
def list_check_ins(request, filters: Query[CheckInFilter]):
    access.require(request.auth, "view", CheckIn)
    return reporting_queries.list_check_ins(request.auth, **filters.dict())


@router.post("/check-ins", response={201: CheckInOut}, auth=API_AUTH, summary="登记当面、电话或自助终端报到")
def create_check_in(request, payload: CheckInIn):
    access.require(request.auth, "add", CheckIn)
    subject = reporting_queries.get_subject_for(request.auth, payload.subject_id)
    data = payload.dict(exclude={"subject_id", "identity_check_id"})
    record = reporting.check_in(subject, actor=request.auth, identity_check=payload.identity_check_id, **data)
    return Status(201, reporting_queries.get_check_in_for(request.auth, record.pk))


@router.get("/check-ins/{check_in_id}", response=CheckInOut, auth=API_AUTH, summary="报到记录详情")
def get_check_in(request, check_in_id: int):
    return reporting_queries.get_check_in_for(request.auth, check_in_id)


@router.get(
    "/check-ins/{check_in_id}/receipt",
    auth=API_AUTH,
    summary="下载报到回执（JSON，可离线验证：smartjustice correction verify-receipt）",
    response={200: dict},
)
def download_receipt(request, check_in_id: int):
    check_in = reporting_queries.get_check_in_for(request.auth, check_in_id)
    name, text = reporting.download_receipt(check_in, actor=request.auth)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/visits", response=list[SupervisionRecordOut], auth=API_AUTH, summary="走访、谈话等监管记录")
@paginate(PageNumberPagination)
def list_visits(request, filters: Query[SupervisionRecordFilter]):
    access.require(request.auth, "view", SupervisionRecord)
    return reporting_queries.list_supervision_records(request.auth, **filters.dict())


@router.post(
    "/visits", response={201: SupervisionRecordOut}, auth=API_AUTH, summary="登记走访、谈话等监管记录"
)
def create_visit(request, payload: SupervisionRecordIn):
    access.require(request.auth, "add", SupervisionRecord)
    subject = reporting_queries.get_subject_for(request.auth, payload.subject_id)
    record = reporting.record_supervision(subject, actor=request.auth, **payload.dict(exclude={"subject_id"}))
    return Status(201, reporting_queries.get_supervision_record_for(request.auth, record.pk))


@router.get("/visits/{record_id}", response=SupervisionRecordOut, auth=API_AUTH, summary="监管记录详情")
def get_visit(request, record_id: int):
    return reporting_queries.get_supervision_record_for(request.auth, record_id)


@router.get(
    "/supervision-timeline/{subject_id}",
    response=SupervisionTimelineOut,
    auth=API_AUTH,
    summary="社区矫正对象的日常监管时间线（报到、监管记录、预警）",
)
def supervision_timeline(request, subject_id: int):
    access.require(request.auth, "view", SupervisionRecord)
    subject = reporting_queries.get_subject_for(request.auth, subject_id)
    due = subject.next_report_due_at
    return {
        "subject_id": subject.pk,
        "subject_number": subject.number,
        "subject_name": subject.name,
        "level": subject.level,
        "level_label": subject.get_level_display(),
        "schedule_days": reporting.schedule_days(subject),
        "next_report_due_at": due,
        "overdue": bool(due and due < timezone.now()),
        "items": reporting_queries.timeline(request.auth, subject),
    }
