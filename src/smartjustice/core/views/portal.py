"""The citizen and enterprise portal: sign-up and the portal home."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render

from .. import modules, services
from ..forms import RegistrationForm, submit
from .guards import portal_required


@portal_required
def portal_home(request):
    return render(
        request, "core/portal/home.html", {"cards": modules.cards_for(request.user, modules.PORTAL)}
    )


def register(request):
    """A citizen (with an ID number) or an enterprise (with a USCC) opens a portal account and is signed in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = (
            "username",
            "password",
            "kind",
            "real_name",
            "id_number",
            "phone",
            "enterprise_name",
            "uscc",
        )
        user = submit(form, services.register_portal_account, **{name: data[name] for name in fields})
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功，欢迎使用。")
            return redirect("portal")
    return render(request, "core/portal/register.html", {"form": form})
