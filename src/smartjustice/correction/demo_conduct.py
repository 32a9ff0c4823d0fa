"""Demo data of 考核奖惩 and 审批 (helper E): last month's assessment of every demo subject under correction;
sanctions in several states (a commendation and a warning issued, a warning waiting for approval, a draft
admonition, a probation revocation proposal before the court); requests pending at a 司法所 and at the county,
approved and refused. Created through the services with the demo accounts as actors; a second run creates nothing
(each record is looked up first) and writes no audit entry."""

from __future__ import annotations

import contextlib
import datetime

from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.errors import DomainError
from smartjustice.core.models import User

from . import approvals, assessments, rules, sanctions
from .choices import UNDER_CORRECTION, CorrectionCategory
from .models import CorrectionSubject
from .models.conduct import ApprovalRequest, Assessment, Sanction

STAFF = ("ws_correction", "bj_correction", "th_correction", "yx_correction", "lc_correction")
HEADS = ("th_correction_head", "yx_correction_head", "lc_correction_head")
NOTES = (
    "按时报告，积极参加教育学习和公益活动。",
    "能遵守监督管理规定，个别报告内容简略。",
    "表现稳定，服从管理。",
)


def _users(names) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    return [found[name] for name in names if name in found]


def _officer(subject: CorrectionSubject, staff: list[User]) -> User | None:
    """The subject's station's officer when entrusted, else the agency's."""
    for organisation in (subject.station_id, subject.agency_id):
        user = next((u for u in staff if organisation and u.organisation_id == organisation), None)
        if user is not None:
            return user
    return next((u for u in staff if access.may_act_in(u, subject.jurisdiction_id)), None)


def _head(subject: CorrectionSubject, heads: list[User]) -> User | None:
    return next((u for u in heads if u.organisation_id == subject.agency_id), None)


def _items(seed: int) -> list[dict]:
    items = []
    for index, (code, _, maximum) in enumerate(rules.ASSESSMENT_ITEMS.value):
        items.append({"code": code, "points": maximum - (seed + index) % 4 - (5 if seed % 7 == 3 else 0)})
    return items


def _assessments(subjects, staff) -> int:
    created = 0
    period = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    for n, subject in enumerate(subjects):
        officer = _officer(subject, staff)
        if (
            officer is None
            or Assessment.objects.filter(subject=subject, kind="monthly", period=period).exists()
        ):
            continue
        try:
            assessments.record_assessment(
                subject,
                actor=officer,
                kind="monthly",
                period=period,
                items=_items(n),
                note=NOTES[n % len(NOTES)],
            )
        except DomainError:
            continue  # e.g. the term started after that month
        created += 1
    return created


def _sanction(subject, kind, *, facts, evidence="", drafter, head, until: str) -> int:
    """Draft and move one sanction on to `until` (draft / submitted / issued / sent_to_court), unless it exists."""
    if Sanction.objects.filter(subject=subject, kind=kind).exists() or drafter is None:
        return 0
    if until != "draft" and head is None:
        return 0
    try:
        sanction = sanctions.draft_sanction(subject, actor=drafter, kind=kind, facts=facts, evidence=evidence)
        if until != "draft":
            sanctions.submit_sanction(sanction, actor=drafter)
        if until in ("issued", "sent_to_court"):
            sanctions.approve_sanction(sanction, actor=head, opinion="同意")
        if until == "issued":
            sanctions.issue_sanction(sanction, actor=drafter)
        if until == "sent_to_court":
            sanctions.send_to_court(sanction, actor=head)
    except DomainError:
        return 0
    return 1


def _sanctions(subjects, staff, heads) -> int:
    created = 0
    probation = [s for s in subjects if s.category == CorrectionCategory.PROBATION]
    plan = [
        ("commendation", "issued", "在社区公益活动中表现突出，主动帮助困难群众，认罪悔罪态度好。", ""),
        ("warning", "issued", "未经批准离开所居住的县，经教育后返回。", "外出情况核查记录、谈话笔录"),
        ("warning", "submitted", "无正当理由两次未按时报告。", "报告记录"),
        ("admonition", "draft", "参加集中教育学习迟到，经提醒仍未改正。", ""),
    ]
    others = [s for s in subjects if not probation or s.pk != probation[-1].pk]
    for (kind, until, facts, evidence), subject in zip(plan, others, strict=False):
        created += _sanction(
            subject,
            kind,
            facts=facts,
            evidence=evidence,
            drafter=_officer(subject, staff),
            head=_head(subject, heads),
            until=until,
        )
    if probation:
        subject = probation[-1]
        created += _sanction(
            subject,
            "probation_revocation",
            facts="受到两次警告后仍不改正，违反监督管理规定情节严重。",
            evidence="警告决定书二份、谈话笔录、定位越界预警处置记录",
            drafter=_officer(subject, staff),
            head=_head(subject, heads),
            until="sent_to_court",
        )
    return created


def _request(subject, actor, *, kind, destination, reason, start, days) -> ApprovalRequest | None:
    existing = ApprovalRequest.objects.filter(subject=subject, kind=kind, destination=destination).first()
    if existing is not None or actor is None:
        return None
    today = timezone.localdate()
    try:
        return approvals.submit_request(
            subject,
            actor=actor,
            kind=kind,
            destination=destination,
            reason=reason,
            starts_on=today + datetime.timedelta(days=start),
            ends_on=today + datetime.timedelta(days=start + days - 1),
        )
    except DomainError:
        return None


def _approvals(subjects, staff, heads) -> int:
    created = 0
    entrusted = [s for s in subjects if s.station_id]
    county = [s for s in subjects if not s.station_id]
    if entrusted:
        subject = entrusted[0]
        if _request(
            subject,
            subject.account or _officer(subject, staff),
            kind="leave",
            destination="佛山市南海区",
            reason="参加表弟婚礼",
            start=4,
            days=2,
        ):
            created += 1  # pending at the 司法所
    if len(entrusted) > 1:
        subject = entrusted[1]
        item = _request(
            subject,
            subject.account or _officer(subject, staff),
            kind="leave",
            destination="湖南省长沙市",
            reason="探望住院的父亲",
            start=6,
            days=10,
        )
        if item is not None:
            created += 1
            station_officer = _officer(subject, staff)
            head = _head(subject, heads)
            try:
                approvals.review_request(item, actor=station_officer, opinion="情况属实，建议批准")
                if head is not None:
                    approvals.approve_request(item, actor=head, note="同意，外出期间保持通讯畅通")
            except DomainError:
                pass
    for index, subject in enumerate(county[:3]):
        actor = subject.account or _officer(subject, staff)
        head = _head(subject, heads)
        if index == 0:
            item = _request(
                subject,
                actor,
                kind="leave",
                destination="深圳市福田区",
                reason="到客户单位出差",
                start=3,
                days=9,
            )
            if item is not None:
                created += 1
                if head is not None:
                    with contextlib.suppress(DomainError):
                        approvals.approve_request(item, actor=head, note="同意")
        elif index == 1:
            item = _request(
                subject,
                actor,
                kind="special_place",
                destination="天河体育中心（演唱会）",
                reason="观看演唱会",
                start=5,
                days=1,
            )
            if item is not None:
                created += 1
                if head is not None:
                    with contextlib.suppress(DomainError):
                        approvals.refuse_request(
                            item, actor=head, reason="大型群众性活动场所，与禁止令内容冲突"
                        )
        else:
            if _request(
                subject,
                actor,
                kind="residence_change",
                destination="广州市海珠区新港西路（新居住地）",
                reason="购房后全家迁居",
                start=30,
                days=1,
            ):
                created += 1  # pending at the county
    return created


def load_demo() -> int:
    """Assessments, sanctions and requests for the demo subjects (records created; 0 on a second run)."""
    subjects = list(
        CorrectionSubject.objects.filter(number__startswith="DEMO-", status__in=UNDER_CORRECTION)
        .select_related("agency", "station", "account")
        .order_by("number")
    )
    if not subjects:
        return 0
    staff, heads = _users(STAFF), _users(HEADS)
    return (
        _assessments(subjects, staff)
        + _sanctions(subjects, staff, heads)
        + _approvals(subjects, staff, heads)
    )
