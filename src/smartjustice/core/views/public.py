"""Public pages: about the platform, and the directory of organisations (nothing personal in either)."""

from django.shortcuts import render

from .. import queries
from ..forms import OrganisationFilterForm
from ..pagination import page_of


def about(request):
    return render(request, "core/public/about.html")


def directory(request):
    filters = OrganisationFilterForm(request.GET, public=True)
    page = page_of(queries.public_organisations(**filters.values()), request)
    return render(request, "core/public/directory.html", {"filters": filters, "page": page})
