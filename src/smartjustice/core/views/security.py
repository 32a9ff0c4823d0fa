"""Account security pages for staff: real-name verification at a service window, lifting a sign-in lock."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from .. import access, lockout, queries, verification
from ..errors import PermissionDenied
from ..forms import StyledForm, submit
from .guards import staff_required


class InPersonVerificationForm(StyledForm):
    username = forms.CharField(
        label="平台用户名", max_length=150, help_text="请申请人告知其在平台注册的用户名"
    )
    real_name = forms.CharField(label="证件上的姓名", max_length=64)
    id_number = forms.CharField(label="证件上的身份证号码", max_length=32)
    note = forms.CharField(
        label="备注（选填）", max_length=300, required=False, help_text="如：服务窗口名称、证件核对情况"
    )


@staff_required
def identity_verify(request):
    """实名核验: staff at a service window confirm that the ID card in front of them matches an account."""
    if not access.may(request.user, verification.VERIFY_PERMISSION):
        raise PermissionDenied("您没有办理实名核验的权限")
    form = InPersonVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(form, verification.verify_in_person, actor=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, f"账号“{done.user.get_username()}”已完成实名核验。")
            return redirect("identity-verify")
    return render(
        request,
        "core/identity/verify.html",
        {"form": form, "method": verification.get_verifier(verification.InPersonVerifier.method)},
    )


@staff_required
def staff_unlock(request, pk: int):
    """POST: lift the sign-in lock of an account in the administrator's jurisdiction (audited)."""
    subject = queries.get_user_for(request.user, pk)
    if request.method == "POST":
        lockout.unlock_account(subject, actor=request.user)
        messages.success(request, f"已解除账号“{subject.get_username()}”的登录锁定。")
    return redirect("staff-detail", pk=subject.pk)
