"""Organisations: list (search, filters, pages, CSV), detail, create, edit — through core.queries and core.services."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .. import access, queries, services
from ..forms import OrganisationFilterForm, OrganisationForm, submit
from ..pagination import page_of
from .guards import staff_required


@staff_required
def organisation_list(request):
    filters = OrganisationFilterForm(request.GET, user=request.user)
    page = page_of(queries.list_organisations(request.user, **filters.values()), request)
    return render(
        request,
        "core/organisations/list.html",
        {
            "filters": filters,
            "page": page,
            "may_add": access.has_permission(request.user, "core.add_organisation"),
            "may_export": access.has_permission(request.user, "core.export_organisation"),
        },
    )


@staff_required
def organisation_detail(request, pk: int):
    user = request.user
    org = queries.get_organisation_for(user, pk)
    staff = (
        queries.list_users(user, organisation=org.pk)
        if access.has_permission(user, "core.view_user")
        else None
    )
    return render(
        request,
        "core/organisations/detail.html",
        {
            "org": org,
            "children": queries.list_organisations(user).filter(parent=org),
            "staff": staff[:50] if staff is not None else None,
            "may_change": access.can(user, "change", org),
        },
    )


@staff_required
def organisation_create(request):
    access.require_permission(request.user, "core.add_organisation")
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        org = submit(form, services.create_organisation, actor=request.user, **form.cleaned_data)
        if org is not None:
            messages.success(request, f"已新增组织机构“{org.name}”。")
            return redirect("organisation-detail", pk=org.pk)
    return render(request, "core/organisations/form.html", {"form": form, "org": None})


@staff_required
def organisation_edit(request, pk: int):
    org = queries.get_organisation_for(request.user, pk, action="change")
    initial = {name: getattr(org, name) for name in services.ORGANISATION_FIELDS}
    form = OrganisationForm(request.POST or None, user=request.user, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = submit(form, services.update_organisation, org, actor=request.user, **form.cleaned_data)
        if updated is not None:
            messages.success(request, "已保存修改。")
            return redirect("organisation-detail", pk=org.pk)
    return render(request, "core/organisations/form.html", {"form": form, "org": org})
