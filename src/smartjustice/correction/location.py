"""Location monitoring services: GPS ingest (per-point refusal, stored once, set-based insert, geofence evaluation
and the breach tracker, alerts through alerts.raise_alert), geofences (custom polygons, 禁止令 zones, curfews) and
电子定位装置 approvals under 《社区矫正法》第二十九条.

Ingest is the fast path (docs/decisions/0014-gps-storage.md, benchmarks/bench_correction_ingest.py): a batch is
checked point by point in Python (a refused point carries its index and a Chinese reason, the rest go on), stored
with one INSERT … ON CONFLICT DO NOTHING RETURNING over arrays (PostgreSQL) or multi-row VALUES (SQLite), and only
the points that were new are evaluated — vectorised, all subjects of the batch at once — by correction/geofences.py
and fed to each subject's tracker (correction/alerting.py), whose state is kept in TrackerSnapshot.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import CharField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from smartjustice.core import access, audit, workflow
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed

from . import alerts, rules
from .choices import UNDER_CORRECTION, CorrectionAuditEvent, FenceKind, FenceSource
from .models import (
    CorrectionSubject,
    ElectronicMonitoring,
    Geofence,
    GpsPoint,
    GpsSource,
    MonitoringGround,
    MonitoringStatus,
    TrackerSnapshot,
)

MAX_BATCH = 5000
CLOCK_SKEW = timedelta(minutes=5)  # a device clock a little ahead is not "the future"
MAX_ACCURACY_M = 50_000.0
ADD_POINTS = "correction.add_gpspoint"
EVIDENCE_POINTS = 50  # points kept in an alert's evidence (the map draws them)

# Reasons a point is refused (the API answers them per index).
R_NOT_OBJECT = "定位点应为 JSON 对象"
R_SUBJECT = "社区矫正对象不存在或不在您的辖区"
R_NOT_UNDER_CORRECTION = "该社区矫正对象不在矫正期内，不接收定位数据"
R_BEFORE_TERM = "定位时间早于矫正起始日期"
R_COORDINATES = "经纬度不可能（经度应在 -180～180，纬度应在 -90～90，且不为 0,0）"
R_TIME = "定位时间缺失或格式错误（ISO 8601，带时区）"
R_FUTURE = "定位时间晚于当前时间"
R_ACCURACY = "定位精度应为 0～50000 米"
R_SOURCE = "来源应为 app（粤矫通）或 device（电子定位装置）"
R_APP_ONLY = "本人只能上报本人手机（粤矫通）的定位"
R_DEVICE = "该时间不在经批准的电子定位装置使用期限内（第二十九条），不接收装置定位"
R_DUPLICATE_IN_BATCH = "与本批次中前面的定位点重复"


@dataclass
class IngestResult:
    """What became of a batch: stored points, duplicates (already stored, or twice in the batch), refusals with the
    point's index and reason, and the alerts raised or extended."""

    accepted: int = 0
    duplicates: int = 0
    refused: list[dict] = field(default_factory=list)
    alerts: list = field(default_factory=list)

    @property
    def received(self) -> int:
        return self.accepted + self.duplicates + len(self.refused)


# --- ingest --------------------------------------------------------------------------------------------------------


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                return None
        else:
            return None
    value = float(value)
    return value if math.isfinite(value) else None


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and 10 <= len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return None
    return moment


def _among(ids):
    """The value of `field__in` for a batch's thousands of ids: on PostgreSQL one array parameter, since binding a
    list of thousands of placeholders on the client cost more than the query itself."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::int8[])", [ids])
    return ids


def _reachable_subjects(actor, ids: set[int]) -> dict[int, dict]:
    """The subjects among `ids` the actor may send points for: their own (a subject's 粤矫通 account), or those in
    the jurisdiction of a holder of correction.add_gpspoint (a device vendor's or the app server's feed account).
    Missing and out-of-reach subjects are left out alike."""
    rows = CorrectionSubject.objects.filter(pk__in=_among(ids))
    reach = Q(account_id=actor.pk)
    if actor.is_superuser:
        reach = Q()
    elif access.has_permission(actor, ADD_POINTS):
        bounds = access.jurisdiction_bounds(actor)
        if bounds is not None:
            reach |= Q(jurisdiction_id__gte=bounds[0], jurisdiction_id__lte=bounds[1])
    rows = rows.filter(reach)
    return {
        row["pk"]: row for row in rows.values("pk", "status", "starts_on", "account_id", "jurisdiction_id")
    }


def _device_periods(subject_ids) -> dict[int, list[tuple[date, date]]]:
    """The approved device periods of each subject (active ones, and ended ones up to their end)."""
    periods: dict[int, list[tuple[date, date]]] = defaultdict(list)
    if not subject_ids:
        return periods
    rows = ElectronicMonitoring.objects.filter(
        subject_id__in=_among(subject_ids), status__in=(MonitoringStatus.ACTIVE, MonitoringStatus.ENDED)
    ).values_list("subject_id", "starts_on", "ends_on", "ended_on")
    for subject_id, starts_on, ends_on, ended_on in rows:
        periods[subject_id].append((starts_on, min(ends_on, ended_on) if ended_on else ends_on))
    return periods


def _insert(rows: list[tuple]) -> set[tuple]:
    """Store rows (subject_id, recorded_at, received_at, lon, lat, accuracy, source) once; the keys
    (subject_id, recorded_at in epoch microseconds, source) of the rows that were new."""
    if not rows:
        return set()
    table = GpsPoint._meta.db_table
    new: set[tuple] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [list(c) for c in zip(*rows, strict=True)]
            columns[6] = [str(v) for v in columns[6]]
            # Arrays bound server-side in binary (%b): psycopg's C dumpers, not the client-side text quoting of
            # Django's cursor, which costs more than the insert itself for a few thousand points.
            with _binary_cursor() as raw:
                raw.execute(
                    f"INSERT INTO {table} (subject_id, recorded_at, received_at, longitude, latitude, accuracy_m, "
                    "source) SELECT * FROM unnest(%b::int8[], %b::timestamptz[], %b::timestamptz[], %b::float8[], "
                    "%b::float8[], %b::float8[], %b::text[]) ON CONFLICT DO NOTHING RETURNING subject_id, "
                    # The time as an integer: no timestamp parsed back per point (Django's loader is pure Python).
                    "(extract(epoch FROM recorded_at) * 1000000)::int8, source",
                    columns,
                )
                new.update(map(_as_key, raw.fetchall()))
            return new
        adapt = connection.ops.adapt_datetimefield_value
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = []
            for subject_id, recorded_at, received_at, lon, lat, accuracy, source in chunk:
                params += [subject_id, adapt(recorded_at), adapt(received_at), lon, lat, accuracy, source]
            cursor.execute(
                f"INSERT INTO {table} (subject_id, recorded_at, received_at, longitude, latitude, accuracy_m, source) "
                f"VALUES {values} ON CONFLICT DO NOTHING RETURNING subject_id, recorded_at, source",
                params,
            )
            new.update(map(_as_key, cursor.fetchall()))
    return new


def _binary_cursor():
    """A psycopg cursor with server-side binding on Django's connection (same transaction)."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _micros(moment: datetime) -> int:
    """An aware datetime in epoch microseconds (exact)."""
    return (moment - _EPOCH) // _MICROSECOND


def _as_key(row) -> tuple:
    """(subject_id, recorded_at in epoch microseconds, source) from a RETURNING row (PostgreSQL answers the
    microseconds, SQLite a naive UTC datetime string)."""
    subject_id, recorded_at, source = row
    if not isinstance(recorded_at, int):
        if isinstance(recorded_at, str):
            recorded_at = datetime.fromisoformat(recorded_at)
        if recorded_at.tzinfo is None:
            recorded_at = recorded_at.replace(tzinfo=UTC)
        recorded_at = _micros(recorded_at)
    return (subject_id, recorded_at, str(source))


# Looked up once: the enum's .values builds a new list on every access (thousands of points a batch).
SOURCES = frozenset(GpsSource.values)


@transaction.atomic
def ingest_points(batch: list, *, actor, now: datetime | None = None) -> IngestResult:
    """Store a batch of GPS points and evaluate them against the subjects' fences.

    Each point: {subject_id, recorded_at (ISO 8601 with offset), longitude, latitude, accuracy_m?, source?}. A
    point is refused — with its index and reason — for impossible coordinates, a time in the future (beyond a
    five-minute clock skew) or before the term, a subject who is not under correction or not the sender's to
    report, or a device point outside an approved 电子定位装置 period (第二十九条); the others are stored. A point
    already stored (same subject, time and source) counts as a duplicate and is stored once.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录")
    if not isinstance(batch, list):
        raise ValidationFailed("points 应为定位点数组", fields={"points": ["应为数组"]})
    if len(batch) > MAX_BATCH:
        raise ValidationFailed(
            f"每批最多 {MAX_BATCH} 个定位点", fields={"points": [f"每批最多 {MAX_BATCH} 个定位点"]}
        )
    own_subject = CorrectionSubject.objects.filter(account_id=actor.pk).values_list("pk", flat=True).first()
    if not access.has_permission(actor, ADD_POINTS) and own_subject is None:
        raise PermissionDenied("只有社区矫正对象本人或定位数据接入账号可以上报定位")
    now = now or timezone.now()
    latest = now + CLOCK_SKEW
    result = IngestResult()
    refuse = result.refused.append

    # 1. Shape of each point (no database).
    parsed = []  # (index, subject_id, recorded_at, lon, lat, accuracy, source)
    for index, item in enumerate(batch):
        if not isinstance(item, dict):
            refuse({"index": index, "reason": R_NOT_OBJECT})
            continue
        subject_id = item.get("subject_id")
        if subject_id is None and own_subject is not None:
            subject_id = own_subject  # the subject's own app may leave it out
        if isinstance(subject_id, bool) or not isinstance(subject_id, int) or not 0 < subject_id < 2**62:
            refuse({"index": index, "reason": R_SUBJECT})
            continue
        lon, lat = _number(item.get("longitude")), _number(item.get("latitude"))
        if (
            lon is None
            or lat is None
            or not (-180 <= lon <= 180 and -90 <= lat <= 90)
            or (lon == 0 and lat == 0)
        ):
            refuse({"index": index, "reason": R_COORDINATES})
            continue
        recorded_at = _moment(item.get("recorded_at"))
        if recorded_at is None:
            refuse({"index": index, "reason": R_TIME})
            continue
        if recorded_at > latest:
            refuse({"index": index, "reason": R_FUTURE})
            continue
        accuracy = item.get("accuracy_m")
        if accuracy is not None:
            accuracy = _number(accuracy)
            if accuracy is None or not 0 <= accuracy <= MAX_ACCURACY_M:
                refuse({"index": index, "reason": R_ACCURACY})
                continue
        source = item.get("source") or "app"
        if source not in SOURCES:
            refuse({"index": index, "reason": R_SOURCE})
            continue
        parsed.append((index, subject_id, recorded_at, lon, lat, accuracy, source))

    # 2. Who the points are about (two queries for the whole batch).
    subjects = _reachable_subjects(actor, {p[1] for p in parsed})
    periods = _device_periods([p[1] for p in parsed if p[6] == GpsSource.DEVICE and p[1] in subjects])
    feed = access.has_permission(actor, ADD_POINTS)
    rows, indexed, seen = [], [], set()
    for point in parsed:
        index, subject_id, recorded_at, lon, lat, accuracy, source = point
        subject = subjects.get(subject_id)
        if subject is None:
            refuse({"index": index, "reason": R_SUBJECT})
            continue
        if subject["status"] not in UNDER_CORRECTION:
            refuse({"index": index, "reason": R_NOT_UNDER_CORRECTION})
            continue
        term_start = subject.get("term_start")
        if (
            term_start is None
        ):  # local midnight of the first day, once per subject rather than a date per point
            term_start = subject["term_start"] = timezone.make_aware(
                datetime.combine(subject["starts_on"], time.min)
            )
        if recorded_at < term_start:
            refuse({"index": index, "reason": R_BEFORE_TERM})
            continue
        if source == GpsSource.DEVICE:
            day = timezone.localtime(recorded_at).date()
            if subject["account_id"] == actor.pk and not feed:
                refuse({"index": index, "reason": R_APP_ONLY})
                continue
            if not any(start <= day <= end for start, end in periods.get(subject_id, ())):
                refuse({"index": index, "reason": R_DEVICE})
                continue
        key = (subject_id, recorded_at, source)
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        rows.append((subject_id, recorded_at, now, lon, lat, accuracy, source))
        indexed.append(point)
    result.refused.sort(key=lambda r: r["index"])

    # 3. Store once; evaluate only the new points.
    with audit.operation(
        CorrectionAuditEvent.GPS_BATCH_INGESTED,
        obj=None,
        actor=actor,
        object_type="correction.gpspoint",
        jurisdiction_code=getattr(actor, "jurisdiction_id", None) or None,
    ) as op:
        rows.sort(key=itemgetter(0, 1, 6))  # one lock order for concurrent batches of the same subjects
        new_keys = _insert(rows)
        fresh = [p for p in indexed if (p[1], _micros(p[2]), p[6]) in new_keys]
        result.accepted = len(fresh)
        result.duplicates += len(indexed) - len(fresh)
        if fresh:
            result.alerts = _evaluate_and_track(fresh, subjects)
        op.detail = (
            f"接收 {result.received} 个定位点：新存 {result.accepted}，重复 {result.duplicates}，"
            f"拒收 {len(result.refused)}，预警 {len(result.alerts)}"
        )
    return result


# --- evaluation and the tracker ------------------------------------------------------------------------------------


_FENCE_CACHE: dict[tuple, object] = {}


def _engine_fence(fence: Geofence):
    """C's compiled Fence for a row, kept per (id, version): compiling a county boundary once per process."""
    from . import geofences

    key = (fence.pk, fence.version)
    built = _FENCE_CACHE.get(key)
    if built is None:
        if len(_FENCE_CACHE) > 4096:
            _FENCE_CACHE.clear()
        built = _FENCE_CACHE[key] = geofences.Fence.from_record(fence)
    return built


def active_fences(subject_ids, *, at: datetime | None = None) -> dict[int, list[SimpleNamespace]]:
    """The fences in force for each subject, as light records (one query; no geometry: it is read only for fences
    not compiled yet, see _engine_fences)."""
    at = at or timezone.now()
    fences: dict[int, list[SimpleNamespace]] = defaultdict(list)
    rows = (
        Geofence.objects.filter(subject_id__in=_among(subject_ids), is_active=True)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=at))
        .filter(Q(active_until__isnull=True) | Q(active_until__gt=at))
        .order_by("subject_id", "id")
        # The last change as text: a cache key, not parsed into a datetime for every subject of a batch.
        .annotate(version=Cast("updated_at", output_field=CharField()))
        .values_list("pk", "subject_id", "kind", "name", "source", "window_start", "window_end", "version")
    )
    for pk, subject_id, kind, name, source, start, end, version in rows:
        fences[subject_id].append(
            SimpleNamespace(
                pk=pk,
                id=pk,
                subject_id=subject_id,
                kind=kind,
                name=name,
                source=source,
                window_start=start,
                window_end=end,
                version=version,
                geometry=None,
            )
        )
    return fences


def _engine_fences(fences: dict[int, list[Geofence]]) -> dict[int, list]:
    missing = [f for items in fences.values() for f in items if (f.pk, f.version) not in _FENCE_CACHE]
    if missing:
        geometry = dict(Geofence.objects.filter(pk__in=[f.pk for f in missing]).values_list("pk", "geometry"))
        for fence in missing:
            fence.geometry = geometry[fence.pk]
    return {subject_id: [_engine_fence(f) for f in items] for subject_id, items in fences.items()}


def _evaluate_and_track(points: list[tuple], subjects: dict[int, dict]) -> list:
    """Evaluate new points (index, subject_id, recorded_at, lon, lat, accuracy, source) against the fences in force
    — all subjects of the batch in one vectorised call — and advance the tracker of each (subject, fence); returns
    the alerts raised or extended."""
    try:
        from . import alerting, geofences  # helper C's engine
    except ImportError:  # the engine is not installed: points are stored, nothing is evaluated
        return []
    import numpy as np

    fences = active_fences({p[1] for p in points})
    points = [p for p in points if p[1] in fences]
    if not points:
        return []
    subject_ids = [p[1] for p in points]
    times = [p[2] for p in points]
    lon = np.fromiter((p[3] for p in points), dtype=np.float64, count=len(points))
    lat = np.fromiter((p[4] for p in points), dtype=np.float64, count=len(points))
    accuracy = np.fromiter((p[5] or 0.0 for p in points), dtype=np.float64, count=len(points))
    evaluation = geofences.evaluate(
        _engine_fences(fences), np.asarray(subject_ids, dtype=np.int64), lon, lat, accuracy, times
    )
    grouped = alerting.points_by_fence(evaluation, subject_ids, times, lon, lat, accuracy)
    # One tracker state per (subject, fence), locked in key order: two batches about the same subject (two
    # devices, a retry) take turns instead of both starting from the same state or creating it twice.
    keys = sorted(grouped)
    snapshots = _lock_snapshots(keys)
    missing = [k for k in keys if k not in snapshots]
    if missing:
        TrackerSnapshot.objects.bulk_create(
            [TrackerSnapshot(subject_id=s, fence_id=f) for s, f in missing], ignore_conflicts=True
        )
        snapshots.update(_lock_snapshots(missing))
    fence_by_id = {f.pk: f for items in fences.values() for f in items}
    raised, changed, pending = [], [], []
    for (subject_id, fence_id), tracked in grouped.items():
        fence = fence_by_id[fence_id]
        snapshot = snapshots[(subject_id, fence_id)]
        if snapshot.state:
            state = alerting.TrackerState.from_json(snapshot.state)
        else:
            state = alerting.TrackerState.new(fence_id, fence.kind)
        changed.append(snapshot)
        reported = {k: list(v) for k, v in state.reported.items()}
        state, events = alerting.advance(state, tracked)
        snapshot.state = state.to_json()
        for event in events:
            before = reported.get(event.episode)
            pending.append((subject_id, event, fence, before[2] if before else 0))
    _save_states(changed)
    if pending:
        # Three queries for every event of the batch: the subjects, their fences, and their open alerts (locked);
        # then one write per alert raised or extended.
        subject_ids = {p[0] for p in pending}
        people = CorrectionSubject.objects.in_bulk(subject_ids)
        rows = Geofence.objects.in_bulk({p[2].pk for p in pending})
        open_alerts = alerts.open_alerts_of(subject_ids)
        extensions = []
        for subject_id, event, fence, counted in pending:
            fence = rows[fence.pk]
            key = (subject_id, event.kind, fence.pk)
            alert = open_alerts.get(key)
            fields = _alert_fields(event, fence, counted=counted)
            if alert is not None:
                alert.subject = people[subject_id]  # for the trail's label, without a query each
                extensions.append((alert, fields))
            elif event.is_new:
                alert, _created = alerts.raise_alert(
                    people[subject_id], kind=event.kind, why=event.why, **fields
                )
                open_alerts[key] = alert
                raised.append(alert)
            # else: an officer has already handled this episode: not raised again while it lasts
        raised.extend(alerts.extend_alerts(extensions))
    return raised


def _lock_snapshots(keys: list[tuple]) -> dict[tuple, SimpleNamespace]:
    """The tracker states of (subject, fence) keys, locked (FOR UPDATE) in key order, as (pk, state) records."""
    import orjson

    if not keys:
        return {}
    table = TrackerSnapshot._meta.db_table
    if connection.vendor == "postgresql":
        # Joined to the key arrays bound in binary: no IN list of thousands of placeholders, no model instances.
        with _binary_cursor() as raw:
            raw.execute(
                f"SELECT t.id, t.subject_id, t.fence_id, t.state FROM {table} AS t "
                "JOIN unnest(%b::int8[], %b::int8[]) AS k(subject_id, fence_id) "
                "ON t.subject_id = k.subject_id AND t.fence_id = k.fence_id "
                "ORDER BY t.subject_id, t.fence_id FOR UPDATE OF t",
                [[k[0] for k in keys], [k[1] for k in keys]],
            )
            rows = raw.fetchall()
    else:  # SQLite: writers are serialised by the database lock
        wanted = set(keys)
        rows = [
            row
            for row in TrackerSnapshot.objects.filter(
                subject_id__in={k[0] for k in keys}, fence_id__in={k[1] for k in keys}
            ).values_list("pk", "subject_id", "fence_id", "state")
            if (row[1], row[2]) in wanted
        ]
    found = {}
    for pk, subject_id, fence_id, state in rows:
        found[(subject_id, fence_id)] = SimpleNamespace(pk=pk, state=orjson.loads(state))
    return found


def _save_states(snapshots: list[SimpleNamespace]) -> None:
    """Write the tracker states back in one statement (an ORM bulk_update builds a CASE per row: seconds for a
    batch of a thousand subjects)."""
    if not snapshots:
        return
    import orjson

    table = TrackerSnapshot._meta.db_table
    now = timezone.now()
    ids = [s.pk for s in snapshots]
    states = [orjson.dumps(s.state).decode() for s in snapshots]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with _binary_cursor() as raw:
                raw.execute(
                    f"UPDATE {table} AS t SET state = v.state, updated_at = %b "
                    "FROM unnest(%b::int8[], %b::text[]) AS v(id, state) WHERE t.id = v.id",
                    [now, ids, states],
                )
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                f"UPDATE {table} SET state = %s, updated_at = %s WHERE id = %s",
                [(state, stamp, pk) for state, pk in zip(states, ids, strict=True)],
            )


def _alert_fields(event, fence: Geofence, *, counted: int) -> dict:
    """What an alert records of a breach episode: raise_alert's arguments for a new one, or what extends the open
    one (`counted`: the points already counted in it)."""
    evidence = dict(event.evidence or {})
    evidence["points"] = list(evidence.get("points") or [])[-EVIDENCE_POINTS:]
    evidence["fence"] = {"id": fence.pk, "name": fence.name, "kind": fence.kind, "source": fence.source}
    evidence["episode"] = event.episode
    return {
        "evidence": evidence,
        "started_at": event.started_at,
        "last_seen_at": event.last_seen_at,
        "ended_at": event.ended_at,
        "fence": fence,
        "point_count": max(event.point_count - counted, 0),
        "max_distance_m": event.max_distance_m,
    }


# --- geofences -----------------------------------------------------------------------------------------------------


def validate_geometry(geometry) -> dict:
    """A GeoJSON Polygon or MultiPolygon in WGS-84 lon/lat that is a valid, non-empty area; ValidationFailed in
    Chinese otherwise. Returns the geometry (a Feature's geometry is taken out of it)."""

    def fail(message):
        raise ValidationFailed(message, fields={"geometry": [message]})

    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        fail("范围应为 GeoJSON 的 Polygon 或 MultiPolygon")
    polygons = geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        fail("范围缺少坐标")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    count = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            fail("多边形应由一个外环（及可选的内环）组成")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                fail("每个环至少需要 4 个坐标（首尾相同）")
            for position in ring:
                if (
                    not isinstance(position, list | tuple)
                    or len(position) < 2
                    or _number(position[0]) is None
                    or _number(position[1]) is None
                ):
                    fail("坐标应为 [经度, 纬度] 数值")
                if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                    fail("坐标超出经纬度范围（经度 -180～180，纬度 -90～90）")
                count += 1
            if list(ring[0][:2]) != list(ring[-1][:2]):
                fail("环的首尾坐标应相同（闭合）")
    if count > 100_000:
        fail("范围的坐标过多（最多 100000 个）")
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    shaped = shape(geometry)
    if not shaped.is_valid:
        fail(f"多边形无效（自相交或环重叠）：{explain_validity(shaped)}")
    if shaped.is_empty or shaped.area <= 0:
        fail("范围的面积为零")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _check_fence(kind, window_start, window_end, active_from, active_until) -> None:
    if kind not in FenceKind.values:
        raise ValidationFailed("围栏类型无效", fields={"kind": ["围栏类型无效"]})
    if (window_start is None) != (window_end is None):
        raise ValidationFailed("每日时段应同时填写开始和结束时间", fields={"window_end": ["请同时填写"]})
    if kind == FenceKind.CURFEW and window_start is None:
        raise ValidationFailed(
            "宵禁须填写每日时段（如 22:00 至 06:00）", fields={"window_start": ["宵禁须填写时段"]}
        )
    if window_start is not None and window_start == window_end:
        raise ValidationFailed("每日时段的开始和结束不能相同", fields={"window_end": ["开始和结束不能相同"]})
    if active_from and active_until and active_until <= active_from:
        raise ValidationFailed("失效时间应晚于生效时间", fields={"active_until": ["应晚于生效时间"]})


@transaction.atomic
def create_fence(
    subject: CorrectionSubject,
    *,
    actor,
    kind: str,
    name: str,
    geometry: dict,
    window_start: time | None = None,
    window_end: time | None = None,
    active_from: datetime | None = None,
    active_until: datetime | None = None,
    basis: str = "",
) -> Geofence:
    """Set a custom fence on a subject: an allowed area, a 禁止令 zone (the court's prohibition order) or a curfew."""
    if subject.status not in UNDER_CORRECTION:
        raise ValidationFailed("该社区矫正对象不在矫正期内")
    _check_fence(kind, window_start, window_end, active_from, active_until)
    if not (name or "").strip():
        raise ValidationFailed("请填写围栏名称", fields={"name": ["请填写围栏名称"]})
    fence = Geofence(
        subject=subject,
        kind=kind,
        source=FenceSource.CUSTOM,
        name=name.strip()[:100],
        geometry=validate_geometry(geometry),
        window_start=window_start,
        window_end=window_end,
        active_from=active_from,
        active_until=active_until,
        basis=(basis or "")[:300],
    )
    with audit.operation(CorrectionAuditEvent.FENCE_CREATED, obj=audit.NEW, actor=actor):
        fence.save()
    return fence


FENCE_FIELDS = (
    "name",
    "geometry",
    "window_start",
    "window_end",
    "active_from",
    "active_until",
    "basis",
    "kind",
)


@transaction.atomic
def update_fence(fence: Geofence, *, actor, **changes) -> Geofence:
    """Change a fence (its area, window or validity); the county boundary itself is replaced only on transfer."""
    unknown = set(changes) - set(FENCE_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}")
    if fence.source == FenceSource.COUNTY_BOUNDARY and {"geometry", "kind"} & set(changes):
        raise ValidationFailed(
            "执行地县级行政区划边界不能修改范围；可另设自定义围栏", fields={"geometry": ["不能修改"]}
        )
    if not fence.is_active:
        raise TransitionNotAllowed("围栏已停用，不能修改")
    with audit.operation(CorrectionAuditEvent.FENCE_UPDATED, obj=fence, actor=actor):
        for name, value in changes.items():
            if name == "geometry":
                value = validate_geometry(value)
            if name == "name":
                value = (value or "").strip()[:100]
                if not value:
                    raise ValidationFailed("请填写围栏名称", fields={"name": ["请填写围栏名称"]})
            setattr(fence, name, value)
        _check_fence(fence.kind, fence.window_start, fence.window_end, fence.active_from, fence.active_until)
        fence.save()
    return fence


@transaction.atomic
def deactivate_fence(fence: Geofence, *, actor, reason: str = "") -> Geofence:
    """Stop a fence (history and its alerts stay)."""
    if not fence.is_active:
        raise TransitionNotAllowed("围栏已停用")
    with audit.operation(CorrectionAuditEvent.FENCE_DEACTIVATED, obj=fence, actor=actor, detail=reason[:300]):
        fence.is_active = False
        fence.active_until = fence.active_until or timezone.now()
        fence.save()
    return fence


# --- 电子定位装置 (第二十九条) -----------------------------------------------------------------------------------


def monitoring_limit(starts_on: date) -> date:
    """The last day a period starting on `starts_on` may run: three months (rules.ELECTRONIC_MONITORING_PERIOD),
    counted to the day before the same day of the third month after — never moved later for rest days, since it
    limits a restriction."""
    months = rules.ELECTRONIC_MONITORING_PERIOD.months
    index = starts_on.month - 1 + months
    year, month = starts_on.year + index // 12, index % 12 + 1
    import calendar

    day = min(starts_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


@transaction.atomic
def propose_electronic_monitoring(
    subject: CorrectionSubject,
    *,
    actor,
    ground: str,
    facts: str,
    starts_on: date,
    ends_on: date,
    device_number: str = "",
    extension_of: ElectronicMonitoring | None = None,
) -> ElectronicMonitoring:
    """提请 the use (or an extension) of an electronic positioning device: one of the five grounds of 第二十九条第一款,
    at most three months per period (第二十九条第二款); the county head approves it."""
    errors: dict[str, list[str]] = {}
    if ground not in MonitoringGround.values:
        errors["ground"] = ["只有第二十九条第一款规定的五种情形之一才可以使用电子定位装置"]
    if len((facts or "").strip()) < 4:
        errors["facts"] = ["请写明适用情形的事实和理由"]
    if subject.status not in UNDER_CORRECTION:
        errors["subject"] = ["该社区矫正对象不在矫正期内"]
    if ends_on < starts_on:
        errors["ends_on"] = ["期满日期不能早于开始日期"]
    elif ends_on > monitoring_limit(starts_on):
        errors["ends_on"] = [
            f"使用期限不得超过三个月（第二十九条第二款）：自 {starts_on} 起最迟至 {monitoring_limit(starts_on)}"
        ]
    if ends_on > subject.ends_on:
        errors.setdefault("ends_on", []).append("期满日期不能晚于矫正期满日期")
    if extension_of is not None:
        if extension_of.subject_id != subject.pk or extension_of.status not in (
            MonitoringStatus.ACTIVE,
            MonitoringStatus.ENDED,
        ):
            errors["extension_of"] = ["只能延长本人已批准的电子定位装置使用"]
        elif starts_on != extension_of.ends_on + timedelta(days=1):
            errors["starts_on"] = [
                f"延长期应自前一期期满的次日（{extension_of.ends_on + timedelta(days=1)}）开始"
            ]
    overlapping = ElectronicMonitoring.objects.filter(
        subject=subject,
        status__in=(MonitoringStatus.PROPOSED, MonitoringStatus.ACTIVE),
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlapping.exists():
        errors["starts_on"] = ["该期间已有待批准或使用中的电子定位装置"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    monitoring = ElectronicMonitoring(
        subject=subject,
        ground=ground,
        facts=facts.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        device_number=(device_number or "").strip()[:64],
        extension_of=extension_of,
        proposed_by=actor,
    )
    with audit.operation(CorrectionAuditEvent.MONITORING_PROPOSED, obj=audit.NEW, actor=actor):
        monitoring.save()
    return monitoring


@transaction.atomic
def approve_electronic_monitoring(
    monitoring: ElectronicMonitoring, *, actor, note: str = ""
) -> ElectronicMonitoring:
    """县级司法行政部门负责人批准 (holders of correction.approve_electronicmonitoring, in the subject's county)."""
    today = timezone.localdate()
    if monitoring.ends_on < today:
        raise TransitionNotAllowed("提请的使用期限已过，请重新提请")
    with audit.operation(CorrectionAuditEvent.MONITORING_APPROVED, obj=monitoring, actor=actor):
        workflow.transition(monitoring, "approve", actor=actor, comment=note)
        monitoring.approved_by = actor
        monitoring.approved_on = today
        monitoring.decision_note = (note or "")[:500]
        monitoring.save()
    return monitoring


@transaction.atomic
def refuse_electronic_monitoring(
    monitoring: ElectronicMonitoring, *, actor, note: str
) -> ElectronicMonitoring:
    """不予批准."""
    with audit.operation(CorrectionAuditEvent.MONITORING_REFUSED, obj=monitoring, actor=actor):
        workflow.transition(monitoring, "refuse", actor=actor, comment=note)
        monitoring.approved_by = actor
        monitoring.approved_on = timezone.localdate()
        monitoring.decision_note = (note or "")[:500]
        monitoring.save()
    return monitoring


@transaction.atomic
def end_electronic_monitoring(
    monitoring: ElectronicMonitoring, *, actor, reason: str
) -> ElectronicMonitoring:
    """解除: no longer needed (第二十九条第二款 “应当及时解除”), by an officer."""
    with audit.operation(CorrectionAuditEvent.MONITORING_ENDED, obj=monitoring, actor=actor):
        workflow.transition(monitoring, "end", actor=actor, comment=reason)
        monitoring.ended_on = timezone.localdate()
        monitoring.end_reason = (reason or "")[:300]
        monitoring.save()
    return monitoring


def end_expired_monitoring(*, today: date | None = None) -> int:
    """End every active use whose period is over (the system, no person): the three-month limit is enforced even
    when nobody remembers it. Safe to run in two workers at once (conditional update per record)."""
    today = today or timezone.localdate()
    ended = 0
    for pk in ElectronicMonitoring.objects.filter(
        status=MonitoringStatus.ACTIVE, ends_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            monitoring = (
                ElectronicMonitoring.objects.select_for_update()
                .filter(pk=pk, status=MonitoringStatus.ACTIVE)
                .select_related("subject")
                .first()
            )
            if monitoring is None:
                continue
            with audit.operation(
                CorrectionAuditEvent.MONITORING_ENDED,
                obj=monitoring,
                actor=None,
                detail="期限届满，系统自动解除",
            ):
                monitoring.status = MonitoringStatus.ENDED
                monitoring.ended_on = monitoring.ends_on + timedelta(days=1)
                monitoring.end_reason = "使用期限届满（第二十九条第二款），自动解除"
                monitoring.save()
            ended += 1
    return ended


MONITORING_TRANSITION_SERVICES = {
    "approve": approve_electronic_monitoring,
    "refuse": refuse_electronic_monitoring,
    "end": end_electronic_monitoring,
}


@transaction.atomic
def record_track_view(subject: CorrectionSubject, *, actor, start: datetime, end: datetime) -> None:
    """Location data serve correction work only (第二十九条第三款): every look at a track is recorded."""
    with audit.operation(
        CorrectionAuditEvent.TRACK_VIEWED,
        obj=subject,
        actor=actor,
        detail=f"{timezone.localtime(start):%Y-%m-%d %H:%M} 至 {timezone.localtime(end):%Y-%m-%d %H:%M}",
    ):
        pass
