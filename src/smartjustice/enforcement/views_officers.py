"""Pages of 行政执法人员 at /enforcement/officers/: the list (by domain, area, name) and one officer with their
行政执法证 state and where they may enforce."""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from smartjustice.core import access
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.forms import BLANK, FilterForm
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import officers
from .models import EnforcementOfficer


class OfficerFilterForm(FilterForm):
    q = forms.CharField(
        label="姓名", required=False, max_length=50, widget=forms.TextInput(attrs={"type": "search"})
    )
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)
    jurisdiction = forms.RegexField(label="区划代码", required=False, regex=r"^\d{12}$", max_length=12)


@staff_required
def officer_list(request):
    """The officers the user may see, with their certificate state."""
    access.require(request.user, "view", EnforcementOfficer)
    filters = OfficerFilterForm(request.GET)
    page = page_of(
        officers.filter_officers(officers.list_officers(request.user), **filters.values()), request
    )
    return render(request, "enforcement/officers/list.html", {"filters": filters, "page": page})


@staff_required
def officer_detail(request, pk: int):
    """One officer: agency, domains, area, training hours and the live state of their 行政执法证."""
    officer = officers.get_officer_for(request.user, pk)
    return render(
        request,
        "enforcement/officers/detail.html",
        {
            "officer": officer,
            "domain_labels": [EnforcementDomain(d).label for d in officer.domains],
            "training": sorted(officer.training_hours.items(), reverse=True),
        },
    )
