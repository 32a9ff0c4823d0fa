"""My account: profile (own personal information, masked until I ask), password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render

from .. import services
from ..forms import PasswordChangeForm, submit
from .guards import login_required


@login_required
def profile(request):
    """Own details; POST reveals them unmasked (viewing one's own record is not logged)."""
    user = request.user
    revealed = request.method == "POST" and services.reveal_personal_information(
        user, actor=user, channel="网页"
    )
    return render(request, "accounts/profile.html", {"subject": user, "revealed": revealed})


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = submit(
            form,
            services.change_password,
            request.user,
            actor=request.user,
            old_password=data["old_password"],
            new_password=data["new_password"],
        )
        if user is not None:
            update_session_auth_hash(request, user)  # stay signed in on this device
            messages.success(request, "密码已修改。")
            return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})
