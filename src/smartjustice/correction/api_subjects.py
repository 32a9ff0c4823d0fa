"""API of subjects, contacts, 矫正小组, transfers and archives at /api/v1/correction/ (helper A). Thin: parse →
subject_queries → one service of correction.subjects / correction.archives → schema."""

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core import access, attachments, workflow_api
from smartjustice.core import services as core_services
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import NotFound, PermissionDenied, ValidationFailed
from smartjustice.core.pagination import PageNumberPagination

from . import archives, subject_queries, subjects
from .models import ArchiveItem, CorrectionGroupMember, CorrectionSubject, SubjectContact, SubjectTransfer
from .subject_schemas import (
    TRANSFER_INPUTS,
    ArchiveExportIn,
    ArchiveFolderOut,
    ArchiveItemFilter,
    ArchiveItemOut,
    GroupMemberCreateIn,
    GroupMemberFilter,
    GroupMemberIn,
    GroupMemberOut,
    SubjectAccountIn,
    SubjectContactCreateIn,
    SubjectContactFilter,
    SubjectContactIn,
    SubjectContactOut,
    SubjectCreatedOut,
    SubjectFilter,
    SubjectIn,
    SubjectOut,
    SubjectPatch,
    SubjectPlanIn,
    SubjectReleaseIn,
    SubjectTerminateIn,
    TransferFilter,
    TransferIn,
    TransferOut,
)

router = Router(tags=["社区矫正对象"])


def _subject(user, pk, action: str = "view") -> CorrectionSubject:
    return subject_queries.get_subject_for(user, pk, action=action)


# --- subjects ---------------------------------------------------------------------------------------------------


@router.get(
    "/subjects", response=list[SubjectOut], auth=API_AUTH, summary="社区矫正对象（本辖区；本人只看自己）"
)
@paginate(PageNumberPagination)
def list_subjects(request, filters: Query[SubjectFilter]):
    return subject_queries.list_subjects(request.auth, **filters.dict())


@router.post("/subjects", response={201: SubjectCreatedOut}, auth=API_AUTH, summary="入矫登记")
def intake_subject(request, payload: SubjectIn):
    access.require(request.auth, "add", CorrectionSubject)
    data = payload.dict()
    data["agency"], data["station"] = data.pop("agency_id"), data.pop("station_id")
    subject = subjects.intake_subject(actor=request.auth, **data)
    created = _subject(request.auth, subject.pk)
    created.warnings = subject.warnings
    return Status(201, created)


@router.get(
    "/subjects/{subject_id}", response=SubjectOut, auth=API_AUTH, summary="社区矫正对象详情（个人信息脱敏）"
)
def get_subject(request, subject_id: int):
    return _subject(request.auth, subject_id)


@router.patch("/subjects/{subject_id}", response=SubjectOut, auth=API_AUTH, summary="修改社区矫正对象信息")
def update_subject(request, subject_id: int, payload: SubjectPatch):
    subject = _subject(request.auth, subject_id, "change")
    subjects.update_subject(subject, actor=request.auth, **payload.dict(exclude_unset=True))
    return _subject(request.auth, subject_id)


@router.post(
    "/subjects/{subject_id}/reveal",
    response=SubjectOut,
    auth=API_AUTH,
    summary="查看社区矫正对象完整个人信息（须有权限，记入审计日志）",
)
def reveal_subject(request, subject_id: int):
    subject = _subject(request.auth, subject_id)
    if not core_services.reveal_personal_information(subject, actor=request.auth, channel="API"):
        raise PermissionDenied("您没有查看完整个人信息的权限")
    return subject


@router.put("/subjects/{subject_id}/plan", response=SubjectOut, auth=API_AUTH, summary="制定或调整矫正方案")
def update_plan(request, subject_id: int, payload: SubjectPlanIn):
    subject = _subject(request.auth, subject_id, "change")
    subjects.update_plan(subject, actor=request.auth, plan=payload.plan)
    return _subject(request.auth, subject_id)


@router.put("/subjects/{subject_id}/account", response=SubjectOut, auth=API_AUTH, summary="关联粤矫通账号")
def link_account(request, subject_id: int, payload: SubjectAccountIn):
    subject = _subject(request.auth, subject_id, "change")
    user = subject_queries.find_portal_account(payload.username)
    if user is None:
        raise ValidationFailed("找不到该粤矫通账号", fields={"username": ["找不到该粤矫通账号"]})
    subjects.link_account(subject, actor=request.auth, user=user)
    return _subject(request.auth, subject_id)


@router.post(
    "/subjects/{subject_id}/release",
    response=SubjectOut,
    auth=API_AUTH,
    summary="解除社区矫正（期满或赦免，发放解除社区矫正证明书）",
)
def release_subject(request, subject_id: int, payload: SubjectReleaseIn):
    subject = _subject(request.auth, subject_id, "change")
    subjects.release_subject(subject, actor=request.auth, **payload.dict())
    return _subject(request.auth, subject_id)


@router.post(
    "/subjects/{subject_id}/terminate",
    response=SubjectOut,
    auth=API_AUTH,
    summary="社区矫正终止（撤销缓刑、假释，收监执行，死亡）",
)
def terminate_subject(request, subject_id: int, payload: SubjectTerminateIn):
    subject = _subject(request.auth, subject_id, "change")
    subjects.terminate_subject(subject, actor=request.auth, **payload.dict())
    return _subject(request.auth, subject_id)


# --- contacts ---------------------------------------------------------------------------------------------------


@router.get("/subject-contacts", response=list[SubjectContactOut], auth=API_AUTH, summary="监护人、家庭成员")
@paginate(PageNumberPagination)
def list_contacts(request, filters: Query[SubjectContactFilter]):
    return subject_queries.list_contacts(request.auth, **filters.dict())


@router.post(
    "/subject-contacts", response={201: SubjectContactOut}, auth=API_AUTH, summary="登记监护人、家庭成员"
)
def create_contact(request, payload: SubjectContactCreateIn):
    access.require(request.auth, "add", SubjectContact)
    data = payload.dict()
    subject = _subject(request.auth, data.pop("subject_id"), "change")
    contact = subjects.save_contact(subject, actor=request.auth, **data)
    return Status(201, subject_queries.get_contact_for(request.auth, contact.pk))


@router.get(
    "/subject-contacts/{contact_id}", response=SubjectContactOut, auth=API_AUTH, summary="家庭成员详情"
)
def get_contact(request, contact_id: int):
    return subject_queries.get_contact_for(request.auth, contact_id)


@router.put(
    "/subject-contacts/{contact_id}", response=SubjectContactOut, auth=API_AUTH, summary="修改家庭成员"
)
def update_contact(request, contact_id: int, payload: SubjectContactIn):
    contact = subject_queries.get_contact_for(request.auth, contact_id, "change")
    subjects.save_contact(contact.subject, actor=request.auth, contact=contact, **payload.dict())
    return subject_queries.get_contact_for(request.auth, contact_id)


# --- 矫正小组 --------------------------------------------------------------------------------------------------------


@router.get("/group-members", response=list[GroupMemberOut], auth=API_AUTH, summary="矫正小组成员")
@paginate(PageNumberPagination)
def list_group_members(request, filters: Query[GroupMemberFilter]):
    return subject_queries.list_group_members(request.auth, **filters.dict())


@router.post("/group-members", response={201: GroupMemberOut}, auth=API_AUTH, summary="增加矫正小组成员")
def create_group_member(request, payload: GroupMemberCreateIn):
    access.require(request.auth, "add", CorrectionGroupMember)
    data = payload.dict()
    subject = _subject(request.auth, data.pop("subject_id"), "change")
    member = subjects.save_group_member(subject, actor=request.auth, **data)
    return Status(201, subject_queries.get_group_member_for(request.auth, member.pk))


@router.get("/group-members/{member_id}", response=GroupMemberOut, auth=API_AUTH, summary="矫正小组成员详情")
def get_group_member(request, member_id: int):
    return subject_queries.get_group_member_for(request.auth, member_id)


@router.put("/group-members/{member_id}", response=GroupMemberOut, auth=API_AUTH, summary="修改矫正小组成员")
def update_group_member(request, member_id: int, payload: GroupMemberIn):
    member = subject_queries.get_group_member_for(request.auth, member_id, "change")
    subjects.save_group_member(member.subject, actor=request.auth, member=member, **payload.dict())
    return subject_queries.get_group_member_for(request.auth, member_id)


# --- transfers (变更执行地) ------------------------------------------------------------------------------------------


@router.get("/transfers", response=list[TransferOut], auth=API_AUTH, summary="变更执行地（转出和转入）")
@paginate(PageNumberPagination)
def list_transfers(request, filters: Query[TransferFilter]):
    return subject_queries.list_transfers(request.auth, **filters.dict())


@router.post("/transfers", response={201: TransferOut}, auth=API_AUTH, summary="申请变更执行地")
def request_transfer(request, payload: TransferIn):
    access.require(request.auth, "add", SubjectTransfer)
    data = payload.dict()
    subject = _subject(request.auth, data.pop("subject_id"), "change")
    transfer = subjects.request_transfer(
        subject, actor=request.auth, to_agency=data.pop("to_agency_id"), **data
    )
    return Status(201, subject_queries.get_transfer_for(request.auth, transfer.pk))


@router.get("/transfers/{transfer_id}", response=TransferOut, auth=API_AUTH, summary="变更执行地详情")
def get_transfer(request, transfer_id: int):
    return subject_queries.get_transfer_for(request.auth, transfer_id)


workflow_api.transition_routes(
    router,
    path="/transfers",
    model=SubjectTransfer,
    # Both sides read it; only the receiving county's head takes a step (the workflow's permission and jurisdiction).
    get_for=subject_queries.get_transfer_for,
    detail=lambda request, transfer: transfer,
    response=TransferOut,
    services=subjects.TRANSFER_SERVICES,
    inputs=TRANSFER_INPUTS,
    id_param="transfer_id",
)


# --- archives (矫正档案) --------------------------------------------------------------------------------------------


@router.get("/archive-items", response=list[ArchiveItemOut], auth=API_AUTH, summary="矫正档案材料")
@paginate(PageNumberPagination)
def list_archive_items(request, filters: Query[ArchiveItemFilter]):
    return subject_queries.list_archive_items(request.auth, **filters.dict())


@router.get("/archive-items/{item_id}", response=ArchiveItemOut, auth=API_AUTH, summary="矫正档案材料详情")
def get_archive_item(request, item_id: int):
    return subject_queries.get_archive_item_for(request.auth, item_id)


@router.post(
    "/subjects/{subject_id}/archive/items",
    response={201: ArchiveItemOut},
    auth=API_AUTH,
    summary="归档材料（可上传文件）",
)
def file_archive_item(
    request,
    subject_id: int,
    kind: Form[str],
    title: Form[str],
    content: Form[str] = "",
    file: File[UploadedFile] = None,
):
    access.require(request.auth, "add", ArchiveItem)
    subject = _subject(request.auth, subject_id, "change")
    item = archives.file_item(
        subject,
        actor=request.auth,
        kind=kind,
        title=title,
        content=content,
        file=file,
        filename=file.name if file is not None else "",
    )
    return Status(201, subject_queries.get_archive_item_for(request.auth, item.pk))


@router.get(
    "/subjects/{subject_id}/archive", response=ArchiveFolderOut, auth=API_AUTH, summary="矫正档案目录"
)
def get_archive(request, subject_id: int):
    found = archives.folder(_subject(request.auth, subject_id))
    return {
        "subject_id": subject_id,
        "entries": [
            {
                "section": e.section,
                "title": e.title,
                "day": e.day,
                "attachment_id": e.attachment.pk if e.attachment else None,
                "item_id": e.item.pk if e.item else None,
                "source": e.source,
            }
            for e in found.entries
        ],
        "records": [{"kind": kind, "count": n} for kind, n in found.records],
    }


def _export_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@router.get("/subjects/{subject_id}/archive/zip", auth=API_AUTH, summary="导出矫正档案（ZIP，记入审计日志）")
def export_archive_zip(request, subject_id: int, params: Query[ArchiveExportIn]):
    subject = _subject(request.auth, subject_id, "change")
    data = archives.export_zip(subject, actor=request.auth, purpose=params.purpose)
    return _export_response(data, "application/zip", f"archive-{subject.number}.zip")


@router.get(
    "/subjects/{subject_id}/archive/pdf", auth=API_AUTH, summary="导出矫正档案（一个 PDF，记入审计日志）"
)
def export_archive_pdf(request, subject_id: int, params: Query[ArchiveExportIn]):
    subject = _subject(request.auth, subject_id, "change")
    data = archives.export_pdf(subject, actor=request.auth, purpose=params.purpose)
    return _export_response(data, "application/pdf", f"archive-{subject.number}.pdf")


@router.get(
    "/subjects/{subject_id}/files/{attachment_id}",
    auth=API_AUTH,
    summary="下载档案中的文件（解除社区矫正证明书等；须有查看权限）",
)
def download_subject_file(request, subject_id: int, attachment_id: int):
    subject = _subject(request.auth, subject_id)
    entry = next(
        (e for e in archives.folder(subject).entries if e.attachment and e.attachment.pk == attachment_id),
        None,
    )
    if entry is None:
        raise NotFound("文件不存在或您无权访问")
    return attachments.download_response(entry.attachment, actor=request.auth)
