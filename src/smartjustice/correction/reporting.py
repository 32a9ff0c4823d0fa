"""Every write of daily supervision: check-ins (报到) with their ledger entry and receipt, officers' visits and talks,
and the missed-report sweep the periodic job runs. One audit.operation each; notifications leave after commit."""

from __future__ import annotations

import datetime
import math

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from smartjustice.core import access, attachments, audit, notifications
from smartjustice.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import alerts, receipts, rules
from .choices import UNDER_CORRECTION, AlertKind, CorrectionAuditEvent
from .models import CheckIn, CheckInChannel, CorrectionAlert, CorrectionSubject, SupervisionRecord
from .models.reporting import SupervisionRecordKind

HUB_DATASET = "correction.daily_report"
# The catalogue's kinds (hub/data/catalogue.json, correction.daily_report): a report from the phone is located
# (电子定位); at the station's kiosk or before an officer it is made in person; a call is a phone report.
HUB_KIND = {
    CheckInChannel.APP: "电子定位",
    CheckInChannel.KIOSK: "当面报到",
    CheckInChannel.IN_PERSON: "当面报到",
    CheckInChannel.PHONE_CALL: "电话报告",
}
HUB_RECORD_KIND = {
    SupervisionRecordKind.VISIT: "当面报到",
    SupervisionRecordKind.TALK: "当面报到",
    SupervisionRecordKind.PHONE: "电话报告",
}
PHOTO_PURPOSE = "报到照片"
PHOTO_TYPES = ("jpg", "jpeg", "png")
MAX_REPORT = 2000
MAX_ACCURACY_M = 10_000
# Check-ins an officer records afterwards (当面、电话) may be dated back this far; the app and kiosk use the clock.
BACKDATE_DAYS = 31


# --- schedules ---------------------------------------------------------------------------------------------------


def schedule_days(subject: CorrectionSubject) -> int:
    """How often the subject reports, in days, by supervision level (rules.REPORTING_SCHEDULES)."""
    schedules = rules.REPORTING_SCHEDULES.value
    return schedules.get(subject.level, schedules["ordinary"])


def next_due(subject: CorrectionSubject, *, after: datetime.datetime) -> datetime.datetime:
    """The end (23:59:59 local time) of the day `schedule_days` after `after`: when the next report is due."""
    if timezone.is_naive(after):
        after = timezone.make_aware(after)
    day = timezone.localtime(after).date() + datetime.timedelta(days=schedule_days(subject))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


# --- check-ins ---------------------------------------------------------------------------------------------------


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _is_subject(actor, subject: CorrectionSubject) -> bool:
    return bool(getattr(actor, "pk", None)) and subject.account_id == actor.pk


def _require_staff(actor, subject: CorrectionSubject, perm: str, what: str) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    if not access.may(actor, perm) or not access.may_act_in(actor, subject.jurisdiction_id):
        raise PermissionDenied(f"您不能为本辖区以外的社区矫正对象{what}")


def _location(latitude, longitude, accuracy_m) -> tuple[float | None, float | None, float | None]:
    if latitude is None and longitude is None:
        if accuracy_m is not None:
            raise _fail("accuracy_m", "没有位置时不能填写定位精度")
        return None, None, None
    if latitude is None or longitude is None:
        raise _fail("latitude", "请同时提供经度和纬度")
    try:
        latitude, longitude = float(latitude), float(longitude)
        accuracy = None if accuracy_m is None else float(accuracy_m)
    except (TypeError, ValueError):
        raise _fail("latitude", "经纬度应为数字") from None
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise _fail("latitude", "纬度应在 -90 至 90 之间")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise _fail("longitude", "经度应在 -180 至 180 之间")
    if accuracy is not None and not (math.isfinite(accuracy) and 0 <= accuracy <= MAX_ACCURACY_M):
        raise _fail("accuracy_m", f"定位精度应在 0 至 {MAX_ACCURACY_M} 米之间")
    return latitude, longitude, accuracy


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight (local time) at the start of `day` (compared with aware times without converting them: a far-off
    time in a far-off zone cannot be converted to local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _checked_at(channel: str, checked_at, subject, now: datetime.datetime) -> datetime.datetime:
    if checked_at is None or channel in (CheckInChannel.APP, CheckInChannel.KIOSK):
        return now
    if isinstance(checked_at, str):
        try:
            checked_at = datetime.datetime.fromisoformat(checked_at)
        except ValueError:
            raise _fail("checked_at", "报到时间格式无效") from None
    if timezone.is_naive(checked_at):
        checked_at = timezone.make_aware(checked_at)
    if checked_at > now + datetime.timedelta(minutes=5):
        raise _fail("checked_at", "报到时间不能晚于现在")
    if checked_at < now - datetime.timedelta(days=BACKDATE_DAYS):
        raise _fail("checked_at", f"只能补录 {BACKDATE_DAYS} 日内的报到")
    if checked_at < _start_of(subject.intake_on):
        raise _fail("checked_at", "报到时间不能早于入矫日期")
    return checked_at


def _identity_check_id(identity_check, subject: CorrectionSubject) -> int | None:
    if identity_check is None:
        return None
    if isinstance(identity_check, int):
        from .models import IdentityCheck

        identity_check = IdentityCheck.objects.filter(pk=identity_check).first()
        if identity_check is None:
            raise _fail("identity_check", "身份核验记录不存在")
    if identity_check.subject_id != subject.pk:
        raise _fail("identity_check", "身份核验记录不属于该社区矫正对象")
    if identity_check.passed is False:
        raise _fail("identity_check", "身份核验未通过，不能报到")
    return identity_check.pk


def _photo_name(photo) -> str:
    return str(getattr(photo, "name", "") or "photo.jpg")


def _receipt_facts(check_in: CheckIn, subject: CorrectionSubject, details: dict) -> dict:
    """What the ledger holds of a check-in: no name, no location, no text (only their salted digest)."""
    return {
        "type": receipts.LEDGER_KIND,
        "check_in": check_in.pk,
        "subject_number": subject.number,
        "agency": subject.agency.name,
        "channel": check_in.channel,
        "channel_label": check_in.get_channel_display(),
        "checked_at": check_in.checked_at.isoformat(),
        "due_at": check_in.due_at.isoformat() if check_in.due_at else None,
        "late": check_in.late,
        "next_due_at": check_in.next_due_at.isoformat() if check_in.next_due_at else None,
        "content_sha256": receipts.content_digest(details),
    }


def _receipt_details(check_in: CheckIn, subject: CorrectionSubject) -> dict:
    photo = check_in.photo
    return {
        "salt": receipts.new_salt(),
        "subject_name": subject.name,
        "report": check_in.report,
        "latitude": check_in.latitude,
        "longitude": check_in.longitude,
        "accuracy_m": check_in.accuracy_m,
        "photo_sha256": photo.sha256 if photo is not None else None,
        "photo_sm3": photo.sm3 if photo is not None else None,
        "identity_check": check_in.identity_check_id,
    }


def _record_in_ledger(check_in: CheckIn, subject: CorrectionSubject, actor) -> None:
    """Append the check-in to the ledger and make its receipt (the platform signs; the proof is bundled)."""
    from smartjustice.ledger import keys
    from smartjustice.ledger import services as ledger

    details = _receipt_details(check_in, subject)
    facts = _receipt_facts(check_in, subject, details)
    entry = ledger.append_entry(
        receipts.LEDGER_LOG, receipts.entry_payload(facts), kind=receipts.LEDGER_KIND, actor=actor
    )
    key, signature = keys.sign_as(None, receipts.signing_input(facts), algorithm="sm2")
    check_in.ledger_log = receipts.LEDGER_LOG
    check_in.ledger_index = entry.index
    check_in.ledger_entry_id = entry.pk
    check_in.receipt = receipts.assemble(
        receipt=facts,
        details=details,
        log=receipts.LEDGER_LOG,
        proof=ledger.proof_bundle(entry),
        algorithm=key.algorithm,
        public_key=bytes(key.public_key),
        signature=signature,
    )


def _close_missed_report(subject: CorrectionSubject, check_in: CheckIn) -> None:
    """The subject reported: an open missed-report alert ends here (the officer still records how it was
    handled; the evidence says when and how the subject reported)."""
    for alert in CorrectionAlert.objects.filter(
        subject=subject, kind=AlertKind.MISSED_REPORT, status__in=alerts.OPEN_STATES, ended_at__isnull=True
    ):
        evidence = dict(alert.evidence)
        evidence.update(
            {
                "reported_at": check_in.checked_at.isoformat(),
                "check_in": check_in.pk,
                "channel": check_in.get_channel_display(),
            }
        )
        alert.ended_at = check_in.checked_at
        alert.last_seen_at = max(alert.last_seen_at, check_in.checked_at)
        alert.evidence = evidence
        alert.save(update_fields=["ended_at", "last_seen_at", "evidence", "updated_at"])


def _publish(dataset_kind: str, *, key: str, subject: CorrectionSubject, at: datetime.datetime) -> None:
    from smartjustice.hub.services import publish

    publish(
        HUB_DATASET,
        record_key=key,
        data={"id_number": subject.id_number, "reported_at": at.isoformat(), "kind": dataset_kind},
        jurisdiction_code=subject.jurisdiction_id,
        subject_id_number=subject.id_number,
    )


@transaction.atomic
def check_in(
    subject: CorrectionSubject,
    *,
    actor,
    channel: str,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
    photo=None,
    report: str = "",
    identity_check=None,
    checked_at: datetime.datetime | None = None,
) -> CheckIn:
    """报到: record the subject's report, advance next_report_due_at by the level's schedule, end an open
    missed-report alert, append the check-in to the ledger (with the subject's receipt) and publish it to the hub.

    The subject reports from their own account through the app; staff of the executing jurisdiction record kiosk,
    in-person and phone reports (those two may be dated back: `checked_at`).
    """
    if channel not in CheckInChannel.values:
        raise _fail("channel", "报到方式无效")
    if _is_subject(actor, subject):
        if channel != CheckInChannel.APP:
            raise PermissionDenied("社区矫正对象只能通过粤矫通报到")
    else:
        _require_staff(actor, subject, "correction.add_checkin", "登记报到")
        if channel == CheckInChannel.APP:
            raise PermissionDenied("手机报到须由社区矫正对象本人通过粤矫通提交")
    latitude, longitude, accuracy_m = _location(latitude, longitude, accuracy_m)
    report = (report or "").strip()
    if len(report) > MAX_REPORT:
        raise _fail("report", f"情况报告最多 {MAX_REPORT} 字")
    if channel == CheckInChannel.APP and latitude is None:
        raise _fail("latitude", "手机报到须提供当前位置（请允许定位）")
    if channel == CheckInChannel.APP and photo is None and identity_check is None:
        raise _fail("photo", "手机报到须拍摄现场照片")
    if channel == CheckInChannel.PHONE_CALL and not report:
        raise _fail("report", "电话报告须记录通话内容")
    if photo is not None and _photo_name(photo).rsplit(".", 1)[-1].lower() not in PHOTO_TYPES:
        raise _fail("photo", "现场照片须为 JPG 或 PNG 图片")
    now = timezone.now()
    at = _checked_at(channel, checked_at, subject, now)
    identity_check_id = _identity_check_id(identity_check, subject)

    with audit.operation(CorrectionAuditEvent.CHECKED_IN, obj=audit.NEW, actor=actor):
        # The subject's row lock serialises check-ins of one subject with the missed-report sweep.
        locked = CorrectionSubject.objects.select_for_update().select_related("agency").get(pk=subject.pk)
        if locked.status not in UNDER_CORRECTION:
            raise _fail("subject", f"该对象{locked.get_status_display()}，不能报到")
        due = locked.next_report_due_at
        following = next_due(locked, after=at)
        record = CheckIn(
            subject=locked,
            channel=channel,
            checked_at=at,
            latitude=latitude,
            longitude=longitude,
            accuracy_m=accuracy_m,
            report=report,
            identity_check_id=identity_check_id,
            due_at=due,
            late=bool(due and at > due),
            next_due_at=following,
            recorded_by=actor,
        )
        record.save()
        if photo is not None:
            record.photo = attachments.store_attachment(
                photo, actor=actor, owner=record, filename=_photo_name(photo), purpose=PHOTO_PURPOSE
            )
        # The subject's latest report sets the next due time; one recorded afterwards for an earlier day (a phone
        # report entered late) changes nothing when a newer report exists.
        newer = CheckIn.objects.filter(subject=locked, checked_at__gt=at).exclude(pk=record.pk).exists()
        if not newer and locked.next_report_due_at != following:
            locked.next_report_due_at = following
            locked.save(update_fields=["next_report_due_at", "updated_at"])
        _close_missed_report(locked, record)
        _record_in_ledger(record, locked, actor)
        record.save(
            update_fields=["photo", "ledger_log", "ledger_index", "ledger_entry_id", "receipt", "updated_at"]
        )
        _publish(HUB_KIND[channel], key=f"check-in:{record.pk}", subject=locked, at=at)
    subject.next_report_due_at = locked.next_report_due_at
    return record


# --- visits and talks ----------------------------------------------------------------------------------------------


@transaction.atomic
def record_supervision(
    subject: CorrectionSubject,
    *,
    actor,
    kind: str,
    occurred_at: datetime.datetime | None = None,
    summary: str,
    place: str = "",
    participants: str = "",
    findings_ok: bool = True,
) -> SupervisionRecord:
    """An officer records a 走访、谈话、电话联系 or 信息化核查 (第二十六条第一款); a visit is written up without the
    subject's identity exposed to neighbours (第二款: the page reminds the officer)."""
    _require_staff(actor, subject, "correction.add_supervisionrecord", "登记监管记录")
    if kind not in SupervisionRecordKind.values:
        raise _fail("kind", "监管方式无效")
    summary = (summary or "").strip()
    if len(summary) < 2:
        raise _fail("summary", "请填写情况记录")
    if len(summary) > 5000:
        raise _fail("summary", "情况记录最多 5000 字")
    place, participants = (place or "").strip(), (participants or "").strip()
    if len(place) > 200 or len(participants) > 200:
        raise _fail("place" if len(place) > 200 else "participants", "最多 200 字")
    if kind == SupervisionRecordKind.VISIT and not place:
        raise _fail("place", "实地查访须填写地点")
    now = timezone.now()
    if occurred_at is None:
        occurred_at = now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + datetime.timedelta(minutes=5):
        raise _fail("occurred_at", "时间不能晚于现在")
    if occurred_at < _start_of(subject.intake_on):
        raise _fail("occurred_at", "时间不能早于入矫日期")
    if not subject.under_correction:
        raise _fail("subject", f"该对象{subject.get_status_display()}，不能再登记监管记录")
    with audit.operation(CorrectionAuditEvent.SUPERVISION_RECORDED, obj=audit.NEW, actor=actor):
        record = SupervisionRecord.objects.create(
            subject=subject,
            kind=kind,
            occurred_at=occurred_at,
            summary=summary,
            place=place,
            participants=participants,
            findings_ok=bool(findings_ok),
            officer=actor,
        )
        if kind in HUB_RECORD_KIND:
            _publish(HUB_RECORD_KIND[kind], key=f"supervision:{record.pk}", subject=subject, at=occurred_at)
    return record


# --- missed reports ------------------------------------------------------------------------------------------------


def _flag_one(subject_id: int, now: datetime.datetime) -> bool:
    """Raise the missed-report alert of one overdue subject, unless it was raised for this due time already.
    The subject's row is locked (skipped when another worker holds it): two workers never flag one subject twice."""
    with transaction.atomic():
        subject = (
            CorrectionSubject.objects.select_for_update(skip_locked=True)
            .filter(pk=subject_id, status__in=UNDER_CORRECTION, next_report_due_at__lt=now)
            .first()
        )
        if subject is None:
            return False
        due = subject.next_report_due_at
        # One alert per missed due time: its start is the due time itself, whatever became of it since (or, when
        # an alert still open from an earlier due time took this one in, its evidence names it).
        flagged = Q(started_at=due) | Q(evidence__due_at=due.isoformat())
        if CorrectionAlert.objects.filter(flagged, subject=subject, kind=AlertKind.MISSED_REPORT).exists():
            return False
        last = (
            CheckIn.objects.filter(subject=subject)
            .order_by("-checked_at")
            .values_list("checked_at", flat=True)
        )
        last_at = last.first()
        hours = int((now - due).total_seconds() // 3600)
        why = (
            f"超过报告截止时间 {timezone.localtime(due):%Y-%m-%d %H:%M} 未报告"
            + (f"（已逾期 {hours} 小时）" if hours else "")
            + f"；{subject.get_level_display()}每 {schedule_days(subject)} 日至少报告一次"
        )
        alerts.raise_alert(
            subject,
            kind=AlertKind.MISSED_REPORT,
            why=why,
            evidence={
                "due_at": due.isoformat(),
                "last_check_in_at": last_at.isoformat() if last_at else None,
                "schedule_days": schedule_days(subject),
                "level": subject.get_level_display(),
                "rule": str(rules.REPORTING_SCHEDULES.citation),
            },
            started_at=due,
            last_seen_at=now,
        )
        if subject.account_id:
            notifications.notify(
                subject.account,
                title="您已超过报告截止时间，请尽快报告",
                body=f"您的报告截止时间为 {timezone.localtime(due):%Y年%m月%d日 %H:%M}，"
                "请立即通过粤矫通报到或到司法所当面报告。未按规定报告的，社区矫正机构将依法处理。",
                link=_app_check_in_link(),
                category="correction",
            )
        return True


def _app_check_in_link() -> str:
    try:
        return reverse("correction:app-check-in")
    except NoReverseMatch:  # the subject app (helper H) not installed
        return ""


def flag_missed_reports(now: datetime.datetime | None = None, *, limit: int | None = None) -> int:
    """Raise one missed_report alert for each subject under correction whose report is overdue (the periodic job).

    Idempotent (one alert per missed due time, found by its start) and safe in two workers (row locks with SKIP
    LOCKED; each subject in its own transaction, so one failure does not undo the others). Returns alerts raised.
    """
    now = now or timezone.now()
    flagged = CorrectionAlert.objects.filter(
        subject=OuterRef("pk"), kind=AlertKind.MISSED_REPORT, started_at=OuterRef("next_report_due_at")
    )
    overdue = (
        CorrectionSubject.objects.filter(status__in=UNDER_CORRECTION, next_report_due_at__lt=now)
        .exclude(Exists(flagged))
        .order_by("next_report_due_at", "pk")
        .values_list("pk", flat=True)
    )
    raised = 0
    for subject_id in list(overdue[:limit] if limit else overdue):
        if _flag_one(subject_id, now):
            raised += 1
    return raised


# --- receipts ------------------------------------------------------------------------------------------------------


def download_receipt(check_in: CheckIn, *, actor) -> tuple[str, str]:
    """The check-in's receipt file (name, text) for its subject or an officer; the download is audited."""
    if not check_in.receipt:
        raise NotFound("该报到记录没有回执")
    with audit.operation(CorrectionAuditEvent.RECEIPT_DOWNLOADED, obj=check_in, actor=actor):
        pass
    return f"check-in-{check_in.pk}{receipts.FILE_SUFFIX}", check_in.receipt
