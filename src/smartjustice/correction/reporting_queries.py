"""Every read of daily supervision, already restricted by core.access (pages and API share these)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.models import Jurisdiction

from .alerts import OPEN_STATES
from .choices import UNDER_CORRECTION
from .models import CheckIn, CorrectionAlert, CorrectionSubject, SupervisionRecord

TIMELINE_LIMIT = 200


def _region(qs, region: str, path: str = "subject__jurisdiction_id"):
    """Records in the division `region` and below (a 12-digit code)."""
    if not region:
        return qs
    place = Jurisdiction.objects.filter(code=region).first()
    if place is None:
        return qs.none()
    low, high = place.bounds()
    return qs.filter(**{f"{path}__gte": low, f"{path}__lte": high})


def _period(qs, field: str, since, until):
    if since:
        qs = qs.filter(**{f"{field}__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__lte": until})
    return qs


def _search(qs, q: str):
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(Q(subject__name__contains=q) | Q(subject__number__contains=q))


def get_subject_for(user, pk, *, action: str = "view") -> CorrectionSubject:
    """A subject the user may act on (NotFound for missing and forbidden alike)."""
    qs = CorrectionSubject.objects.select_related("agency", "station", "jurisdiction")
    return access.get_for(user, qs, pk, action)


def list_check_ins(
    user,
    *,
    action: str = "view",
    subject: int | None = None,
    channel: str = "",
    late: bool | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    region: str = "",
    q: str = "",
):
    """Check-ins the user may see (staff: their jurisdiction; a subject: their own), newest first."""
    qs = CheckIn.objects.restrict(user, action).select_related("subject", "recorded_by")
    if subject:
        qs = qs.filter(subject_id=subject)
    if channel:
        qs = qs.filter(channel=channel)
    if late is not None:
        qs = qs.filter(late=late)
    qs = _period(qs, "checked_at", since, until)
    qs = _search(_region(qs, region), q)
    return qs.order_by("-checked_at", "-id")


def get_check_in_for(user, pk, *, action: str = "view") -> CheckIn:
    qs = CheckIn.objects.select_related("subject", "subject__agency", "recorded_by", "photo")
    return access.get_for(user, qs, pk, action)


def list_supervision_records(
    user,
    *,
    action: str = "view",
    subject: int | None = None,
    kind: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    region: str = "",
    q: str = "",
):
    qs = SupervisionRecord.objects.restrict(user, action).select_related("subject", "officer")
    if subject:
        qs = qs.filter(subject_id=subject)
    if kind:
        qs = qs.filter(kind=kind)
    qs = _period(qs, "occurred_at", since, until)
    qs = _search(_region(qs, region), q)
    return qs.order_by("-occurred_at", "-id")


def get_supervision_record_for(user, pk, *, action: str = "view") -> SupervisionRecord:
    qs = SupervisionRecord.objects.select_related("subject", "subject__agency", "officer")
    return access.get_for(user, qs, pk, action)


def overdue_subjects(user, *, now: datetime.datetime | None = None):
    """Subjects under correction whose report is overdue (the workbench tile), most overdue first."""
    now = now or timezone.now()
    return (
        CorrectionSubject.objects.restrict(user, "view")
        .filter(status__in=UNDER_CORRECTION, next_report_due_at__lt=now)
        .order_by("next_report_due_at", "pk")
    )


@dataclass
class TimelineItem:
    """One event in a subject's supervision timeline (check-in, visit/talk, alert)."""

    at: datetime.datetime
    kind: str  # check_in / supervision / alert
    kind_label: str
    title: str
    detail: str
    record_id: int
    url: str
    flag: str = ""  # late / overdue / open …


def _url(name: str, pk: int) -> str:
    return reverse(f"correction:{name}", args=[pk])


def timeline(user, subject: CorrectionSubject, *, limit: int = TIMELINE_LIMIT) -> list[TimelineItem]:
    """A subject's check-ins, officers' records and alerts, newest first (each list read through restrict)."""
    items: list[TimelineItem] = []
    for c in list_check_ins(user, subject=subject.pk)[:limit]:
        items.append(
            TimelineItem(
                c.checked_at,
                "check_in",
                "报到",
                c.get_channel_display(),
                (c.report or "")[:200],
                c.pk,
                _url("check-in-detail", c.pk),
                "late" if c.late else "",
            )
        )
    for r in list_supervision_records(user, subject=subject.pk)[:limit]:
        items.append(
            TimelineItem(
                r.occurred_at,
                "supervision",
                "监管记录",
                r.get_kind_display(),
                r.summary[:200],
                r.pk,
                _url("visit-detail", r.pk),
                "" if r.findings_ok else "finding",
            )
        )
    alerts = CorrectionAlert.objects.restrict(user, "view").filter(subject=subject).order_by("-started_at")
    for a in alerts[:limit]:
        try:
            url = a.get_absolute_url()
        except NoReverseMatch:  # the alert pages (helper D) not installed yet
            url = ""
        items.append(
            TimelineItem(
                a.started_at,
                "alert",
                "预警",
                a.get_kind_display(),
                a.why,
                a.pk,
                url,
                "open" if a.status in OPEN_STATES else a.status,
            )
        )
    items.sort(key=lambda item: (item.at, item.record_id), reverse=True)
    return items[:limit]


def overdue_tile(user):
    """The workbench tile 未按时报告: subjects whose report is overdue, most overdue first."""
    from smartjustice.core.modules import TileContent, TodoItem

    qs = overdue_subjects(user)
    first = list(qs.select_related(None)[:5])
    items = tuple(
        TodoItem(
            title=f"{s.name}（{s.number}）",
            href=reverse("correction:subject-supervision", args=[s.pk]),
            due_on=timezone.localtime(s.next_report_due_at).date(),
            due_label="报告截止",
            status="已逾期",
        )
        for s in first
    )
    return TileContent(
        qs.count(), items, href=reverse("correction:check-in-list"), empty="没有逾期未报告的社区矫正对象"
    )


@dataclass
class ReceiptKey:
    """A public key a receipt verifier pins: what it is, its algorithm, fingerprint and base64 value."""

    label: str
    algorithm: str
    key_id: str
    public_key: str
    status: str


def receipt_keys() -> list[ReceiptKey]:
    """The platform's signing keys and the check-in log's checkpoint keys (retired ones too: older receipts were
    signed with them). Public data; read only (nothing is created for a page view)."""
    import base64

    from smartjustice.ledger.models import SigningKey

    from .receipts import LEDGER_LOG

    rows = SigningKey.objects.filter(Q(organisation__isnull=True, log__isnull=True) | Q(log__name=LEDGER_LOG))
    return [
        ReceiptKey(
            "报到存证日志公钥（--ledger-key）" if key.log_id else "平台签名公钥（--platform-key）",
            key.algorithm,
            key.key_id,
            base64.b64encode(bytes(key.public_key)).decode(),
            key.get_status_display(),
        )
        for key in rows.order_by("log_id", "-created_at", "-id")
    ]
