"""The breach tracker: a burst of GPS points outside the allowed area becomes one alert an officer can act on."""

from __future__ import annotations

import json
import random

from smartjustice.correction import alerting, rules
from smartjustice.correction.alerting import TrackerState, TrackPoint, advance

T0 = 1_772_500_000.0  # 2026-03-03, epoch seconds
MINUTE = 60.0
HOME = (113.33, 23.13)
TOLERANCE = rules.BOUNDARY_TOLERANCE_M.value["allowed"]


def inside(minute, **fields):
    return TrackPoint(
        t=T0 + minute * MINUTE,
        violation=False,
        uncertain=False,
        distance_m=800.0,
        lon=HOME[0],
        lat=HOME[1],
        accuracy_m=15.0,
        **fields,
    )


def outside(minute, km=5.0, **fields):
    """A point `km` east of home (outside the county), plausible for someone driving out."""
    return TrackPoint(
        t=T0 + minute * MINUTE,
        violation=True,
        uncertain=False,
        distance_m=km * 1000 - 800,
        lon=HOME[0] + km / 102.0,
        lat=HOME[1],
        accuracy_m=15.0,
        **fields,
    )


def departure(start=30, length=60, step=2):
    """Inside every 2 minutes, out for `length` minutes from `start`, then back: the points in time order."""
    points = [inside(m) for m in range(0, start, step)]
    points += [outside(m, km=min(2 + (m - start) * 0.5, 12)) for m in range(start, start + length, step)]
    points += [inside(m) for m in range(start + length, start + length + 40, step)]
    return points


def run(points, batch=3, state=None):
    """Feed points in uploads of `batch`; all events."""
    state = state or TrackerState.new(9, "allowed")
    events = []
    for k in range(0, len(points), batch):
        state, got = advance(state, points[k : k + batch])
        events += got
    return state, events


def test_a_burst_of_points_outside_is_one_alert():
    state, events = run(departure(start=30, length=60))
    new = [e for e in events if e.is_new]
    assert len(new) == 1
    assert {e.episode for e in events} == {new[0].episode}
    last = events[-1]
    assert last.kind == "geofence_exit" and last.fence_id == 9
    assert last.started_at.timestamp() == T0 + 30 * MINUTE
    assert last.ended_at.timestamp() == T0 + 90 * MINUTE
    assert last.point_count == 30
    assert last.max_distance_m == 12_000 - 800
    assert "连续" in last.why and last.evidence["points"]
    assert not state.in_breach


def test_departure_is_confirmed_within_minutes():
    near = [inside(m) for m in range(0, 30, 2)] + [outside(m, km=1.5) for m in range(30, 60, 2)]  # 700 m out
    _, events = run(near, batch=1)
    first = next(e for e in events if e.is_new)
    # Three points two minutes apart: confirmed by the point recorded four minutes after leaving.
    assert first.last_seen_at.timestamp() == T0 + 34 * MINUTE
    _, events = run(departure(start=30, length=60), batch=1)  # driving out, farther with every fix
    first = next(e for e in events if e.is_new)
    assert (first.started_at.timestamp(), first.last_seen_at.timestamp()) == (
        T0 + 30 * MINUTE,
        T0 + 34 * MINUTE,
    )


def test_a_burst_of_two_far_fixes_is_not_a_departure():
    points = [inside(m) for m in range(0, 120, 2)]
    points[30], points[31] = (
        outside(60, km=20),
        outside(62, km=20),
    )  # a GPS jump of two fixes, then home again
    _, events = run(points)
    assert events == []


def test_a_short_return_and_second_exit_is_merged_into_the_same_alert():
    points = departure(start=30, length=40)  # out 30–70, back 70–110
    points = [p for p in points if p.t < T0 + 80 * MINUTE]
    points += [outside(m, km=6) for m in range(80, 100, 2)]  # out again 10 minutes after coming back
    points += [inside(m) for m in range(100, 130, 2)]
    _, events = run(points)
    assert sum(e.is_new for e in events) == 1
    assert "合并" in events[-1].why


def test_lone_outlier_is_ignored():
    points = [inside(m) for m in range(0, 120, 2)]
    points[30] = outside(60, km=15)  # one fix 15 km away, then back home two minutes later
    points[45] = outside(90, km=0.9)
    _, events = run(points)
    assert events == []


def test_uncertain_points_and_points_within_the_tolerance_are_ignored():
    coarse = [
        TrackPoint(t=T0 + m * MINUTE, violation=True, uncertain=True, distance_m=300.0, accuracy_m=800.0)
        for m in range(0, 120, 2)
    ]
    state, events = run(coarse)
    assert events == [] and state.ignored == 60
    hugging = [
        TrackPoint(
            t=T0 + m * MINUTE, violation=True, uncertain=False, distance_m=TOLERANCE - 20, accuracy_m=10.0
        )
        for m in range(0, 120, 2)
    ]
    _, events = run(hugging)
    assert events == []  # someone living by the county line: GPS noise puts them 130 m across it


def test_out_of_order_points_give_the_same_alert():
    ordered = departure(start=30, length=60)
    _, expected = run(ordered)
    shuffled = list(ordered)
    random.Random(4).shuffle(shuffled[10:40])  # a quarter of an hour of uploads arrive scrambled
    chunks = [shuffled[k : k + 3] for k in range(0, len(shuffled), 3)]
    chunks[8], chunks[10] = chunks[10], chunks[8]  # and one upload arrives after a later one
    state = TrackerState.new(9, "allowed")
    events = []
    for chunk in chunks:
        state, got = advance(state, chunk)
        events += got
    assert sum(e.is_new for e in events) == 1
    final, reference = events[-1], expected[-1]
    assert (final.started_at, final.ended_at, final.point_count) == (
        reference.started_at,
        reference.ended_at,
        reference.point_count,
    )


def test_duplicates_are_counted_once():
    points = departure(start=30, length=60)
    doubled = [p for point in points for p in (point, point)]
    state, events = run(doubled, batch=4)
    assert events[-1].point_count == 30
    assert state.duplicates == len(points)


def test_gap_then_return_ends_the_breach_at_the_first_point_back():
    points = [inside(m) for m in range(0, 30, 2)]
    points += [outside(m, km=8) for m in range(30, 50, 2)]  # out, then the phone goes off at 48
    points += [inside(m) for m in range(170, 200, 2)]  # back on two hours later, at home
    _, events = run(points)
    assert sum(e.is_new for e in events) == 1
    last = events[-1]
    assert last.last_seen_at.timestamp() == T0 + 48 * MINUTE
    assert last.ended_at.timestamp() == T0 + 170 * MINUTE


def test_points_older_than_the_reorder_window_are_dropped():
    state, _ = run([inside(m) for m in range(0, 300, 2)])
    state, events = advance(state, [outside(10, km=20), outside(12, km=20), outside(14, km=20)])
    assert events == [] and state.late_dropped == 3


def test_curfew_breach_ends_when_the_window_closes():
    home = TrackerState.new(4, "curfew")
    out = [outside(m) for m in range(0, 30, 2)]
    after_window = [outside(m, applies=False) for m in range(30, 40, 2)]
    _, events = run(out + after_window, state=home)
    assert events[-1].kind == "curfew" and events[-1].ended_at.timestamp() == T0 + 30 * MINUTE
    assert events[-1].why.startswith("宵禁时段内")


def test_state_survives_a_json_round_trip():
    points = departure(start=30, length=60)
    _, expected = run(points)
    state = TrackerState.new(9, "allowed")
    events = []
    for k in range(0, len(points), 3):
        state = TrackerState.from_json(json.loads(json.dumps(state.to_json())))  # stored between uploads
        state, got = advance(state, points[k : k + 3])
        events += got
    assert [(e.episode, e.is_new, e.point_count, e.ended_at) for e in events] == [
        (e.episode, e.is_new, e.point_count, e.ended_at) for e in expected
    ]


def test_dict_points_and_evaluation_rows_are_accepted():
    rows = [
        dict(t=T0 + m * MINUTE, violation=True, uncertain=False, distance_m=4000.0, extra="ignored")
        for m in range(0, 10, 2)
    ]
    _, events = advance(TrackerState.new(1, "forbidden"), rows)
    assert len(events) == 1 and events[0].kind == "forbidden_zone"
    assert alerting.ALERT_KIND["allowed"] == "geofence_exit"


def test_an_ended_breach_is_never_reported_again():
    points = departure(start=30, length=60)
    points += [inside(m) for m in range(130, 12 * 60, 2)]  # ten more hours at home
    _, events = run(points)
    assert sum(e.is_new for e in events) == 1
    assert max(e.last_seen_at for e in events).timestamp() < T0 + 90 * MINUTE  # nothing after the return


def test_a_stored_state_keeps_about_an_hour_of_points_packed_and_exact():
    """A day of two-minute fixes: the stored state holds the reorder window's points, not the day's, and they come
    back exactly (times and positions) from their packed form."""
    state, _ = run([inside(m) for m in range(0, 24 * 60, 2)])
    stored = state.to_json()
    text = json.dumps(stored)
    assert len(text) < 2000  # stored inline by PostgreSQL (no TOAST) for every subject of a batch
    again = TrackerState.from_json(json.loads(text))
    assert [(p[0], p[3], p[4], p[5]) for p in again.pending] == [
        (p[0], p[3], p[4], p[5]) for p in state.pending
    ]
    span = again.pending[-1][0] - again.pending[0][0]
    assert (
        alerting.REORDER_WINDOW_S - 5 * 60 <= span <= alerting.REORDER_WINDOW_S + alerting.CHECKPOINT_SLACK_S
    )


def test_a_state_stored_before_packing_still_loads():
    state, _ = run([inside(m) for m in range(0, 30, 2)])
    old = state.to_json() | {"v": 1, "pending": [list(p) for p in state.pending]}
    again = TrackerState.from_json(json.loads(json.dumps(old)))
    assert [p[0] for p in again.pending] == [p[0] for p in state.pending]
    _, events = advance(again, [outside(m, km=20) for m in range(30, 50, 2)])
    assert events and events[0].is_new
