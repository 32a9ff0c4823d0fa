"""The risk score: transparent (the factors' points add up to the score), monotone in every risk input, levels from
rules.RISK_LEVELS, one risk alert per crossing into 高风险, evaluated on simulated histories (AUC above chance)."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, Place, organisation_in
from smartjustice.correction import risk, risk_evaluation, rules
from smartjustice.correction.choices import (
    AlertKind,
    AlertStatus,
    CorrectionAuditEvent,
    Employment,
    FamilySituation,
)
from smartjustice.correction.models import CorrectionAlert, RiskLevel, RiskScore
from tests.correction import command_makers, makers

WORST = risk.RiskInputs(
    missed_reports=9,
    location_breaches=9,
    signal_losses=9,
    admonitions=9,
    warnings=9,
    employment=Employment.UNEMPLOYED,
    family_situation=FamilySituation.ALONE,
    offence_type="drug",
    days_under_correction=10,
    age=20,
)


@pytest.mark.parametrize(
    "inputs", [risk.RiskInputs(), WORST, risk.RiskInputs(missed_reports=2, warnings=1, age=30)], ids=str
)
def test_the_factors_points_add_up_to_the_score(inputs):
    assessment = risk.score_inputs(inputs)
    assert sum(c.points for c in assessment.contributions) == assessment.score
    assert {c.code for c in assessment.contributions} >= {
        "missed_reports",
        "location_breaches",
        "sanctions",
        "employment",
        "family",
        "offence",
        "time_under_correction",
    }
    assert all(0 <= c.points <= c.max_points for c in assessment.contributions)


def test_the_worst_case_is_the_maximum_score_of_one_hundred():
    assert risk.MAX_SCORE == 100
    assert risk.score_inputs(WORST).score == 100
    assert risk.score_inputs(WORST).level == RiskLevel.HIGH


@pytest.mark.parametrize(
    "name", ["missed_reports", "location_breaches", "signal_losses", "admonitions", "warnings"]
)
def test_the_score_never_falls_when_a_behaviour_count_grows(name):
    base = risk.RiskInputs(employment=Employment.EMPLOYED, age=40)
    scores = [risk.score_inputs(replace(base, **{name: n})).score for n in range(8)]
    assert scores == sorted(scores)
    assert scores[1] > scores[0]  # the first event counts


@pytest.mark.parametrize(
    ("name", "order"),
    [
        ("employment", [Employment.EMPLOYED, Employment.RETIRED, Employment.UNEMPLOYED]),
        ("family_situation", [FamilySituation.STABLE, FamilySituation.STRAINED, FamilySituation.ALONE]),
        ("days_under_correction", [400, 150, 30]),  # fewer days under correction, more risk
        ("age", [50, 30, 20]),
    ],
)
def test_the_score_rises_with_each_circumstance_in_its_risk_order(name, order):
    scores = [risk.score_inputs(replace(risk.RiskInputs(), **{name: value})).score for value in order]
    assert scores == sorted(scores) and scores[-1] > scores[0]


def test_levels_follow_the_cited_thresholds():
    assert rules.RISK_LEVELS.citation.article == 3
    high, medium = rules.RISK_LEVELS.value["high"], rules.RISK_LEVELS.value["medium"]
    assert risk.level_for(high) == RiskLevel.HIGH
    assert risk.level_for(high - 1) == RiskLevel.MEDIUM
    assert risk.level_for(medium) == RiskLevel.MEDIUM
    assert risk.level_for(medium - 1) == RiskLevel.LOW


def test_auc_counts_ties_half():
    assert risk_evaluation.auc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    assert risk_evaluation.auc([4, 3, 2, 1], [False, False, True, True]) == 0.0
    assert risk_evaluation.auc([1, 1, 1, 1], [False, True, False, True]) == 0.5
    assert risk_evaluation.auc([1, 2, 2, 3], [False, True, False, True]) == 0.875


@pytest.mark.parametrize("generator", list(risk_evaluation.GENERATORS))
def test_the_score_ranks_simulated_histories_well_above_chance(generator):
    result = risk_evaluation.evaluate(generator, subjects=2000, seed=risk_evaluation.DEFAULT_SEED)
    assert 0.45 < result.auc_random < 0.55
    assert result.auc >= 0.62, result
    assert result.auc > result.auc_missed_reports_only + 0.03  # the combination beats its strongest input
    rates = result.by_level
    assert rates["low"]["outcome_rate"] < rates["medium"]["outcome_rate"] < rates["high"]["outcome_rate"]


def test_the_command_prints_the_auc_and_the_calibration_warning(capsys):
    call_command("correction", "risk-eval", "--subjects", "300")
    out = capsys.readouterr().out
    assert "AUC" in out and "随机评分" in out and "须用本地结局数据校准" in out


# --- stored scores and alerts ----------------------------------------------------------------------------------------


@pytest.fixture
def place(db):
    return Place(COUNTY_A, organisation_in(COUNTY_A))


def _breaches(subject, n, *, status=AlertStatus.CONFIRMED, kind=AlertKind.GEOFENCE_EXIT):
    now = timezone.now()
    for i in range(n):
        command_makers.alert(subject, kind=kind, status=status, started_at=now - timedelta(days=i + 1))


def test_recompute_stores_the_factors_and_counts_alerts_from_the_last_half_year(place):
    subject = makers.subject(place, starts_on=timezone.localdate() - timedelta(days=400))
    _breaches(subject, 2, kind=AlertKind.MISSED_REPORT)
    _breaches(subject, 1, status=AlertStatus.DISMISSED)  # a false alarm does not count
    command_makers.alert(
        subject, status=AlertStatus.CONFIRMED, started_at=timezone.now() - timedelta(days=200)
    )
    result = risk.recompute_scores()
    assert result.assessed >= 1
    score = RiskScore.objects.get(subject=subject)
    points = {f["code"]: f["points"] for f in score.factors}
    assert points["missed_reports"] == 10 and points["location_breaches"] == 0
    assert sum(points.values()) == score.score
    assert CorrectionAlert.objects.filter(subject=subject, kind=AlertKind.RISK).count() == 0


def test_crossing_into_high_raises_one_alert_and_staying_high_raises_none(place):
    subject = makers.subject(place, employment=Employment.UNEMPLOYED, family_situation=FamilySituation.ALONE)
    risk.recompute_scores(subject_ids=[subject.pk])
    assert RiskScore.objects.get(subject=subject).level != RiskLevel.HIGH
    _breaches(subject, 3)
    _breaches(subject, 4, kind=AlertKind.MISSED_REPORT)
    first = risk.recompute_scores(subject_ids=[subject.pk])
    assert first.alerts == 1
    latest = risk.latest_scores(RiskScore.objects.filter(subject=subject)).get()
    assert latest.level == RiskLevel.HIGH and latest.alert is not None
    alert = CorrectionAlert.objects.get(subject=subject, kind=AlertKind.RISK)
    assert "高风险" in alert.why and alert.evidence["risk_score"] == latest.score
    # Still high, one more breach: the score changes, no second alert.
    _breaches(subject, 1, kind=AlertKind.SIGNAL_LOST)
    again = risk.recompute_scores(subject_ids=[subject.pk])
    assert again.changed == 1 and again.alerts == 0
    assert CorrectionAlert.objects.filter(subject=subject, kind=AlertKind.RISK).count() == 1
    # Nothing changed: nothing stored.
    assert risk.recompute_scores(subject_ids=[subject.pk]).changed == 0
    assert RiskScore.objects.filter(subject=subject).count() == 3


def test_falling_and_rising_again_is_a_new_crossing(place):
    subject = makers.subject(place, employment=Employment.UNEMPLOYED, family_situation=FamilySituation.ALONE)
    _breaches(subject, 3)
    _breaches(subject, 4, kind=AlertKind.MISSED_REPORT)
    risk.recompute_scores(subject_ids=[subject.pk])
    first = CorrectionAlert.objects.get(subject=subject, kind=AlertKind.RISK)
    first.status = AlertStatus.CONFIRMED
    first.save()
    CorrectionAlert.objects.filter(subject=subject, kind=AlertKind.MISSED_REPORT).update(
        status=AlertStatus.DISMISSED
    )
    risk.recompute_scores(subject_ids=[subject.pk])
    assert risk.latest_scores(RiskScore.objects.filter(subject=subject)).get().level != RiskLevel.HIGH
    _breaches(subject, 4, kind=AlertKind.MISSED_REPORT)
    assert risk.recompute_scores(subject_ids=[subject.pk]).alerts == 1
    assert CorrectionAlert.objects.filter(subject=subject, kind=AlertKind.RISK).count() == 2


def test_an_officer_reassesses_one_subject_with_one_audit_entry(place):
    from smartjustice.core.testing import assert_audited

    subject = makers.subject(place)
    officer = command_makers.officer(place)
    score = risk.assess_subject(subject, actor=officer)
    assert score.subject == subject and score.factors
    assert_audited(CorrectionAuditEvent.RISK_ASSESSED, obj=subject, actor=officer)


def test_released_subjects_are_not_scored_by_the_job(place):
    released = makers.subject(place, status="released", released_on=timezone.localdate())
    risk.recompute_scores()
    assert not RiskScore.objects.filter(subject=released).exists()
