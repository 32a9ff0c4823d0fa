"""Access-matrix subjects of case handling (办案, helper H2): a case of the own organisation with its party, a piece
of evidence, a payment and a generated document (imported by tests/enforcement/matrix.py). The matrix then calls
every case, party, evidence, payment and document route as other organisations of the county, the peer county,
the city above, the town below and the province: only the own organisation and the county's supervisors read."""

from smartjustice.core import access
from smartjustice.core.models import AuditEntry
from tests.enforcement import case_makers
from tests.harness.registry import subject


def _reads_trail_of(user, record) -> bool:
    # The jurisdiction's auditors read the audit trail, which names a case and its documents (number and cause,
    # no personal data): the entry's own access decides that, not the case's.
    entry = AuditEntry.objects.filter(
        object_id=str(record.pk), object_repr__contains=str(record)[:40]
    ).first()
    return entry is not None and access.can(user, "view", entry)


def _sees_case(user, case) -> bool:
    return access.can(user, "view", case) or _reads_trail_of(user, case)


def _case(world):
    return case_makers.case(world.own, cause="MXCASE 未按规定明码标价", party_obj=_party(world))


def _party(world):
    return world.objects.get("enforcement.party") or case_makers.party(world.own, name="MXPARTY 天河测试商行")


def _document(world):
    from smartjustice.enforcement import documents
    from smartjustice.enforcement.choices import CaseDocumentKind

    case = world.get("enforcement.case")
    officer = world.staff(world.own, "enforcement_officer")
    generated = documents.generate_case_document(case, CaseDocumentKind.FILING_APPROVAL, actor=officer)
    return generated.pdf


subject(
    "enforcement.party",
    make=_party,
    routes=("/api/v1*enforcement/parties/{party_id}*", "/enforcement/parties/<int:pk>/*"),
    params=lambda p: {"party_id": p.pk, "pk": p.pk},
    marker=lambda p: (
        p.id_number
    ),  # the full number: masked even for who may see the party, never shown outside
    # POST …/reveal answers the party unmasked (logged) to whoever may view its personal information; it changes
    # nothing, so the matrix counts it as that reader's right rather than a write.
    writable=lambda user, p: access.can(user, "change", p) or access.may_view_pii(user, p),
    order=110,
)
subject(
    "enforcement.case",
    make=_case,
    routes=("/api/v1*enforcement/cases/{case_id}*", "/enforcement/cases/<int:pk>/*"),
    params=lambda c: {"case_id": c.pk, "pk": c.pk, "name": "not_file"},
    marker=lambda c: c.cause,
    visible=_sees_case,
    order=120,
)
subject(
    "enforcement.case_evidence",
    make=lambda w: case_makers.evidence(w.get("enforcement.case"), title="MXEVIDENCE 现场检查笔录"),
    routes=("/api/v1*enforcement/evidence/{evidence_id}*",),
    params=lambda e: {"evidence_id": e.pk},
    marker=lambda e: e.title,
    order=130,
)
subject(
    "enforcement.case_payment",
    make=lambda w: case_makers.payment(w.own, receipt_number="MXRECEIPT-0001"),
    routes=("/api/v1*enforcement/payments/{payment_id}*",),
    params=lambda p: {"payment_id": p.pk},
    marker=lambda p: p.receipt_number,
    order=130,
)
subject(
    "enforcement.case_document",
    make=_document,
    routes=(
        "/api/v1*enforcement/cases/{case_id}/documents/{attachment_id}*",
        "/enforcement/cases/<int:pk>/files/<int:attachment_id>/*",
    ),
    params=lambda a: {"case_id": int(a.owner_id), "pk": int(a.owner_id), "attachment_id": a.pk},
    marker=lambda a: a.document_number,
    visible=lambda user, a: _sees_case(user, a.owner_object()),
    writable=lambda user, a: access.can(user, "change", a.owner_object()),
    order=140,
)
