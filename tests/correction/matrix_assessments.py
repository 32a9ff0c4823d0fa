"""Access-matrix subjects of 社区矫正 — part: assessments and sanctions (helper E).

The records belong to the subject whose 粤矫通 account is the world's own citizen (correction.app_subject, 天河区,
executed by the own organisation): correction staff of 天河区 and above read them, the subject reads their own, a
town's 司法所 staff do not (the subject is executed by the county); no one else sees them."""

import itertools

from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.models import AuditEntry
from smartjustice.correction import conduct_documents
from tests.correction import conduct_makers
from tests.harness.registry import subject

_months = itertools.count(1)


def _reads_trail_of(user, record) -> bool:
    # The jurisdiction's auditors read the audit trail, which names a generated document by title and number.
    entry = AuditEntry.objects.filter(object_id=str(record.pk), object_type__contains="sanction").first()
    return entry is not None and access.can(user, "view", entry)


def _sanction(world):
    return conduct_makers.sanction(
        world.own, subject=world.get("correction.app_subject"), facts="MXSANCTION 无正当理由未按时报告两次"
    )


def _document(world):
    sanction = world.get("correction.sanction")
    officer = world.staff(world.own, "correction_officer")
    return conduct_documents.generate_sanction_document(sanction, actor=officer).pdf


def _assessment(world):
    # One per month of the same subject (unique per subject, kind and period): each call takes an earlier month.
    n = next(_months)
    first = timezone.localdate().replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - n, 12)
    return conduct_makers.assessment(
        world.own,
        subject=world.get("correction.app_subject"),
        period=f"{year:04d}-{month + 1:02d}",
        note="MXASSESSMENT 表现良好，按时报告",
    )


subject(
    "correction.assessment",
    make=_assessment,
    routes=("/api/v1*correction/assessments/{assessment_id}*", "/correction/assessments/<int:pk>/*"),
    params=lambda a: {"assessment_id": a.pk, "pk": a.pk},
    marker=lambda a: a.note,
    order=160,
)
subject(
    "correction.sanction",
    make=_sanction,
    routes=("/api/v1*correction/sanctions/{sanction_id}*", "/correction/sanctions/<int:pk>/*"),
    params=lambda s: {"sanction_id": s.pk, "pk": s.pk, "name": "submit"},
    marker=lambda s: s.facts,
    order=160,
)
subject(
    "correction.sanction_document",
    make=_document,
    routes=(
        "/api/v1*correction/sanctions/{sanction_id}/documents/{attachment_id}*",
        "/correction/sanctions/<int:pk>/files/<int:attachment_id>/*",
    ),
    params=lambda a: {"sanction_id": int(a.owner_id), "pk": int(a.owner_id), "attachment_id": a.pk},
    marker=lambda a: a.document_number,
    visible=lambda user, a: (
        access.can(user, "view", a.owner_object()) or _reads_trail_of(user, a.owner_object())
    ),
    writable=lambda user, a: access.can(user, "change", a.owner_object()),
    order=170,
)
