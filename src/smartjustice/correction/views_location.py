"""Pages of 社区矫正 — part: location (alerts and their handling, why an alert fired on an offline map, track
replay, the fence editor, 电子定位装置 approvals). Thin: parse → queries → one service → render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from smartjustice.core import access, workflow, workflow_api
from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of

from . import alerts, location, location_queries, rules
from .forms_location import AlertFilterForm, FenceForm, MonitoringForm, ReasonForm, TrackForm
from .location_maps import alert_map, editor_map, track_map
from .location_schemas import MONITORING_TRANSITION_INPUTS
from .models import CorrectionAlert, ElectronicMonitoring, Geofence

# --- alerts ---------------------------------------------------------------------------------------------------------


@login_required
def alert_list(request):
    access.require(request.user, "view", CorrectionAlert)
    filters = AlertFilterForm(request.GET, regions=location_queries.region_choices(request.user))
    page = page_of(location_queries.list_alerts(request.user, **filters.values()), request)
    now = timezone.now()
    for alert in page.object_list:
        alert.overdue = alert.status in location_queries.OPEN_ALERT_STATES and alert.handle_by < now
    return render(request, "correction/location/alert_list.html", {"page": page, "filters": filters})


def _get_alert(user, pk):
    return location_queries.get_alert_for(user, pk)


@login_required
def alert_detail(request, pk: int):
    alert = _get_alert(request.user, pk)
    points = location_queries.alert_points(alert)
    return render(
        request,
        "correction/location/alert_detail.html",
        {
            "alert": alert,
            "overdue": alert.status in location_queries.OPEN_ALERT_STATES
            and alert.handle_by < timezone.now(),
            "evidence_points": alert.evidence.get("points", []),
            "map": alert_map(alert, points),
            "transition_forms": workflow_api.transition_forms(
                alert,
                request.user,
                services=alerts.TRANSITION_SERVICES,
                inputs=alerts.ALERT_TRANSITION_INPUTS,
            ),
            "history": workflow.history(alert),
        },
    )


alert_act = workflow_api.transition_view(
    get=_get_alert,
    services=alerts.TRANSITION_SERVICES,
    inputs=alerts.ALERT_TRANSITION_INPUTS,
    redirect_to=lambda alert: reverse("correction:alert-detail", args=[alert.pk]),
)


# --- track replay ---------------------------------------------------------------------------------------------------


@login_required
def track(request, subject_pk: int):
    subject = location_queries.get_subject_for(request.user, subject_pk)
    access.require(request.user, "view", Geofence)
    form = TrackForm(request.GET)
    values = form.values()
    until = values["until"] or timezone.now()
    since = values["since"] or until - timedelta(days=1)
    if until <= since or until - since > location_queries.MAX_TRACK_RANGE:
        messages.error(request, "时间范围应为 31 天以内，且结束晚于开始；已显示最近 24 小时")
        until, since = timezone.now(), timezone.now() - timedelta(days=1)
    location.record_track_view(subject, actor=request.user, start=since, end=until)
    points = location_queries.track_points(subject.pk, since, until)
    return render(
        request,
        "correction/location/track.html",
        {
            "subject": subject,
            "form": form,
            "since": since,
            "until": until,
            "points": points,
            "map": track_map(subject, points),
            "alerts": location_queries.list_alerts(request.user, subject=subject.pk)[:10],
        },
    )


# --- fences ---------------------------------------------------------------------------------------------------------


@login_required
def fence_list(request):
    access.require(request.user, "view", Geofence)
    subject = request.GET.get("subject")
    page = page_of(
        location_queries.list_fences(
            request.user, subject=int(subject) if (subject or "").isdigit() else None
        ),
        request,
    )
    return render(
        request,
        "correction/location/fence_list.html",
        {"page": page, "may_add": access.may_do(request.user, "add", Geofence)},
    )


@login_required
def fence_new(request):
    access.require(request.user, "add", Geofence)
    subjects = location_queries.subject_choices(request.user, action="change")
    initial = {"subject": request.GET.get("subject")} if request.GET.get("subject") else None
    form = FenceForm(request.POST or None, subjects=subjects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        subject = location_queries.get_subject_for(request.user, data.pop("subject"), action="change")
        fence = submit(form, location.create_fence, subject, actor=request.user, **data)
        if fence is not None:
            messages.success(request, f"已设置电子围栏“{fence.name}”")
            return redirect(f"{reverse('correction:fence-list')}?subject={subject.pk}")
    subject_pk = form["subject"].value() if "subject" in form.fields else None
    subject = None
    if subject_pk and str(subject_pk).isdigit():
        subject = subjects.filter(pk=int(subject_pk)).first()
    return render(
        request,
        "correction/location/fence_form.html",
        {"form": form, "fence": None, "map": editor_map(subject, None)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def fence_edit(request, pk: int):
    fence = location_queries.get_fence_for(request.user, pk, action="change")
    initial = {
        "name": fence.name,
        "geometry": fence.geometry,
        "window_start": fence.window_start,
        "window_end": fence.window_end,
        "basis": fence.basis,
    }
    form = FenceForm(request.POST or None, editing=True, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(form, location.update_fence, fence, actor=request.user, **form.cleaned_data) is not None
    ):
        messages.success(request, "电子围栏已修改")
        return redirect(f"{reverse('correction:fence-list')}?subject={fence.subject_id}")
    return render(
        request,
        "correction/location/fence_form.html",
        {
            "form": form,
            "fence": fence,
            "reason_form": ReasonForm(),
            "map": editor_map(fence.subject, fence),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def fence_deactivate(request, pk: int):
    fence = location_queries.get_fence_for(request.user, pk, action="change")
    form = ReasonForm(request.POST)
    if form.is_valid() and submit(
        form, location.deactivate_fence, fence, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, "电子围栏已停用")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors) or "停用失败")
    return redirect(f"{reverse('correction:fence-list')}?subject={fence.subject_id}")


# --- 电子定位装置 (第二十九条) --------------------------------------------------------------------------------------


@login_required
def monitoring_list(request):
    access.require(request.user, "view", ElectronicMonitoring)
    status = request.GET.get("status", "")
    page = page_of(location_queries.list_monitoring(request.user, status=status), request)
    return render(
        request,
        "correction/location/monitoring_list.html",
        {"page": page, "status": status, "may_add": access.may_do(request.user, "add", ElectronicMonitoring)},
    )


@login_required
def monitoring_new(request):
    access.require(request.user, "add", ElectronicMonitoring)
    subjects = location_queries.subject_choices(request.user, action="change")
    previous = None
    if (request.GET.get("extend") or "").isdigit():
        previous = location_queries.get_monitoring_for(request.user, int(request.GET["extend"]))
    initial = {}
    if previous is not None:
        start = previous.ends_on + timedelta(days=1)
        initial = {
            "subject": previous.subject_id,
            "ground": previous.ground,
            "device_number": previous.device_number,
            "starts_on": start,
            "ends_on": location.monitoring_limit(start),
            "extension_of": previous.pk,
        }
    form = MonitoringForm(request.POST or None, subjects=subjects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        subject = location_queries.get_subject_for(request.user, data.pop("subject"), action="change")
        extension_of = data.pop("extension_of")
        if extension_of:
            extension_of = location_queries.get_monitoring_for(request.user, extension_of)
        created = submit(
            form,
            location.propose_electronic_monitoring,
            subject,
            actor=request.user,
            extension_of=extension_of or None,
            **data,
        )
        if created is not None:
            messages.success(request, "已提请使用电子定位装置，待县级司法行政部门负责人批准")
            return redirect("correction:monitoring-detail", pk=created.pk)
    return render(
        request,
        "correction/location/monitoring_form.html",
        {
            "form": form,
            "previous": previous,
            "ground_rule": rules.ELECTRONIC_MONITORING_GROUNDS,
            "period_rule": rules.ELECTRONIC_MONITORING_PERIOD,
        },
        status=400 if request.method == "POST" else 200,
    )


def _get_monitoring(user, pk):
    return location_queries.get_monitoring_for(user, pk)


@login_required
def monitoring_detail(request, pk: int):
    monitoring = _get_monitoring(request.user, pk)
    return render(
        request,
        "correction/location/monitoring_detail.html",
        {
            "monitoring": monitoring,
            "transition_forms": workflow_api.transition_forms(
                monitoring,
                request.user,
                services=location.MONITORING_TRANSITION_SERVICES,
                inputs=MONITORING_TRANSITION_INPUTS,
            ),
            "history": workflow.history(monitoring),
            "may_extend": monitoring.status in ("active", "ended")
            and access.can(request.user, "change", monitoring)
            and not monitoring.extensions.exclude(status="refused").exists(),
            "ground_rule": rules.ELECTRONIC_MONITORING_GROUNDS,
            "period_rule": rules.ELECTRONIC_MONITORING_PERIOD,
            "purpose_rule": rules.LOCATION_DATA_PURPOSE,
        },
    )


monitoring_act = workflow_api.transition_view(
    get=_get_monitoring,
    services=location.MONITORING_TRANSITION_SERVICES,
    inputs=MONITORING_TRANSITION_INPUTS,
    redirect_to=lambda m: reverse("correction:monitoring-detail", args=[m.pk]),
)
