"""API of 社区矫正 — part: command (helper G): live counts, the alert feed (poll with the last id), statistics, risk
scores and 脱管 incidents with their workflow steps. Parse → queries → one service → schema."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import access, workflow, workflow_api
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import command, command_queries, risk, statistics
from .command_schemas import (
    INCIDENT_TRANSITION_INPUTS,
    CommandCountsOut,
    CommandFeedFilter,
    CommandFeedItemOut,
    CorrectionStatisticsOut,
    IncidentDetailOut,
    IncidentFilter,
    IncidentNoteIn,
    IncidentOpenIn,
    IncidentOut,
    RiskAssessIn,
    RiskScoreFilter,
    RiskScoreOut,
)
from .models import AbscondingIncident, CorrectionAlert, CorrectionSubject, RiskScore

router = Router()


# --- dashboard ------------------------------------------------------------------------------------------------------


@router.get("/command/counts", response=CommandCountsOut, auth=API_AUTH, summary="指挥中心：实时数据")
def command_counts(request):
    access.require(request.auth, "view", CorrectionAlert)
    return command_queries.live_counts(request.auth)


@router.get(
    "/command/feed",
    response=list[CommandFeedItemOut],
    auth=API_AUTH,
    summary="预警动态：编号大于 after 的新预警（按编号升序，轮询时传入上次最后一条的编号）",
)
def command_feed(request, filters: Query[CommandFeedFilter]):
    access.require(request.auth, "view", CorrectionAlert)
    return command_queries.alert_feed(request.auth, after=filters.after, limit=filters.limit)


@router.get(
    "/statistics",
    response=CorrectionStatisticsOut,
    auth=API_AUTH,
    summary="统计分析：按类别、等级、地区、风险",
)
def correction_statistics(request):
    access.require(request.auth, "view", CorrectionSubject)
    return statistics.overview(request.auth)


# --- risk -----------------------------------------------------------------------------------------------------------


@router.get("/risk-scores", response=list[RiskScoreOut], auth=API_AUTH, summary="风险评估记录（新的在前）")
@paginate(PageNumberPagination)
def list_risk_scores(request, filters: Query[RiskScoreFilter]):
    access.require(request.auth, "view", RiskScore)
    return command_queries.list_scores(request.auth, **filters.dict())


@router.get(
    "/risk-scores/{score_id}", response=RiskScoreOut, auth=API_AUTH, summary="风险评估详情（各因素贡献）"
)
def get_risk_score(request, score_id: int):
    return command_queries.get_score_for(request.auth, score_id)


@router.post("/risk-scores", response={201: RiskScoreOut}, auth=API_AUTH, summary="重新评估一名对象的风险")
def assess_risk(request, payload: RiskAssessIn):
    subject = command_queries.get_subject_for_risk(request.auth, payload.subject_id, action="change")
    score = risk.assess_subject(subject, actor=request.auth)
    return Status(201, command_queries.get_score_for(request.auth, score.pk))


# --- 脱管 incidents -------------------------------------------------------------------------------------------------


def _detail(request, incident):
    incident._history = list(workflow.history(incident))
    return incident


@router.get("/incidents", response=list[IncidentOut], auth=API_AUTH, summary="脱管查找")
@paginate(PageNumberPagination)
def list_incidents(request, filters: Query[IncidentFilter]):
    access.require(request.auth, "view", AbscondingIncident)
    return command_queries.list_incidents(request.auth, **filters.dict())


@router.post(
    "/incidents", response={201: IncidentDetailOut}, auth=API_AUTH, summary="启动脱管查找（第三十条）"
)
def open_incident(request, payload: IncidentOpenIn):
    subject = command_queries.get_subject_for_incident(request.auth, payload.subject_id)
    alert = command_queries.get_alert_for(request.auth, payload.alert_id) if payload.alert_id else None
    incident = command.open_incident(subject, actor=request.auth, alert=alert, note=payload.note)
    return Status(201, _detail(request, command_queries.get_incident_for(request.auth, incident.pk)))


@router.get("/incidents/{incident_id}", response=IncidentDetailOut, auth=API_AUTH, summary="脱管查找详情")
def get_incident(request, incident_id: int):
    return _detail(request, command_queries.get_incident_for(request.auth, incident_id))


@router.post(
    "/incidents/{incident_id}/notes", response=IncidentDetailOut, auth=API_AUTH, summary="记录查找情况"
)
def add_incident_note(request, incident_id: int, payload: IncidentNoteIn):
    incident = command_queries.get_incident_for(request.auth, incident_id, action="change")
    command.add_note(incident, actor=request.auth, text=payload.text, found=payload.found)
    return _detail(request, command_queries.get_incident_for(request.auth, incident_id))


workflow_api.transition_routes(
    router,
    path="/incidents",
    model=AbscondingIncident,
    get_for=command_queries.get_incident_for,
    detail=_detail,
    response=IncidentDetailOut,
    services=command.TRANSITION_SERVICES,
    inputs=INCIDENT_TRANSITION_INPUTS,
    id_param="incident_id",
)
