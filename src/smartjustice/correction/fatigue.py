"""Alert-fatigue figures: run simulated tracks (correction/simulation.py) through the geofence engine and the breach
tracker exactly as ingest does (upload by upload, in arrival order), and score the alerts against the true departures.

The figures, and how each is counted:
- alerts per real breach: alerts matched to a true departure ÷ departures that got at least one alert (so missing a
  breach cannot improve it);
- missed breaches: true departures lasting 30 minutes or more with no alert (`unobservable` ones — fewer than three
  fixes recorded while outside, e.g. the phone was off the whole time — are reported apart: no location alerter can
  see them, the missed-report and signal-lost alerts are for those);
- false alerts per subject-day: alerts matched to no true departure ÷ subject-days;
- median delay: from the true start of a departure to the upload that produced its first alert, in minutes.
An alert matches a departure when its span [start, last seen] overlaps the departure widened by `MATCH_SLACK_S`.

Targets (issue 12): ≤ 1.5 alerts per real breach, 0 missed breaches of ≥ 30 minutes, ≤ 0.1 false alerts per
subject-day, median delay ≤ 15 minutes — on both generators. The naive per-point alerter is scored the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from . import alerting, simulation
from .geofences import evaluate

TARGETS = {
    "alerts_per_breach": 1.5,
    "missed_long_breaches": 0,
    "false_alerts_per_subject_day": 0.1,
    "median_delay_min": 15.0,
}
LONG_BREACH_S = 30 * 60
MATCH_SLACK_S = 10 * 60
MIN_OBSERVED_POINTS = 3


@dataclass
class Alert:
    """An alert as an officer would see it: its span and when it first reached the platform."""

    subject_id: int
    start: float
    last: float
    raised_at: float  # arrival time of the upload that created it


@dataclass
class FatigueReport:
    """The figures of one alerter on one set of tracks."""

    alerter: str
    generator: str
    subjects: int
    subject_days: float
    points: int
    breaches: int
    long_breaches: int
    unobservable: int
    detected: int
    alerts: int
    true_alerts: int
    false_alerts: int
    alerts_per_breach: float
    missed_long_breaches: int
    false_alerts_per_subject_day: float
    median_delay_min: float
    missed: list = field(default_factory=list)

    def meets_targets(self) -> bool:
        return not self.failures()

    def failures(self) -> list[str]:
        failed = []
        if self.alerts_per_breach > TARGETS["alerts_per_breach"]:
            failed.append(f"{self.alerts_per_breach:.2f} alerts per breach > {TARGETS['alerts_per_breach']}")
        if self.missed_long_breaches > TARGETS["missed_long_breaches"]:
            failed.append(f"{self.missed_long_breaches} missed breaches of ≥30 min")
        if self.false_alerts_per_subject_day > TARGETS["false_alerts_per_subject_day"]:
            failed.append(f"{self.false_alerts_per_subject_day:.3f} false alerts per subject-day")
        if not self.median_delay_min <= TARGETS["median_delay_min"]:
            failed.append(f"median delay {self.median_delay_min:.1f} min")
        return failed

    def as_dict(self) -> dict:
        return asdict(self)


def tracker_alerts(track: simulation.Track) -> list[Alert]:
    """Feed one track to the breach tracker upload by upload; one Alert per episode (updates extend it)."""
    evaluation = evaluate(
        {track.subject_id: [track.fence]},
        np.full(track.t.shape, track.subject_id),
        track.lon,
        track.lat,
        track.accuracy_m,
    )
    # One fence per track: one row per point; put the columns in point order.
    by_point = np.empty(len(evaluation), dtype=np.int64)
    by_point[evaluation.point] = np.arange(len(evaluation))
    violation = evaluation.violation[by_point]
    uncertain = evaluation.uncertain[by_point]
    distance = evaluation.distance_m[by_point]
    state = alerting.TrackerState.new(track.fence.fence_id, track.fence.kind)
    order = np.argsort(track.arrival, kind="stable")
    arrivals = track.arrival[order]
    cuts = np.flatnonzero(np.diff(arrivals)) + 1
    episodes: dict[int, Alert] = {}
    for batch in np.split(order, cuts):
        points = [
            alerting.TrackPoint(
                t=float(track.t[i]),
                violation=bool(violation[i]),
                uncertain=bool(uncertain[i]),
                distance_m=float(distance[i]),
                lon=float(track.lon[i]),
                lat=float(track.lat[i]),
                accuracy_m=float(track.accuracy_m[i]),
            )
            for i in batch
        ]
        state, events = alerting.advance(state, points)
        raised_at = float(track.arrival[batch[0]])
        for event in events:
            alert = episodes.get(event.episode)
            start, last = event.started_at.timestamp(), event.last_seen_at.timestamp()
            if alert is None:
                episodes[event.episode] = Alert(track.subject_id, start, last, raised_at)
            else:
                alert.start, alert.last = min(alert.start, start), max(alert.last, last)
    return list(episodes.values())


def naive_alerts(track: simulation.Track) -> list[Alert]:
    return [Alert(track.subject_id, t, t, arrival) for t, arrival in simulation.naive_alerts(track)]


ALERTERS = {"tracker": tracker_alerts, "naive": naive_alerts}


def score(tracks: list[simulation.Track], alerter: str = "tracker", generator: str = "") -> FatigueReport:
    """Run `alerter` over `tracks` and count the figures (see the module docstring)."""
    run = ALERTERS[alerter]
    breaches = long_breaches = unobservable = detected = alerts_total = true_alerts = missed_long = 0
    delays: list[float] = []
    missed: list[dict] = []
    points = 0
    for track in tracks:
        points += int(track.t.shape[0])
        alerts = run(track)
        alerts_total += len(alerts)
        matched = [False] * len(alerts)
        for start, end in track.departures:
            breaches += 1
            observed = int(((track.t >= start) & (track.t <= end) & ~track.outlier).sum())
            hits = [
                k
                for k, alert in enumerate(alerts)
                if alert.start <= end + MATCH_SLACK_S and alert.last >= start - MATCH_SLACK_S
            ]
            for k in hits:
                matched[k] = True
            is_long = end - start >= LONG_BREACH_S
            long_breaches += is_long
            if hits:
                detected += 1
                delays.append((min(alerts[k].raised_at for k in hits) - start) / 60.0)
            elif observed < MIN_OBSERVED_POINTS:
                unobservable += 1
            elif is_long:
                missed_long += 1
                missed.append(
                    {
                        "subject": track.subject_id,
                        "start": start,
                        "minutes": (end - start) / 60,
                        "points": observed,
                    }
                )
        true_alerts += sum(matched)
    subject_days = sum(track.days for track in tracks)
    false_alerts = alerts_total - true_alerts
    return FatigueReport(
        alerter=alerter,
        generator=generator,
        subjects=len(tracks),
        subject_days=subject_days,
        points=points,
        breaches=breaches,
        long_breaches=long_breaches,
        unobservable=unobservable,
        detected=detected,
        alerts=alerts_total,
        true_alerts=true_alerts,
        false_alerts=false_alerts,
        alerts_per_breach=true_alerts / detected if detected else 0.0,
        missed_long_breaches=missed_long,
        false_alerts_per_subject_day=false_alerts / subject_days if subject_days else 0.0,
        median_delay_min=float(np.median(delays)) if delays else float("nan"),
        missed=missed,
    )


def fatigue_table(subjects=60, days=7, seed=1) -> list[FatigueReport]:
    """Both alerters on both generators (what `make bench-correction` prints)."""
    reports = []
    for name, generator in simulation.GENERATORS.items():
        tracks = generator(subjects, days, seed=seed)
        for alerter in ALERTERS:
            reports.append(score(tracks, alerter, name))
    return reports
