"""Reads of the subject app (粤矫通) and the 司法所 kiosk: a subject reads only their own records.

The subject is found from the signed-in portal account (`CorrectionSubject.account`, the owner scope), never from
an id in the request, so another person's records cannot be named at all. Records of the other parts (check-ins,
approval requests, learning assignments, identity checks) are read through their models once those parts exist;
until then the lists are empty and the pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone

from smartjustice.core import access, notifications
from smartjustice.core.errors import NotFound, PermissionDenied, ValidationFailed
from smartjustice.core.validators import normalize_citizen_id

from .choices import UNDER_CORRECTION
from .models import CorrectionSubject


def part_model(name: str):
    """A model of another part of the module (`CheckIn`, `ApprovalRequest` …), or None while it is not built."""
    try:
        return apps.get_model("correction", name)
    except LookupError:
        return None


def _none() -> QuerySet:
    return CorrectionSubject.objects.none()


# --- the subject's own records ---------------------------------------------------------------------------------------


def my_subject(user) -> CorrectionSubject:
    """The term of community correction whose 粤矫通 account is `user` (newest first when there were several).

    Staff accounts are refused (the app is the subject's own); a portal account with no term is NotFound.
    """
    if user is None or not user.is_authenticated:
        raise NotFound()
    if not user.is_portal_user:
        raise PermissionDenied("粤矫通仅供社区矫正对象本人使用")
    subject = (
        access.restrict(CorrectionSubject.objects.filter(account_id=user.pk), user, "view")
        .select_related("agency", "station", "jurisdiction")
        .first()
    )
    if subject is None:
        raise NotFound("您的账号尚未关联社区矫正对象信息，请联系执行地社区矫正机构")
    return subject


def is_subject(user) -> bool:
    """Whether `user` is a subject's portal account (the 粤矫通 card and navigation item are shown only then)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_portal_user
        and CorrectionSubject.objects.filter(account_id=user.pk).exists()
    )


def _own(model, subject: CorrectionSubject, user) -> QuerySet:
    """`model`'s rows of this subject; through the owner scope as well when the model declares one."""
    qs = model.objects.filter(subject=subject)
    if "owner" in access.scopes_of(model, "view"):
        qs = access.restrict(qs, user, "view")
    return qs


def my_check_ins(subject: CorrectionSubject, user) -> QuerySet:
    model = part_model("CheckIn")
    if model is None:
        return _none()
    return _own(model, subject, user).order_by("-checked_at", "-id")


def get_my_check_in(user, pk):
    """One of the signed-in subject's own check-ins, or NotFound (another subject's answers the same)."""
    subject = my_subject(user)
    model = part_model("CheckIn")
    if model is None:
        raise NotFound()
    try:
        return _own(model, subject, user).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def my_requests(subject: CorrectionSubject, user) -> QuerySet:
    model = part_model("ApprovalRequest")
    if model is None:
        return _none()
    return _own(model, subject, user).order_by("-id")


def get_my_request(user, pk):
    subject = my_subject(user)
    model = part_model("ApprovalRequest")
    if model is None:
        raise NotFound()
    try:
        return _own(model, subject, user).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def request_history(obj) -> list:
    """The steps of an approval request so far (core workflow history), oldest first."""
    from smartjustice.core import workflow

    if getattr(type(obj), "workflow", None) is None:
        return []
    return list(workflow.history(obj))


def request_steps(obj, user) -> set[str]:
    """The steps the subject may take on their request now ("withdraw" while undecided, "report_return" after
    approved leave), as the workflow decides."""
    from smartjustice.core import workflow

    if getattr(type(obj), "workflow", None) is None:
        return set()
    return {t.name for t in workflow.available_transitions(obj, user)}


def my_assignments(subject: CorrectionSubject, user) -> QuerySet:
    model = part_model("LearningAssignment")
    if model is None:
        return _none()
    return _own(model, subject, user).select_related("task").order_by("status", "due_on", "id")


def get_my_assignment(user, pk):
    subject = my_subject(user)
    model = part_model("LearningAssignment")
    if model is None:
        raise NotFound()
    try:
        return _own(model, subject, user).select_related("task").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def identity_method(subject: CorrectionSubject) -> str:
    """ "face" where face matching can run for this subject, else "challenge" (random digits, officer review)."""
    try:
        from .identity import identity_method as method
    except ImportError:
        return "challenge"
    return str(method(subject))


def issued_challenge(subject: CorrectionSubject, purpose: str):
    """The random digits handed out to the subject for `purpose` and not yet answered (newest), or None."""
    model = part_model("IdentityCheck")
    if model is None:
        return None
    now = timezone.now()
    return (
        model.objects.filter(subject=subject, purpose=purpose, method="challenge", status="issued")
        .exclude(challenge_expires_at__lt=now)
        .order_by("-created_at", "-id")
        .first()
    )


USABLE_CHECK_MINUTES = 30  # education.CHECK_FRESH_MINUTES: an older check is refused by the learning services


def usable_learning_check(subject: CorrectionSubject):
    """The subject's latest identity check for learning that a session may still use: submitted recently, passed or
    pending review, and not used by a session yet; None otherwise."""
    model, sessions = part_model("IdentityCheck"), part_model("LearningSession")
    if model is None or sessions is None:
        return None
    since = timezone.now() - timezone.timedelta(minutes=USABLE_CHECK_MINUTES)
    check = (
        model.objects.filter(
            subject=subject, purpose="learning", status__in=("passed", "pending"), submitted_at__gte=since
        )
        .order_by("-submitted_at", "-id")
        .first()
    )
    if check is None:
        return None
    used = (
        sessions.objects.filter(identity_check=check).exists()
        or sessions.objects.filter(end_check=check).exists()
    )
    return None if used else check


def open_session(subject: CorrectionSubject, assignment=None):
    """The subject's learning session in progress (of `assignment` when given), or None."""
    model = part_model("LearningSession")
    if model is None:
        return None
    qs = model.objects.filter(subject=subject, status="open")
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    return qs.order_by("-started_at").first()


def my_sessions(assignment) -> list:
    model = part_model("LearningSession")
    if model is None:
        return []
    return list(model.objects.filter(assignment=assignment).order_by("-started_at")[:10])


def my_messages(user, *, unread_only: bool = False) -> QuerySet:
    """The subject's inbox (core notifications): decisions, reminders and officers' messages."""
    return notifications.list_for(user, unread_only=unread_only)


def _is_final(obj) -> bool:
    workflow = getattr(type(obj), "workflow", None)
    if workflow is None:
        return False
    state = workflow.state(str(getattr(obj, "status", "")))
    return bool(state is not None and state.final)


@dataclass(frozen=True)
class Todo:
    """One thing the subject should do now, with where to do it."""

    title: str
    href: str
    detail: str = ""
    due: datetime | date | None = None
    urgent: bool = False


def report_state(subject: CorrectionSubject, now: datetime | None = None) -> dict:
    """When the next report is due, and whether it is overdue or due within a day."""
    now = now or timezone.now()
    due = subject.next_report_due_at
    if due is None:
        return {"due": None, "overdue": False, "soon": False}
    return {"due": due, "overdue": due < now, "soon": now <= due < now + timezone.timedelta(days=1)}


def term_progress(subject: CorrectionSubject, today: date | None = None) -> dict:
    """Days served and days left of the term (for the home page's progress bar)."""
    today = today or timezone.localdate()
    total = max((subject.ends_on - subject.starts_on).days, 1)
    served = min(max((today - subject.starts_on).days, 0), total)
    return {
        "total": total,
        "served": served,
        "left": max((subject.ends_on - today).days, 0),
        "percent": round(100 * served / total),
    }


def todos(subject: CorrectionSubject, user) -> list[Todo]:
    """The subject's to-dos: the next report, requests awaiting a decision or a return report, unfinished learning."""
    from django.urls import reverse

    items: list[Todo] = []
    if subject.status in UNDER_CORRECTION:
        state = report_state(subject)
        if state["due"] is not None:
            items.append(
                Todo(
                    "按时报到（签到）",
                    reverse("correction:app-check-in"),
                    "已超过报告期限，请立即签到" if state["overdue"] else "请在期限前通过粤矫通签到",
                    state["due"],
                    state["overdue"] or state["soon"],
                )
            )
    for obj in my_requests(subject, user)[:20]:
        if not _is_final(obj):
            items.append(
                Todo(
                    f"{_label(obj, 'kind')}：{getattr(obj, 'destination', '') or ''}".rstrip("："),
                    reverse("correction:app-request", args=[obj.pk]),
                    f"办理进度：{_label(obj, 'status')}",
                )
            )
    for obj in my_assignments(subject, user)[:20]:
        if str(getattr(obj, "status", "")) != "completed":
            task = getattr(obj, "task", None)
            items.append(
                Todo(
                    f"学习：{getattr(task, 'title', '')}",
                    reverse("correction:app-learning-task", args=[obj.pk]),
                    f"已完成 {getattr(obj, 'completed_hours', 0)} / {getattr(obj, 'required_hours', '')} 学时",
                    getattr(obj, "due_on", None),
                )
            )
    return items


def _label(obj, field: str) -> str:
    display = getattr(obj, f"get_{field}_display", None)
    return str(display()) if callable(display) else str(getattr(obj, field, "") or "")


# --- the kiosk (a 司法所 terminal under a station staff account) -----------------------------------------------------


def find_kiosk_subject(user, id_number: str) -> CorrectionSubject:
    """The subject under correction with this ID number among those the station's account may handle.

    A malformed number is a ValidationFailed; a number of nobody under correction here is the same NotFound as a
    number of someone elsewhere, so the kiosk does not reveal who is under correction in another place.
    """
    try:
        number = normalize_citizen_id(id_number)
    except DjangoValidationError as error:
        raise ValidationFailed(
            "身份证号码不正确，请核对后重新输入", fields={"id_number": list(error.messages)}
        ) from None
    subject = (
        access.restrict(CorrectionSubject.objects.all(), user, "change")
        .filter(id_number=number, status__in=UNDER_CORRECTION)
        .first()
    )
    if subject is None:
        raise NotFound("未找到该身份证号码对应的本所在矫人员，请核对后重试，或咨询工作人员")
    return subject


def get_kiosk_subject(user, pk) -> CorrectionSubject:
    """The subject the kiosk identified earlier in this session (still under correction and in the station's area)."""
    subject = (
        access.restrict(CorrectionSubject.objects.all(), user, "change")
        .filter(pk=pk, status__in=UNDER_CORRECTION)
        .first()
    )
    if subject is None:
        raise NotFound("识别已失效，请重新输入身份证号码")
    return subject


def get_kiosk_identity_check(user, subject: CorrectionSubject, pk):
    """The identity check the kiosk made for `subject` in this session, or None."""
    model = part_model("IdentityCheck")
    if model is None or pk is None:
        return None
    return model.objects.filter(subject=subject, pk=pk).first()


def masked_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**: the kiosk screen may be seen by others in the room."""
    if len(name) <= 1:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)
