"""Pages of 社区矫正 — part: reporting (thin: parse → queries → one service → render)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from smartjustice.core import access, attachments
from smartjustice.core.errors import NotFound
from smartjustice.core.forms import submit
from smartjustice.core.models import Jurisdiction
from smartjustice.core.pagination import page_of

from . import reporting, reporting_queries, rules
from .forms_reporting import (
    CheckInFilterForm,
    StaffCheckInForm,
    SupervisionRecordFilterForm,
    SupervisionRecordForm,
)
from .models import CheckIn, SupervisionRecord


def _regions(user):
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    if own is None:
        return []
    return list(Jurisdiction.objects.filter(parent_id=own.code).order_by("code"))


def _day_bounds(values: dict) -> dict:
    """The filter's dates as the start of `since` and the end of `until` (local time)."""
    for name, end in (("since", False), ("until", True)):
        day = values.get(name)
        if isinstance(day, datetime.date):
            moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
            values[name] = timezone.make_aware(moment)
        else:
            values[name] = None
    return values


@login_required
def check_in_list(request):
    access.require(request.user, "view", CheckIn)
    filters = CheckInFilterForm(request.GET, regions=_regions(request.user))
    values = _day_bounds(filters.values())
    late = values.pop("late")
    values["late"] = True if late == "1" else (False if late == "0" else None)
    page = page_of(reporting_queries.list_check_ins(request.user, **values), request)
    return render(request, "correction/reporting/check_in_list.html", {"page": page, "filters": filters})


@login_required
def check_in_detail(request, pk: int):
    check_in = reporting_queries.get_check_in_for(request.user, pk)
    return render(
        request,
        "correction/reporting/check_in_detail.html",
        {"check_in": check_in, "subject": check_in.subject, "rule": rules.CHECK_IN_RECORDED},
    )


@login_required
def check_in_receipt(request, pk: int):
    check_in = reporting_queries.get_check_in_for(request.user, pk)
    name, text = reporting.download_receipt(check_in, actor=request.user)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def check_in_photo(request, pk: int):
    check_in = reporting_queries.get_check_in_for(request.user, pk)
    if check_in.photo_id is None:
        raise NotFound("该报到没有现场照片")
    photo = attachments.get_attachment_for(request.user, check_in.photo_id)
    return attachments.download_response(photo, actor=request.user)


@login_required
def visit_list(request):
    access.require(request.user, "view", SupervisionRecord)
    filters = SupervisionRecordFilterForm(request.GET, regions=_regions(request.user))
    values = _day_bounds(filters.values())
    page = page_of(reporting_queries.list_supervision_records(request.user, **values), request)
    return render(request, "correction/reporting/visit_list.html", {"page": page, "filters": filters})


@login_required
def visit_detail(request, pk: int):
    record = reporting_queries.get_supervision_record_for(request.user, pk)
    return render(
        request, "correction/reporting/visit_detail.html", {"record": record, "subject": record.subject}
    )


def _timeline_context(request, subject, *, check_in_form=None, visit_form=None) -> dict:
    due = subject.next_report_due_at
    return {
        "subject": subject,
        "items": reporting_queries.timeline(request.user, subject),
        "schedule_days": reporting.schedule_days(subject),
        "overdue": bool(due and due < timezone.now()),
        "may_check_in": access.may_do(request.user, "add", CheckIn) and subject.under_correction,
        "may_record": access.may_do(request.user, "add", SupervisionRecord) and subject.under_correction,
        "check_in_form": check_in_form or StaffCheckInForm(),
        "visit_form": visit_form or SupervisionRecordForm(),
        "schedule_rule": rules.REPORTING_SCHEDULES,
        "methods_rule": rules.SUPERVISION_METHODS,
        "privacy_rule": rules.FIELD_VISIT_PRIVACY,
    }


@login_required
def subject_supervision(request, subject_pk: int):
    access.require(request.user, "view", SupervisionRecord)
    subject = reporting_queries.get_subject_for(request.user, subject_pk)
    return render(
        request, "correction/reporting/subject_supervision.html", _timeline_context(request, subject)
    )


@login_required
@require_POST
def subject_check_in(request, subject_pk: int):
    subject = reporting_queries.get_subject_for(request.user, subject_pk)
    form = StaffCheckInForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        record = submit(
            form,
            reporting.check_in,
            subject,
            actor=request.user,
            channel=data["channel"],
            checked_at=data["checked_at"],
            report=data["report"],
            photo=data["photo"],
        )
        if record is not None:
            messages.success(
                request, f"已登记报到，下次报告截止 {timezone.localtime(record.next_due_at):%Y-%m-%d %H:%M}"
            )
            return redirect("correction:subject-supervision", subject_pk=subject.pk)
    context = _timeline_context(request, subject, check_in_form=form)
    return render(request, "correction/reporting/subject_supervision.html", context, status=400)


@login_required
@require_POST
def subject_visit(request, subject_pk: int):
    subject = reporting_queries.get_subject_for(request.user, subject_pk)
    form = SupervisionRecordForm(request.POST)
    if form.is_valid():
        record = submit(form, reporting.record_supervision, subject, actor=request.user, **form.cleaned_data)
        if record is not None:
            messages.success(request, f"已登记{record.get_kind_display()}记录")
            return redirect("correction:subject-supervision", subject_pk=subject.pk)
    context = _timeline_context(request, subject, visit_form=form)
    return render(request, "correction/reporting/subject_supervision.html", context, status=400)


def receipt_help(request):
    """How a check-in receipt is verified offline, with the public keys to pin (open to anyone: a third party the
    subject shows the receipt to needs no account)."""
    from . import receipts

    return render(
        request,
        "correction/reporting/receipt_help.html",
        {
            "keys": reporting_queries.receipt_keys(),
            "explanation": receipts.EXPLANATION,
            "format": receipts.FORMAT,
            "log": receipts.LEDGER_LOG,
        },
    )
