"""Pages of 法宝宝 (/qa/) and the FAQ (/qa/faq/), and the staff authoring pages (/qa/faq/manage/)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import workflow, workflow_api
from smartjustice.core.citations import Citation
from smartjustice.core.errors import DomainError
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import next_steps, queries, services
from .choices import Scenario
from .forms import AskForm, FaqEntryForm, FaqFilterForm, FaqManageFilterForm
from .schemas import TRANSITION_INPUTS


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def ask(request):
    """The chat page: a question posts, the answer appears below it (htmx fragment, or the whole page without JS)."""
    result = None
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = submit(form, services.answer, form.cleaned_data["question"])
    if _is_htmx(request):
        return render(request, "qa/_exchange.html", {"form": form, "result": result})
    return render(
        request,
        "qa/ask.html",
        {
            "form": form if result is None else AskForm(),
            "result": result,
            "asked": form,
            "scenarios": Scenario,
        },
    )


def faq_list(request):
    filters = FaqFilterForm(request.GET)
    values = filters.values()
    page = page_of(queries.published_entries(**values), request)
    return render(
        request,
        "qa/faq_list.html",
        {"filters": filters, "page": page, "scenario": values["scenario"], "scenarios": Scenario.choices},
    )


def _voter_session(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def faq_detail(request, pk: int):
    entry = queries.get_published_entry(pk)
    services.record_read(entry)
    entry.refresh_from_db(fields=["read_count"])
    citations = [
        {"label": str(Citation(c["law"], c["article"])), "url": c["url"]} for c in entry.linked_citations
    ]
    services_ = [s for s in next_steps.steps_for(entry.services) if s.recommended]
    return render(
        request, "qa/faq_detail.html", {"entry": entry, "citations": citations, "services": services_}
    )


@require_POST
def faq_feedback(request, pk: int):
    entry = queries.get_published_entry(pk)
    helpful = request.POST.get("helpful") == "1"
    message, ok = "感谢您的反馈！", True
    try:
        services.record_feedback(
            entry, helpful=helpful, user=request.user, session_key=_voter_session(request)
        )
    except DomainError as exc:
        message, ok = exc.message, False
    if _is_htmx(request):
        entry.refresh_from_db(fields=["helpful_count", "unhelpful_count"])
        return render(request, "qa/_feedback.html", {"entry": entry, "feedback_message": message, "ok": ok})
    (messages.success if ok else messages.info)(request, message)
    return redirect("qa:faq-detail", pk=entry.pk)


# --- staff authoring -----------------------------------------------------------------------------------------------


def _require_author(user) -> None:
    queries.require_author(user)


@staff_required
def manage_list(request):
    _require_author(request.user)
    filters = FaqManageFilterForm(request.GET)
    page = page_of(queries.list_entries_for(request.user, **filters.values()), request)
    return render(request, "qa/manage_list.html", {"filters": filters, "page": page})


@staff_required
def manage_create(request):
    _require_author(request.user)
    form = FaqEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = submit(form, services.create_entry, actor=request.user, **form.cleaned_data)
        if entry is not None:
            # Only a province reviewer publishes; everyone else's next step is the review.
            may_publish = any(
                t.name == "publish" for t in workflow.available_transitions(entry, request.user)
            )
            messages.success(
                request,
                "已保存为草稿，核对无误后请发布"
                if may_publish
                else "已保存为草稿，核对无误后请提交审核（常见问题面向全省发布，由省级审核人员审核后发布）",
            )
            return redirect("qa:manage-edit", pk=entry.pk)
    return render(request, "qa/manage_form.html", {"form": form, "entry": None})


@staff_required
def manage_edit(request, pk: int):
    entry = queries.get_entry_for(request.user, pk, action="change")
    form = FaqEntryForm(request.POST or None, initial=FaqEntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        saved = submit(form, services.update_entry, entry, actor=request.user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, "已保存")
            return redirect("qa:manage-edit", pk=entry.pk)
    transitions = workflow_api.transition_forms(
        entry, request.user, services=services.TRANSITION_SERVICES, inputs=TRANSITION_INPUTS
    )
    return render(
        request,
        "qa/manage_form.html",
        {
            "form": form,
            "entry": entry,
            "transition_forms": transitions,
            # The author cannot publish it: say who will (a reviewer of the province, qa.models.WORKFLOW).
            "needs_review": any(t.name == "submit" for t in transitions)
            and not any(t.name == "publish" for t in transitions),
            "history": workflow.history(entry),
        },
    )


# Every review button of the edit page (submit / publish / return / withdraw) posts here: the step's input is
# validated against the API's schema and its service called (core.workflow_api).
act = workflow_api.transition_view(
    get=queries.get_entry_to_change,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    redirect_to=lambda entry: reverse("qa:manage-edit", args=[entry.pk]),
)
