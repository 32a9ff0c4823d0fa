"""Demo data of location monitoring (helper D): a day of GPS track for each demo subject under correction (sent
through the ingest service, so the geofence engine and the tracker run), departures that become alerts, those
alerts handled into every state (open, contacted, confirmed, dismissed, escalated), a curfew and a forbidden zone,
and one 电子定位装置 approval (第二十九条). A second run creates nothing."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.errors import DomainError
from smartjustice.core.models import User

from . import alerts, location
from .choices import FenceKind, SubjectStatus
from .models import CorrectionAlert, CorrectionSubject, ElectronicMonitoring, Geofence, GpsPoint

STAFF = ("ws_correction", "bj_correction", "th_correction", "yx_correction", "lc_correction", "gz_correction")
HEADS = ("th_correction_head", "yx_correction_head", "lc_correction_head")
# What happens to the alert of the n-th departing subject (None: left open for the officer).
HANDLING = (None, ("contact",), ("contact", "confirm"), ("dismiss",), ("escalate",), None)
NOTES = {
    "contact": "电话联系本人，称临时去邻区办事，要求立即返回并到司法所说明情况",
    "confirm": "核实确系未经批准离开本县，已责令返回，拟提请给予警告",
    "dismiss": "核实为定位漂移：本人当时在家，家属和社区网格员证实",
    "escalate": "多次电话无法接通，家属称不知去向，转脱管查找",
}


def _users(names) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return [found[n] for n in names if n in found]


def _officer(subject, staff):
    return next((u for u in staff if access.may_act_in(u, subject.jurisdiction_id)), None)


def _home_and_away(subject) -> tuple[tuple[float, float], tuple[float, float]]:
    """A point well inside the subject's county and one about 5 km outside it (offline boundary data)."""
    from . import geofences

    boundary = geofences.load_county_boundary(str(subject.jurisdiction_id))
    inside = boundary.representative_point()
    minx, miny, maxx, maxy = boundary.bounds
    return (inside.x, inside.y), (maxx + 0.05, (miny + maxy) / 2)


def _track(subject, home, away, *, depart: bool, seed: int) -> list[dict]:
    """Six hours, a fix every 5 minutes around home; a departing subject is away for 45 minutes in the middle."""
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    points = []
    for i in range(72):
        at = now - timedelta(minutes=5 * (72 - i))
        lon, lat = home
        if depart and 30 <= i < 39:
            lon, lat = away
        angle = rng.uniform(0, 2 * math.pi)
        spread = rng.uniform(0, 0.002)
        points.append(
            {
                "subject_id": subject.pk,
                "recorded_at": at.isoformat(),
                "longitude": round(lon + spread * math.cos(angle), 6),
                "latitude": round(lat + spread * math.sin(angle), 6),
                "accuracy_m": round(rng.uniform(8, 40), 1),
                "source": "app",
            }
        )
    return points


def load_demo() -> int:
    subjects = list(
        CorrectionSubject.objects.filter(number__startswith="DEMO-", status=SubjectStatus.ACTIVE).order_by(
            "number"
        )
    )
    if not subjects or GpsPoint.objects.filter(subject__in=subjects).exists():
        return 0
    staff, heads = _users(STAFF), _users(HEADS)
    feed = User.objects.filter(username="gps_feed").first()
    created = 0
    departing = 0
    for n, subject in enumerate(subjects):
        officer = _officer(subject, staff)
        sender = (
            feed if feed is not None and access.may_act_in(feed, subject.jurisdiction_id) else subject.account
        )
        sender = sender or officer
        if sender is None:
            continue
        try:
            home, away = _home_and_away(subject)
        except Exception:  # no offline boundary for this county: no track
            continue
        if officer is not None and n == 1:
            created += _extra_fences(subject, officer, home, away)
        depart = n % 2 == 0 and departing < len(HANDLING)
        result = location.ingest_points(_track(subject, home, away, depart=depart, seed=n), actor=sender)
        created += result.accepted + len({a.pk for a in result.alerts})
        if depart and result.alerts and officer is not None:
            steps = HANDLING[departing]
            departing += 1
            for alert in {a.pk: a for a in result.alerts}.values():
                for step in steps or ():
                    alert = CorrectionAlert.objects.get(pk=alert.pk)
                    try:
                        alerts.TRANSITION_SERVICES[step](alert, actor=officer, note=NOTES[step])
                    except DomainError:
                        break
    created += _monitoring(subjects, staff, heads)
    return created


def _extra_fences(subject, officer, home, away) -> int:
    """A curfew at home (22:00–06:00) and a 禁止令 zone for one subject."""
    if Geofence.objects.filter(subject=subject, kind__in=(FenceKind.CURFEW, FenceKind.FORBIDDEN)).exists():
        return 0
    lon, lat = home
    d = 0.004
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    location.create_fence(
        subject,
        actor=officer,
        kind=FenceKind.CURFEW,
        name="宵禁：居住地",
        geometry={"type": "Polygon", "coordinates": [ring]},
        window_start=timezone.datetime(2000, 1, 1, 22, 0).time(),
        window_end=timezone.datetime(2000, 1, 1, 6, 0).time(),
        basis="矫正方案：夜间不得外出",
    )
    x, y = lon + 0.02, lat + 0.01
    zone = [[x, y], [x + 0.003, y], [x + 0.003, y + 0.003], [x, y + 0.003], [x, y]]
    location.create_fence(
        subject,
        actor=officer,
        kind=FenceKind.FORBIDDEN,
        name="禁止令：某酒吧",
        geometry={"type": "Polygon", "coordinates": [zone]},
        basis="判决书所附禁止令：禁止进入酒吧、夜总会等娱乐场所",
    )
    return 2


def _monitoring(subjects, staff, heads) -> int:
    """One device approved for a subject who left the county (ground 2), by the county head."""
    if ElectronicMonitoring.objects.filter(subject__in=subjects).exists():
        return 0
    for subject in subjects:
        officer, head = _officer(subject, staff), _officer(subject, heads)
        if officer is None or head is None:
            continue
        today = timezone.localdate()
        ends_on = min(today + timedelta(days=60), subject.ends_on)
        if ends_on <= today:
            continue
        try:
            record = location.propose_electronic_monitoring(
                subject,
                actor=officer,
                ground="2",
                facts="无正当理由未经批准离开所居住的县（定位预警核实属实），经评估需加强监督管理",
                starts_on=today,
                ends_on=ends_on,
                device_number="GD-EM-0001",
            )
            location.approve_electronic_monitoring(record, actor=head, note="同意使用，期满自动解除")
        except DomainError:
            continue
        return 1
    return 0
