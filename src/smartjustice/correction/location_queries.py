"""Every read of location monitoring (alerts, fences, tracks, electronic monitoring), already restricted by
core.access: pages and API share these."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.models import Jurisdiction

from .choices import AlertStatus
from .models import CorrectionAlert, CorrectionSubject, ElectronicMonitoring, Geofence, GpsPoint

OPEN_ALERT_STATES = (AlertStatus.OPEN, AlertStatus.CONTACTED)
MAX_TRACK_POINTS = 5000  # drawn on one map; a longer range is thinned evenly
MAX_TRACK_RANGE = timedelta(days=31)


def _region(qs, region: str, field: str = "jurisdiction_id"):
    if not region:
        return qs
    place = Jurisdiction.objects.filter(code=region).first()
    if place is None:
        return qs.none()
    low, high = place.bounds()
    return qs.filter(**{f"{field}__gte": low, f"{field}__lte": high})


def get_subject_for(user, pk, *, action: str = "view") -> CorrectionSubject:
    """A subject the user may act on (NotFound for missing and forbidden alike)."""
    return access.get_for(
        user, CorrectionSubject.objects.select_related("jurisdiction", "agency"), pk, action
    )


def subject_choices(user, *, action: str = "view"):
    """Subjects under correction the user may act on (the pickers of the fence and monitoring forms)."""
    return (
        CorrectionSubject.objects.restrict(user, action)
        .filter(status__in=("active", "transferring"))
        .order_by("number")
        .only("pk", "number", "name")
    )


# --- alerts --------------------------------------------------------------------------------------------------------


def list_alerts(
    user,
    *,
    action: str = "view",
    status: str = "",
    kind: str = "",
    subject: int | None = None,
    region: str = "",
    overdue: bool | None = None,
    q: str = "",
):
    """The user's alerts, newest first; `overdue`: open ones past their handling deadline."""
    qs = CorrectionAlert.objects.restrict(user, action).select_related("subject", "fence", "jurisdiction")
    if status == "open_all":
        qs = qs.filter(status__in=OPEN_ALERT_STATES)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if subject:
        qs = qs.filter(subject_id=subject)
    qs = _region(qs, region)
    if overdue is not None:
        late = Q(status__in=OPEN_ALERT_STATES, handle_by__lt=timezone.now())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if q:
        q = q.strip()
        qs = qs.filter(Q(subject__name__contains=q) | Q(subject__number__contains=q) | Q(why__contains=q))
    return qs.order_by("-started_at", "-id")


def get_alert_for(user, pk, *, action: str = "view") -> CorrectionAlert:
    qs = CorrectionAlert.objects.select_related("subject", "fence", "jurisdiction", "agency", "handled_by")
    return access.get_for(user, qs, pk, action)


def alert_points(alert: CorrectionAlert, *, margin: timedelta = timedelta(minutes=30)) -> list[dict]:
    """The stored points around an alert (from before it started to after it was last seen), for its map."""
    start = alert.started_at - margin
    end = (alert.ended_at or alert.last_seen_at) + margin
    return track_points(alert.subject_id, start, end, limit=2000)


def region_choices(user) -> list[Jurisdiction]:
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    if own is None:
        return []
    return list(Jurisdiction.objects.filter(parent_id=own.code).order_by("code"))


# --- fences --------------------------------------------------------------------------------------------------------


def list_fences(
    user, *, action: str = "view", subject: int | None = None, kind: str = "", active: bool | None = True
):
    qs = Geofence.objects.restrict(user, action).select_related("subject")
    if subject:
        qs = qs.filter(subject_id=subject)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("subject_id", "kind", "id")


def get_fence_for(user, pk, *, action: str = "view") -> Geofence:
    return access.get_for(user, Geofence.objects.select_related("subject"), pk, action)


# --- tracks --------------------------------------------------------------------------------------------------------


def track_points(
    subject_id: int, start: datetime, end: datetime, *, source: str = "", limit: int = MAX_TRACK_POINTS
):
    """A subject's points between `start` and `end`, oldest first, thinned evenly to at most `limit` (the unique
    index (subject, recorded_at, source) serves the range; on PostgreSQL only the months' partitions in range are
    read)."""
    qs = GpsPoint.objects.filter(subject_id=subject_id, recorded_at__gte=start, recorded_at__lte=end)
    if source:
        qs = qs.filter(source=source)
    rows = list(
        qs.order_by("recorded_at").values_list(
            "recorded_at", "longitude", "latitude", "accuracy_m", "source"
        )[: limit * 20]
    )
    if len(rows) > limit:
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit - 1)] + [rows[-1]]
    return [
        {"t": recorded_at.isoformat(), "lon": lon, "lat": lat, "accuracy_m": accuracy, "source": source}
        for recorded_at, lon, lat, accuracy, source in rows
    ]


def track_geojson(subject: CorrectionSubject, start: datetime, end: datetime, *, source: str = "") -> dict:
    """The track as GeoJSON: one LineString and one Point per fix (time, accuracy, source as properties), and the
    subject's fences in force."""
    points = track_points(subject.pk, start, end, source=source)
    features = []
    if len(points) >= 2:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[p["lon"], p["lat"]] for p in points]},
                "properties": {"kind": "track", "from": points[0]["t"], "to": points[-1]["t"]},
            }
        )
    for p in points:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {
                    "kind": "fix",
                    "t": p["t"],
                    "accuracy_m": p["accuracy_m"],
                    "source": p["source"],
                },
            }
        )
    for fence in subject.geofences.filter(is_active=True).order_by("kind", "id"):
        features.append(
            {
                "type": "Feature",
                "geometry": fence.geometry,
                "properties": {
                    "kind": "fence",
                    "fence_id": fence.pk,
                    "fence_kind": fence.kind,
                    "name": fence.name,
                    "window_start": fence.window_start.isoformat() if fence.window_start else None,
                    "window_end": fence.window_end.isoformat() if fence.window_end else None,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "subject_id": subject.pk,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "points": len(points),
        },
    }


# --- electronic monitoring -----------------------------------------------------------------------------------------


def list_monitoring(user, *, action: str = "view", status: str = "", subject: int | None = None):
    qs = ElectronicMonitoring.objects.restrict(user, action).select_related(
        "subject", "approved_by", "proposed_by", "extension_of"
    )
    if status:
        qs = qs.filter(status=status)
    if subject:
        qs = qs.filter(subject_id=subject)
    return qs.order_by("-starts_on", "-id")


def get_monitoring_for(user, pk, *, action: str = "view") -> ElectronicMonitoring:
    qs = ElectronicMonitoring.objects.select_related("subject", "approved_by", "proposed_by", "extension_of")
    return access.get_for(user, qs, pk, action)


def alert_tile(user):
    """The workbench tile 待处置预警: open alerts of the user's jurisdiction, the nearest handling deadline first."""
    from django.urls import reverse

    from smartjustice.core.modules import TileContent, TodoItem

    qs = list_alerts(user, status="open_all").order_by("handle_by", "id")
    now = timezone.now()
    items = tuple(
        TodoItem(
            title=f"{a.get_kind_display()}：{a.subject.name}",
            href=reverse("correction:alert-detail", args=[a.pk]),
            due_on=timezone.localtime(a.handle_by).date(),
            due_label="处置期限",
            status="已超期" if a.handle_by < now else a.get_status_display(),
        )
        for a in qs[:5]
    )
    return TileContent(
        qs.count(),
        items,
        href=reverse("correction:alert-list") + "?status=open_all",
        empty="没有待处置的预警",
    )
