"""Access-matrix subjects of 社区矫正 — part: approvals (helper E).

A request of the subject whose 粤矫通 account is the world's own citizen (correction.app_subject, 天河区): correction
staff of 天河区 and above read it, the subject reads it and may withdraw it (owner_may), no one else sees it."""

from smartjustice.core import access
from smartjustice.core.models import AuditEntry
from smartjustice.correction import conduct_documents
from tests.correction import conduct_makers
from tests.harness.registry import subject


def _owns(user, request) -> bool:
    return request.subject.account_id is not None and request.subject.account_id == getattr(user, "pk", None)


def _reads_trail_of(user, record) -> bool:
    entry = AuditEntry.objects.filter(
        object_id=str(record.pk), object_type__contains="approvalrequest"
    ).first()
    return entry is not None and access.can(user, "view", entry)


def _request(world):
    return conduct_makers.approval(
        world.own, subject=world.get("correction.app_subject"), reason="MXAPPROVAL 参加亲属婚礼"
    )


def _document(world):
    request = world.get("correction.approval_request")
    officer = world.staff(world.own, "correction_officer")
    return conduct_documents.generate_approval_document(request, actor=officer).pdf


subject(
    "correction.approval_request",
    make=_request,
    routes=("/api/v1*correction/approvals/{request_id}*", "/correction/approvals/<int:pk>/*"),
    params=lambda r: {"request_id": r.pk, "pk": r.pk, "name": "withdraw"},
    marker=lambda r: r.reason,
    writable=lambda user, r: access.can(user, "change", r) or _owns(user, r),
    order=160,
)
subject(
    "correction.approval_document",
    make=_document,
    routes=(
        "/api/v1*correction/approvals/{request_id}/documents/{attachment_id}*",
        "/correction/approvals/<int:pk>/files/<int:attachment_id>/*",
    ),
    params=lambda a: {"request_id": int(a.owner_id), "pk": int(a.owner_id), "attachment_id": a.pk},
    marker=lambda a: a.document_number,
    visible=lambda user, a: (
        access.can(user, "view", a.owner_object()) or _reads_trail_of(user, a.owner_object())
    ),
    writable=lambda user, a: access.can(user, "change", a.owner_object()) or _owns(user, a.owner_object()),
    order=170,
)
