"""Pages of 审批事项 (helper E) at /correction/approvals/: the list with filters and deadlines, one request with its
progress and the buttons its decider may press, the form to submit on a subject's behalf. The subject (portal
account) sees only their own requests here too (粤矫通's own pages are helper H's). Thin: parse → conduct_queries →
one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, attachments, workflow, workflow_api
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import login_required, staff_required

from . import approvals, conduct_documents, conduct_queries
from .conduct_forms import ApprovalFilterForm, ApprovalRequestStaffForm
from .conduct_schemas import APPROVAL_TRANSITION_INPUTS
from .models.conduct import ApprovalRequest


def _get(user, pk) -> ApprovalRequest:
    return conduct_queries.get_request_for(user, pk)


def _back(item) -> str:
    return reverse("correction:approval-detail", args=[item.pk])


@login_required
def approval_list(request):
    """审批事项: the jurisdiction's requests (a subject: their own), with their deadlines."""
    access.require(request.user, "view", ApprovalRequest)
    filters = ApprovalFilterForm(request.GET)
    page = page_of(conduct_queries.list_requests(request.user, **filters.values()), request)
    return render(
        request,
        "correction/conduct/approval_list.html",
        {
            "filters": filters,
            "page": page,
            "today": timezone.localdate(),
            "may_add": access.may_do(request.user, "add", ApprovalRequest),
        },
    )


def _submit(*, actor, form: ApprovalRequestStaffForm) -> ApprovalRequest:
    data = dict(form.cleaned_data)
    subject = conduct_queries.get_subject_for(actor, data.pop("subject"))
    return approvals.submit_request(subject, actor=actor, **data)


@staff_required
def approval_create(request):
    """代为提交申请."""
    access.require(request.user, "add", ApprovalRequest)
    subjects = conduct_queries.subjects_for_choice(request.user)
    form = ApprovalRequestStaffForm(
        request.POST or None, subjects=subjects, initial={"subject": request.GET.get("subject", "")}
    )
    if request.method == "POST" and form.is_valid():
        created = submit(form, _submit, actor=request.user, form=form)
        if created is not None:
            messages.success(request, f"申请已提交，由{created.get_route_display().removesuffix('审批')}审批")
            return redirect(_back(created))
    return render(request, "correction/conduct/approval_form.html", {"form": form})


@login_required
def approval_detail(request, pk: int):
    item = _get(request.user, pk)
    forms_ = workflow_api.transition_forms(
        item, request.user, services=approvals.TRANSITION_SERVICES, inputs=APPROVAL_TRANSITION_INPUTS
    )
    return render(
        request,
        "correction/conduct/approval_detail.html",
        {
            "item": item,
            "transition_forms": forms_,
            "history": workflow.history(item),
            "documents": conduct_documents.documents_of(item),
            "overdue": approvals.overdue(item),
        },
    )


approval_act = workflow_api.transition_view(
    get=_get,
    services=approvals.TRANSITION_SERVICES,
    inputs=APPROVAL_TRANSITION_INPUTS,
    redirect_to=_back,
)


@login_required
def approval_document(request, pk: int, attachment_id: int):
    attachment = conduct_documents.documents_of(_get(request.user, pk)).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("文书不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.user)
