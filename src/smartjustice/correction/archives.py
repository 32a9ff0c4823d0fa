"""矫正档案 (第二十二条): one folder per subject, export as a ZIP or one PDF, and the retention rule.

The folder is collected generically: the items filed by hand (ArchiveItem), every file (core.Attachment: judgments,
generated documents, photos) owned by the subject or by any record of the correction app that points at the subject
(check-ins, sanctions, approvals … of the other parts), and a count of those records by kind. A new part's documents
appear without a change here. A minor's archive leaves the platform only with a stated lawful purpose (第五十四条).
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from smartjustice.core import access, attachments, audit, documents
from smartjustice.core.errors import PermissionDenied, ValidationFailed
from smartjustice.core.models import Attachment, DomainModel

from . import rules
from .choices import CorrectionAuditEvent
from .models import ArchiveItem, ArchiveKind, CorrectionSubject


@dataclass
class FolderEntry:
    """One line of the folder: a filed item, or a file some record of the subject owns."""

    section: str
    title: str
    day: datetime.date | None
    attachment: Attachment | None = None
    item: ArchiveItem | None = None
    source: str = ""


@dataclass
class Folder:
    subject: CorrectionSubject
    entries: list[FolderEntry]
    records: list[tuple[str, int]]  # (kind of record, how many) of the other parts


def _subject_models():
    """The correction app's DomainModels with a `subject` foreign key to CorrectionSubject."""
    found = []
    for model in apps.get_app_config("correction").get_models():
        if not issubclass(model, DomainModel) or model is ArchiveItem:
            continue
        try:
            field = model._meta.get_field("subject")
        except Exception:  # noqa: BLE001 - a model without a subject field
            continue
        if getattr(field, "related_model", None) is CorrectionSubject:
            found.append(model)
    return found


def _section(attachment: Attachment, owner_label: str) -> str:
    if attachment.document_number:
        return ArchiveKind.DOCUMENT.label
    if "approval" in owner_label:
        return ArchiveKind.APPROVAL.label
    return ArchiveKind.RECORD.label


def folder(subject: CorrectionSubject) -> Folder:
    """The subject's archive folder (the caller loaded `subject` through access)."""
    entries: list[FolderEntry] = []
    filed_attachments = set()
    for item in subject.archive_items.select_related("attachment").order_by("filed_on", "id"):
        if item.attachment_id:
            filed_attachments.add(item.attachment_id)
        entries.append(
            FolderEntry(
                ArchiveKind(item.kind).label,
                item.title,
                item.filed_on,
                item.attachment,
                item,
                source="归档",
            )
        )
    owners = {subject._meta.label_lower: [str(subject.pk)]}
    records = []
    for model in _subject_models():
        ids = [str(pk) for pk in model._default_manager.filter(subject=subject).values_list("pk", flat=True)]
        if ids:
            records.append((str(model._meta.verbose_name), len(ids)))
            owners[model._meta.label_lower] = ids
    for label, ids in owners.items():
        for attachment in Attachment.objects.filter(owner_type=label, owner_id__in=ids).order_by(
            "created_at", "id"
        ):
            if attachment.pk in filed_attachments:
                continue
            entries.append(
                FolderEntry(
                    _section(attachment, label),
                    attachment.purpose or attachment.original_name,
                    timezone.localtime(attachment.created_at).date(),
                    attachment,
                    source=str(apps.get_model(label)._meta.verbose_name),
                )
            )
    entries.sort(key=lambda e: (e.day or datetime.date.min, e.title))
    return Folder(subject, entries, records)


def retain_until(subject: CorrectionSubject) -> datetime.date:
    """Kept for rules.ARCHIVE_RETENTION_YEARS after release or termination (or after the term's planned end)."""
    end = subject.released_on or subject.ends_on
    years = rules.ARCHIVE_RETENTION_YEARS.value
    try:
        return end.replace(year=end.year + years)
    except ValueError:  # 29 February
        return end.replace(year=end.year + years, day=28)


def restart_retention(subject: CorrectionSubject) -> int:
    """Count the retention from the actual release or termination (a sub-step of that service)."""
    until = retain_until(subject)
    items = list(subject.archive_items.filter(disposed_on__isnull=True).exclude(retain_until=until))
    for item in items:
        item.retain_until = until
        item.save(update_fields=["retain_until", "updated_at"])
    return len(items)


def _require_change(subject: CorrectionSubject, actor) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not access.can(actor, "change", subject)
    ):
        raise PermissionDenied("您不能为该社区矫正对象归档")


@transaction.atomic
def file_item(
    subject: CorrectionSubject,
    *,
    actor,
    kind: str,
    title: str,
    content: str = "",
    file=None,
    filename: str = "",
) -> ArchiveItem:
    """File one item (a judgment, a record …) in the subject's folder, with its retention date."""
    _require_change(subject, actor)
    access.require(actor, "add", ArchiveItem)
    if kind not in ArchiveKind.values:
        raise ValidationFailed("请选择材料类别", fields={"kind": ["请选择材料类别"]})
    title = str(title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(
            "请填写材料名称（不超过200字）", fields={"title": ["请填写材料名称（不超过200字）"]}
        )
    content = str(content or "").strip()
    if file is None and not content:
        raise ValidationFailed("请上传文件或填写内容", fields={"content": ["请上传文件或填写内容"]})
    with audit.operation(CorrectionAuditEvent.ARCHIVE_ITEM_ADDED, obj=audit.NEW, actor=actor, detail=title):
        stored = None
        if file is not None:
            stored = attachments.store_attachment(
                file, actor=actor, owner=subject, filename=filename or None, purpose=title[:64]
            )
        return ArchiveItem.objects.create(
            subject=subject,
            kind=kind,
            title=title,
            content=content,
            attachment=stored,
            filed_on=timezone.localdate(),
            filed_by=actor,
            retain_until=retain_until(subject),
        )


def file_generated(subject: CorrectionSubject, *, attachment: Attachment, title: str, actor) -> ArchiveItem:
    """File a document another service just generated (a sub-step of that service's operation)."""
    return ArchiveItem.objects.create(
        subject=subject,
        kind=ArchiveKind.DOCUMENT,
        title=title,
        attachment=attachment,
        filed_on=timezone.localdate(),
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        retain_until=retain_until(subject),
    )


def _purpose_for(subject: CorrectionSubject, purpose: str) -> str:
    purpose = str(purpose or "").strip()
    if subject.is_minor and not purpose:
        message = (
            "未成年社区矫正对象的档案信息不得提供给任何单位或者个人；"
            f"司法机关办案需要或者依国家规定查询的，请填写查询事由（{rules.MINOR_RECORDS_CONFIDENTIAL.citation}）"
        )
        raise ValidationFailed(message, fields={"purpose": [message]})
    return purpose[:200]


def _record_export(subject, *, actor, fmt: str, purpose: str, count: int) -> None:
    audit.record(
        CorrectionAuditEvent.ARCHIVE_EXPORTED,
        obj=subject,
        actor=actor,
        detail=f"导出矫正档案（{fmt}，{count}项）" + (f"：{purpose}" if purpose else ""),
    )


def _index(found: Folder) -> list[dict]:
    return [
        {
            "section": e.section,
            "title": e.title,
            "day": e.day.isoformat() if e.day else "",
            "file": e.attachment.original_name if e.attachment else "",
            "sha256": e.attachment.sha256 if e.attachment else "",
            "source": e.source,
        }
        for e in found.entries
    ]


@transaction.atomic
def export_zip(subject: CorrectionSubject, *, actor, purpose: str = "") -> bytes:
    """The folder as a ZIP: an index (JSON with every file's SHA-256), the filed texts and every file."""
    purpose = _purpose_for(subject, purpose)
    found = folder(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        index = {
            "subject": {"number": subject.number, "name": subject.name},
            "exported_at": timezone.now().isoformat(),
            "purpose": purpose,
            "records": dict(found.records),
            "items": _index(found),
        }
        archive.writestr("目录.json", json.dumps(index, ensure_ascii=False, indent=2))
        for n, entry in enumerate(found.entries, start=1):
            if entry.attachment is not None:
                try:
                    data = attachments.read_bytes(entry.attachment)
                except (FileNotFoundError, OSError):
                    continue
                archive.writestr(f"{n:03d}-{entry.attachment.original_name}", data)
            elif entry.item is not None and entry.item.content:
                archive.writestr(f"{n:03d}-{entry.title}.txt", entry.item.content)
    _record_export(subject, actor=actor, fmt="ZIP", purpose=purpose, count=len(found.entries))
    return buffer.getvalue()


@transaction.atomic
def export_pdf(subject: CorrectionSubject, *, actor, purpose: str = "") -> bytes:
    """The folder as one PDF: a cover with the index and the filed texts, then the pages of every PDF in it."""
    purpose = _purpose_for(subject, purpose)
    found = folder(subject)
    cover = documents.render_pdf(
        "correction_archive_bundle",
        {"subject": subject, "folder": found, "purpose": purpose, "exported_at": timezone.localtime()},
    )
    pdfs = [
        e.attachment
        for e in found.entries
        if e.attachment is not None and e.attachment.content_type == "application/pdf"
    ]
    data = _merge(cover, pdfs)
    _record_export(subject, actor=actor, fmt="PDF", purpose=purpose, count=len(found.entries))
    return data


def _merge(cover: bytes, pdfs) -> bytes:
    import pypdfium2 as pdfium

    bundle = pdfium.PdfDocument(cover)
    for attachment in pdfs:
        try:
            part = pdfium.PdfDocument(attachments.read_bytes(attachment))
        except (FileNotFoundError, OSError, pdfium.PdfiumError):
            continue
        bundle.import_pages(part)
    out = io.BytesIO()
    bundle.save(out)
    return out.getvalue()


@transaction.atomic
def dispose_expired_items(*, actor=None, today: datetime.date | None = None) -> int:
    """到期处置: items past their retention date are marked disposed (the record stays, so the trail is kept)."""
    today = today or timezone.localdate()
    due = list(
        ArchiveItem.objects.filter(retain_until__lt=today, disposed_on__isnull=True).select_related("subject")
    )
    for item in due:
        with audit.operation(CorrectionAuditEvent.ARCHIVE_DISPOSED, obj=item, actor=actor):
            item.disposed_on = today
            item.save(update_fields=["disposed_on", "updated_at"])
    return len(due)
