"""Alert fatigue on simulated tracks: what an officer sees per real departure, and what is missed.

A small seeded run of each generator (the project's own daily-routine model and the independent random-walk model,
see correction/simulation.py); `make bench-correction` prints the same figures on larger runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from smartjustice.correction import fatigue, simulation

SUBJECTS, DAYS = 12, 7


@pytest.fixture(scope="module", params=list(simulation.GENERATORS))
def tracks(request):
    return request.param, simulation.GENERATORS[request.param](SUBJECTS, DAYS, seed=3)


def test_simulated_tracks_hold_what_the_issue_asks_for(tracks):
    name, generated = tracks
    assert sum(len(t.departures) for t in generated) >= 8  # real departures, with their true times
    assert any(t.profile for t in generated)  # people living or working by the county line
    for track in generated:
        assert (np.diff(track.arrival) >= 0).all()  # listed in upload order …
    assert any((np.diff(t.t) < 0).any() for t in generated)  # … so some points arrive out of order
    assert any(np.unique(t.t).size < t.t.size for t in generated)  # duplicates
    assert any(t.outlier.any() for t in generated)  # outliers
    assert any((np.diff(np.sort(t.t)) > 20 * 60).any() for t in generated)  # gaps


def test_tracker_meets_the_targets(tracks):
    name, generated = tracks
    report = fatigue.score(generated, "tracker", name)
    assert report.detected >= 8
    assert report.failures() == []
    assert report.alerts_per_breach <= 1.5
    assert report.missed_long_breaches == 0
    assert report.false_alerts_per_subject_day <= 0.1
    assert report.median_delay_min <= 15


def test_naive_per_point_alerter_does_not(tracks):
    name, generated = tracks
    report = fatigue.score(generated, "naive", name)
    assert report.alerts_per_breach > 10
    assert report.false_alerts_per_subject_day > 0.5
    assert not report.meets_targets()
