"""Access-matrix subjects of 执法监督 (the harness imports tests/<app>/matrix.py)."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from smartjustice.core import access, attachments
from tests.harness.registry import subject
from tests.supervision import makers

_serial = itertools.count(1)  # the query-budget test makes more of each


def _flag(world):
    number = f"MXSVFLAG-{next(_serial):04d}"
    return makers.flag(world.own, case=makers.case(world.own.organisation, number=number))


def _sees_record_or_case(user, record) -> bool:
    # The marker is the case's number, which everyone who may see the case reads on the case pages and the
    # workbench: it leaks the flag or review only to someone who may see neither.
    return access.can(user, "view", record) or access.can(user, "view", record.case)


def _order(world):
    return makers.order(world.own, case_number=f"MXSVORDER-{next(_serial):04d}")


def _order_file(world):
    order = world.get("supervision.order")
    upload = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4\n% MXSVFILE\n", content_type="application/pdf")
    return attachments.store_attachment(upload, actor=order.issued_by, owner=order, purpose="整改材料")


subject(
    "supervision.flag",
    make=_flag,
    routes=("/api/v1/supervision/flags/{flag_id}*", "/supervision/flags/<int:pk>/*"),
    params=lambda f: {"flag_id": f.pk, "pk": f.pk},
    marker=lambda f: f.case.number,
    visible=_sees_record_or_case,
    order=40,
)
subject(
    "supervision.order",
    make=_order,
    routes=("/api/v1/supervision/orders/{order_id}*", "/supervision/orders/<int:pk>/*"),
    params=lambda o: {"order_id": o.pk, "pk": o.pk, "name": "reply"},
    marker=lambda o: o.number,
    order=40,
)
subject(
    "supervision.order_file",
    make=_order_file,
    routes=("/supervision/orders/<int:pk>/attachments/<int:attachment_id>/",),
    params=lambda a: {"attachment_id": a.pk, "pk": a.owner_id},
    visible=lambda user, a: access.can(user, "view", a.owner_object()),
    writable=lambda user, a: False,
    order=50,
)
subject(
    "supervision.review",
    make=lambda w: makers.review(w.own, case_number=f"MXSVREVIEW-{next(_serial):04d}"),
    routes=("/api/v1/supervision/reviews/{review_id}*", "/supervision/reviews/<int:pk>/*"),
    params=lambda r: {"review_id": r.pk, "pk": r.pk},
    marker=lambda r: r.case.number,
    visible=_sees_record_or_case,
    order=40,
)
