"""Pages of 行政执法人员 at /enforcement/officers/: the list (by agency, domain, certificate state, area, name), one
officer with their 行政执法证 state, eligibility, training hours and the forms to issue the certificate and record
training, and "我的执法证" (/enforcement/officers/me/) — the signed-in officer's certificate with its QR code."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from smartjustice.core import access
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import officers
from .forms import CertificateIssueForm, OfficerFilterForm, OfficerRegisterForm, TrainingForm
from .models import EnforcementOfficer


@staff_required
def officer_list(request):
    """The officers the user may see, with their certificate state and whether they can be assigned now."""
    access.require(request.user, "view", EnforcementOfficer)
    visible = officers.list_officers(request.user)
    filters = OfficerFilterForm(request.GET, agencies=officers.agencies_of(visible))
    page = page_of(officers.filter_officers(visible, **filters.values()), request)
    for officer in page.object_list:
        officer.not_assignable = officers.assignable(officer)
        officer.domain_labels = [EnforcementDomain(d).label for d in officer.domains]
    return render(request, "enforcement/officers/list.html", {"filters": filters, "page": page})


@staff_required
def officer_register(request):
    """登记执法人员: register a staff member of the user's own agency as one of its officers."""
    access.require(request.user, "add", EnforcementOfficer)
    agency = request.user.organisation
    form = OfficerRegisterForm(
        request.POST or None,
        staff=officers.registrable_staff(request.user),
        domains=officers.agency_domains(agency) if agency else (),
    )
    if request.method == "POST":
        if form.is_valid():
            officer = submit(
                form,
                officers.register_officer_by_ids,
                actor=request.user,
                agency_id=agency.pk if agency else 0,
                **form.cleaned_data,
            )
            if officer is not None:
                messages.success(request, "已登记，请联系司法行政部门签发行政执法证")
                return redirect("enforcement:officer-detail", pk=officer.pk)
        return render(request, "enforcement/officers/form.html", {"form": form, "agency": agency}, status=422)
    return render(request, "enforcement/officers/form.html", {"form": form, "agency": agency})


def _detail(request, officer, *, issue_form=None, training_form=None, status=200):
    officer = officers.get_officer_for(request.user, officer.pk)
    return render(
        request,
        "enforcement/officers/detail.html",
        {
            "officer": officer,
            "domain_labels": [EnforcementDomain(d).label for d in officer.domains],
            "training": sorted(officer.training_hours.items(), reverse=True),
            "eligibility": officers.eligibility_summary(officer),
            "issue_form": issue_form or CertificateIssueForm(),
            "training_form": training_form or TrainingForm(initial={"year": timezone.localdate().year}),
            "may_issue": access.may(request.user, "credentials.add_credential"),
            "may_change": access.can(request.user, "change", officer),
        },
        status=status,
    )


@staff_required
def officer_detail(request, pk: int):
    """One officer: agency, domains, area, training hours, the live state of their 行政执法证 and eligibility."""
    return _detail(request, officers.get_officer_for(request.user, pk))


@staff_required
@require_POST
def certificate_issue(request, pk: int):
    """Issue the officer's 行政执法证 (the credential service checks the issuer)."""
    officer = officers.get_officer_for(request.user, pk)
    form = CertificateIssueForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["valid_until"]
        valid_until = (
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59))) if day else None
        )
        issued = submit(
            form, officers.issue_certificate, officer, actor=request.user, valid_until=valid_until
        )
        if issued is not None:
            messages.success(request, f"已签发行政执法证 {issued.credential.number}")
            return redirect("enforcement:officer-detail", pk=officer.pk)
    return _detail(request, officer, issue_form=form, status=422)  # refused: nothing changed


@staff_required
@require_POST
def training_record(request, pk: int):
    """Record the officer's training hours for a year."""
    officer = officers.get_officer_for(request.user, pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        saved = submit(form, officers.record_training, officer, actor=request.user, **form.cleaned_data)
        if saved is not None:
            messages.success(request, "培训学时已登记")
            return redirect("enforcement:officer-detail", pk=officer.pk)
    return _detail(request, officer, training_form=form, status=422)  # refused: nothing changed


@login_required
def my_certificate(request):
    """我的执法证: the signed-in officer's certificate, its state and QR code (sized for a phone)."""
    return render(request, "enforcement/officers/me.html", {"card": officers.certificate_card(request.user)})
