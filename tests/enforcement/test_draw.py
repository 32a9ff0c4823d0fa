"""The 双随机 draw as a pure function (enforcement/draw.py; specification docs/decisions/0012-random-draw.md)."""

import hashlib
import hmac
from collections import Counter

import pytest

from smartjustice.enforcement import draw as drawing
from smartjustice.enforcement.draw import Candidate, DrawError, Stream, Target, draw, target_count

SEED = "00" * 31 + "2a"
OTHER_SEED = "ff" * 32
RATIOS = {"high": "0.5", "medium": "0.2", "low": "0.05"}


def registry(high=4, medium=10, low=40):
    rows = []
    for level, n in (("high", high), ("medium", medium), ("low", low)):
        rows += [Candidate(f"91440106{level[0].upper()}{i:09d}", level) for i in range(n)]
    return rows


def test_the_same_seed_gives_the_same_draw():
    first = draw(SEED, registry(), range(1, 9), RATIOS)
    again = draw(SEED, list(reversed(registry())), [8, 7, 6, 5, 4, 3, 2, 1], RATIOS)
    assert first == again
    assert all(isinstance(t, Target) for t in first)


def test_another_seed_gives_another_draw():
    assert draw(SEED, registry(), range(1, 9), RATIOS) != draw(OTHER_SEED, registry(), range(1, 9), RATIOS)


def test_targets_per_risk_level_follow_the_ratios_rounded_up():
    targets = draw(SEED, registry(high=4, medium=10, low=41), range(1, 9), RATIOS)
    by_level = Counter(t.risk_level for t in targets)
    assert by_level == {"high": 2, "medium": 2, "low": 3}  # ceil(0.5×4), ceil(0.2×10), ceil(0.05×41)


def test_at_least_one_target_where_a_level_has_candidates():
    assert target_count("0.01", 3) == 1
    assert target_count("0.01", 0) == 0
    assert target_count("0", 50) == 0
    assert target_count(1, 7) == 7


def test_counts_are_exact_decimals_not_floats():
    # 0.7 × 10 is 7.000000000000001 in binary floating point; the draw must take 7, not 8.
    assert target_count(0.7, 10) == 7
    assert target_count("0.07", 100) == 7


def test_every_target_gets_two_different_officers_and_load_is_spread():
    targets = draw(
        SEED, registry(high=10, medium=10, low=20), range(1, 5), {"high": 1, "medium": 1, "low": 1}
    )
    assert all(len(set(t.officers)) == 2 for t in targets)
    load = Counter(o for t in targets for o in t.officers)
    assert max(load.values()) - min(load.values()) <= 1


def test_conflicted_officers_never_meet_their_entity():
    candidates = registry(high=6, medium=0, low=0)
    conflicts = [(1, c.uscc) for c in candidates] + [(2, candidates[0].uscc)]
    for seed in (SEED, OTHER_SEED, "12" * 32):
        targets = draw(seed, candidates, [1, 2, 3, 4], {"high": 1}, conflicts)
        assert all(1 not in t.officers for t in targets)
        assert 2 not in next(t for t in targets if t.uscc == candidates[0].uscc).officers


def test_too_few_officers_for_a_target_is_an_error():
    candidates = registry(high=1, medium=0, low=0)
    with pytest.raises(DrawError):
        draw(SEED, candidates, [1, 2], {"high": 1}, [(1, candidates[0].uscc)])


def test_duplicates_and_bad_seeds_are_refused():
    with pytest.raises(DrawError):
        draw(SEED, [Candidate("A", "high"), Candidate("A", "low")], [1, 2], RATIOS)
    with pytest.raises(DrawError):
        draw("xyz", registry(), [1, 2], RATIOS)
    with pytest.raises(DrawError):
        draw("00" * 16, registry(), [1, 2], RATIOS)


def test_the_stream_is_hmac_sha256_of_label_and_counter():
    key = bytes.fromhex(SEED)
    stream = Stream(key)
    expected = hmac.new(key, b"targets/high\x00" + (0).to_bytes(8, "big"), hashlib.sha256).digest()
    assert stream.block("targets/high") == expected
    assert stream.block("targets/high") != expected  # the counter moved on
    assert stream.counters == {"targets/high": 2}


def test_rejection_sampling_is_unbiased_over_many_draws():
    stream = Stream(bytes.fromhex(OTHER_SEED))
    counts = Counter(stream.index("test", 3) for _ in range(3000))
    assert set(counts) == {0, 1, 2}
    assert all(900 < n < 1100 for n in counts.values())


def test_a_known_vector_pins_the_algorithm():
    # Any re-implementation of docs/decisions/0012-random-draw.md must reproduce this draw.
    candidates = [Candidate(f"U{i:02d}", "high" if i < 3 else "low") for i in range(10)]
    targets = draw(SEED, candidates, [11, 12, 13], {"high": "0.5", "low": "0.3"})
    assert [(t.uscc, t.officers) for t in targets] == [
        ("U01", (12, 13)),
        ("U02", (11, 12)),
        ("U05", (11, 13)),
        ("U07", (12, 13)),
        ("U09", (11, 13)),
    ]
    assert targets == draw(SEED, candidates, [13, 12, 11], {"high": 0.5, "low": 0.3})
    assert (
        drawing.commitment(SEED, {"plan": 1})
        == hashlib.sha256(bytes.fromhex(SEED) + b'{"plan":1}').hexdigest()
    )
