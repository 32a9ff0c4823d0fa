"""What the location pages draw on their offline maps (no tile server): the executing county's boundary from the
offline boundary data (geofences.load_county_boundary), the subject's fences, and points — as one JSON spec that
static/correction/location/location-map.js draws with ECharts. Every map also has a table for screen readers."""

from __future__ import annotations

from functools import lru_cache

from smartjustice.core import maps

from .choices import FenceKind

KIND_NAMES = {
    FenceKind.ALLOWED: "活动区域",
    FenceKind.FORBIDDEN: "禁止进入区域",
    FenceKind.CURFEW: "宵禁区域",
}


@lru_cache(maxsize=64)
def _county_feature(code: str) -> dict | None:
    try:
        from shapely.geometry import mapping

        from . import geofences

        geometry = geofences.load_county_boundary(code).simplify(0.0005, preserve_topology=True)
        return {
            "type": "Feature",
            "geometry": mapping(geometry),
            "properties": {
                "name": "county",
                "label": geofences.county_name(code) or "执行地",
                "role": "county",
            },
        }
    except Exception:  # no offline boundary for this code (or the engine is not installed): fences only
        return None


def _features(subject, fences, *, extra=None) -> list[dict]:
    features = []
    county = _county_feature(str(subject.jurisdiction_id)) if subject is not None else None
    if county is not None:
        features.append(county)
    for fence in fences:
        if fence.source == "county_boundary" and county is not None:
            continue  # the county itself is already drawn
        features.append(
            {
                "type": "Feature",
                "geometry": fence.geometry,
                "properties": {
                    "name": f"fence-{fence.pk}",
                    "label": fence.name,
                    "role": fence.kind,
                    "kind_label": KIND_NAMES.get(fence.kind, fence.kind),
                },
            }
        )
    if extra:
        features.append(extra)
    return features


def _spec(key: str, mode: str, features: list[dict], points: list[dict], **more) -> dict:
    return {
        "key": key,
        "data_id": f"loc-map-{key}-data",
        "mode": mode,
        "geo": {"type": "FeatureCollection", "features": features},
        "points": points,
        "attribution": maps.attribution(),
        **more,
    }


def alert_map(alert, stored_points: list[dict]) -> dict:
    """The alert's fence, its evidence points (with their distance to the boundary) and the stored track around it."""
    fences = [alert.fence] if alert.fence is not None else []
    evidence = [
        {
            "t": p.get("recorded_at"),
            "lon": p.get("longitude"),
            "lat": p.get("latitude"),
            "accuracy_m": p.get("accuracy_m"),
            "distance_m": p.get("distance_m"),
            "evidence": True,
        }
        for p in alert.evidence.get("points", [])
        if p.get("longitude") is not None
    ]
    return _spec(f"alert-{alert.pk}", "alert", _features(alert.subject, fences), stored_points + evidence)


def track_map(subject, points: list[dict]) -> dict:
    fences = list(subject.geofences.filter(is_active=True))
    return _spec(f"track-{subject.pk}", "track", _features(subject, fences), points)


def editor_map(subject, fence) -> dict:
    fences = []
    if subject is not None:
        fences = [f for f in subject.geofences.filter(is_active=True) if fence is None or f.pk != fence.pk]
    editing = None
    if fence is not None:
        editing = {
            "type": "Feature",
            "geometry": fence.geometry,
            "properties": {"name": "editing", "label": fence.name, "role": "editing"},
        }
    return _spec(
        f"editor-{getattr(fence, 'pk', 'new')}", "editor", _features(subject, fences, extra=editing), []
    )
