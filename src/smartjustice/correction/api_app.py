"""API of 粤矫通 at /api/v1/correction/app/: what the subject's phone calls — my term and to-dos, check-in with a
photo and the position, the receipt, my requests and their progress, my messages. Only the signed-in subject's own
records: the subject is found from the account (app_queries.my_subject), never named in the request."""

from django.http import HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import app_queries as queries
from .app_gateway import service
from .app_schemas import AppCheckInIn, AppCheckInOut, AppMessageOut, AppRequestIn, AppRequestOut, AppTermOut

router = Router(tags=["粤矫通"])


@router.get("/me", response=AppTermOut, auth=API_AUTH, summary="我的矫正：期限、下次报告、待办事项")
def my_term(request):
    subject = queries.my_subject(request.auth)
    report = queries.report_state(subject)
    return {
        "number": subject.number,
        "name": subject.name,
        "category": subject.category,
        "category_label": subject.get_category_display(),
        "level": subject.level,
        "level_label": subject.get_level_display(),
        "status": subject.status,
        "status_label": subject.get_status_display(),
        "starts_on": subject.starts_on,
        "ends_on": subject.ends_on,
        "days_left": queries.term_progress(subject)["left"],
        "agency_name": subject.agency.name,
        "station_name": subject.station.name if subject.station_id else "",
        "next_report_due_at": report["due"],
        "report_overdue": report["overdue"],
        "todos": queries.todos(subject, request.auth),
        "unread_messages": queries.my_messages(request.auth, unread_only=True).count(),
    }


@router.get("/check-ins", response=list[AppCheckInOut], auth=API_AUTH, summary="我的签到记录")
@paginate(PageNumberPagination)
def my_check_ins(request):
    return queries.my_check_ins(queries.my_subject(request.auth), request.auth)


@router.post(
    "/check-ins", response={201: AppCheckInOut}, auth=API_AUTH, summary="签到报告（现场照片、位置、活动情况）"
)
def check_in(request, payload: Form[AppCheckInIn], photo: File[UploadedFile]):
    subject = queries.my_subject(request.auth)
    data = payload.dict()
    done = service("reporting", "check_in")(subject, actor=request.auth, channel="app", photo=photo, **data)
    return Status(201, done)


@router.get("/check-ins/{check_in_id}/receipt", auth=API_AUTH, summary="下载签到回执（可离线核验）")
def check_in_receipt(request, check_in_id: int):
    item = queries.get_my_check_in(request.auth, check_in_id)
    name, text = service("reporting", "download_receipt")(item, actor=request.auth)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/requests", response=list[AppRequestOut], auth=API_AUTH, summary="我的申请（外出、迁居等）")
@paginate(PageNumberPagination)
def my_requests(request):
    return queries.my_requests(queries.my_subject(request.auth), request.auth)


@router.post(
    "/requests",
    response={201: AppRequestOut},
    auth=API_AUTH,
    summary="提交申请（外出、迁居、进入特定场所、会见特定人员）",
)
def submit_request(request, payload: AppRequestIn):
    subject = queries.my_subject(request.auth)
    created = service("approvals", "submit_request")(subject, actor=request.auth, **payload.dict())
    return Status(201, created)


@router.get("/requests/{request_id}", response=AppRequestOut, auth=API_AUTH, summary="申请详情和进度")
def my_request(request, request_id: int):
    return queries.get_my_request(request.auth, request_id)


@router.get("/messages", response=list[AppMessageOut], auth=API_AUTH, summary="我的消息")
@paginate(PageNumberPagination)
def my_messages(request, unread: bool = False):
    return queries.my_messages(request.auth, unread_only=unread)
