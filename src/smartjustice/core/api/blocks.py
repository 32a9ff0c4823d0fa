"""API of the shared building blocks: my notifications, attachments (metadata, download, integrity check)."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from .. import attachments, notifications
from ..auth import API_AUTH
from ..pagination import PageNumberPagination

router = Router(tags=["通知与附件"])


# --- schemas (shared: modules embed AttachmentOut / TransitionOut in their own outputs) ---------------------------


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    category: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationFilter(Schema):
    unread_only: bool = Field(False, description="只看未读")
    category: str = Field("", description="类别，如 govinfo")


class CountOut(Schema):
    count: int


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    sm3: str
    purpose: str
    document_number: str
    uploaded_by_name: str
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_uploaded_by_name(obj) -> str:
        return obj.uploaded_by.display_name if obj.uploaded_by_id else "系统"

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("api-v1:download_attachment", kwargs={"attachment_id": obj.pk})


class AttachmentVerificationOut(Schema):
    ok: bool = Field(..., description="两种摘要均与上传时一致")
    sha256_ok: bool
    sm3_ok: bool
    message: str


class TransitionOut(Schema):
    name: str
    label: str
    style: str


class TransitionRecordOut(Schema):
    transition: str
    transition_label: str
    from_state: str
    to_state: str
    actor_name: str
    at: datetime
    comment: str


# --- notifications ----------------------------------------------------------------------------------------------


@router.get("/notifications", response=list[NotificationOut], auth=API_AUTH, summary="我的通知")
@paginate(PageNumberPagination)
def list_notifications(request, filters: Query[NotificationFilter]):
    return notifications.list_for(request.auth, **filters.dict())


@router.get("/notifications/unread-count", response=CountOut, auth=API_AUTH, summary="未读通知数")
def unread_count(request):
    return {"count": notifications.unread_count(request.auth)}


@router.post("/notifications/read-all", response=CountOut, auth=API_AUTH, summary="全部标为已读")
def mark_all_read(request):
    return {"count": notifications.mark_all_read(actor=request.auth)}


@router.post(
    "/notifications/{notification_id}/read", response=NotificationOut, auth=API_AUTH, summary="标为已读"
)
def mark_read(request, notification_id: int):
    notification = notifications.get_notification_for(request.auth, notification_id)
    return notifications.mark_read(notification, actor=request.auth)


# --- attachments ------------------------------------------------------------------------------------------------


@router.get("/attachments/{attachment_id}", response=AttachmentOut, auth=API_AUTH, summary="附件信息")
def get_attachment(request, attachment_id: int):
    return attachments.get_attachment_for(request.auth, attachment_id)


@router.get(
    "/attachments/{attachment_id}/download",
    auth=API_AUTH,
    url_name="download_attachment",
    summary="下载附件（留痕）",
)
def download_attachment(request, attachment_id: int):
    attachment = attachments.get_attachment_for(request.auth, attachment_id)
    return attachments.download_response(attachment, actor=request.auth)


@router.get(
    "/attachments/{attachment_id}/verify",
    response=AttachmentVerificationOut,
    auth=API_AUTH,
    summary="校验附件完整性（SHA-256 与 SM3）",
)
def verify_attachment(request, attachment_id: int):
    attachment = attachments.get_attachment_for(request.auth, attachment_id)
    return attachments.verify_attachment(attachment)
