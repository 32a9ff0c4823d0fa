"""Access-matrix subjects of 社区矫正 — part: subjects, contacts, 矫正小组, transfers, archives (helper A).

Every record lies in 天河区 with the own organisation as the executing agency: correction staff of 天河区 and above
read them, a town's 司法所 staff do not (these subjects are executed by the county, not entrusted to the 街道). The
transfer goes from the own organisation to 乐昌市: the sending organisation and the jurisdictions above 乐昌市 see it,
only a head there (the province in the matrix) may decide it."""

import itertools

from smartjustice.core import access
from smartjustice.correction import archives
from tests.correction import makers
from tests.correction import subject_makers as records
from tests.harness.registry import subject

_serial = itertools.count(1)  # the query budgets make more than one of each
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _subject(world):
    return makers.subject(world.own, name="MX矫正对象", number=f"MXSUBJECT-{next(_serial):04d}")


def _filed(world):
    person = world.get("correction.subject")
    officer = world.staff(world.own, "correction_officer")
    return archives.file_item(
        person,
        actor=officer,
        kind="judgment",
        title="MXJUDGMENT 刑事判决书",
        file=PDF,
        filename="mx-judgment.pdf",
    )


def _transfer(world):
    moving = makers.subject(
        world.own, name="MX迁居对象", number=f"MXTRANSFER-{next(_serial):04d}", status="transferring"
    )
    return records.transfer(world.own, subject=moving, reason="MXTRANSFER 迁居至乐昌市")


subject(
    "correction.subject",
    make=_subject,
    routes=("/api/v1*correction/subjects/{subject_id}*", "/correction/subjects/<int:pk>/*"),
    params=lambda s: {"subject_id": s.pk, "pk": s.pk},
    marker=lambda s: s.number,
    # POST …/reveal answers the record unmasked (logged) to whoever may view its personal information; it changes
    # nothing, so it counts as that reader's right rather than a write.
    writable=lambda user, s: access.can(user, "change", s) or access.may_view_pii(user, s),
    order=140,
)
subject(
    "correction.subject_contact",
    make=lambda w: records.contact(w.own, subject=w.get("correction.subject"), name="MXCONTACT 家属"),
    routes=("/api/v1*correction/subject-contacts/{contact_id}*",),
    params=lambda c: {"contact_id": c.pk},
    marker=lambda c: c.name,
    order=150,
)
subject(
    "correction.group_member",
    make=lambda w: records.group_member(w.own, subject=w.get("correction.subject"), name="MXMEMBER 社工"),
    routes=("/api/v1*correction/group-members/{member_id}*",),
    params=lambda m: {"member_id": m.pk},
    marker=lambda m: m.name,
    order=150,
)
subject(
    "correction.archive_item",
    make=_filed,
    routes=(
        "/api/v1*correction/archive-items/{item_id}*",
        "/api/v1*correction/subjects/{subject_id}/files/{attachment_id}*",
        "/correction/subjects/<int:pk>/files/<int:attachment_id>/*",
    ),
    params=lambda i: {
        "item_id": i.pk,
        "subject_id": i.subject_id,
        "pk": i.subject_id,
        "attachment_id": i.attachment_id,
    },
    marker=lambda i: i.title,
    order=150,
)
subject(
    "correction.transfer",
    make=_transfer,
    routes=("/api/v1*correction/transfers/{transfer_id}*", "/correction/transfers/<int:pk>/*"),
    params=lambda t: {"transfer_id": t.pk, "pk": t.pk, "name": "refuse"},
    marker=lambda t: t.reason,
    order=150,
)
