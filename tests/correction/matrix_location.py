"""Access-matrix subjects of 社区矫正 — part: location (alerts, fences, tracks, 电子定位装置).

Every record lies in 天河区 with the own organisation as the executing agency: correction staff of 天河区 and above
read them; a town's 司法所 staff and other counties do not; the subject's own 粤矫通 account sees none of these
(alerts and fences are for officers; the subject's points are sent, not read back)."""

from tests.correction import location_makers, makers
from tests.harness.registry import subject


def _track_subject(world):
    person = makers.subject(world.own, name="MXTRACKSUBJECT", number="MXTRACK-0001")
    location_makers.fence(person, name="MXTRACKFENCE 居住地周边")
    return person


def _alert(world):
    return location_makers.alert(world.own, why="MXALERTWHY 连续 4 个可信定位点位于活动区域外")


def _fence(world):
    return location_makers.fence(makers.subject(world.own), name="MXFENCENAME 禁止令场所")


def _monitoring(world):
    return location_makers.monitoring(world.own, facts="MXMONITORFACTS 未经批准离开所居住的县")


subject(
    "correction.location_track",
    make=_track_subject,
    routes=("/api/v1*correction/gps/tracks/{subject_id}*", "/correction/tracks/<int:subject_pk>/*"),
    params=lambda s: {"subject_id": s.pk, "subject_pk": s.pk},
    marker=lambda s: "MXTRACKFENCE",
    order=150,
)
subject(
    "correction.alert",
    make=_alert,
    routes=("/api/v1*correction/alerts/{alert_id}*", "/correction/alerts/<int:pk>/*"),
    params=lambda a: {"alert_id": a.pk, "pk": a.pk, "name": "contact"},
    marker=lambda a: "MXALERTWHY",
    order=160,
)
subject(
    "correction.geofence",
    make=_fence,
    routes=("/api/v1*correction/fences/{fence_id}*", "/correction/fences/<int:pk>/*"),
    params=lambda f: {"fence_id": f.pk, "pk": f.pk},
    marker=lambda f: "MXFENCENAME",
    order=160,
)
subject(
    "correction.electronic_monitoring",
    make=_monitoring,
    routes=("/api/v1*correction/monitoring/{monitoring_id}*", "/correction/monitoring/<int:pk>/*"),
    params=lambda m: {"monitoring_id": m.pk, "pk": m.pk, "name": "approve"},
    marker=lambda m: "MXMONITORFACTS",
    order=160,
)
