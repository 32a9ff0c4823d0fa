"""Demo data of education and identity checks (helper F): learning tasks of each demo county (法治、道德、心理、职业技能、
公益活动), assignments for the demo subjects under correction, and live-challenge identity checks waiting in the
review queue (one of them behind a learning session whose hours wait for the review). Created through the services
with the demo accounts as actors; a second run creates nothing.

The demo's live photos are drawn placeholders showing the digits (no real person's face is shipped with the demo):
an officer reviewing them in the demo sees what to compare, not a real photo."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.errors import DomainError
from smartjustice.core.models import User

from . import education, identity
from .models import (
    CorrectionSubject,
    IdentityCheck,
    LearningAssignment,
    LearningKind,
    LearningSession,
    LearningTask,
)

COUNTY_STAFF = ("th_correction", "yx_correction", "lc_correction")
STAFF = ("ws_correction", "bj_correction", *COUNTY_STAFF)

TASKS = (
    (
        "《中华人民共和国社区矫正法》专题学习",
        LearningKind.LAW,
        "4",
        "社区矫正对象的权利和义务、报告、外出和迁居规定。",
    ),
    (
        "宪法和民法典基础知识",
        LearningKind.LAW,
        "4",
        "宪法宣传周专题：公民的基本权利和义务；民法典中的家庭和合同。",
    ),
    ("社会公德与家庭美德", LearningKind.MORAL, "2", "修复家庭关系、承担家庭责任。"),
    (
        "情绪管理与压力疏导（心理健康讲座）",
        LearningKind.PSYCHOLOGY,
        "2",
        "由社工机构心理咨询师主讲，含个别咨询预约。",
    ),
    (
        "电工上岗证培训（职业技能）",
        LearningKind.VOCATIONAL,
        "16",
        "协调人社部门开展的职业技能培训，结业可考取证书。",
    ),
    (
        "社区环境整治公益活动",
        LearningKind.PUBLIC_SERVICE,
        "4",
        "在居住地社区参加环境整治、敬老助老等公益活动。",
    ),
)


def _placeholder_photo(digits: str) -> bytes:
    """A drawn stand-in for a live photo: a sheet of paper with the digits on it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 270), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 50, 150, 180), fill=(236, 200, 170))  # a head-shaped placeholder, not a face
    draw.rectangle((170, 90, 340, 180), fill="white", outline=(60, 60, 60))
    draw.text((195, 125), " ".join(digits), fill=(20, 20, 20))
    draw.text((20, 240), "DEMO", fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _staff() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=STAFF, is_active=True)}


def _tasks_of(officer: User) -> tuple[int, list[LearningTask]]:
    made = 0
    tasks = []
    for title, kind, hours, content in TASKS:
        task = LearningTask.objects.filter(agency_id=officer.organisation_id, title=title).first()
        if task is None:
            task = education.create_task(actor=officer, title=title, kind=kind, hours=hours, content=content)
            made += 1
        tasks.append(task)
    return made, tasks


def _officer_for(subject: CorrectionSubject, staff: dict[str, User]) -> User | None:
    for name in STAFF:
        user = staff.get(name)
        if user is not None and access.can(user, "change", subject):
            return user
    return None


def load_demo() -> int:
    """Tasks, assignments, pending identity checks and a session waiting on its review; returns records created."""
    staff = _staff()
    created = 0
    tasks_by_agency: dict[int, list[LearningTask]] = {}
    for name in COUNTY_STAFF:
        officer = staff.get(name)
        if officer is None or officer.organisation_id is None:
            continue
        made, tasks = _tasks_of(officer)
        created += made
        tasks_by_agency[officer.organisation_id] = tasks

    subjects = (
        CorrectionSubject.objects.filter(number__startswith="DEMO-", status__in=("active", "transferring"))
        .select_related("agency")
        .order_by("number")
    )
    today = timezone.localdate()
    for n, subject in enumerate(subjects):
        officer = _officer_for(subject, staff)
        tasks = tasks_by_agency.get(subject.agency_id)
        if officer is None or not tasks:
            continue
        for offset in range(2):
            task = tasks[(n + offset * 3) % len(tasks)]
            if LearningAssignment.objects.filter(subject=subject, task=task).exists():
                continue
            due = min(today + timedelta(days=30 + 15 * offset), subject.ends_on)
            if due < today:
                continue
            try:
                education.assign_task(subject, actor=officer, task=task, due_on=due, note="演示数据")
            except DomainError:
                continue
            created += 1
        if n % 3 == 0 and not IdentityCheck.objects.filter(subject=subject).exists():
            created += _pending_check(subject, officer, with_session=n % 2 == 0)
    return created


def _pending_check(subject: CorrectionSubject, officer: User, *, with_session: bool) -> int:
    """A live-challenge check waiting for review; optionally a learning session that started and ended on it."""
    try:
        issued = identity.issue_challenge(subject, purpose="learning", actor=officer)
        check = identity.verify_identity(
            subject,
            image_bytes=_placeholder_photo(issued.challenge_digits),
            purpose="learning",
            actor=officer,
            challenge_answer=issued.challenge_digits,
        )
    except DomainError:
        return 0
    made = 1
    if not with_session:
        return made
    assignment = LearningAssignment.objects.filter(subject=subject).exclude(status="completed").first()
    if assignment is None or LearningSession.objects.filter(subject=subject, status="open").exists():
        return made
    try:
        education.start_session(assignment, actor=officer, identity_check=check)
    except DomainError:
        return made
    return made + 1
