"""Pages of 行政执法 at /enforcement/: the public power list and its maintenance (/enforcement/items/manage/)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import workflow, workflow_api
from smartjustice.core.errors import ValidationFailed
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import power_list, queries
from .forms import (
    BenchmarkForm,
    ItemFilterForm,
    ItemForm,
    ItemManageFilterForm,
    ProposalAcceptForm,
    ProposalSearchForm,
    proposal_sanctions_text,
)
from .schemas import TRANSITION_INPUTS

# --- power list (权责清单) ---------------------------------------------------------------------------------------------


def item_list(request):
    """The public power list: published items with search and filters."""
    filters = ItemFilterForm(request.GET)
    page = page_of(queries.published_items(**filters.values()), request)
    return render(request, "enforcement/item_list.html", {"filters": filters, "page": page})


def item_detail(request, pk: int):
    """One item: basis with links to the article pages (flagged when amended or repealed), sanctions, benchmarks."""
    item = queries.readable_item(request.user, pk)
    return render(request, "enforcement/item_detail.html", {"item": item})


@staff_required
def manage_list(request):
    queries.require_editor(request.user)
    filters = ItemManageFilterForm(request.GET)
    page = page_of(queries.list_items_for(request.user, **filters.values()), request)
    return render(request, "enforcement/item_manage_list.html", {"filters": filters, "page": page})


@staff_required
def manage_create(request):
    queries.require_editor(request.user)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = submit(form, power_list.create_item, actor=request.user, **form.cleaned_data)
        if item is not None:
            messages.success(request, "已保存为草稿，核对无误后请提交审核")
            return redirect("enforcement:item-edit", pk=item.pk)
    return render(request, "enforcement/item_form.html", {"form": form, "item": None})


@staff_required
def manage_edit(request, pk: int):
    item = queries.get_item_to_change(request.user, pk)
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        saved = submit(form, power_list.update_item, item, actor=request.user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, "已保存")
            return redirect("enforcement:item-edit", pk=item.pk)
    return _edit_page(request, item, form=form, benchmark_form=BenchmarkForm())


def _edit_page(request, item, *, form, benchmark_form):
    item = queries.get_item_to_change(request.user, item.pk)
    transitions = workflow_api.transition_forms(
        item, request.user, services=power_list.TRANSITION_SERVICES, inputs=TRANSITION_INPUTS
    )
    return render(
        request,
        "enforcement/item_form.html",
        {
            "form": form,
            "item": item,
            "benchmark_form": benchmark_form,
            "transition_forms": transitions,
            "history": workflow.history(item),
        },
    )


@staff_required
def proposals(request):
    """The extractor's proposals for one law: each article's sanctions and ranges, to correct and accept as drafts."""
    queries.require_proposer(request.user)
    search = ProposalSearchForm(request.POST or request.GET)
    law = (request.POST.get("law") or search.values()["law"] or "").strip()
    rows, problem = [], ""
    if law:
        try:
            rows = queries.proposals_for(law)
        except ValidationFailed as error:
            problem = error.message
    form = ProposalAcceptForm(request.POST or None, rows=rows, initial={"law": law})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = submit(
            form,
            power_list.propose_items,
            law=law,
            actor=request.user,
            domain=data["domain"],
            articles=data["articles"],
            corrections=data["corrections"],
        )
        if result is not None:
            messages.success(
                request,
                f"已生成 {len(result['created'])} 个执法事项草稿"
                + (f"，{result['existing']} 条此前已生成" if result["existing"] else "")
                + "，请逐项核对后提交审核",
            )
            return redirect(reverse("enforcement:item-manage") + "?status=draft")
    for row in rows:
        row["sanctions_text"] = request.POST.get(f"sanctions-{row['id']}") or proposal_sanctions_text(row)
        row["checked"] = row["source"] in request.POST.getlist("articles")
    return render(
        request,
        "enforcement/item_proposals.html",
        {"search": search, "law": law, "rows": rows, "form": form, "problem": problem},
    )


@staff_required
@require_POST
def benchmark_add(request, pk: int):
    item = queries.get_item_to_change(request.user, pk)
    form = BenchmarkForm(request.POST)
    if form.is_valid():
        saved = submit(form, power_list.save_benchmark, item, actor=request.user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, "裁量基准已保存")
            return redirect("enforcement:item-edit", pk=item.pk)
    return _edit_page(request, item, form=ItemForm(initial=ItemForm.initial_for(item)), benchmark_form=form)


# Every review button of the edit page posts here (core.workflow_api): submit / publish / return / withdraw.
act = workflow_api.transition_view(
    get=queries.get_item_to_change,
    services=power_list.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    redirect_to=lambda item: reverse("enforcement:item-edit", args=[item.pk]),
)
