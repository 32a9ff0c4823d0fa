"""Pages of 社区矫正 — part: command (helper G): the command dashboard (live counts and an alert feed that polls the
API, open alerts on the Guangdong map), the statistics page, the risk pages and the 脱管 incidents. Thin: parse →
queries → one service → render."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access, maps, workflow, workflow_api
from smartjustice.core.forms import submit
from smartjustice.core.models import Jurisdiction
from smartjustice.core.pagination import page_of

from . import command, command_queries, risk, rules, statistics
from .command_forms import IncidentFilterForm, IncidentNoteForm, IncidentOpenForm, RiskFilterForm
from .command_schemas import INCIDENT_TRANSITION_INPUTS
from .models import AbscondingIncident, CorrectionAlert, CorrectionSubject, RiskScore

FEED_POLL_SECONDS = 15


def _regions(user):
    """The divisions one level below the user's own (the region filter)."""
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    if own is None:
        return []
    return list(Jurisdiction.objects.filter(parent_id=own.code).order_by("code"))


def _quick_actions(alerts, user) -> None:
    """The handling steps (联系/核实/误报/转脱管) `user` may take on each alert now, as (label, style, url): drawn
    as buttons of one form posting the note to the alert's own step view (helper D's page takes them)."""
    for alert in alerts:
        alert.actions = []
        for step in workflow.available_transitions(alert, user):
            try:
                url = reverse("correction:alert-act", args=[alert.pk, step.name])
            except NoReverseMatch:
                continue
            alert.actions.append((step.label, step.style, url))


@login_required
def dashboard(request):
    access.require(request.user, "view", CorrectionAlert)
    user = request.user
    feed = command_queries.latest_alerts(user)
    _quick_actions(feed, user)
    region_map = maps.region_map(
        command_queries.open_alerts_by_code(user),
        level=statistics.map_level(user),
        title="待处置预警",
        unit="条",
        key="command-alerts",
    )
    return render(
        request,
        "correction/command/dashboard.html",
        {
            "counts": command_queries.live_counts(user),
            "feed": feed,
            "last_id": max((a.pk for a in feed), default=0),
            "region_map": region_map,
            "incidents": command_queries.list_incidents(user, status="open")[:10],
            "high_risk": command_queries.list_risk(user, level="high")[:10]
            if access.may_do(user, "view", RiskScore)
            else [],
            "poll_seconds": FEED_POLL_SECONDS,
            "feed_url": "/api/v1/correction/command/feed",
            "counts_url": "/api/v1/correction/command/counts",
            "rule": rules.ABSCONDING_SEARCH,
        },
    )


@login_required
def statistics_page(request):
    access.require(request.user, "view", CorrectionSubject)
    data = statistics.overview(request.user)
    region_map = maps.region_map(
        data["by_code"],
        level=statistics.map_level(request.user),
        title="在矫人数",
        unit="人",
        key="correction-subjects",
    )
    return render(
        request,
        "correction/command/statistics.html",
        {
            "data": data,
            "region_map": region_map,
            "levels": rules.RISK_LEVELS,
            "trend_rows": [
                {"month": m, "intake": i, "released": r, "alerts": a}
                for m, i, r, a in zip(
                    data["trend"]["months"],
                    data["trend"]["intake"],
                    data["trend"]["released"],
                    data["trend"]["alerts"],
                    strict=True,
                )
            ],
        },
    )


# --- risk ---------------------------------------------------------------------------------------------------------


@login_required
def risk_list(request):
    access.require(request.user, "view", RiskScore)
    filters = RiskFilterForm(request.GET, regions=_regions(request.user))
    page = page_of(command_queries.list_risk(request.user, **filters.values()), request)
    return render(
        request,
        "correction/command/risk_list.html",
        {"page": page, "filters": filters, "levels": rules.RISK_LEVELS, "factors": risk.FACTORS},
    )


@login_required
def risk_detail(request, pk: int):
    subject = command_queries.get_subject_for_risk(request.user, pk)
    history = list(command_queries.score_history(subject)[:20])
    latest = history[0] if history else None
    preview = None if latest is not None else risk.preview(subject)
    return render(
        request,
        "correction/command/risk_detail.html",
        {
            "subject": subject,
            "latest": latest,
            "preview": preview,
            "factors": latest.factors if latest is not None else preview.factors_json(),
            "history": history,
            "trend": [{"at": f"{s.computed_at:%Y-%m-%d}", "score": s.score} for s in reversed(history)],
            "may_assess": access.can(request.user, "change", subject),
            "may_open_incident": subject.under_correction
            and access.may_do(request.user, "add", AbscondingIncident)
            and access.can(request.user, "change", subject),
            "open_incident": command.open_incident_for(subject),
            "levels": rules.RISK_LEVELS,
            "max_score": risk.MAX_SCORE,
            "open_form": IncidentOpenForm(),
        },
    )


@login_required
@require_POST
def risk_assess(request, pk: int):
    subject = command_queries.get_subject_for_risk(request.user, pk, action="change")
    score = risk.assess_subject(subject, actor=request.user)
    messages.success(request, f"已重新评估：{score.score:g} 分（{score.get_level_display()}）")
    return redirect("correction:risk-detail", pk=subject.pk)


# --- 脱管 incidents -------------------------------------------------------------------------------------------------


@login_required
def incident_list(request):
    access.require(request.user, "view", AbscondingIncident)
    data = request.GET.copy()
    data.setdefault("status", "open")
    filters = IncidentFilterForm(data, regions=_regions(request.user))
    page = page_of(command_queries.list_incidents(request.user, **filters.values()), request)
    return render(request, "correction/command/incident_list.html", {"page": page, "filters": filters})


def _get_incident(user, pk):
    return command_queries.get_incident_for(user, pk)


def _timed(note: dict) -> dict:
    try:
        return {**note, "at": datetime.fromisoformat(note.get("at", ""))}
    except (TypeError, ValueError):
        return {**note, "at": None}


def _incident_page(request, incident, *, note_form=None, status=200):
    return render(
        request,
        "correction/command/incident_detail.html",
        {
            "incident": incident,
            "subject": incident.subject,
            "alert_url": command_queries.alert_url(incident.alert_id) if incident.alert_id else "",
            "transition_forms": workflow_api.transition_forms(
                incident,
                request.user,
                services=command.TRANSITION_SERVICES,
                inputs=INCIDENT_TRANSITION_INPUTS,
            ),
            "history": workflow.history(incident),
            "notes": [_timed(note) for note in reversed(incident.notes)],
            "note_form": note_form or IncidentNoteForm(),
            "may_note": incident.status != "closed" and access.can(request.user, "change", incident),
            "rule": rules.ABSCONDING_SEARCH,
            "deadlines": rules.ABSCONDING_DEADLINES,
            "found_rule": rules.ABSCONDING_FOUND,
        },
        status=status,
    )


@login_required
def incident_detail(request, pk: int):
    return _incident_page(request, _get_incident(request.user, pk))


incident_act = workflow_api.transition_view(
    get=_get_incident,
    services=command.TRANSITION_SERVICES,
    inputs=INCIDENT_TRANSITION_INPUTS,
    redirect_to=lambda incident: reverse("correction:incident-detail", args=[incident.pk]),
)


@login_required
@require_POST
def incident_note(request, pk: int):
    incident = command_queries.get_incident_for(request.user, pk, action="change")
    form = IncidentNoteForm(request.POST)
    if form.is_valid() and submit(form, command.add_note, incident, actor=request.user, **form.cleaned_data):
        messages.success(request, "已记录查找情况")
        return redirect("correction:incident-detail", pk=incident.pk)
    return _incident_page(request, incident, note_form=form, status=400)


@login_required
@require_POST
def incident_open(request, subject_id: int):
    subject = command_queries.get_subject_for_incident(request.user, subject_id)
    alert_id = request.POST.get("alert") or ""
    alert = command_queries.get_alert_for(request.user, alert_id) if alert_id.isdigit() else None
    form = IncidentOpenForm(request.POST)
    if form.is_valid():
        incident = submit(
            form,
            command.open_incident,
            subject,
            actor=request.user,
            alert=alert,
            note=form.cleaned_data["note"],
        )
        if incident is not None:
            messages.success(request, f"已启动脱管查找 {incident.number}")
            return redirect("correction:incident-detail", pk=incident.pk)
    errors = "；".join(e for errs in form.errors.values() for e in errs)
    messages.error(request, errors or "启动脱管查找失败")
    return redirect("correction:risk-detail", pk=subject.pk)
