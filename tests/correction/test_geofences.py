"""The geofence engine: where a GPS point stands against a subject's fences (pure computation, no database)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from smartjustice.correction import geofences
from smartjustice.correction.geofences import Fence, evaluate

# A square of 0.01° (about 1,024 m east-west, 1,112 m north-south at 23° N) in Guangzhou.
X0, Y0, SIDE = 113.30, 23.10, 0.01
SQUARE = Polygon([(X0, Y0), (X0 + SIDE, Y0), (X0 + SIDE, Y0 + SIDE), (X0, Y0 + SIDE)])
METRES_PER_DEGREE_LAT = 111_195.0
SHANGHAI = geofences.LOCAL_ZONE


def one(fence, lon, lat, accuracy=0.0, local_time=None):
    """Evaluate one point of subject 1 against `fence`; the single row."""
    times = None if local_time is None else [local_time]
    evaluation = evaluate({1: [fence]}, [1], [lon], [lat], [accuracy], times)
    (row,) = evaluation.rows()
    return row


def test_point_on_the_boundary_counts_as_inside_and_is_uncertain():
    allowed = Fence(1, "allowed", SQUARE)
    row = one(allowed, X0 + SIDE / 2, Y0)  # on the southern edge, accuracy 0
    assert row["inside"] and not row["violation"]
    assert row["uncertain"]  # a point on the line proves nothing, even with a perfect fix
    assert row["distance_m"] == pytest.approx(0.0, abs=1e-6)
    corner = one(allowed, X0, Y0)
    assert corner["inside"] and corner["uncertain"]


def test_distance_to_the_boundary_is_in_metres():
    allowed = Fence(1, "allowed", SQUARE)
    north = one(allowed, X0 + SIDE / 2, Y0 + SIDE + 0.01)  # 0.01° north of the square
    assert north["violation"] and not north["uncertain"]
    assert north["distance_m"] == pytest.approx(0.01 * METRES_PER_DEGREE_LAT, rel=0.005)
    assert north["distance_exact"]


def test_accuracy_circle_straddling_the_boundary_is_uncertain():
    allowed = Fence(1, "allowed", SQUARE)
    lat = Y0 - 30 / METRES_PER_DEGREE_LAT  # 30 m south of the square
    coarse = one(allowed, X0 + SIDE / 2, lat, accuracy=50)
    assert coarse["violation"] and coarse["uncertain"]
    assert coarse["distance_m"] == pytest.approx(30, abs=0.5)
    sharp = one(allowed, X0 + SIDE / 2, lat, accuracy=10)
    assert sharp["violation"] and not sharp["uncertain"]
    inside_coarse = one(allowed, X0 + SIDE / 2, Y0 + 30 / METRES_PER_DEGREE_LAT, accuracy=50)
    assert not inside_coarse["violation"] and inside_coarse["uncertain"]


def test_hole_is_outside_the_allowed_area():
    hole = [
        (X0 + 0.004, Y0 + 0.004),
        (X0 + 0.006, Y0 + 0.004),
        (X0 + 0.006, Y0 + 0.006),
        (X0 + 0.004, Y0 + 0.006),
    ]
    with_hole = Fence(1, "allowed", Polygon(SQUARE.exterior.coords, [hole]))
    in_hole = one(with_hole, X0 + 0.005, Y0 + 0.005)
    assert in_hole["violation"] and not in_hole["inside"]
    # The hole's edge is a boundary too: the centre of the hole is 0.001° (about 102 m east-west) from it.
    assert in_hole["distance_m"] == pytest.approx(
        0.001 * METRES_PER_DEGREE_LAT * np.cos(np.radians(Y0 + 0.005)), rel=0.01
    )
    in_ring = one(with_hole, X0 + 0.002, Y0 + 0.005)
    assert in_ring["inside"] and not in_ring["violation"]


def test_multipolygon_enclave_counts_as_inside():
    enclave = Polygon([(X0 + 0.02, Y0), (X0 + 0.03, Y0), (X0 + 0.03, Y0 + SIDE), (X0 + 0.02, Y0 + SIDE)])
    county = Fence(1, "allowed", MultiPolygon([SQUARE, enclave]))
    assert not one(county, X0 + 0.025, Y0 + 0.005)["violation"]  # in the enclave
    between = one(county, X0 + 0.012, Y0 + 0.005)  # 0.002° east of the square, 0.008° west of the enclave
    assert between["violation"] and between["distance_exact"]
    assert between["distance_m"] == pytest.approx(
        0.002 * METRES_PER_DEGREE_LAT * np.cos(np.radians(Y0)), rel=0.01
    )


def test_forbidden_zone_is_breached_inside_not_outside():
    zone = Fence(7, "forbidden", SQUARE, name="某娱乐场所")
    inside = one(zone, X0 + 0.005, Y0 + 0.005)
    assert inside["violation"] and not inside["uncertain"]
    outside = one(zone, X0 + 0.05, Y0 + 0.005)
    assert not outside["violation"]


def at(hour, minute, day=2):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def test_curfew_window_across_midnight():
    home = Fence(3, "curfew", SQUARE, window_start=dt.time(22, 0), window_end=dt.time(6, 0))
    away = (X0 + 0.05, Y0 + 0.005)
    assert one(home, *away, local_time=at(23, 30))["violation"]
    assert one(home, *away, local_time=at(0, 15, day=3))["violation"]
    assert one(home, *away, local_time=at(5, 59))["violation"]
    assert not one(home, *away, local_time=at(6, 0))["violation"]
    noon = one(home, *away, local_time=at(12, 0))
    assert not noon["violation"] and not noon["applies"]
    assert not one(home, X0 + 0.005, Y0 + 0.005, local_time=at(23, 30))["violation"]  # at home during curfew
    # UTC epoch seconds work as well: 15:30 UTC is 23:30 in Guangzhou.
    epoch = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC).timestamp()
    evaluation = evaluate({1: [home]}, [1], [away[0]], [away[1]], [5.0], geofences.seconds_of_day([epoch]))
    assert evaluation.violation.tolist() == [True]


def test_windowed_fence_needs_local_times():
    home = Fence(3, "curfew", SQUARE, window_start="22:00", window_end="06:00")
    with pytest.raises(ValueError):
        evaluate({1: [home]}, [1], [X0], [Y0], [5.0])


def test_each_point_is_checked_against_its_own_subjects_fences_only():
    mine = Fence(1, "allowed", SQUARE)
    zone = Fence(2, "forbidden", SQUARE)
    evaluation = evaluate(
        {"a": [mine], "b": [mine, zone]},
        ["a", "b", "c"],  # "c" has no fences: no rows
        [X0 + 0.005, X0 + 0.005, X0 + 0.005],
        [Y0 + 0.005, Y0 + 0.005, Y0 + 0.005],
        [10, 10, 10],
    )
    rows = evaluation.rows()
    assert [(r["point"], r["fence_id"], r["violation"]) for r in rows] == [
        (0, 1, False),
        (1, 1, False),
        (1, 2, True),
    ]


def test_vectorised_evaluation_agrees_with_the_per_point_loop_on_a_real_county():
    boundary = geofences.load_county_boundary("440106000000")  # 天河区
    fence = Fence(1, "allowed", boundary)
    rng = np.random.default_rng(12)
    minx, miny, maxx, maxy = boundary.bounds
    n = 3000
    # Half the points hug the boundary (the hard cases), half are anywhere around the county.
    ring = shapely.get_exterior_ring(shapely.get_parts(boundary)[0])
    along = shapely.line_interpolate_point(ring, rng.uniform(0, 1, n // 2), normalized=True)
    lon = np.concatenate(
        (
            shapely.get_x(along) + rng.normal(0, 0.0006, n // 2),
            rng.uniform(minx - 0.02, maxx + 0.02, n - n // 2),
        )
    )
    lat = np.concatenate(
        (
            shapely.get_y(along) + rng.normal(0, 0.0006, n // 2),
            rng.uniform(miny - 0.02, maxy + 0.02, n - n // 2),
        )
    )
    accuracy = rng.uniform(3, 80, n)
    subjects = np.zeros(n, dtype=int)
    fast = evaluate({0: [fence]}, subjects, lon, lat, accuracy)
    rank = np.argsort(fast.point)  # one fence: one row per point
    violation, uncertain = fast.violation[rank], fast.uncertain[rank]
    distance, exact = fast.distance_m[rank], fast.distance_exact[rank]
    slow = geofences.evaluate_point_by_point({0: [fence]}, subjects, lon, lat, accuracy)
    assert violation.tolist() == [r["violation"] for r in slow]
    assert uncertain.tolist() == [r["uncertain"] for r in slow]
    truth = np.asarray([r["distance_m"] for r in slow])
    assert np.allclose(distance[exact], truth[exact], atol=1e-6)
    # Elsewhere the grid estimate is within a cell's half-diagonal (or a lower bound beyond the grid).
    compiled = fence.compiled
    assert (np.abs(distance[~exact] - truth[~exact]) <= compiled.half_diagonal + 1e-6).all()
    # Exact wherever it decides something: the accuracy test, and violations near the line (the tolerance).
    assert exact[uncertain].all()
    assert exact[violation & (truth <= geofences.DECISION_BAND_M)].all()


def test_county_boundary_from_offline_data():
    tianhe = geofences.load_county_boundary("440106001000")  # a 街道 of 天河区: its county's boundary
    assert shapely.intersects_xy(tianhe, 113.3245, 23.1376)  # 天河体育中心
    assert not shapely.intersects_xy(tianhe, 113.2693, 23.1247)  # 北京路, 越秀区
    assert geofences.county_name("441900003000") == "东莞市"  # a city without counties: the city itself
    with pytest.raises(geofences.BoundaryNotFound):
        geofences.load_county_boundary("440100000000")  # a city, not a county


def test_default_allowed_area_is_the_executing_county():
    subject = SimpleNamespace(jurisdiction_id="440106012000")
    area = geofences.default_allowed_area(subject)
    assert area["type"] == "MultiPolygon"
    fence = Fence("default", "allowed", area)
    assert not one(fence, 113.3245, 23.1376)["violation"]
    assert one(fence, 113.2693, 23.1247)["violation"]
