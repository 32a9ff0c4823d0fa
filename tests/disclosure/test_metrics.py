"""Annual metrics: definitions from data/metrics.json, figures equal hand counts of crafted cases, and the set-based
province aggregate agrees with its naive per-row baseline."""

from datetime import date
from decimal import Decimal

import pytest

from smartjustice.core.testing import CITY, COUNTY_A, COUNTY_B, OTHER_CITY_COUNTY, PROVINCE
from smartjustice.disclosure import metrics, queries
from smartjustice.disclosure.metrics import MetricDefinitionError
from smartjustice.enforcement.choices import CaseStatus, Procedure
from smartjustice.enforcement.models import EnforcementCase
from tests.disclosure import makers

pytestmark = pytest.mark.django_db
YEAR = makers.YEAR


def _crafted(code: str):
    makers.case(code, reviewed_on=date(YEAR, 3, 20), grave=True)  # c1
    makers.case(
        code, procedure=Procedure.SIMPLIFIED, filed_on=None, decided_on=date(YEAR, 5, 2), fine=Decimal(200)
    )
    makers.case(
        code,
        filed_on=date(YEAR - 1, 12, 1),
        decided_on=date(YEAR, 1, 10),
        fine=Decimal(10000),
        confiscated=Decimal(3000),
        hearing_on=date(YEAR, 1, 5),
    )
    makers.case(code, status=CaseStatus.INVESTIGATING, filed_on=date(YEAR, 11, 1), decided_on=None, fine=None)
    makers.case(
        code, filed_on=date(YEAR - 1, 5, 1), decided_on=date(YEAR - 1, 6, 1), revoked_on=date(YEAR, 2, 1)
    )
    makers.case(code, filed_on=date(YEAR, 12, 20), decided_on=date(YEAR + 1, 1, 5))


HAND_COUNTED = {
    "cases_filed": 3,
    "penalty_decisions": 3,
    "ordinary_decisions": 2,
    "simplified_decisions": 1,
    "fine_total": 15200,
    "confiscated_total": 3000,
    "legal_reviews": 1,
    "hearings": 1,
    "grave_decisions": 1,
    "revoked_decisions": 1,
}


def test_metric_definitions_are_data_with_a_filter_or_a_manual_flag():
    defined = metrics.all_metrics()
    assert {m.code for m in defined} >= set(HAND_COUNTED) | {"licensing_decisions"}
    assert all(m.name and m.unit and m.definition for m in defined)
    assert metrics.get("licensing_decisions").manual
    assert metrics.get("ordinary_decisions").where == {"procedure": "ordinary", "decided_in_year": True}


def test_a_definition_the_evaluator_does_not_understand_is_refused():
    with pytest.raises(MetricDefinitionError):
        metrics._parse({"code": "x", "name": "x", "count": "cases", "where": {"party__name": "张三"}})
    with pytest.raises(MetricDefinitionError):
        metrics._parse({"code": "x", "name": "x", "count": "cases", "where": {"procedure": "ordinary"}})


def test_figures_equal_hand_counts_of_crafted_cases():
    _crafted(COUNTY_A)
    makers.case(COUNTY_B)  # another county: not counted for 天河区
    cases = EnforcementCase.objects.filter(jurisdiction_id=COUNTY_A)
    values = metrics.evaluate(cases, YEAR)
    assert values == {code: Decimal(v).quantize(Decimal("0.01")) for code, v in HAND_COUNTED.items()}
    # …and the row-by-row test of the same definitions agrees
    for metric in metrics.computed_metrics():
        by_hand = sum(metrics.contribution(metric, c) for c in cases if metrics.matches(metric, c, YEAR))
        assert values[metric.code] == metrics.normalise(by_hand), metric.code


def test_grouped_by_agency_in_one_query(django_assert_max_num_queries):
    _crafted(COUNTY_A)
    _crafted(COUNTY_B)
    with django_assert_max_num_queries(1):
        grouped = metrics.evaluate(EnforcementCase.objects.all(), YEAR, group_by="agency_id")
    assert len(grouped) == 2
    assert all(v["cases_filed"] == 3 for v in grouped.values())


def test_province_aggregate_agrees_with_the_naive_baseline(django_assert_max_num_queries):
    _crafted(COUNTY_A)
    _crafted(COUNTY_B)
    _crafted(OTHER_CITY_COUNTY)
    makers.case(CITY, fine=Decimal("1234.56"))
    makers.case(PROVINCE, procedure=Procedure.SIMPLIFIED, fine=Decimal(50))
    with django_assert_max_num_queries(1):
        fast = queries.province_aggregate(YEAR)
    slow = queries.province_aggregate_naive(YEAR)
    assert fast == slow
    assert set(fast["cities"]) == {"440100000000", "440300000000", "440000000000"}
    assert fast["cities"]["440100000000"]["cases_filed"] == 3 + 3 + 1
    assert fast["total"]["fine_total"] == Decimal(15200 * 3) + Decimal("1234.56") + Decimal(50)
    assert queries.province_aggregate(YEAR + 5) == queries.province_aggregate_naive(YEAR + 5)
