"""Staff accounts: list, detail (personal information masked until revealed, and the reveal is logged), create, roles."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .. import access, lockout, queries, services
from ..forms import RolesForm, StaffForm, UserFilterForm, submit
from ..pagination import page_of
from .guards import staff_required


@staff_required
def staff_list(request):
    access.require_permission(request.user, "core.view_user")
    filters = UserFilterForm(request.GET, user=request.user)
    page = page_of(queries.list_users(request.user, **filters.values()), request)
    return render(
        request,
        "core/staff/list.html",
        {
            "filters": filters,
            "page": page,
            "may_add": access.has_permission(request.user, "core.add_user"),
            "may_export": access.has_permission(request.user, "core.export_user"),
        },
    )


@staff_required
def staff_detail(request, pk: int):
    subject = queries.get_user_for(request.user, pk)
    return _detail(request, subject, revealed=False)


@staff_required
def staff_reveal(request, pk: int):
    """POST: show the personal information unmasked — allowed or not, decided and logged by the service."""
    subject = queries.get_user_for(request.user, pk)
    if request.method != "POST":
        return redirect("staff-detail", pk=subject.pk)
    revealed = services.reveal_personal_information(subject, actor=request.user, channel="网页")
    if not revealed:
        messages.error(request, "您没有查看完整个人信息的权限。")
    if request.headers.get("HX-Request"):
        return render(
            request,
            "partials/pii_card.html",
            {"subject": subject, "revealed": revealed, "reveal_url": request.path},
        )
    return _detail(request, subject, revealed=revealed)


def _detail(request, subject, *, revealed: bool):
    return render(
        request,
        "core/staff/detail.html",
        {
            "subject": subject,
            "revealed": revealed,
            "roles": subject.roles.all(),
            "may_reveal": access.may_view_pii(request.user, subject),
            "may_change": access.can(request.user, "change", subject),
            "locked": lockout.is_locked(subject),
            "may_unlock": lockout.may_unlock(request.user, subject),
        },
    )


@staff_required
def staff_create(request):
    access.require_permission(request.user, "core.add_user")
    form = StaffForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = submit(form, services.create_staff_account, actor=request.user, **form.cleaned_data)
        if user is not None:
            messages.success(request, f"已为“{user.real_name}”开通账号。")
            return redirect("staff-detail", pk=user.pk)
    return render(request, "core/staff/form.html", {"form": form})


@staff_required
def staff_roles(request, pk: int):
    subject = queries.get_user_for(request.user, pk, action="change")
    form = RolesForm(request.POST or None, initial={"roles": sorted(subject.role_codes())})
    if request.method == "POST" and form.is_valid():
        updated = submit(
            form, services.set_roles, subject, actor=request.user, roles=form.cleaned_data["roles"]
        )
        if updated is not None:
            messages.success(request, "角色已更新。")
            return redirect("staff-detail", pk=subject.pk)
    return render(request, "core/staff/roles.html", {"form": form, "subject": subject})
