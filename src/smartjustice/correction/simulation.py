"""Synthetic GPS tracks with known true departures, to measure alert fatigue (correction/fatigue.py) — two generators
built on different models and parameters, so the tracker is not only judged on the tracks it was tuned on:

`daily_routine` (the project's own model): subjects move between home, work and errands inside their county on a
daily schedule; now and then one drives out of the county and comes back. Fixes every 2 minutes, Gaussian noise
scaled by the reported accuracy (which is an honest 1-sigma-ish radius, so a third of fixes fall outside it), a few
coarse cell-tower fixes, lone outliers kilometres away, re-sent duplicates, uploads every 5 minutes with some points
held back to later uploads, and phones switched off for an hour or two. A fifth of the subjects live, and another
fifth work, within 100 m of the county line.

`random_walk` (standing in for tracks the project did not generate): positions wander as an Ornstein–Uhlenbeck random
walk around each anchor, commutes and outings follow zig-zag road-like paths (not straight lines), departures arrive
as a Poisson process at any hour and go 0.3–40 km out, sampling is motion-adaptive (1 minute moving, 10 minutes still,
10 % dropped), noise is autocorrelated (AR(1), heavy-tailed Student-t, multipath bias persisting for minutes) with a
reported accuracy that is mis-calibrated, outliers come in bursts of one or two points, and a device uploads every
10 minutes with batches shuffled and some delayed by up to 40 minutes. Different counties as well.

Both return `Track`s with the recorded points (time, arrival time, lon/lat, reported accuracy), the true departures
(intervals when the true position was outside the allowed area; a road dipping back in for under 15 minutes is still
the same outing) and the subject-days covered. Everyday moves never leave the county (wandering around a spot near
the line is clipped to the inside), so every true departure is an outing; people by the line are inside, however
their fixes scatter. `naive_alerts` is the
baseline every point-in-polygon alerter starts as: one alert per point outside the area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import shapely

from .geofences import ALLOWED, CompiledFence, Fence, evaluate, load_county_boundary

DAY = 86_400.0
# 2026-03-02 00:00 Asia/Shanghai, as epoch seconds (the simulated weeks start on a Monday).
EPOCH0 = dt.datetime(2026, 3, 1, 16, 0, tzinfo=dt.UTC).timestamp()

SAME_OUTING_S = 15 * 60
OWN_COUNTIES = ("440106000000", "440104000000", "440281000000", "440111000000", "440305000000")
OTHER_COUNTIES = ("440303000000", "440605000000", "441302000000", "440113000000", "441881000000")


@dataclass
class Track:
    """One subject's simulated track against its allowed area."""

    subject_id: int
    fence: Fence
    t: np.ndarray  # recorded time, epoch seconds
    arrival: np.ndarray  # when the point reached the server (uploads), epoch seconds
    lon: np.ndarray
    lat: np.ndarray
    accuracy_m: np.ndarray
    departures: list[tuple[float, float]]  # true intervals outside the allowed area
    days: float
    profile: str = ""  # "near_home", "near_work" or "" (lives and works away from the line)
    outlier: np.ndarray = field(
        default=None, repr=False
    )  # which points are deliberate outliers (for reports)


class _Area:
    """An allowed area in its metric frame, with samplers for places inside, near the line and outside."""

    def __init__(self, code: str, fence_id: int):
        geometry = load_county_boundary(code)
        self.fence = Fence(fence_id, ALLOWED, geometry, name=code)
        self.c: CompiledFence = self.fence.compiled
        self.rings = shapely.get_exterior_ring(shapely.get_parts(self.c.area))
        self.ring_lengths = shapely.length(self.rings)

    def inside(self, x, y) -> np.ndarray:
        return shapely.intersects_xy(self.c.area, np.atleast_1d(x), np.atleast_1d(y))

    def distance(self, x, y) -> np.ndarray:
        return shapely.distance(self.c.boundary, shapely.points(np.atleast_1d(x), np.atleast_1d(y)))

    def boundary_point(self, rng) -> tuple[float, float]:
        ring = rng.choice(len(self.rings), p=self.ring_lengths / self.ring_lengths.sum())
        point = shapely.line_interpolate_point(self.rings[ring], rng.uniform(0, self.ring_lengths[ring]))
        return point.x, point.y

    def place_inside(self, rng, *, min_depth=300.0) -> tuple[float, float]:
        x0, y0, x1, y1 = self.c.bounds
        for _ in range(10_000):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if self.inside(x, y)[0] and self.distance(x, y)[0] >= min_depth:
                return x, y
        raise RuntimeError("no place inside the area")

    def place_near_line(self, rng, low=20.0, high=100.0) -> tuple[float, float]:
        for _ in range(10_000):
            bx, by = self.boundary_point(rng)
            angle, radius = rng.uniform(0, 2 * np.pi), rng.uniform(low, high)
            x, y = bx + radius * np.cos(angle), by + radius * np.sin(angle)
            if self.inside(x, y)[0] and low <= self.distance(x, y)[0] <= high:
                return x, y
        raise RuntimeError("no place near the line")

    def place_outside(self, rng, low: float, high: float) -> tuple[float, float]:
        for _ in range(10_000):
            bx, by = self.boundary_point(rng)
            depth = float(np.exp(rng.uniform(np.log(low), np.log(high))))
            angle = rng.uniform(0, 2 * np.pi)
            x, y = bx + depth * np.cos(angle), by + depth * np.sin(angle)
            if not self.inside(x, y)[0] and self.distance(x, y)[0] >= low:
                return x, y
        raise RuntimeError("no place outside the area")

    def reachable(self, a, b) -> bool:
        """Whether the straight way from a to b stays inside the area (everyday moves never leave it)."""
        return bool(self.c.area.contains(shapely.LineString([a, b])))

    def anchor(self, rng, others, place) -> tuple[float, float]:
        """A place (from `place(rng)`) reachable in a straight line from every one of `others`."""
        candidate = place(rng)
        for _ in range(200):
            if all(self.reachable(candidate, other) for other in others):
                return candidate
            candidate = place(rng)
        return candidate

    def to_lonlat(self, x, y):
        return self.c.lon0 + np.asarray(x) / self.c.kx, self.c.lat0 + np.asarray(y) / self.c.ky

    def true_departures(self, path_t, path_x, path_y, start, end, step=30.0) -> list[tuple[float, float]]:
        """Intervals when the true position is outside the area (sampled every `step` seconds)."""
        grid = np.arange(start, end, step)
        x, y = np.interp(grid, path_t, path_x), np.interp(grid, path_t, path_y)
        outside = ~self.inside(x, y)
        intervals: list[list[float]] = []
        edges = np.flatnonzero(np.diff(np.concatenate(([0], outside.astype(np.int8), [0]))))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            start, stop = float(grid[a]), float(grid[b - 1] + step)
            if intervals and start - intervals[-1][1] < SAME_OUTING_S:
                intervals[-1][1] = stop  # a road that dips back in for a moment: still the same outing
            else:
                intervals.append([start, stop])
        return [(a, b) for a, b in intervals]


class _Path:
    """A piecewise-linear true path: waypoints (t, x, y). Moves around a spot inside the area stay inside it."""

    def __init__(self, area: _Area, t0, x, y):
        self.area = area
        self.t, self.x, self.y = [t0], [x], [y]

    def stay(self, until, rng=None, wander=0.0):
        if until <= self.t[-1]:
            return
        if wander and rng is not None:  # small moves around the spot every ~10 minutes
            cx, cy = self.x[-1], self.y[-1]
            times = np.arange(self.t[-1] + 600, until, 600)
            x = cx + rng.normal(0, wander, times.size)
            y = cy + rng.normal(0, wander, times.size)
            self._add_many(times, x, y, cx, cy)
        self.add(until, self.x[-1], self.y[-1])

    def _add_many(self, times, x, y, cx, cy):
        if times.size and self.area.inside(cx, cy)[0]:
            # Around a spot inside, every move stays inside: a step whose way from the spot or from the previous
            # step would cross the line is replaced by the spot itself (then both ways to it are inside).
            area = self.area.c.area
            spot = np.column_stack((np.full(x.shape, cx), np.full(y.shape, cy)))
            bad = ~shapely.contains(
                area, shapely.linestrings(np.stack((spot, np.column_stack((x, y))), axis=1))
            )
            x[bad], y[bad] = cx, cy
            px, py = np.concatenate(([cx], x[:-1])), np.concatenate(([cy], y[:-1]))
            moved = (px != x) | (py != y)
            legs = shapely.linestrings(np.stack((np.column_stack((px, py)), np.column_stack((x, y))), axis=1))
            bad = moved & ~shapely.contains(area, legs)
            x[bad], y[bad] = cx, cy
        for t, px, py in zip(times, x, y, strict=True):
            self.add(t, px, py)

    def add(self, t, x, y):
        if t > self.t[-1]:
            self.t.append(float(t))
            self.x.append(float(x))
            self.y.append(float(y))

    def go(self, x, y, speed, rng=None, zigzag=0):
        """Travel to (x, y) at `speed`, straight or along `zigzag` road-like legs (kept inside the area when both
        ends are inside)."""
        x0, y0 = self.x[-1], self.y[-1]
        legs = []
        if zigzag and rng is not None:
            for k in range(1, zigzag + 1):
                f = k / (zigzag + 1)
                if k % 2:
                    legs.append((x0 + (x - x0) * f, y0))  # east-west street, then north-south
                else:
                    legs.append((x0 + (x - x0) * f, y0 + (y - y0) * f))
            ends_inside = self.area.inside(np.array([x0, x]), np.array([y0, y])).all()
            if ends_inside and not self.area.c.area.contains(shapely.LineString([(x0, y0), *legs, (x, y)])):
                legs = []
        legs.append((x, y))
        for lx, ly in legs:
            distance = float(np.hypot(lx - self.x[-1], ly - self.y[-1]))
            self.add(self.t[-1] + max(distance / speed, 1.0), lx, ly)

    def arrays(self):
        return np.asarray(self.t), np.asarray(self.x), np.asarray(self.y)


# --- generator 1: the project's own daily-routine model ------------------------------------------------------------


def daily_routine(subjects=40, days=7, *, seed=1, departure_rate=0.12) -> list[Track]:
    """Tracks of the project's own model (see the module docstring)."""
    rng = np.random.default_rng(seed)
    areas = [_Area(code, k + 1) for k, code in enumerate(OWN_COUNTIES)]
    tracks = []
    for subject in range(subjects):
        area = areas[subject % len(areas)]
        profile = ("near_home", "near_work", "", "", "")[subject % 5]
        home = area.place_near_line(rng) if profile == "near_home" else area.place_inside(rng)
        work = area.anchor(rng, [home], area.place_near_line if profile == "near_work" else area.place_inside)
        errands = [
            area.anchor(rng, [home, work], partial(area.place_inside, min_depth=200.0)) for _ in range(3)
        ]
        path = _Path(area, EPOCH0, *home)
        for day in range(days):
            base = EPOCH0 + day * DAY
            leave_home = base + rng.uniform(7.0, 9.0) * 3600
            path.stay(leave_home, rng, wander=10)
            path.go(*work, speed=rng.uniform(6, 12))
            plan_departure = rng.random() < departure_rate
            depart_at = base + rng.uniform(10.0, 19.0) * 3600
            if plan_departure and depart_at > path.t[-1]:
                path.stay(depart_at, rng, wander=15)
                destination = area.place_outside(rng, 500.0, 12_000.0)
                path.go(*destination, speed=rng.uniform(8, 15))
                duration = float(np.clip(rng.lognormal(np.log(30 * 60), 0.7), 10 * 60, 5 * 3600))
                path.stay(path.t[-1] + duration, rng, wander=40)
                path.go(*work, speed=rng.uniform(8, 15))
            path.stay(max(base + rng.uniform(17.0, 19.0) * 3600, path.t[-1]), rng, wander=15)
            path.go(*errands[rng.integers(0, len(errands))], speed=5.0)
            path.stay(path.t[-1] + rng.uniform(20, 90) * 60, rng, wander=20)
            path.go(*home, speed=rng.uniform(5, 10))
        end = EPOCH0 + days * DAY
        path.stay(end + 3600)
        tracks.append(_sample_routine(rng, subject, area, path, end, days, profile))
    return tracks


def _sample_routine(rng, subject, area: _Area, path: _Path, end, days, profile) -> Track:
    path_t, path_x, path_y = path.arrays()
    t = np.arange(EPOCH0, end, 120.0) + rng.uniform(-10, 10, int(np.ceil((end - EPOCH0) / 120.0)))
    t = np.round(t[(t >= EPOCH0) & (t < end)])
    # Phones switched off: on 30 % of days a gap of 20–120 minutes.
    keep = np.ones(t.shape, dtype=bool)
    for day in range(days):
        if rng.random() < 0.3:
            start = EPOCH0 + day * DAY + rng.uniform(0, DAY)
            keep &= ~((t >= start) & (t < start + rng.uniform(20, 120) * 60))
    t = t[keep]
    n = t.shape[0]
    x, y = np.interp(t, path_t, path_x), np.interp(t, path_t, path_y)
    accuracy = np.clip(rng.lognormal(np.log(15), 0.5, n), 4, 80)
    coarse = rng.random(n) < 0.01
    accuracy[coarse] = rng.uniform(300, 1500, coarse.sum())
    sigma = accuracy / 1.5
    x = x + rng.normal(0, 1, n) * sigma
    y = y + rng.normal(0, 1, n) * sigma
    outlier = rng.random(n) < 0.004
    jump = np.exp(rng.uniform(np.log(300), np.log(15_000), outlier.sum()))
    angle = rng.uniform(0, 2 * np.pi, outlier.sum())
    x[outlier] += jump * np.cos(angle)
    y[outlier] += jump * np.sin(angle)
    accuracy[outlier] = rng.uniform(8, 30, outlier.sum())
    # Uploads every 5 minutes; 5 % of points held back one to three uploads; 3 % sent twice.
    slot = np.floor((t - EPOCH0) / 300.0).astype(np.int64) + 1
    arrival = EPOCH0 + slot * 300.0
    late = rng.random(n) < 0.05
    arrival[late] += 300.0 * rng.integers(1, 4, late.sum())
    arrival += rng.uniform(0, 20, int(slot.max()) + 8)[
        ((arrival - EPOCH0) // 300).astype(np.int64)
    ]  # network
    twice = np.flatnonzero(rng.random(n) < 0.03)
    index = np.concatenate((np.arange(n), twice))
    arrival = np.concatenate((arrival, arrival[twice] + 300.0 * rng.integers(0, 3, twice.size)))
    order = np.lexsort((t[index], arrival))  # listed in upload order, each upload in recording order
    index, arrival = index[order], arrival[order]
    lon, lat = area.to_lonlat(x[index], y[index])
    return Track(
        subject_id=subject,
        fence=area.fence,
        t=t[index],
        arrival=arrival,
        lon=lon,
        lat=lat,
        accuracy_m=accuracy[index],
        departures=area.true_departures(path_t, path_x, path_y, EPOCH0, end),
        days=float(days),
        profile=profile,
        outlier=outlier[index],
    )


# --- generator 2: random walks, road-shaped paths, correlated noise, adaptive sampling ------------------------------


def random_walk(subjects=40, days=7, *, seed=2, departure_rate=0.15) -> list[Track]:
    """Tracks of the independent model (see the module docstring)."""
    rng = np.random.default_rng(seed + 7919)
    areas = [_Area(code, 100 + k) for k, code in enumerate(OTHER_COUNTIES)]
    tracks = []
    for subject in range(subjects):
        area = areas[(subject * 3) % len(areas)]
        near = rng.random() < 0.35
        profile = "near_home" if near else ""
        home = area.place_near_line(rng, 10.0, 100.0) if near else area.place_inside(rng, min_depth=500.0)
        anchors = [home]
        for k in range(3):
            near_work = k == 0 and rng.random() < 0.3
            place = partial(area.place_near_line, low=30.0, high=100.0) if near_work else area.place_inside
            anchors.append(area.anchor(rng, anchors, place))
            if near_work:
                profile = profile or "near_work"
        end = EPOCH0 + days * DAY
        path = _Path(area, EPOCH0, *home)
        now = EPOCH0
        next_departure = now + rng.exponential(DAY / departure_rate)
        while now < end:
            anchor = (
                anchors[0]
                if (path.t[-1] - EPOCH0) % DAY > 0.8 * DAY
                else anchors[rng.integers(0, len(anchors))]
            )
            if path.t[-1] >= next_departure:
                destination = area.place_outside(rng, 300.0, 40_000.0)
                path.go(*destination, speed=rng.uniform(5, 20), rng=rng, zigzag=int(rng.integers(1, 4)))
                duration = float(np.clip(rng.lognormal(np.log(90 * 60), 0.8), 10 * 60, 10 * 3600))
                _wander(path, rng, path.t[-1] + duration, sigma=150.0)
                path.go(*anchors[0], speed=rng.uniform(5, 20), rng=rng, zigzag=int(rng.integers(1, 4)))
                next_departure = path.t[-1] + rng.exponential(DAY / departure_rate)
            else:
                path.go(*anchor, speed=rng.uniform(1.2, 14), rng=rng, zigzag=int(rng.integers(0, 3)))
                stay = rng.exponential(3 * 3600) + 600
                _wander(path, rng, min(path.t[-1] + stay, next_departure + 1), sigma=60.0 if near else 120.0)
            now = path.t[-1]
        tracks.append(_sample_walk(rng, subject, area, path, end, days, profile))
    return tracks


def _wander(path: _Path, rng, until, *, sigma, tau=1200.0, step=120.0):
    """Ornstein–Uhlenbeck wander around the current spot until `until` (staying inside if the spot is inside)."""
    cx, cy = path.x[-1], path.y[-1]
    times = np.arange(path.t[-1] + step, until - 1e-9, step)
    if times.size:
        decay = np.exp(-step / tau)
        kicks = rng.normal(0, sigma * np.sqrt(1 - decay**2), (times.size, 2))
        offsets = np.empty_like(kicks)
        ox = oy = 0.0
        for k in range(times.size):
            ox = ox * decay + kicks[k, 0]
            oy = oy * decay + kicks[k, 1]
            offsets[k] = ox, oy
        path._add_many(times, cx + offsets[:, 0], cy + offsets[:, 1], cx, cy)
    path.add(until, cx, cy)


def _sample_walk(rng, subject, area: _Area, path: _Path, end, days, profile) -> Track:
    path_t, path_x, path_y = path.arrays()
    # Motion-adaptive sampling: 1 minute when moving faster than 1 m/s, else 10 minutes; 10 % of fixes lost.
    grid = np.arange(EPOCH0, end, 60.0)
    gx, gy = np.interp(grid, path_t, path_x), np.interp(grid, path_t, path_y)
    moving = np.hypot(np.diff(gx, append=gx[-1]), np.diff(gy, append=gy[-1])) > 60.0
    phase = int(rng.integers(0, 10))
    keep = moving | ((np.arange(grid.size) + phase) % 10 == 0)
    t = np.round(grid[keep] + rng.uniform(-5, 5, int(keep.sum())))
    t = t[(rng.random(t.shape[0]) >= 0.10) & (t >= EPOCH0) & (t < end)]
    # Battery flat now and then: gaps of exponential length (mean 80 minutes), about one every two days.
    for _ in range(rng.poisson(days / 2)):
        start = EPOCH0 + rng.uniform(0, days * DAY)
        t = t[(t < start) | (t >= start + rng.exponential(80 * 60))]
    n = t.shape[0]
    x, y = np.interp(t, path_t, path_x), np.interp(t, path_t, path_y)
    # Autocorrelated heavy-tailed noise; the reported accuracy is mis-calibrated by a random factor.
    sigma = np.where(rng.random(n) < 0.5, 8.0, 25.0)
    rho = np.exp(-np.diff(t, prepend=t[0] if n else 0.0) / 300.0)
    scale = np.sqrt(1 - rho**2) * sigma / np.sqrt(3)
    kicks = rng.standard_t(3, (n, 2)) * scale[:, None]
    ex = np.zeros(n)
    ey = np.zeros(n)
    px = py = 0.0
    for k in range(n):
        px = rho[k] * px + kicks[k, 0]
        py = rho[k] * py + kicks[k, 1]
        ex[k], ey[k] = px, py
    x, y = x + ex, y + ey
    accuracy = np.clip(sigma * 1.5 * rng.lognormal(0, 0.4, n), 3, 200)
    # Outlier bursts of one or two consecutive fixes, 0.5–50 km off.
    outlier = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(rng.random(n) < 0.004):
        length = 1 + int(rng.random() < 0.3)
        jump = np.exp(rng.uniform(np.log(500), np.log(50_000)))
        angle = rng.uniform(0, 2 * np.pi)
        for j in range(k, min(k + length, n)):
            x[j] += jump * np.cos(angle) + rng.normal(0, 50)
            y[j] += jump * np.sin(angle) + rng.normal(0, 50)
            accuracy[j] = rng.uniform(5, 40)
            outlier[j] = True
    # Device uploads every 10 minutes, shuffled within the batch; 3 % of batches delayed 10–40 minutes; 1 % doubled.
    arrival = (np.floor(t / 600.0) + 1) * 600.0
    batches = np.unique(arrival)
    delay = {b: (rng.uniform(600, 2400) if rng.random() < 0.03 else rng.uniform(0, 60)) for b in batches}
    arrival = arrival + np.asarray([delay[b] for b in arrival])
    twice = np.flatnonzero(rng.random(n) < 0.01)
    index = np.concatenate((np.arange(n), twice))
    order = np.lexsort((rng.random(index.size), np.concatenate((arrival, arrival[twice]))))
    index = index[order]
    lon, lat = area.to_lonlat(x[index], y[index])
    return Track(
        subject_id=10_000 + subject,
        fence=area.fence,
        t=t[index],
        arrival=np.concatenate((arrival, arrival[twice]))[order],
        lon=lon,
        lat=lat,
        accuracy_m=accuracy[index],
        departures=area.true_departures(path_t, path_x, path_y, EPOCH0, end),
        days=float(days),
        profile=profile,
        outlier=outlier[index],
    )


GENERATORS = {"daily_routine": daily_routine, "random_walk": random_walk}


# --- the naive baseline ---------------------------------------------------------------------------------------------


def naive_alerts(track: Track) -> list[tuple[float, float]]:
    """One alert per received point outside the allowed area: [(recorded time, arrival time)]."""
    evaluation = evaluate(
        {track.subject_id: [track.fence]},
        np.full(track.t.shape, track.subject_id),
        track.lon,
        track.lat,
        track.accuracy_m,
    )
    hit = evaluation.point[evaluation.violation]
    return [(float(track.t[i]), float(track.arrival[i])) for i in hit]
