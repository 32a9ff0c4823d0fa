"""Storing, reading and checking attachments.

Files are stored once per content under MEDIA_ROOT/attachments/<sha256[:2]>/<sha256[2:4]>/<sha256>; each row keeps
SHA-256 and SM3 (GB/T 32905) digests computed while the upload streams, so tampering with the stored file is
detected by verify_attachment(). Who may read an attachment is decided by the record it belongs to.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction

from . import access, audit
from .choices import AuditEvent
from .errors import NotFound, ValidationFailed
from .models import Attachment

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    magic: tuple[bytes, ...] = ()
    zip_member: str = ""  # an Office/OFD package must contain this part


ALLOWED_TYPES: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", (b"%PDF-",)),
    "jpg": FileKind("JPG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("JPG", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": FileKind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": FileKind(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
        "word/document.xml",
    ),
    "xlsx": FileKind(
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        "xl/workbook.xml",
    ),
    "ofd": FileKind("OFD", "application/ofd", (b"PK\x03\x04",), "OFD.xml"),
    "txt": FileKind("TXT", "text/plain; charset=utf-8"),
}


def allowed_types_label() -> str:
    return "、".join(dict.fromkeys(kind.label for kind in ALLOWED_TYPES.values()))


def _reject(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": [message]})


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _check_content(kind: FileKind, ext: str, head: bytes, fileobj) -> None:
    if kind.magic and not head.startswith(kind.magic):
        raise _reject(f"文件内容与扩展名 .{ext} 不符，请上传真实的 {kind.label} 文件")
    if kind.zip_member:
        fileobj.seek(0)
        try:
            with zipfile.ZipFile(fileobj) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            names = set()
        if kind.zip_member not in names:
            raise _reject(f"文件内容与扩展名 .{ext} 不符，请上传真实的 {kind.label} 文件")
    if ext == "txt":
        if b"\x00" in head:
            raise _reject("文本文件中含有二进制内容")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
                try:
                    head.decode("gb18030")
                except UnicodeDecodeError:
                    raise _reject("文本文件须为 UTF-8 或 GB18030 编码") from None


def _digest(fileobj, *, limit: int | None = None) -> tuple[int, str, str, bytes]:
    """Size, SHA-256 and SM3 of a file, read in chunks; stops early once past `limit` bytes."""
    sha256, sm3 = hashlib.sha256(), hashlib.new("sm3")
    size = 0
    head = b""
    fileobj.seek(0)
    while True:
        chunk = fileobj.read(CHUNK)
        if not chunk:
            break
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        size += len(chunk)
        if limit is not None and size > limit:
            break
        sha256.update(chunk)
        sm3.update(chunk)
    return size, sha256.hexdigest(), sm3.hexdigest(), head


def storage_name(sha256: str) -> str:
    return f"attachments/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _max_label(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB"


@transaction.atomic
def store_attachment(
    file,
    *,
    actor,
    owner=None,
    filename: str | None = None,
    purpose: str = "",
    document_number: str = "",
) -> Attachment:
    """Check and store an uploaded file for `owner` (any record); raises ValidationFailed with a Chinese message."""
    if isinstance(file, bytes | bytearray):
        file = ContentFile(bytes(file), name=filename or "")
    if not isinstance(file, File):
        file = File(file, name=filename or getattr(file, "name", ""))
    name = PurePath(filename or file.name or "").name[:255]
    ext = _extension(name)
    kind = ALLOWED_TYPES.get(ext)
    if kind is None:
        raise _reject(f"不支持的文件类型{'：.' + ext if ext else ''}；允许上传 {allowed_types_label()}")
    limit = settings.ATTACHMENT_MAX_BYTES
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise _reject(f"文件“{name}”超过 {_max_label(limit)} 的上限")
    size, sha256, sm3, head = _digest(file, limit=limit)
    if size > limit:
        raise _reject(f"文件“{name}”超过 {_max_label(limit)} 的上限")
    if size == 0:
        raise _reject(f"文件“{name}”是空文件")
    _check_content(kind, ext, head, file)

    path = storage_name(sha256)
    if not default_storage.exists(path):
        file.seek(0)
        saved = default_storage.save(path, file)
        if saved != path:  # the same content arrived concurrently; keep one copy
            default_storage.delete(saved)
    jurisdiction_code = audit.jurisdiction_code_of(owner) if owner is not None else ""
    if not jurisdiction_code and owner is None:
        jurisdiction_code = getattr(actor, "jurisdiction_id", "") or ""
    with audit.operation(
        AuditEvent.ATTACHMENT_STORED, obj=audit.NEW, actor=actor, detail=f"{purpose or '附件'}：{name}"[:500]
    ):
        return Attachment.objects.create(
            file=path,
            original_name=name,
            content_type=kind.content_type,
            size=size,
            sha256=sha256,
            sm3=sm3,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            owner_type=owner._meta.label_lower if owner is not None else "",
            owner_id=str(owner.pk) if owner is not None else "",
            purpose=purpose[:64],
            document_number=document_number[:64],
            jurisdiction_code=jurisdiction_code,
        )


@dataclass(frozen=True)
class Verification:
    ok: bool
    sha256_ok: bool
    sm3_ok: bool
    message: str


def verify_attachment(attachment: Attachment) -> Verification:
    """Re-hash the stored file and compare both digests with those recorded at upload."""
    try:
        with default_storage.open(attachment.file.name, "rb") as stored:
            size, sha256, sm3, _ = _digest(stored)
    except (FileNotFoundError, OSError):
        return Verification(False, False, False, "文件缺失：存储中找不到该附件")
    sha256_ok = sha256 == attachment.sha256 and size == attachment.size
    sm3_ok = sm3 == attachment.sm3
    if sha256_ok and sm3_ok:
        return Verification(True, True, True, "校验通过：文件与上传时一致")
    return Verification(False, sha256_ok, sm3_ok, "校验失败：文件内容已被篡改或损坏")


# --- reads -----------------------------------------------------------------------------------------------------


def get_attachment_for(user, pk, *, action: str = "view") -> Attachment:
    """An attachment the user may read: the owning record decides; without one, the attachment's own restriction."""
    attachment = Attachment.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if attachment is None:
        raise NotFound()
    owner = attachment.owner_object()
    if owner is not None:
        if access.can(user, action, owner):
            return attachment
        raise NotFound()
    if access.restrict(Attachment.objects.filter(pk=attachment.pk), user, action).exists():
        return attachment
    raise NotFound()


def attachments_of(owner, *, purpose: str | None = None):
    """The files attached to one record (the caller has loaded `owner` through access)."""
    qs = Attachment.objects.filter(owner_type=owner._meta.label_lower, owner_id=str(owner.pk)).select_related(
        "uploaded_by"
    )
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs


def read_bytes(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.file.name, "rb") as stored:
        return stored.read()


# --- downloads ---------------------------------------------------------------------------------------------------


def record_download(attachment: Attachment, *, actor) -> None:
    """Every download is an audit event (who took which file out)."""
    audit.record(
        AuditEvent.ATTACHMENT_DOWNLOADED,
        obj=attachment,
        actor=actor,
        detail=f"下载附件：{attachment.original_name}"
        + (f"（{attachment.owner_type}#{attachment.owner_id}）" if attachment.owner_type else ""),
    )


def download_response(attachment: Attachment, *, actor):
    """A streamed file response; the download is recorded first (pages and API share this)."""
    from django.http import FileResponse

    try:
        handle = default_storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise NotFound("附件文件缺失，请联系管理员") from None
    record_download(attachment, actor=actor)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = [
    "ALLOWED_TYPES",
    "Verification",
    "attachments_of",
    "download_response",
    "get_attachment_for",
    "read_bytes",
    "record_download",
    "store_attachment",
    "verify_attachment",
]
