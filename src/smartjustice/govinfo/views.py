"""Pages of 政府信息公开申请 (thin: parse → query/service → render); citizens apply and follow, staff handle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from smartjustice.core import attachments, workflow
from smartjustice.core import services as core_services
from smartjustice.core.errors import DomainError, NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of

from . import queries, rules, services
from .choices import ReplyType
from .forms import AnswerForm, ApplyForm
from .models import Status


def _get(user, pk):
    # NotFound (missing or forbidden alike) becomes the 404 page in core.views.errors.DomainErrorPageMiddleware.
    return queries.get_request_for(user, pk)


def _filters(request) -> dict:
    overdue = request.GET.get("overdue", "")
    return {
        "status": request.GET.get("status", ""),
        "q": request.GET.get("q", "").strip(),
        "overdue": True if overdue == "1" else (False if overdue == "0" else None),
    }


def index(request):
    """Where the navigation points: how to apply (public); signed-in users go to their own list."""
    if request.user.is_authenticated:
        staff = request.user.is_staff_member or request.user.is_superuser
        return redirect("govinfo:list" if staff else "govinfo:mine")
    return render(request, "govinfo/index.html", {"rules": rules})


@login_required
def request_list(request):
    """Staff: the requests of their jurisdiction, with filters; portal users are sent to their own list."""
    if not request.user.is_staff_member and not request.user.is_superuser:
        return redirect("govinfo:mine")
    filters = _filters(request)
    page = page_of(queries.list_requests(request.user, **filters), request)
    return render(
        request,
        "govinfo/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Status.choices,
        },
    )


@login_required
def my_requests(request):
    page = page_of(queries.list_requests(request.user, mine=True), request)
    return render(request, "govinfo/mine.html", {"page": page})


@login_required
def apply(request):
    if request.method == "POST":
        form = ApplyForm(request.POST)
        if form.is_valid():
            obj = submit(
                form,
                services.submit_request,
                actor=request.user,
                files=request.FILES.getlist("files"),
                **form.cleaned_data,
            )
            if obj is not None:
                messages.success(request, f"申请已提交，申请编号 {obj.reference}")
                return redirect("govinfo:detail", pk=obj.pk)
    else:
        form = ApplyForm()
    return render(request, "govinfo/apply.html", {"form": form})


@login_required
def detail(request, pk: int):
    obj = _get(request.user, pk)
    revealed = core_services.reveal_personal_information(obj, actor=request.user, channel="页面")
    return render(
        request,
        "govinfo/detail.html",
        {
            "obj": obj,
            "revealed": revealed,
            "transitions": workflow.available_transitions(obj, request.user),
            "files": attachments.attachments_of(obj),
            "history": workflow.history(obj),
            "answer_form": AnswerForm(),
            "reply_types": ReplyType.choices,
        },
    )


ACTIONS = {
    "accept": lambda obj, user, post, files: services.accept_request(
        obj, actor=user, comment=post.get("comment", "")
    ),
    "request_correction": lambda obj, user, post, files: services.request_correction(
        obj, actor=user, notice=post.get("notice", "")
    ),
    "resubmit": lambda obj, user, post, files: services.resubmit_request(
        obj, actor=user, description=post.get("description", ""), files=files.getlist("files")
    ),
    "extend": lambda obj, user, post, files: services.extend_request(
        obj, actor=user, reason=post.get("reason", ""), days=int(post.get("days") or 20)
    ),
    "answer": lambda obj, user, post, files: services.answer_request(
        obj, actor=user, reply_type=post.get("reply_type", ""), reply_text=post.get("reply_text", "")
    ),
    "withdraw": lambda obj, user, post, files: services.withdraw_request(
        obj, actor=user, reason=post.get("reason", "")
    ),
}


@login_required
@require_POST
def act(request, pk: int, name: str):
    """One workflow step from a button on the detail page."""
    obj = _get(request.user, pk)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404("未知的操作")
    try:
        action(obj, request.user, request.POST, request.FILES)
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "提交的内容有误"))
    else:
        messages.success(request, f"已{workflow.workflow_of(obj).get(name).label}")
    return redirect("govinfo:detail", pk=obj.pk)


@login_required
def download(request, pk: int, attachment_id: int):
    obj = _get(request.user, pk)
    attachment = attachments.attachments_of(obj).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.user)
