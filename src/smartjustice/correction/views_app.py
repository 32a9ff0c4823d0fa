"""粤矫通 (the subject app, /correction/app/) and the 司法所 self-service kiosk (/correction/kiosk/).

The app is a mobile-first, installable PWA for the subject's portal account: home (my term, the next report, my
to-dos), check-in (a live photo, the phone's position and a short report, then a receipt that verifies offline),
requests (外出、迁居 …) and their progress, learning with an identity check, and messages. Everything is the
signed-in subject's own: app_queries finds the subject from the account, never from the request.

The kiosk runs under a station staff account: the subject types their ID number, passes the identity check (face,
or the live challenge), and checks in with channel "kiosk"; the terminal forgets them after a short idle time.

Thin: parse, read through app_queries, call one service of the part that owns it, render.
"""

from __future__ import annotations

import json
import time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache

from smartjustice.core import access
from smartjustice.core.errors import DomainError, NotFound, ValidationFailed
from smartjustice.core.forms import submit
from smartjustice.core.views.guards import portal_required, staff_required

from . import app_queries as queries
from .app_gateway import service
from .forms_app import ApprovalRequestForm, CheckInForm, IdentityPhotoForm, KioskCheckInForm, KioskIdForm
from .models import CorrectionSubject

APP_NAME = "粤矫通"
THEME_COLOR = "#0f4c9b"
KIOSK_SESSION = "correction_kiosk"
KIOSK_IDLE_SECONDS = 120  # the terminal forgets the subject after this long without a step


def _app(request, template: str, context: dict, *, tab: str, status: int = 200):
    context.update({"tab": tab, "app_name": APP_NAME, "theme_color": THEME_COLOR})
    return render(request, f"correction/app/{template}", context, status=status)


# --- 粤矫通: the subject's own pages ----------------------------------------------------------------------------------


@portal_required
def home(request):
    """我的矫正: the term and its progress, when the next report is due, and the to-dos."""
    subject = queries.my_subject(request.user)
    return _app(
        request,
        "home.html",
        {
            "subject": subject,
            "progress": queries.term_progress(subject),
            "report": queries.report_state(subject),
            "todos": queries.todos(subject, request.user),
            "recent_check_ins": list(queries.my_check_ins(subject, request.user)[:3]),
            "unread": queries.my_messages(request.user, unread_only=True).count(),
        },
        tab="home",
    )


@portal_required
def check_in(request):
    """每日报告（签到）: a live photo, the phone's position and a short report → reporting.check_in(channel app)."""
    subject = queries.my_subject(request.user)
    form = CheckInForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            service("reporting", "check_in"),
            subject,
            actor=request.user,
            channel="app",
            photo=form.cleaned_data["photo"],
            report=form.cleaned_data["report"],
            **form.position(),
        )
        if done is not None:
            messages.success(request, "签到成功，已记录本次报告。")
            return redirect("correction:app-check-in-done", done.pk)
    return _app(
        request,
        "check_in.html",
        {
            "subject": subject,
            "form": form,
            "report": queries.report_state(subject),
            "history": list(queries.my_check_ins(subject, request.user)[:10]),
        },
        tab="check-in",
    )


@portal_required
def check_in_done(request, pk: int):
    """One of my check-ins: when, where, and its receipt to download."""
    item = queries.get_my_check_in(request.user, pk)
    return _app(request, "check_in_done.html", {"item": item}, tab="check-in")


@portal_required
def check_in_receipt(request, pk: int):
    """The check-in receipt (JSON with the ledger proof and the platform's signature) that verifies offline."""
    item = queries.get_my_check_in(request.user, pk)
    name, text = service("reporting", "download_receipt")(item, actor=request.user)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@portal_required
def requests_list(request):
    """我的申请: 外出、迁居、进入特定场所、会见特定人员, each with its progress."""
    subject = queries.my_subject(request.user)
    return _app(
        request,
        "requests.html",
        {"subject": subject, "items": list(queries.my_requests(subject, request.user)[:50])},
        tab="requests",
    )


@portal_required
def request_new(request):
    """A new request from the phone → approvals.submit_request (routed to the station or the county head)."""
    subject = queries.my_subject(request.user)
    form = ApprovalRequestForm(request.POST or None, initial={"kind": request.GET.get("kind") or "leave"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = submit(
            form,
            service("approvals", "submit_request"),
            subject,
            actor=request.user,
            kind=data["kind"],
            destination=data["destination"],
            reason=data["reason"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        if created is not None:
            messages.success(request, "申请已提交，请留意审批进度和通知。")
            return redirect("correction:app-request", created.pk)
    return _app(request, "request_form.html", {"subject": subject, "form": form}, tab="requests")


@portal_required
def request_detail(request, pk: int):
    """One of my requests: what, when, the steps so far and the decision."""
    item = queries.get_my_request(request.user, pk)
    return _app(
        request,
        "request_detail.html",
        {
            "item": item,
            "history": queries.request_history(item),
            "steps": queries.request_steps(item, request.user),
        },
        tab="requests",
    )


@portal_required
def request_withdraw(request, pk: int):
    """POST: withdraw my request while it is undecided."""
    item = queries.get_my_request(request.user, pk)
    if request.method == "POST":
        try:
            service("approvals", "withdraw_request")(item, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已撤回申请。")
    return redirect("correction:app-request", pk)


@portal_required
def request_return(request, pk: int):
    """POST: 销假 — I am back from approved leave (today)."""
    item = queries.get_my_request(request.user, pk)
    if request.method == "POST":
        try:
            service("approvals", "report_return")(
                item, actor=request.user, note=str(request.POST.get("note", ""))[:1000]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已销假。")
    return redirect("correction:app-request", pk)


@portal_required
def learning(request):
    """我的学习: assigned learning tasks and hours."""
    subject = queries.my_subject(request.user)
    return _app(
        request,
        "learning.html",
        {"subject": subject, "items": list(queries.my_assignments(subject, request.user)[:50])},
        tab="learning",
    )


@portal_required
def learning_task(request, pk: int):
    """One task: an identity check (face, or random digits for review), then start; a second check, then finish."""
    assignment = queries.get_my_assignment(request.user, pk)
    subject = assignment.subject
    return _app(
        request,
        "learning_task.html",
        {
            "item": assignment,
            "task": assignment.task,
            "method": queries.identity_method(subject),
            "challenge": queries.issued_challenge(subject, "learning"),
            "check": queries.usable_learning_check(subject),
            "session": queries.open_session(subject, assignment),
            "other_session": queries.open_session(subject),
            "sessions": queries.my_sessions(assignment),
            "form": IdentityPhotoForm(),
        },
        tab="learning",
    )


@portal_required
def learning_challenge(request, pk: int):
    """POST: hand out random digits for the live-photo check (where face matching cannot run)."""
    assignment = queries.get_my_assignment(request.user, pk)
    if request.method == "POST":
        try:
            service("identity", "issue_challenge")(assignment.subject, purpose="learning", actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("correction:app-learning-task", pk)


@portal_required
def learning_verify(request, pk: int):
    """POST: the identity check before starting or finishing a learning session."""
    assignment = queries.get_my_assignment(request.user, pk)
    form = IdentityPhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        made = submit(
            form,
            service("identity", "verify_identity"),
            assignment.subject,
            image_bytes=form.cleaned_data["photo"].read(),
            purpose="learning",
            actor=request.user,
            challenge_answer=form.cleaned_data.get("challenge_answer") or None,
        )
        if made is not None:
            if made.passed is False:
                messages.error(request, f"身份核验未通过：{made.reason or '请本人正对摄像头重新拍照'}")
            elif made.passed:
                messages.success(request, "身份核验通过。")
            else:
                messages.info(request, "核验照片已提交，待工作人员复核；复核通过后计入学时。")
            return redirect("correction:app-learning-task", pk)
    if request.method == "POST":
        for error in form.non_field_errors() + [e for f in form.errors.values() for e in f]:
            messages.error(request, error)
    return redirect("correction:app-learning-task", pk)


@portal_required
def learning_start(request, pk: int):
    """POST: start a learning session with the identity check just made."""
    assignment = queries.get_my_assignment(request.user, pk)
    if request.method == "POST":
        try:
            service("education", "start_session")(
                assignment,
                actor=request.user,
                identity_check=queries.usable_learning_check(assignment.subject),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已开始学习，学习结束时请再次核验身份。")
    return redirect("correction:app-learning-task", pk)


@portal_required
def learning_finish(request, pk: int):
    """POST: finish the session in progress with a second identity check; the hours are credited by education."""
    assignment = queries.get_my_assignment(request.user, pk)
    session = queries.open_session(assignment.subject, assignment)
    if request.method == "POST" and session is not None:
        try:
            done = service("education", "finish_session")(
                session, actor=request.user, identity_check=queries.usable_learning_check(assignment.subject)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"本次学习已结束：{done.note or done.get_status_display()}")
    return redirect("correction:app-learning-task", pk)


@portal_required
def inbox(request):
    """消息: decisions, reminders and officers' messages (core notifications; opening one marks it read)."""
    subject = queries.my_subject(request.user)
    unread_only = request.GET.get("unread") == "1"
    return _app(
        request,
        "messages.html",
        {
            "subject": subject,
            "items": list(queries.my_messages(request.user, unread_only=unread_only)[:50]),
            "unread_only": unread_only,
        },
        tab="messages",
    )


# --- the PWA shell: manifest, service worker, offline page -------------------------------------------------------------


@cache_control(max_age=3600, public=True)
def manifest(request):
    """The Web App Manifest: installable, scoped to /correction/app/."""
    scope = reverse("correction:app-home")
    data = {
        "name": f"{APP_NAME} · 社区矫正对象服务",
        "short_name": APP_NAME,
        "description": "社区矫正对象签到报告、请假外出申请、学习教育和消息通知",
        "lang": "zh-CN",
        "id": scope,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("correction/app/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("correction/app/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("correction/app/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("correction/app/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {"name": "签到报告", "url": reverse("correction:app-check-in")},
            {"name": "外出申请", "url": reverse("correction:app-request-new")},
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )


@never_cache
def service_worker(request):
    """The service worker, served from inside /correction/app/ so that its scope covers the app's pages."""
    body = render_to_string(
        "correction/app/sw.js",
        {
            "version": "yjt-1",
            "offline_url": reverse("correction:app-offline"),
            "scope": reverse("correction:app-home"),
            "assets": [
                static("vendor/bootstrap/css/bootstrap.min.css"),
                static("vendor/bootstrap-icons/bootstrap-icons.min.css"),
                static("css/app.css"),
                static("correction/app/app.css"),
                static("correction/app/icon.svg"),
                static("correction/app/icon-192.png"),
            ],
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("correction:app-home")
    return response


@cache_control(max_age=3600, public=True)
def offline(request):
    """What the app shows when the phone has no network (cached by the service worker; no personal data)."""
    return render(request, "correction/app/offline.html", {"app_name": APP_NAME, "theme_color": THEME_COLOR})


# --- the kiosk (自助报到终端 at a 司法所) --------------------------------------------------------------------------------


def _kiosk_state(request) -> dict:
    """What the terminal remembers about the person in front of it; empty after KIOSK_IDLE_SECONDS."""
    state = request.session.get(KIOSK_SESSION) or {}
    if state and time.time() - state.get("at", 0) > KIOSK_IDLE_SECONDS:
        request.session.pop(KIOSK_SESSION, None)
        return {}
    return state


def _remember(request, **values) -> None:
    request.session[KIOSK_SESSION] = {**_kiosk_state(request), **values, "at": time.time()}


def _kiosk(request, template: str, context: dict, *, status: int = 200):
    context.update({"idle_seconds": KIOSK_IDLE_SECONDS, "station": request.user.organisation})
    return render(request, f"correction/app/kiosk/{template}", context, status=status)


def _kiosk_subject(request):
    state = _kiosk_state(request)
    if not state.get("subject"):
        return None, state
    try:
        return queries.get_kiosk_subject(request.user, state["subject"]), state
    except NotFound:
        request.session.pop(KIOSK_SESSION, None)
        return None, {}


@staff_required
def kiosk_home(request):
    """Step 1: the subject types their ID number (a number of nobody under correction here is refused)."""
    access.require(request.user, "change", CorrectionSubject)
    if request.method == "GET":  # a fresh start (also where the idle timer sends the terminal)
        request.session.pop(KIOSK_SESSION, None)
    form = KioskIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = queries.find_kiosk_subject(request.user, form.cleaned_data["id_number"])
        except (NotFound, ValidationFailed) as error:
            form.add_error("id_number", error.message)
        else:
            _remember(request, subject=subject.pk, check=None)
            return redirect("correction:kiosk-verify")
    return _kiosk(request, "identify.html", {"form": form, "step": 1})


@staff_required
def kiosk_verify(request):
    """Step 2: the identity check against the intake photo (face, or the live challenge for officer review)."""
    subject, state = _kiosk_subject(request)
    if subject is None:
        messages.info(request, "请先输入身份证号码。")
        return redirect("correction:kiosk")
    form = IdentityPhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        made = submit(
            form,
            service("identity", "verify_identity"),
            subject,
            image_bytes=form.cleaned_data["photo"].read(),
            purpose="check_in",
            actor=request.user,
            challenge_answer=form.cleaned_data.get("challenge_answer") or None,
        )
        if made is not None:
            if made.passed is False:
                request.session.pop(KIOSK_SESSION, None)
                messages.error(
                    request, f"身份核验未通过，不能签到：{made.reason}。请重新开始，或请工作人员协助。"
                )
                return redirect("correction:kiosk")
            _remember(request, subject=subject.pk, check=made.pk)
            return redirect("correction:kiosk-check-in")
    return _kiosk(
        request,
        "verify.html",
        {
            "form": form,
            "step": 2,
            "name": queries.masked_name(subject.name),
            "method": queries.identity_method(subject),
            "challenge": queries.issued_challenge(subject, "check_in"),
        },
    )


@staff_required
def kiosk_challenge(request):
    """POST: random digits for the live-photo check, where face matching cannot run for this subject."""
    subject, _ = _kiosk_subject(request)
    if subject is None:
        return redirect("correction:kiosk")
    if request.method == "POST":
        try:
            service("identity", "issue_challenge")(subject, purpose="check_in", actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        _remember(request)
    return redirect("correction:kiosk-verify")


@staff_required
def kiosk_check_in(request):
    """Step 3: check in with channel kiosk, the identity check attached."""
    subject, state = _kiosk_subject(request)
    check = queries.get_kiosk_identity_check(request.user, subject, state.get("check")) if subject else None
    if subject is None or check is None or check.status not in ("passed", "pending"):
        messages.info(request, "请先完成身份核验。")
        return redirect("correction:kiosk")
    form = KioskCheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            service("reporting", "check_in"),
            subject,
            actor=request.user,
            channel="kiosk",
            report=form.cleaned_data["report"],
            identity_check=check,
        )
        if done is not None:
            request.session.pop(KIOSK_SESSION, None)
            return _kiosk(
                request, "done.html", {"step": 4, "name": queries.masked_name(subject.name), "item": done}
            )
    return _kiosk(
        request,
        "check_in.html",
        {"form": form, "step": 3, "name": queries.masked_name(subject.name), "check": check},
    )
