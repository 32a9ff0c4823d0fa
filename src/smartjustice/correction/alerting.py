"""The breach tracker: turns evaluated GPS points of one subject and one fence into alert events an officer can act
on, without the alert fatigue of a per-point alerter (one district saw ~14,000 alerts a year, under a hundred real).

Pure computation. The caller (location ingest) keeps one `TrackerState` per (subject, fence) as JSON, feeds each
batch of evaluated points to `advance`, and creates or extends one alert per event (`alerts.raise_alert` dedupes on
the open alert of the same subject, kind and fence):

    state = TrackerState.from_json(snapshot.state) if snapshot else TrackerState.new(fence.fence_id, fence.kind)
    state, events = advance(state, points)          # TrackPoints, or compact ones from points_by_fence
    snapshot.state = state.to_json()

What it does with the points (parameters in rules.py, block C):
- each point is classed OUT (on the wrong side, certain), IN (on the right side, or the fence is not in force at
  that time, e.g. outside a curfew window) or UNKNOWN (its accuracy circle reaches the boundary, or it lies within
  the boundary tolerance): UNKNOWN points are ignored, so a subject living or working next to the county line does
  not raise alerts from GPS noise;
- points are ordered by their recording time, duplicates (same time) counted once; a point arriving late is merged
  in its place as long as it is within the reorder window (the tracker re-runs from a checkpoint), older ones are
  counted in `late_dropped`;
- a point implying an impossible speed from the previous accepted point is an outlier and ignored;
- a departure is confirmed after `CONFIRM_POINTS` consecutive OUT points spanning at least `CONFIRM_SPAN_S`
  (one IN point in between is tolerated); a lone OUT point, or a burst of two, never alerts (GPS jumps come in
  ones and twos; a shortcut confirming on two far points was tried and raised all the false alerts on the
  second generator, for under a minute of median delay);
- a confirmed breach ends when IN points persist for `END_SPAN_S` (at least two); a new departure within
  `MERGE_WINDOW_S` of the end reopens the same episode (one alert, not a burst of them); across a gap in the data
  the breach simply continues until IN points are seen again.

Each event carries why it fired and its evidence (the confirming points, the farthest one, their accuracy and
distance) so the alert page can show it on the map.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import rules

OUT, IN, UNKNOWN = 1, 0, -1
# Compact point: [t (epoch s), class, distance_m, lon, lat, accuracy_m]
T, CLS, DIST, LON, LAT, ACC = range(6)

ALERT_KIND = {"allowed": "geofence_exit", "forbidden": "forbidden_zone", "curfew": "curfew"}
FENCE_LABEL = {"allowed": "活动区域", "forbidden": "禁止进入区域", "curfew": "宵禁区域"}

_P = rules.TRACKER_PARAMETERS.value
CONFIRM_POINTS: int = _P["confirm_points"]
CONFIRM_SPAN_S: float = _P["confirm_span_s"]
END_SPAN_S: float = _P["end_span_s"]
MERGE_WINDOW_S: float = _P["merge_window_s"]
REORDER_WINDOW_S: float = _P["reorder_window_s"]
MAX_SPEED_MPS: float = _P["max_speed_mps"]
TOLERANCE_M: dict = rules.BOUNDARY_TOLERANCE_M.value
EVIDENCE_POINTS = 5
# The checkpoint moves once the pending points span the reorder window plus this much, so a state holds about an
# hour of points (a 2-minute feed: ~35) and stays small enough to be stored inline rather than TOASTed by PostgreSQL.
CHECKPOINT_SLACK_S = 600.0
# Pending points are stored packed — t float64, class int8, distance float32, lon/lat int32 micro-degrees (~0.1 m),
# accuracy float32: 25 bytes a point against ~70 in JSON numbers, and one string rather than a jsonb array of
# numerics. Reading and writing the state of every subject in a batch is most of the tracker's database time.
_PACKED = struct.Struct("<dbfiif")
_MICRO = 1_000_000


@dataclass(frozen=True)
class TrackPoint:
    """One evaluated point for one fence: its time (aware datetime or epoch seconds), where it was, and what the
    geofence engine said about it."""

    t: float | dt.datetime
    violation: bool
    uncertain: bool
    distance_m: float
    lon: float = 0.0
    lat: float = 0.0
    accuracy_m: float = 0.0
    applies: bool = True


@dataclass
class AlertEvent:
    """A breach episode, new or changed: create the alert when `is_new`, else extend the open one."""

    kind: str
    fence_id: int | str
    episode: int
    started_at: dt.datetime
    last_seen_at: dt.datetime
    ended_at: dt.datetime | None
    point_count: int
    max_distance_m: float
    why: str
    evidence: dict
    is_new: bool


def _epoch(value) -> float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: GPS times must be aware")
        return value.timestamp()
    return float(value)


def _when(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _metres(a, b) -> float:
    """Approximate ground distance between two compact points (equirectangular; fine for outlier speeds)."""
    kx = 111_195.0 * math.cos(math.radians((a[LAT] + b[LAT]) / 2))
    return math.hypot((a[LON] - b[LON]) * kx, (a[LAT] - b[LAT]) * 111_195.0)


def _plausible(a, b) -> bool:
    if not a[LON] and not a[LAT]:
        return True  # no position given: nothing to check
    seconds = max(abs(b[T] - a[T]), 1.0)
    slack = 2 * (a[ACC] + b[ACC]) + 200.0  # noise may add this much to a real move
    return _metres(a, b) <= MAX_SPEED_MPS * seconds + slack


def _copy_episode(episode: Mapping) -> dict:
    # Compact points are never changed once made, so copying the lists that hold them is enough.
    return dict(episode, evidence=list(episode["evidence"]))


class _Machine:
    """The decision over ordered, classed points; its state is plain data (see TrackerState)."""

    __slots__ = ("mode", "prev", "rejected", "run", "run_in", "streak", "episode", "next_id", "touched")

    def __init__(self, data: Mapping | None = None):
        data = data or {}
        self.mode = data.get("mode", "clear")
        self.prev = data.get("prev")
        self.rejected = data.get("rejected")
        self.run = list(data.get("run", ()))
        self.run_in = data.get("run_in", 0)
        self.streak = list(data.get("streak", []))
        episode = data.get("episode")
        self.episode = _copy_episode(episode) if episode else None
        self.next_id = data.get("next_id", 1)
        self.touched: dict[int, dict] = {}

    def to_json(self) -> dict:
        return {
            "mode": self.mode,
            "prev": self.prev,
            "rejected": self.rejected,
            "run": self.run,
            "run_in": self.run_in,
            "streak": self.streak,
            "episode": self.episode,
            "next_id": self.next_id,
        }

    def copy(self) -> _Machine:
        return _Machine(self.to_json())

    def feed(self, point: list) -> None:
        # Only a point on the wrong side is checked for a jump: a lone jump back inside cannot end a breach anyway.
        jump = point[CLS] == OUT and self.prev is not None and not _plausible(self.prev, point)
        if jump and (self.rejected is None or not _plausible(self.rejected, point)):
            self.rejected = point  # an outlier, unless the next point agrees with it
            return
        self.prev, self.rejected = point, None
        if self.mode == "clear":
            self._clear(point)
        else:
            self._breach(point)

    def _clear(self, point: list) -> None:
        if point[CLS] == OUT:
            self.run.append(point)
            self.run_in = 0
            if len(self.run) >= CONFIRM_POINTS and self.run[-1][T] - self.run[0][T] >= CONFIRM_SPAN_S:
                self._confirm()
        elif self.run:
            self.run_in += 1
            if self.run_in >= 2:
                self.run, self.run_in = [], 0

    def _confirm(self) -> None:
        run, episode = self.run, self.episode
        if (
            episode is not None
            and episode["end"] is not None
            and run[0][T] - episode["end"] <= MERGE_WINDOW_S
        ):
            episode["end"] = None  # the same outing: reopen it
            episode["merged"] += 1
        else:
            episode = self.episode = {
                "id": self.next_id,
                "start": run[0][T],
                "last": run[-1][T],
                "end": None,
                "count": 0,
                "max_d": 0.0,
                "evidence": [],
                "far": None,
                "merged": 0,
            }
            self.next_id += 1
        for point in run:
            self._add(point)
        self.mode, self.run, self.run_in, self.streak = "breach", [], 0, []
        self._touch()

    def _add(self, point: list) -> None:
        episode = self.episode
        episode["count"] += 1
        episode["last"] = max(episode["last"], point[T])
        if len(episode["evidence"]) < EVIDENCE_POINTS - 1:
            episode["evidence"].append(point)  # the first points, which confirmed the breach
        if point[DIST] > episode["max_d"]:
            episode["max_d"] = point[DIST]
            episode["far"] = point  # and the farthest one

    def _breach(self, point: list) -> None:
        if point[CLS] == OUT:
            self._add(point)
            self.streak = []
            self._touch()
            return
        self.streak.append(point[T])
        if len(self.streak) >= 2 and self.streak[-1] - self.streak[0] >= END_SPAN_S:
            self.episode["end"] = self.streak[0]
            self.mode, self.streak = "clear", []
            self._touch()

    def _touch(self) -> None:
        episode = self.episode
        self.touched[episode["id"]] = _copy_episode(episode)


def _pack(point) -> bytes:
    return _PACKED.pack(
        point[T], point[CLS], point[DIST], round(point[LON] * _MICRO), round(point[LAT] * _MICRO), point[ACC]
    )


class PendingPoints:
    """The classed points after the checkpoint, in time order, kept packed (see _PACKED) and decoded only when read:
    a batch arriving in order only appends and looks at the first and last time, so most states are stored again
    without ever being decoded."""

    __slots__ = ("_raw", "_points")

    def __init__(self, points=(), *, raw: bytes = b""):
        self._raw = bytearray(raw)
        self._points: list | None = None if raw else []
        self.extend(points)

    @classmethod
    def from_stored(cls, stored) -> PendingPoints:
        """From to_stored's string, or a version-1 state's JSON list of points."""
        if isinstance(stored, str):
            return cls(raw=base64.b64decode(stored))
        return cls([list(p) for p in stored or ()])

    def to_stored(self) -> str:
        return base64.b64encode(self._raw).decode("ascii")

    def extend(self, points) -> None:
        points = list(points)
        self._raw += b"".join(map(_pack, points))
        if self._points is not None:
            self._points.extend(points)

    def first_t(self) -> float:
        return _PACKED.unpack_from(self._raw, 0)[0]

    def last_t(self) -> float:
        return _PACKED.unpack_from(self._raw, len(self._raw) - _PACKED.size)[0]

    def points(self) -> list:
        """The points as compact lists (float32 fields back to the centimetre they were given in)."""
        if self._points is None:
            self._points = [
                [t, cls, round(dist, 2), lon / _MICRO, lat / _MICRO, round(acc, 2)]
                for t, cls, dist, lon, lat, acc in _PACKED.iter_unpack(self._raw)
            ]
        return self._points

    def __len__(self) -> int:
        return len(self._raw) // _PACKED.size

    def __iter__(self):
        return iter(self.points())

    def __getitem__(self, index):
        return self.points()[index]

    def __eq__(self, other) -> bool:
        return isinstance(other, PendingPoints) and self._raw == other._raw

    def __repr__(self) -> str:
        return f"PendingPoints({len(self)} points)"


@dataclass
class TrackerState:
    """What the tracker remembers about one subject and one fence between batches (JSON via to_json/from_json)."""

    fence_id: int | str
    kind: str
    checkpoint: dict = field(default_factory=dict)  # machine state at checkpoint_t
    checkpoint_t: float = float("-inf")
    pending: PendingPoints = field(
        default_factory=PendingPoints
    )  # classed points after checkpoint_t, by time
    current: dict = field(default_factory=dict)  # machine state after every pending point
    last_t: float = float("-inf")
    reported: dict = field(default_factory=dict)  # episode id → [last, end, count] as last reported
    late_dropped: int = 0
    duplicates: int = 0
    ignored: int = 0  # UNKNOWN points (accuracy straddles the boundary, or within the tolerance)
    # (time of the last point fed, machine state) after each batch: a late point replays from the nearest one
    # before it rather than from the checkpoint. Kept in memory only; after from_json the checkpoint serves.
    snapshots: list = field(default_factory=list, repr=False, compare=False)
    machine: _Machine | None = field(
        default=None, repr=False, compare=False
    )  # the live one, same as `current`

    @classmethod
    def new(cls, fence_id, kind: str) -> TrackerState:
        if kind not in ALERT_KIND:
            raise ValueError(f"unknown fence kind {kind!r}")
        return cls(fence_id=fence_id, kind=str(kind))

    def to_json(self) -> dict:
        return {
            "v": 2,
            "fence_id": self.fence_id,
            "kind": self.kind,
            "checkpoint": self.checkpoint,
            "checkpoint_t": None if math.isinf(self.checkpoint_t) else self.checkpoint_t,
            "pending": self.pending.to_stored(),
            "current": self.current,
            "last_t": None if math.isinf(self.last_t) else self.last_t,
            "reported": {str(k): v for k, v in self.reported.items()},
            "late_dropped": self.late_dropped,
            "duplicates": self.duplicates,
            "ignored": self.ignored,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> TrackerState:
        return cls(
            fence_id=data["fence_id"],
            kind=data["kind"],
            checkpoint=data.get("checkpoint") or {},
            checkpoint_t=float("-inf") if data.get("checkpoint_t") is None else data["checkpoint_t"],
            pending=PendingPoints.from_stored(data.get("pending")),
            current=data.get("current") or {},
            last_t=float("-inf") if data.get("last_t") is None else data["last_t"],
            reported={int(k): v for k, v in (data.get("reported") or {}).items()},
            late_dropped=data.get("late_dropped", 0),
            duplicates=data.get("duplicates", 0),
            ignored=data.get("ignored", 0),
        )

    @property
    def in_breach(self) -> bool:
        return self.current.get("mode") == "breach"


def classify(point: TrackPoint | Mapping, kind: str) -> list | None:
    """The compact form of an evaluated point ([t, class, distance, lon, lat, accuracy]), or None if UNKNOWN."""
    if not isinstance(point, TrackPoint):
        point = TrackPoint(**{name: value for name, value in point.items() if name in _POINT_FIELDS})
    distance = float(point.distance_m or 0.0)
    if not point.applies:
        cls = IN  # the fence is not in force now (outside a curfew window)
    elif point.uncertain:
        return None
    elif point.violation:
        if distance < TOLERANCE_M.get(kind, 0.0):
            return None
        cls = OUT
    else:
        cls = IN
    return [
        _epoch(point.t),
        cls,
        distance,
        float(point.lon),
        float(point.lat),
        float(point.accuracy_m or 0.0),
    ]


_POINT_FIELDS = frozenset(TrackPoint.__dataclass_fields__)


def advance(state: TrackerState, points: Iterable) -> tuple[TrackerState, list[AlertEvent]]:
    """Feed a batch of evaluated points (any order, duplicates allowed) to the tracker of one subject and fence.
    Returns the updated state (the argument is updated in place) and the events to create or extend alerts."""
    fresh: dict[float, list] = {}
    for point in points:
        # Already compact (points_by_fence), None for an UNKNOWN one, or a TrackPoint / mapping to class here.
        compact = point if point is None or type(point) is list else classify(point, state.kind)
        if compact is None:
            state.ignored += 1
            continue
        if compact[T] <= state.checkpoint_t:
            state.late_dropped += 1
            continue
        if compact[T] in fresh:
            state.duplicates += 1
            continue
        fresh[compact[T]] = compact
    if fresh and min(fresh) <= state.last_t:  # only a point not newer than the last one can be a duplicate
        known = {p[T] for p in state.pending}
        duplicates = [t for t in fresh if t in known]
        for t in duplicates:
            del fresh[t]
        state.duplicates += len(duplicates)
    if not fresh:
        return state, []
    batch = sorted(fresh.values(), key=lambda p: p[T])
    if batch[0][T] > state.last_t:
        # In order: carry on from where the last batch stopped.
        machine = state.machine if state.machine is not None else _Machine(state.current)
        state.pending.extend(batch)
    else:
        # A point arrived late: replay from the last snapshot before it (or the checkpoint).
        earliest = batch[0][T]
        while state.snapshots and state.snapshots[-1][0] >= earliest:
            state.snapshots.pop()
        since, start = state.snapshots[-1] if state.snapshots else (state.checkpoint_t, state.checkpoint)
        machine = _Machine(start)
        state.pending = PendingPoints(sorted([*state.pending, *batch], key=lambda p: p[T]))
        batch = [p for p in state.pending if p[T] > since]
    machine.touched = {}  # report only what this batch changed
    for point in batch:
        machine.feed(point)
    state.current = machine.to_json()
    state.last_t = max(state.last_t, state.pending.last_t())
    state.snapshots.append((state.last_t, machine.copy().to_json()))
    state.machine = machine
    events = _events(state, machine.touched)
    _move_checkpoint(state)
    return state, events


def _move_checkpoint(state: TrackerState) -> None:
    """Settle the points older than the reorder window (amortised: once they span the window and the slack)."""
    pending = state.pending
    if not pending or pending.last_t() - pending.first_t() < REORDER_WINDOW_S + CHECKPOINT_SLACK_S:
        return
    settle_until = pending.last_t() - REORDER_WINDOW_S
    usable = [snapshot for snapshot in state.snapshots if snapshot[0] <= settle_until]
    if usable:  # the machine as it was after an earlier batch: no replay needed
        settle_until, checkpoint = usable[-1]
    else:
        machine = _Machine(state.checkpoint)
        for point in state.pending:
            if point[T] <= settle_until:
                machine.feed(point)
        checkpoint = machine.to_json()
    state.checkpoint = checkpoint
    state.checkpoint_t = settle_until
    state.pending = PendingPoints(point for point in state.pending if point[T] > settle_until)
    state.snapshots = [snapshot for snapshot in state.snapshots if snapshot[0] > settle_until]
    # Forget reports of episodes long over (they can no longer change).
    for episode_id, (_, end, _) in list(state.reported.items()):
        if end is not None and end < settle_until - MERGE_WINDOW_S - REORDER_WINDOW_S:
            del state.reported[episode_id]


def _events(state: TrackerState, touched: Mapping[int, dict]) -> list[AlertEvent]:
    events = []
    for episode_id, episode in sorted(touched.items()):
        signature = [episode["last"], episode["end"], episode["count"]]
        previous = state.reported.get(episode_id)
        if previous == signature:
            continue
        state.reported[episode_id] = signature
        events.append(_event(state, episode, is_new=previous is None))
    return events


def _event(state: TrackerState, episode: dict, *, is_new: bool) -> AlertEvent:
    label = FENCE_LABEL.get(state.kind, "围栏")
    where = "内" if state.kind == "forbidden" else "外"
    far_km = episode["max_d"] / 1000.0
    far = f"{far_km:.1f} 公里" if far_km >= 1 else f"{episode['max_d']:.0f} 米"
    why = (
        f"连续 {episode['count']} 个可信定位点位于{label}{where}，距边界最远 {far}"
        f"（已排除精度圈跨越边界或在容差 {TOLERANCE_M.get(state.kind, 0):.0f} 米内的点，以及孤立的漂移点）"
    )
    if state.kind == "curfew":
        why = "宵禁时段内" + why
    if episode.get("merged"):
        why += f"；{episode['merged']} 次短暂返回后再次越界，已合并为同一次预警"
    evidence = {
        "points": [
            {
                "recorded_at": _when(p[T]).isoformat(),
                "longitude": p[LON],
                "latitude": p[LAT],
                "accuracy_m": p[ACC],
                "distance_m": round(p[DIST], 1),
            }
            for p in episode["evidence"]
            + ([episode["far"]] if episode.get("far") not in episode["evidence"] else [])
            if p is not None
        ],
        "fence_kind": state.kind,
        "tolerance_m": TOLERANCE_M.get(state.kind, 0.0),
        "uncertain_points_ignored_total": state.ignored,
        "rule": rules.TRACKER_PARAMETERS.key,
    }
    return AlertEvent(
        kind=ALERT_KIND[state.kind],
        fence_id=state.fence_id,
        episode=episode["id"],
        started_at=_when(episode["start"]),
        last_seen_at=_when(episode["last"]),
        ended_at=None if episode["end"] is None else _when(episode["end"]),
        point_count=episode["count"],
        max_distance_m=round(episode["max_d"], 1),
        why=why,
        evidence=evidence,
        is_new=is_new,
    )


def points_by_fence(evaluation, subject_ids, times, lon, lat, accuracy_m) -> dict[tuple, list]:
    """Split a geofences.Evaluation into the point lists `advance` takes, keyed by (subject id, fence id): each point
    already classed in compact form (see classify; None for an UNKNOWN one), computed for the whole batch at once
    with NumPy rather than a TrackPoint per row. `times`: per input point, aware datetimes or epoch seconds."""
    import numpy as np

    fences = evaluation.fences
    if not len(evaluation):
        return {}
    rows = np.asarray(evaluation.point, dtype=np.int64)
    fence_index = np.asarray(evaluation.fence_index, dtype=np.int64)
    distance = np.asarray(evaluation.distance_m, dtype=np.float64)
    tolerance = np.array([TOLERANCE_M.get(str(f.kind), 0.0) for f in fences], dtype=np.float64)[fence_index]
    violation = np.asarray(evaluation.violation, dtype=bool)
    uncertain = np.asarray(evaluation.uncertain, dtype=bool) | (violation & (distance < tolerance))
    applies = np.asarray(evaluation.applies, dtype=bool)
    # Not in force (outside a curfew window) → IN; else uncertain → UNKNOWN; else OUT or IN.
    cls = np.where(~applies, IN, np.where(uncertain, UNKNOWN, np.where(violation, OUT, IN))).tolist()
    epochs = np.fromiter((_epoch(t) for t in times), dtype=np.float64, count=len(times))
    t_rows = epochs[rows].tolist()
    lon_rows = np.asarray(lon, dtype=np.float64)[rows].tolist()
    lat_rows = np.asarray(lat, dtype=np.float64)[rows].tolist()
    acc_rows = np.asarray(accuracy_m, dtype=np.float64)[rows].tolist()
    fence_ids = [f.fence_id for f in fences]
    grouped: dict[tuple, list] = {}
    for r, (i, f, c, d) in enumerate(
        zip(rows.tolist(), fence_index.tolist(), cls, distance.tolist(), strict=True)
    ):
        point = None if c == UNKNOWN else [t_rows[r], c, d, lon_rows[r], lat_rows[r], acc_rows[r]]
        grouped.setdefault((subject_ids[i], fence_ids[f]), []).append(point)
    return grouped
