"""Demo data of daily supervision (helper B): a month of check-ins (粤矫通、当面、电话), officers' talks and visits for
every demo subject under correction, a few subjects left overdue so the missed-report job raises their alerts.
Created through the services with the demo accounts as actors; a second run creates nothing."""

from __future__ import annotations

import datetime
import struct
import zlib

from django.core.files.base import ContentFile
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.errors import DomainError
from smartjustice.core.models import User

from . import reporting
from .choices import UNDER_CORRECTION
from .models import CheckIn, CorrectionSubject

# Town (司法所) staff first: a subject entrusted to a station is handled there; the county's staff otherwise.
STAFF = ("ws_correction", "bj_correction", "th_correction", "yx_correction", "lc_correction", "gz_correction")

REPORTS = (
    "本周在单位正常上班，下班后回家，无外出。",
    "近期在家照顾老人，参加了社区组织的公益活动。",
    "本月按时参加法治教育学习，思想稳定。",
    "工作单位调整了班次，仍在本区上班，特此报告。",
)


def _photo(seed: int) -> ContentFile:
    """A tiny PNG (a stand-in for the live photo the phone takes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = bytes([0, (seed * 53) % 256, (seed * 97) % 256, 180])
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )
    return ContentFile(png, name=f"demo-check-in-{seed}.png")


def _officer(subject: CorrectionSubject, staff: list[User]) -> User | None:
    return next((user for user in staff if access.may_act_in(user, subject.jurisdiction_id)), None)


def _when(now: datetime.datetime, days: float, subject: CorrectionSubject) -> datetime.datetime | None:
    """`days` ago, unless that is before the subject's intake (then nothing is recorded)."""
    at = now - datetime.timedelta(days=days)
    return at if timezone.localtime(at).date() >= subject.intake_on else None


def _history(subject: CorrectionSubject, officer: User, n: int, now: datetime.datetime) -> int:
    """One subject's month: oldest first, so each check-in meets the due time the one before it set."""
    created = 0
    report = REPORTS[n % len(REPORTS)]
    steps = [
        (26, "in_person", "到司法所当面报到。" + report),
        (20, "talk", "个别谈话：了解其近期思想、工作和家庭情况，表示会遵守监督管理规定。"),
        (12, "visit", "实地查访居住地：家属在家，反映其近期表现良好（查访时未向邻居透露其身份）。"),
    ]
    kind = n % 4
    if kind == 0:
        steps.append((1.2, "in_person", "当面报到。" + report))
    elif kind == 1:
        steps.append((3, "phone_call", "电话报告：" + report))
    elif kind == 3:
        steps.append((6, "in_person", "当面报到。" + report))
    # kind 2: nothing after the first report (a strict or ordinary level becomes overdue: the job raises an alert)
    for days, what, text in steps:
        at = _when(now, days, subject)
        if at is None:
            continue
        try:
            if what in ("talk", "visit"):
                place = "天河区五山街道司法所" if what == "talk" else "居住地社区"
                reporting.record_supervision(
                    subject, actor=officer, kind=what, occurred_at=at, summary=text, place=place
                )
            else:
                reporting.check_in(subject, actor=officer, channel=what, checked_at=at, report=text)
        except DomainError:
            continue  # e.g. an intake date the demo subjects leave no room for
        created += 1
    if kind == 0 and subject.account_id:
        reporting.check_in(
            subject,
            actor=subject.account,
            channel="app",
            latitude=23.13 + n * 0.001,
            longitude=113.33 + n * 0.001,
            accuracy_m=12,
            photo=_photo(n),
            report="粤矫通报到：" + report,
        )
        created += 1
    return created


def load_demo() -> int:
    """Check-ins, talks and visits of the demo subjects (DEMO-…), then the missed-report sweep. Idempotent."""
    subjects = list(
        CorrectionSubject.objects.filter(number__startswith="DEMO-", status__in=UNDER_CORRECTION)
        .select_related("account")
        .order_by("number")
    )
    if not subjects or CheckIn.objects.filter(subject__in=subjects).exists():
        return 0
    from smartjustice.hub import services as hub
    from smartjustice.hub.models import Dataset

    if not Dataset.objects.filter(code=reporting.HUB_DATASET).exists():
        hub.load_catalogue()
    by_name = {user.username: user for user in User.objects.filter(username__in=STAFF, is_active=True)}
    staff = [by_name[name] for name in STAFF if name in by_name]
    now = timezone.now()
    created = 0
    for n, subject in enumerate(subjects):
        officer = _officer(subject, staff)
        if officer is None:
            continue
        created += _history(subject, officer, n, now)
    return created + reporting.flag_missed_reports(now)
