"""Factories of the location part's tests (fences, points, alerts, 电子定位装置), made directly, not through the
services, so a page or API test does not depend on every step of ingest."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from smartjustice.core.testing import Place, make_staff
from smartjustice.correction.choices import AlertKind, FenceKind, FenceSource
from smartjustice.correction.models import CorrectionAlert, ElectronicMonitoring, Geofence
from tests.correction import makers

# A square around 天河区 五山 (about 2 km across): inside it is "home", 0.05° east is about 5 km outside.
HOME = (113.35, 23.16)


def square(lon: float = HOME[0], lat: float = HOME[1], half: float = 0.01) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def officer(place: Place, *roles: str):
    return make_staff(place.code, *(roles or ("correction_officer",)), organisation=place.organisation)


def fence(subject, *, kind: str = FenceKind.ALLOWED, geometry: dict | None = None, **fields) -> Geofence:
    return Geofence.objects.create(
        subject=subject,
        kind=kind,
        source=fields.pop("source", FenceSource.CUSTOM),
        name=fields.pop("name", "MXFENCE 居住地周边"),
        geometry=geometry or square(),
        **fields,
    )


def fence_in(place: Place) -> Geofence:
    return fence(makers.subject(place))


def alert(place: Place, **fields) -> CorrectionAlert:
    subject = fields.pop("subject", None) or makers.subject(place)
    area = fields.pop("fence", None) or fence(subject)
    started = fields.pop("started_at", timezone.now() - timedelta(minutes=30))
    values = {
        "subject": subject,
        "kind": AlertKind.GEOFENCE_EXIT,
        "fence": area,
        "started_at": started,
        "last_seen_at": started + timedelta(minutes=10),
        "point_count": 4,
        "max_distance_m": 4800.0,
        "why": "MXALERT 连续 4 个可信定位点位于活动区域外",
        "evidence": {
            "points": [
                {
                    "recorded_at": (started + timedelta(minutes=i)).isoformat(),
                    "longitude": HOME[0] + 0.05,
                    "latitude": HOME[1],
                    "accuracy_m": 20.0,
                    "distance_m": 4800.0,
                }
                for i in range(4)
            ],
            "fence": {"id": area.pk, "name": area.name, "kind": area.kind},
        },
        "handle_by": started + timedelta(hours=2),
        "jurisdiction_id": subject.jurisdiction_id,
        "agency_id": subject.agency_id,
    }
    values.update(fields)
    return CorrectionAlert.objects.create(**values)


def monitoring(place: Place, **fields) -> ElectronicMonitoring:
    subject = fields.pop("subject", None) or makers.subject(place)
    today = timezone.localdate()
    values = {
        "subject": subject,
        "ground": "2",
        "facts": "MXMONITOR 未经批准离开所居住的县",
        "starts_on": today,
        "ends_on": today + timedelta(days=60),
        "proposed_by": officer(place),
    }
    values.update(fields)
    return ElectronicMonitoring.objects.create(**values)


def point(subject_id, minutes_ago: float, lon: float = HOME[0], lat: float = HOME[1], **fields) -> dict:
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    return {
        "subject_id": subject_id,
        "recorded_at": moment.isoformat(),
        "longitude": lon,
        "latitude": lat,
        "accuracy_m": 15.0,
        **fields,
    }
