"""Pages of 政府信息公开申请 (thin: parse → query/service → render); citizens apply and follow, staff handle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from smartjustice.core import attachments, workflow, workflow_api
from smartjustice.core import services as core_services
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of

from . import queries, rules, services
from .forms import ApplyForm
from .models import Status
from .schemas import TRANSITION_INPUTS


def _get(user, pk):
    # NotFound (missing or forbidden alike) becomes the 404 page in core.views.errors.DomainErrorPageMiddleware.
    return queries.get_request_for(user, pk)


def _filters(request) -> dict:
    overdue = request.GET.get("overdue", "")
    return {
        "status": request.GET.get("status", ""),
        "q": request.GET.get("q", "").strip(),
        "overdue": True if overdue == "1" else (False if overdue == "0" else None),
        "ordering": "remaining_days" if request.GET.get("ordering") == "remaining_days" else "-created_at",
    }


def index(request):
    """Where the navigation points: how to apply (public); signed-in users go to their own list."""
    if request.user.is_authenticated:
        return redirect("govinfo:list" if queries.handles_requests(request.user) else "govinfo:mine")
    return render(request, "govinfo/index.html", {"rules": rules})


@login_required
def request_list(request):
    """Staff: the requests of their jurisdiction, with filters; portal users are sent to their own list."""
    if not queries.handles_requests(request.user):
        return redirect("govinfo:mine")
    filters = _filters(request)
    page = page_of(queries.list_requests(request.user, **filters), request)
    sort = request.GET.copy()
    sort.pop("page", None)
    sort["ordering"] = "-created_at" if filters["ordering"] == "remaining_days" else "remaining_days"
    return render(
        request,
        "govinfo/list.html",
        {
            "page": page,
            "filters": filters,
            "sort_query": sort.urlencode(),
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
            "transition_forms": workflow_api.transition_forms(
                obj, request.user, services=services.TRANSITION_SERVICES, inputs=TRANSITION_INPUTS
            ),
            "files": attachments.attachments_of(obj),
            "history": workflow.history(obj),
        },
    )


# Every button of the detail page posts here: the step's input is validated against the same schema as the API's
# and its service called (core.workflow_api); refusals become messages on the detail page.
act = workflow_api.transition_view(
    get=_get,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    redirect_to=lambda obj: reverse("govinfo:detail", args=[obj.pk]),
)


@login_required
def download(request, pk: int, attachment_id: int):
    obj = _get(request.user, pk)
    attachment = attachments.attachments_of(obj).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.user)
