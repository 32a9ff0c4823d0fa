"""Pages of 考核奖惩 (helper E) at /correction/assessments/ and /correction/sanctions/: lists with filters, one record
with its workflow buttons and documents, the forms to record an assessment and draft a sanction. A subject's portal
account sees its own records. Thin: parse → conduct_queries → one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from smartjustice.core import access, attachments, workflow, workflow_api
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import login_required, staff_required

from . import assessments, conduct_documents, conduct_queries, sanctions
from .conduct_forms import AssessmentFilterForm, AssessmentForm, SanctionFilterForm, SanctionForm
from .conduct_schemas import SANCTION_TRANSITION_INPUTS
from .models.conduct import Assessment, Sanction

# --- assessments ---------------------------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    """考核记录: the jurisdiction's (a subject: their own), newest period first."""
    access.require(request.user, "view", Assessment)
    filters = AssessmentFilterForm(request.GET)
    page = page_of(conduct_queries.list_assessments(request.user, **filters.values()), request)
    return render(
        request,
        "correction/conduct/assessment_list.html",
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", Assessment)},
    )


def _record(*, actor, form: AssessmentForm) -> Assessment:
    subject = conduct_queries.get_subject_for(actor, form.cleaned_data["subject"])
    return assessments.record_assessment(
        subject,
        actor=actor,
        kind=form.cleaned_data["kind"],
        period=form.cleaned_data["period"],
        items=form.items(),
        note=form.cleaned_data["note"],
    )


@staff_required
def assessment_create(request):
    access.require(request.user, "add", Assessment)
    subjects = conduct_queries.subjects_for_choice(request.user)
    initial = {"subject": request.GET.get("subject", "")}
    form = AssessmentForm(request.POST or None, subjects=subjects, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = submit(form, _record, actor=request.user, form=form)
        if created is not None:
            messages.success(
                request, f"已记录{created.period}{created.get_kind_display()}：{created.points}分"
            )
            return redirect("correction:assessment-detail", created.pk)
    return render(request, "correction/conduct/assessment_form.html", {"form": form})


@login_required
def assessment_detail(request, pk: int):
    assessment = conduct_queries.get_assessment_for(request.user, pk)
    return render(request, "correction/conduct/assessment_detail.html", {"assessment": assessment})


# --- sanctions -------------------------------------------------------------------------------------------------------


def _get_sanction(user, pk) -> Sanction:
    return conduct_queries.get_sanction_for(user, pk)


def _back(sanction) -> str:
    return reverse("correction:sanction-detail", args=[sanction.pk])


@login_required
def sanction_list(request):
    """奖惩事项: the jurisdiction's (a subject: their own), newest first."""
    access.require(request.user, "view", Sanction)
    filters = SanctionFilterForm(request.GET)
    page = page_of(conduct_queries.list_sanctions(request.user, **filters.values()), request)
    return render(
        request,
        "correction/conduct/sanction_list.html",
        {"filters": filters, "page": page, "may_add": access.may_do(request.user, "add", Sanction)},
    )


def _draft(*, actor, form: SanctionForm) -> Sanction:
    data = dict(form.cleaned_data)
    subject = conduct_queries.get_subject_for(actor, data.pop("subject"))
    return sanctions.draft_sanction(subject, actor=actor, **data)


@staff_required
def sanction_create(request):
    access.require(request.user, "add", Sanction)
    subjects = conduct_queries.subjects_for_choice(request.user)
    initial = {"subject": request.GET.get("subject", ""), "kind": request.GET.get("kind", "")}
    form = SanctionForm(request.POST or None, subjects=subjects, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = submit(form, _draft, actor=request.user, form=form)
        if created is not None:
            messages.success(request, f"已拟办{created.get_kind_display()}，请提交审批")
            return redirect(_back(created))
    return render(request, "correction/conduct/sanction_form.html", {"form": form})


@login_required
def sanction_detail(request, pk: int):
    sanction = _get_sanction(request.user, pk)
    forms_ = workflow_api.transition_forms(
        sanction, request.user, services=sanctions.TRANSITION_SERVICES, inputs=SANCTION_TRANSITION_INPUTS
    )
    return render(
        request,
        "correction/conduct/sanction_detail.html",
        {
            "sanction": sanction,
            "transition_forms": forms_,
            "history": workflow.history(sanction),
            "documents": conduct_documents.documents_of(sanction),
            "court_overdue": sanctions.court_overdue(sanction),
        },
    )


sanction_act = workflow_api.transition_view(
    get=_get_sanction,
    services=sanctions.TRANSITION_SERVICES,
    inputs=SANCTION_TRANSITION_INPUTS,
    redirect_to=_back,
)


@login_required
def sanction_document(request, pk: int, attachment_id: int):
    """A decision or proposal of the sanction: whoever may see it (the download is logged)."""
    attachment = (
        conduct_documents.documents_of(_get_sanction(request.user, pk)).filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise NotFound("文书不存在或您无权访问")
    return attachments.download_response(attachment, actor=request.user)
