"""`make bench-correction`: the geofence engine and the breach tracker of 社区矫正 (correction/geofences.py,
alerting.py), each against a baseline measured in the same run.

1. Geofence throughput on one core (the process pins itself to one CPU): GPS points of subjects spread over all of
   Guangdong's 124 county-level units (each subject's default allowed area is its county; some have a 禁止令 zone
   and a curfew home with a window across midnight), evaluated by `geofences.evaluate` (vectorised: NumPy pairing,
   a signed-distance grid per fence, Shapely only for the points near a boundary) against
   (a) the per-point Shapely loop (`evaluate_point_by_point`) and (b) plain vectorised Shapely (`intersects_xy` and
   `distance` for every pair, no grid). Target: ≥ 1,000,000 points/s. Realistic points (people mostly inside their
   county, 5 % of fixes near a county line) and a worst case (uniform over each county's bounding box: half the
   points outside, each needing an exact distance) are both reported. Results are checked against the baseline.
2. Alert fatigue (correction/fatigue.py) on both track generators (correction/simulation.py): the breach tracker
   against the naive per-point alerter. Targets: ≤ 1.5 alerts per real breach, no missed breach of ≥ 30 minutes,
   ≤ 0.1 false alerts per subject-day, median delay ≤ 15 minutes — on both generators.
3. PostGIS, when available (DATABASE_URL or postgres://postgres@127.0.0.1:5432/sj_c; `CREATE EXTENSION postgis`):
   the same fences and a sample of the points in tables, evaluated by one SQL query (ST_Covers + ST_Distance in a
   metric CRS, parallel workers off: one core). Skipped with a message when PostGIS or PostgreSQL is missing.

    .venv/bin/python benchmarks/bench_correction.py [--subjects 20000] [--points 2000000] [--days 14] [--seeds 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from smartjustice.correction import fatigue, geofences, simulation  # noqa: E402
from smartjustice.correction.geofences import Fence  # noqa: E402

TARGET_POINTS_PER_SECOND = 1_000_000
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sj_c"


# --- workload -------------------------------------------------------------------------------------------------------


class Workload:
    """Subjects over every county with their fences, and GPS points for them."""

    def __init__(self, subjects: int, seed: int = 12):
        rng = np.random.default_rng(seed)
        self.rng = rng
        counties = sorted(geofences._county_features())
        self.fences_by_subject: dict[int, list[Fence]] = {}
        county_fences = {
            code: Fence(f"county-{code}", "allowed", geofences.load_county_boundary(code))
            for code in counties
        }
        self.subject_county = np.asarray([counties[s % len(counties)] for s in range(subjects)])
        self.home = np.zeros((subjects, 2))
        next_id = 1
        for s in range(subjects):
            code = self.subject_county[s]
            fence = county_fences[code]
            home = self._inside(fence.geometry, rng)
            self.home[s] = home
            own = [fence]
            if s % 10 == 3:  # a 禁止令 zone about 300 m across, 1–3 km from home
                angle, reach = rng.uniform(0, 2 * np.pi), rng.uniform(0.01, 0.03)
                centre = shapely.Point(home[0] + reach * np.cos(angle), home[1] + reach * np.sin(angle))
                own.append(Fence(next_id, "forbidden", centre.buffer(0.0015, 16)))
                next_id += 1
            if s % 20 == 7:  # a curfew at home, 22:00–06:00
                own.append(
                    Fence(
                        next_id,
                        "curfew",
                        shapely.Point(*home).buffer(0.001, 16),
                        window_start="22:00",
                        window_end="06:00",
                    )
                )
                next_id += 1
            self.fences_by_subject[s] = own
        self.fence_count = sum(len(v) for v in self.fences_by_subject.values())
        self.distinct_geometries = len({id(f) for v in self.fences_by_subject.values() for f in v})

    @staticmethod
    def _inside(geometry, rng):
        minx, miny, maxx, maxy = geometry.bounds
        while True:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.intersects_xy(geometry, x, y):
                return x, y

    def realistic(self, n: int):
        """Points around each subject's home (σ ≈ 300 m: home, work, errands), 5 % of them near a county line."""
        rng = self.rng
        subjects = rng.integers(0, len(self.home), n)
        lon = self.home[subjects, 0] + rng.normal(0, 0.003, n)
        lat = self.home[subjects, 1] + rng.normal(0, 0.003, n)
        near = np.flatnonzero(rng.random(n) < 0.05)
        for code in np.unique(self.subject_county[subjects[near]]):
            rows = near[self.subject_county[subjects[near]] == code]
            ring = shapely.get_exterior_ring(shapely.get_parts(geofences.load_county_boundary(code))[0])
            points = shapely.line_interpolate_point(ring, rng.uniform(0, 1, rows.size), normalized=True)
            lon[rows] = shapely.get_x(points) + rng.normal(0, 0.001, rows.size)
            lat[rows] = shapely.get_y(points) + rng.normal(0, 0.001, rows.size)
        return subjects, lon, lat, self._accuracy(n), rng.integers(0, 86_400, n)

    def uniform(self, n: int):
        """Worst case: points anywhere in each subject's county bounding box (about half outside)."""
        rng = self.rng
        subjects = rng.integers(0, len(self.home), n)
        bounds = {
            code: geofences.load_county_boundary(code).bounds for code in np.unique(self.subject_county)
        }
        box = np.asarray([bounds[code] for code in self.subject_county[subjects]])
        lon = box[:, 0] + rng.random(n) * (box[:, 2] - box[:, 0])
        lat = box[:, 1] + rng.random(n) * (box[:, 3] - box[:, 1])
        return subjects, lon, lat, self._accuracy(n), rng.integers(0, 86_400, n)

    def _accuracy(self, n):
        accuracy = np.clip(self.rng.lognormal(np.log(15), 0.5, n), 3, 100)
        coarse = self.rng.random(n) < 0.02
        accuracy[coarse] = self.rng.uniform(300, 1500, coarse.sum())
        return accuracy


def _best(function, repeat=3):
    """(best wall seconds, best CPU seconds of this process, result). On a busy machine the CPU time is what one
    core spent; the wall time includes waiting for the core."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def plain_vectorised(fences_by_subject, subjects, lon, lat, accuracy, seconds):
    """Baseline (b): vectorised Shapely without the grid: intersects_xy and an exact distance for every pair."""
    pairs_point, pairs_fence, fences = [], [], []
    slot = {}
    order = np.argsort(subjects, kind="stable")
    sorted_subjects = subjects[order]
    cuts = np.searchsorted(sorted_subjects, np.unique(sorted_subjects))
    groups = np.split(order, cuts[1:])
    for rows in groups:
        for fence in fences_by_subject[int(subjects[rows[0]])]:
            k = slot.setdefault(id(fence), len(fences))
            if k == len(fences):
                fences.append(fence)
            pairs_point.append(rows)
            pairs_fence.append(np.full(rows.size, k))
    point = np.concatenate(pairs_point)
    fence_index = np.concatenate(pairs_fence)
    violation = np.zeros(point.size, dtype=bool)
    uncertain = np.zeros(point.size, dtype=bool)
    order = np.argsort(fence_index, kind="stable")
    bounds = np.searchsorted(fence_index[order], np.arange(len(fences) + 1))
    for k, fence in enumerate(fences):
        rows = order[bounds[k] : bounds[k + 1]]
        p = point[rows]
        compiled = fence.compiled
        x, y = compiled.project(lon[p], lat[p])
        inside = shapely.intersects_xy(compiled.area, x, y)
        distance = shapely.distance(compiled.boundary, shapely.points(x, y))
        applies = fence.applies_at(seconds[p])
        violation[rows] = applies & (inside if fence.kind == "forbidden" else ~inside)
        uncertain[rows] = distance <= accuracy[p]
    return point, violation, uncertain


# --- 1. geofence throughput -----------------------------------------------------------------------------------------


def bench_geofences(subjects: int, points: int, sample: int) -> dict:
    print(f"\n== 1. Geofence evaluation, one core (CPU {sorted(os.sched_getaffinity(0))}) ==")
    start = time.perf_counter()
    work = Workload(subjects)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    for own in work.fences_by_subject.values():
        for fence in own:
            fence.compiled  # noqa: B018 (compile: projection + signed-distance grid)
    compile_time = time.perf_counter() - start
    print(
        f"{subjects:,} subjects over 124 counties, {work.fence_count:,} fences ({work.distinct_geometries:,} distinct "
        f"geometries); workload {setup:.1f}s, compiling the fences {compile_time:.1f}s (once per process, cached)"
    )
    load = os.getloadavg()[0]
    print(
        f"rates: points per second of wall-clock time and per CPU-second of this single-threaded process "
        f"(they differ when the machine is busy: load average now {load:.1f} on {os.cpu_count()} CPUs)"
    )
    results = {}
    for name, make in (("realistic", work.realistic), ("worst case (uniform)", work.uniform)):
        s, lon, lat, accuracy, seconds = make(points)
        fences = work.fences_by_subject
        wall, cpu, evaluation = _best(partial(geofences.evaluate, fences, s, lon, lat, accuracy, seconds))
        # Baselines on a sample (the per-point loop would take minutes on all of them).
        k = min(sample, points)
        first = (s[:k], lon[:k], lat[:k], accuracy[:k], seconds[:k])
        loop_wall, loop_cpu, loop_rows = _best(
            partial(geofences.evaluate_point_by_point, fences, *first), repeat=1
        )
        k2 = min(points, 10 * sample)
        more = (s[:k2], lon[:k2], lat[:k2], accuracy[:k2], seconds[:k2])
        plain_wall, plain_cpu, _ = _best(partial(plain_vectorised, fences, *more), repeat=1)
        check = geofences.evaluate(fences, *first)
        fast_rows = {(r["point"], r["fence_id"]): (r["violation"], r["uncertain"]) for r in check.rows()}
        agree = fast_rows == {
            (r["point"], r["fence_id"]): (r["violation"], r["uncertain"]) for r in loop_rows
        }
        results[name] = (points / wall, points / cpu)
        print(
            f"\n-- {name}: {points:,} points, {len(evaluation):,} point×fence rows, "
            f"{evaluation.violation.mean():.1%} violations, {evaluation.uncertain.mean():.1%} uncertain, "
            f"exact distance for {evaluation.distance_exact.mean():.1%}"
        )
        print(f"   {'':31}{'points/s (wall)':>16}{'per CPU-second':>16}{'ratio (CPU)':>13}")
        print(
            f"   {'vectorised evaluate':31}{points / wall:>16,.0f}{points / cpu:>16,.0f}{'':>13}   best of 3"
        )
        print(
            f"   {'plain vectorised Shapely':31}{k2 / plain_wall:>16,.0f}{k2 / plain_cpu:>16,.0f}"
            f"{(points / cpu) / (k2 / plain_cpu):>12.1f}×   no grid, {k2:,} points"
        )
        print(
            f"   {'per-point Shapely loop':31}{k / loop_wall:>16,.0f}{k / loop_cpu:>16,.0f}"
            f"{(points / cpu) / (k / loop_cpu):>12.1f}×   {k:,} points"
        )
        print(
            f"   same violations and uncertainty as the per-point loop on {k:,} points: {'yes' if agree else 'NO'}"
        )
        if not agree:
            results["disagree"] = True
    # Ingest-sized batches (what location.ingest_points evaluates per request): fixed costs per fence show here.
    s, lon, lat, accuracy, seconds = work.realistic(5_000 * 20)
    cpus = []
    for k in range(20):
        part = slice(k * 5_000, (k + 1) * 5_000)
        _, cpu, _ = _best(
            partial(
                geofences.evaluate,
                work.fences_by_subject,
                s[part],
                lon[part],
                lat[part],
                accuracy[part],
                seconds[part],
            ),
            repeat=1,
        )
        cpus.append(cpu)
    median = statistics.median(cpus)
    print(
        f"\n-- ingest-sized batches of 5,000 points (any of {subjects:,} subjects): median {median * 1000:.1f} ms CPU "
        f"per batch = {5_000 / median:,.0f} points per CPU-second"
    )
    wall_rate, cpu_rate = results["realistic"]
    verdict = "met" if cpu_rate >= TARGET_POINTS_PER_SECOND else "NOT met"
    print(
        f"\ntarget ≥ {TARGET_POINTS_PER_SECOND:,} points/s on one core (realistic points, per CPU-second): {verdict}"
        f" ({cpu_rate:,.0f}; wall-clock {wall_rate:,.0f} with load average {load:.1f})"
    )
    results["work"] = work
    return results


# --- 2. alert fatigue -----------------------------------------------------------------------------------------------


def bench_fatigue(subjects: int, days: int, seeds: int) -> bool:
    print(f"\n== 2. Alert fatigue: {subjects} subjects × {days} days per generator, seeds 1–{seeds} ==")
    header = (
        f"{'generator':<14}{'alerter':<9}{'subj-days':>10}{'points':>10}{'breaches':>9}{'≥30min':>7}{'alerts':>8}"
        f"{'per breach':>11}{'missed≥30':>10}{'unobs.':>7}{'false/s-d':>10}{'median delay':>13}  targets"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    for name, generator in simulation.GENERATORS.items():
        for seed in range(1, seeds + 1):
            start = time.perf_counter()
            tracks = generator(subjects, days, seed=seed)
            generated = time.perf_counter() - start
            for alerter in fatigue.ALERTERS:
                start = time.perf_counter()
                r = fatigue.score(tracks, alerter, name)
                took = time.perf_counter() - start
                met = r.meets_targets()
                if alerter == "tracker":
                    all_met &= met
                print(
                    f"{name + ('' if seeds == 1 else f'#{seed}'):<14}{alerter:<9}{r.subject_days:>10,.0f}{r.points:>10,}"
                    f"{r.breaches:>9}{r.long_breaches:>7}{r.alerts:>8,}{r.alerts_per_breach:>11.2f}{r.missed_long_breaches:>10}"
                    f"{r.unobservable:>7}{r.false_alerts_per_subject_day:>10.3f}{r.median_delay_min:>10.1f} min  "
                    f"{'met' if met else 'not met'}  ({took:.1f}s; tracks {generated:.1f}s)"
                )
                for missed in r.missed[:3]:
                    print(f"      missed: {missed}")
    print(
        "targets: ≤ 1.5 alerts per real breach, 0 missed breaches of ≥ 30 min, ≤ 0.1 false alerts per subject-day, "
        "median delay ≤ 15 min. 'unobs.': departures with fewer than 3 fixes recorded while outside (phone off)."
    )
    print(f"breach tracker meets every target on both generators: {'yes' if all_met else 'NO'}")
    return all_met


# --- 3. PostGIS -----------------------------------------------------------------------------------------------------


def bench_postgis(work: Workload, points: int) -> None:
    print("\n== 3. PostGIS comparison ==")
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        url = DEFAULT_URL
    try:
        import psycopg

        _ensure_database(url)
        conn = psycopg.connect(url, autocommit=True)
    except Exception as error:  # noqa: BLE001 (any failure to reach PostgreSQL means: skip)
        print(f"skipped: PostgreSQL not reachable at {url} ({error.__class__.__name__}: {error})")
        return
    with conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        except Exception as error:  # noqa: BLE001
            print(
                f"skipped: PostGIS is not available in {url} ({error.__class__.__name__}: {str(error).strip()}); "
                "on Debian: apt-get install postgresql-15-postgis-3"
            )
            return
        conn.execute("SET max_parallel_workers_per_gather = 0")  # one core, as the Python side
        conn.execute("DROP TABLE IF EXISTS bench_correction_points, bench_correction_fences")
        conn.execute(
            "CREATE UNLOGGED TABLE bench_correction_fences (id serial PRIMARY KEY, subject_id int NOT NULL, "
            "kind text NOT NULL, start_s int, end_s int, wkt text, area geometry(MultiPolygon, 4547), "
            "edge geometry(Geometry, 4547))"
        )
        conn.execute(
            "CREATE UNLOGGED TABLE bench_correction_points (id bigint, subject_id int, lon float8, lat float8, "
            "accuracy float8, seconds int, pt geometry(Point, 4547))"
        )
        start = time.perf_counter()
        with conn.cursor().copy(
            "COPY bench_correction_fences (subject_id, kind, start_s, end_s, wkt) FROM STDIN"
        ) as copy:
            for subject, own in work.fences_by_subject.items():
                for fence in own:
                    geometry = (
                        fence.geometry
                        if fence.geometry.geom_type == "MultiPolygon"
                        else shapely.MultiPolygon([fence.geometry])
                    )
                    copy.write_row(
                        (
                            subject,
                            fence.kind,
                            geofences._seconds(fence.window_start),
                            geofences._seconds(fence.window_end),
                            f"SRID=4326;{geometry.wkt}",
                        )
                    )
        conn.execute(
            "UPDATE bench_correction_fences SET area = ST_Transform(ST_GeomFromEWKT(wkt), 4547), wkt = NULL"
        )
        conn.execute("UPDATE bench_correction_fences SET edge = ST_Boundary(area)")
        fences_load = time.perf_counter() - start
        s, lon, lat, accuracy, seconds = work.realistic(points)
        start = time.perf_counter()
        with conn.cursor().copy(
            "COPY bench_correction_points (id, subject_id, lon, lat, accuracy, seconds) FROM STDIN"
        ) as copy:
            for row in zip(
                range(points),
                s.tolist(),
                lon.tolist(),
                lat.tolist(),
                accuracy.tolist(),
                seconds.tolist(),
                strict=True,
            ):
                copy.write_row(row)
        conn.execute(
            "UPDATE bench_correction_points SET pt = ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 4547)"
        )
        conn.execute("CREATE INDEX ON bench_correction_fences (subject_id)")
        conn.execute("ANALYZE bench_correction_fences")
        conn.execute("ANALYZE bench_correction_points")
        load = time.perf_counter() - start
        query = """
            SELECT count(*) FILTER (WHERE violation), count(*) FILTER (WHERE uncertain), count(*)
            FROM (
              SELECT CASE WHEN f.start_s IS NOT NULL AND f.start_s <> f.end_s
                            AND NOT (CASE WHEN f.start_s < f.end_s THEN p.seconds >= f.start_s AND p.seconds < f.end_s
                                          ELSE p.seconds >= f.start_s OR p.seconds < f.end_s END)
                          THEN false
                          WHEN f.kind = 'forbidden' THEN ST_Covers(f.area, p.pt)
                          ELSE NOT ST_Covers(f.area, p.pt) END AS violation,
                     ST_Distance(f.edge, p.pt) <= p.accuracy AS uncertain
              FROM bench_correction_points p JOIN bench_correction_fences f ON f.subject_id = p.subject_id
            ) rows
        """
        elapsed, _, counts = _best(lambda: conn.execute(query).fetchone(), repeat=2)
        rate = points / elapsed  # the work is in the server process: wall-clock is what counts
        python_wall, _, python = _best(
            partial(geofences.evaluate, work.fences_by_subject, s, lon, lat, accuracy, seconds), repeat=2
        )
        python_rate = points / python_wall
        print(
            f"PostGIS {version}, EPSG:4547 (CGCS2000 3° Gauss–Krüger, CM 114°E), parallel workers off; "
            f"{points:,} points loaded (COPY + ST_Transform) in {load:.1f}s, fences in {fences_load:.1f}s"
        )
        print(
            f"   one SQL query (ST_Covers + ST_Distance)  {rate:>12,.0f} points/s   ({elapsed:.2f}s, best of 2)"
        )
        print(
            f"   vectorised Python (same points)           {python_rate:>12,.0f} points/s   ratio {python_rate / rate:6.1f}×"
        )
        print(
            f"   violations {counts[0]:,} vs {int(python.violation.sum()):,} in Python, uncertain {counts[1]:,} vs "
            f"{int(python.uncertain.sum()):,} (the CRSs differ slightly: a few points within a metre of a line may differ)"
        )
        print(
            "   → geometry stays in Python on both databases; PostGIS would add a load step (points must be in the "
            "database, transformed) and is slower per point here."
            if python_rate > rate
            else "   → PostGIS measures faster here: consider evaluating in the database on PostgreSQL."
        )
        conn.execute("DROP TABLE IF EXISTS bench_correction_points, bench_correction_fences")


def _ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=10_000, help="subjects for the geofence throughput")
    parser.add_argument(
        "--points", type=int, default=2_000_000, help="GPS points for the geofence throughput"
    )
    parser.add_argument("--sample", type=int, default=20_000, help="points for the per-point baseline")
    parser.add_argument("--fatigue-subjects", type=int, default=60)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seeds", type=int, default=1, help="runs per generator (seeds 1…N)")
    parser.add_argument("--postgis-points", type=int, default=200_000)
    args = parser.parse_args(argv)
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        print("note: could not pin to one CPU; GEOS and these NumPy operations are single-threaded anyway")
    geo = bench_geofences(args.subjects, args.points, args.sample)
    fatigue_met = bench_fatigue(args.fatigue_subjects, args.days, args.seeds)
    bench_postgis(geo["work"], args.postgis_points)
    wall_rate, cpu_rate = geo["realistic"]
    ok = cpu_rate >= TARGET_POINTS_PER_SECOND and fatigue_met and not geo.get("disagree")
    print(
        f"\nsummary: geofence {cpu_rate:,.0f} points per CPU-second ({wall_rate:,.0f}/s wall-clock); "
        f"fatigue targets {'met' if fatigue_met else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
