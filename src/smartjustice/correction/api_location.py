"""API of 社区矫正 — part: location (GPS batches, alerts and their handling, fences, tracks, 电子定位装置).
Parse → queries → one service → schema."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import access, workflow, workflow_api
from smartjustice.core.auth import API_AUTH
from smartjustice.core.errors import ValidationFailed
from smartjustice.core.pagination import PageNumberPagination

from . import alerts, location, location_queries
from .location_schemas import (
    MONITORING_TRANSITION_INPUTS,
    AlertDetailOut,
    AlertFilter,
    AlertOut,
    FenceDeactivateIn,
    FenceFilter,
    FenceIn,
    FenceOut,
    FencePatch,
    GpsBatchIn,
    GpsBatchOut,
    GpsTrackFilter,
    MonitoringDetailOut,
    MonitoringFilter,
    MonitoringIn,
    MonitoringOut,
)
from .models import CorrectionAlert, ElectronicMonitoring, Geofence

router = Router(tags=["社区矫正：定位监管"])


# --- GPS ------------------------------------------------------------------------------------------------------------


@router.post(
    "/gps/batches",
    response=GpsBatchOut,
    auth=API_AUTH,
    summary="批量上报定位点（本人粤矫通，或定位数据接入账号）；不合格的点逐个拒收并说明原因",
)
def post_gps_batch(request, payload: GpsBatchIn):
    result = location.ingest_points(payload.points, actor=request.auth)
    return {
        "received": result.received,
        "accepted": result.accepted,
        "duplicates": result.duplicates,
        "refused": result.refused,
        "alert_ids": sorted({a.pk for a in result.alerts}),
    }


@router.get(
    "/gps/tracks/{subject_id}",
    response=dict,
    auth=API_AUTH,
    summary="活动轨迹（GeoJSON：轨迹线、定位点、有效围栏；查看留痕）",
)
def get_track(request, subject_id: int, filters: Query[GpsTrackFilter]):
    subject = location_queries.get_subject_for(request.auth, subject_id)
    access.require(request.auth, "view", Geofence)
    if filters.until <= filters.since or filters.until - filters.since > location_queries.MAX_TRACK_RANGE:
        raise ValidationFailed("时间范围应为 31 天以内，且结束晚于开始", fields={"until": ["时间范围无效"]})
    location.record_track_view(subject, actor=request.auth, start=filters.since, end=filters.until)
    return location_queries.track_geojson(subject, filters.since, filters.until, source=filters.source)


# --- alerts ---------------------------------------------------------------------------------------------------------


def _alert_detail(request, alert):
    alert._history = list(workflow.history(alert))
    return alert


@router.get("/alerts", response=list[AlertOut], auth=API_AUTH, summary="预警列表")
@paginate(PageNumberPagination)
def list_alerts(request, filters: Query[AlertFilter]):
    access.require(request.auth, "view", CorrectionAlert)
    return location_queries.list_alerts(request.auth, **filters.dict())


@router.get(
    "/alerts/{alert_id}", response=AlertDetailOut, auth=API_AUTH, summary="预警详情（触发原因和证据）"
)
def get_alert(request, alert_id: int):
    return _alert_detail(request, location_queries.get_alert_for(request.auth, alert_id))


workflow_api.transition_routes(
    router,
    path="/alerts",
    model=CorrectionAlert,
    get_for=location_queries.get_alert_for,
    detail=_alert_detail,
    response=AlertDetailOut,
    services=alerts.TRANSITION_SERVICES,
    inputs=alerts.ALERT_TRANSITION_INPUTS,
    id_param="alert_id",
)


# --- fences ---------------------------------------------------------------------------------------------------------


@router.get("/fences", response=list[FenceOut], auth=API_AUTH, summary="电子围栏列表")
@paginate(PageNumberPagination)
def list_fences(request, filters: Query[FenceFilter]):
    access.require(request.auth, "view", Geofence)
    return location_queries.list_fences(request.auth, **filters.dict())


@router.post(
    "/fences", response={201: FenceOut}, auth=API_AUTH, summary="设置电子围栏（自定义区域、禁止区域、宵禁）"
)
def create_fence(request, payload: FenceIn):
    access.require(request.auth, "add", Geofence)
    data = payload.dict()
    subject = location_queries.get_subject_for(request.auth, data.pop("subject_id"), action="change")
    return Status(201, location.create_fence(subject, actor=request.auth, **data))


@router.get("/fences/{fence_id}", response=FenceOut, auth=API_AUTH, summary="电子围栏详情")
def get_fence(request, fence_id: int):
    return location_queries.get_fence_for(request.auth, fence_id)


@router.patch("/fences/{fence_id}", response=FenceOut, auth=API_AUTH, summary="修改电子围栏")
def update_fence(request, fence_id: int, payload: FencePatch):
    fence = location_queries.get_fence_for(request.auth, fence_id, action="change")
    return location.update_fence(fence, actor=request.auth, **payload.dict(exclude_unset=True))


@router.post("/fences/{fence_id}/deactivate", response=FenceOut, auth=API_AUTH, summary="停用电子围栏")
def deactivate_fence(request, fence_id: int, payload: FenceDeactivateIn):
    fence = location_queries.get_fence_for(request.auth, fence_id, action="change")
    return location.deactivate_fence(fence, actor=request.auth, reason=payload.reason)


# --- 电子定位装置 (第二十九条) --------------------------------------------------------------------------------------


def _monitoring_detail(request, monitoring):
    monitoring._history = list(workflow.history(monitoring))
    return monitoring


@router.get("/monitoring", response=list[MonitoringOut], auth=API_AUTH, summary="电子定位装置使用列表")
@paginate(PageNumberPagination)
def list_monitoring(request, filters: Query[MonitoringFilter]):
    access.require(request.auth, "view", ElectronicMonitoring)
    return location_queries.list_monitoring(request.auth, **filters.dict())


@router.post(
    "/monitoring",
    response={201: MonitoringDetailOut},
    auth=API_AUTH,
    summary="提请使用（或延长）电子定位装置（第二十九条）",
)
def propose_monitoring(request, payload: MonitoringIn):
    access.require(request.auth, "add", ElectronicMonitoring)
    data = payload.dict()
    subject = location_queries.get_subject_for(request.auth, data.pop("subject_id"), action="change")
    previous = data.pop("extension_of")
    if previous is not None:
        previous = location_queries.get_monitoring_for(request.auth, previous)
    monitoring = location.propose_electronic_monitoring(
        subject, actor=request.auth, extension_of=previous, **data
    )
    return Status(201, _monitoring_detail(request, monitoring))


@router.get(
    "/monitoring/{monitoring_id}", response=MonitoringDetailOut, auth=API_AUTH, summary="电子定位装置使用详情"
)
def get_monitoring(request, monitoring_id: int):
    return _monitoring_detail(request, location_queries.get_monitoring_for(request.auth, monitoring_id))


workflow_api.transition_routes(
    router,
    path="/monitoring",
    model=ElectronicMonitoring,
    get_for=location_queries.get_monitoring_for,
    detail=_monitoring_detail,
    response=MonitoringDetailOut,
    services=location.MONITORING_TRANSITION_SERVICES,
    inputs=MONITORING_TRANSITION_INPUTS,
    id_param="monitoring_id",
)
