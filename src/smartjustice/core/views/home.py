"""The front door: everyone lands on "/", and is sent on to their own starting page."""

from django.shortcuts import redirect, render

from .. import modules
from .guards import is_staff


def home(request):
    """Staff go to the workbench, portal users to the portal, visitors see the public home page."""
    user = request.user
    if user.is_authenticated:
        return redirect("workbench" if is_staff(user) else "portal")
    return render(request, "core/home.html", {"cards": modules.cards_for(user, modules.PUBLIC)})
