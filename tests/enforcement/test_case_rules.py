"""The periods of case handling as rules (enforcement/rules.py) and the clocks they drive: counted with the official
holiday calendar (core.deadlines; 民法典第二百零一条、第二百零三条) — 2026's 中秋 (9月25日) and 国庆 (10月1日—7日,
with 10月10日 a working Saturday) are the edge cases."""

# ruff: noqa: F811 (the fixtures are imported from test_cases)
import datetime
from types import SimpleNamespace

import pytest

from smartjustice.core import rules as registry
from smartjustice.enforcement import case_guards, case_queries, cases, rules
from smartjustice.enforcement.case_workflow import WORKFLOW
from tests.enforcement.test_cases import (  # noqa: F401 (fixtures)
    agency,
    days,
    filed,
    handlers,
    head,
    officer,
    public_url,
)

D = datetime.date


def test_the_case_rules_are_registered_with_their_articles():
    assert registry.get("enforcement", "decision_period").days == 90
    assert registry.get("enforcement", "late_payment_surcharge").value == "0.03"
    assert rules.NO_DOUBLE_FINE.citation.article == 29
    assert rules.LIMITATION_PERIOD.value == 2 and rules.LIMITATION_PERIOD_EXTENDED.value == 5
    assert rules.HEARING_THRESHOLD_GUANGDONG.value == {"person": 5000, "organisation": 50000}
    # Periods the statute library cannot check say why (a sector rule, a provincial threshold).
    for rule in (rules.FILING_PERIOD, rules.STATEMENT_PERIOD, rules.HEARING_THRESHOLD_GUANGDONG):
        assert not rule.verified and len(rule.exemption) > 20
    for rule in (
        rules.DECISION_PERIOD,
        rules.SERVICE_PERIOD,
        rules.PAYMENT_PERIOD,
        rules.HEARING_REQUEST_PERIOD,
    ):
        assert rule.verified and rule.citation.law == rules.PENALTY_LAW


def test_every_clock_of_the_workflow_cites_its_period():
    clocks = {WORKFLOW.state(code).clock.code for code in ("lead", "investigating", "decided", "served")}
    assert clocks == {"filing", "decision", "service", "payment"}
    assert WORKFLOW.clock("decision").citation == rules.DECISION_PERIOD.citation
    assert WORKFLOW.state("hearing").clock.code == "decision"  # not paused: 第六十条 excludes nothing


@pytest.mark.parametrize(
    ("rule", "start", "last"),
    [
        # 5 working days from Tue 29 Sep: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (调休上班), 12 Oct.
        (rules.STATEMENT_PERIOD, D(2026, 9, 29), D(2026, 10, 12)),
        # 15 days from 16 Sep end on 1 Oct, a holiday: the period ends on the next working day, 8 Oct.
        (rules.PAYMENT_PERIOD, D(2026, 9, 16), D(2026, 10, 8)),
        (rules.PAYMENT_PERIOD, D(2026, 9, 1), D(2026, 9, 16)),
        # 7 days from 28 Sep end on 5 Oct (国庆): 8 Oct.
        (rules.SERVICE_PERIOD, D(2026, 9, 28), D(2026, 10, 8)),
        # 5 days to ask for a hearing from 28 Sep: 3 Oct → 8 Oct.
        (rules.HEARING_REQUEST_PERIOD, D(2026, 9, 28), D(2026, 10, 8)),
        # 90 days from 3 Jul end on 1 Oct: 8 Oct.
        (rules.DECISION_PERIOD, D(2026, 7, 3), D(2026, 10, 8)),
        # 15 working days from Thu 17 Sep count Sun 20 Sep and Sat 10 Oct (调休上班), skip 中秋 and 国庆: 14 Oct.
        (rules.FILING_PERIOD, D(2026, 9, 17), D(2026, 10, 14)),
    ],
)
def test_periods_over_the_2026_holidays(rule, start, last):
    assert rule.ends(start) == last


def test_the_decision_waits_for_the_statement_period_in_working_days():
    case = SimpleNamespace(
        notified_on=D(2026, 9, 29),
        statement_waived=False,
        hearing_offered=False,
        hearing_requested_on=None,
        hearing_record="",
    )
    assert "10月12日" in case_guards.statement_heard(case, None, {"decided_on": D(2026, 10, 12)})
    assert case_guards.statement_heard(case, None, {"decided_on": D(2026, 10, 13)}) is None
    case.hearing_offered = True  # the hearing-request period (5 calendar days, to 8 Oct) is shorter here
    assert case_guards.statement_heard(case, None, {"decided_on": D(2026, 10, 13)}) is None
    case.statement_waived = True
    assert case_guards.statement_heard(case, None, {"decided_on": D(2026, 9, 30)}) is None


@pytest.mark.django_db
def test_the_decision_clock_runs_ninety_days_from_filing_and_lists_show_the_overdue(
    agency, handlers, head, officer
):
    late = filed(agency, handlers, head, filed_on=days(-100))
    fresh = filed(agency, handlers, head)
    assert late.clock_started_on == days(-100) and late.clock_due_on == rules.DECISION_PERIOD.ends(days(-100))
    assert late.clock.overdue > 0 and fresh.clock.remaining > 80
    assert list(case_queries.list_cases(officer, overdue=True)) == [late]
    assert list(case_queries.list_cases(officer, overdue=False)) == [fresh]
    assert list(case_queries.list_cases(officer)) == [late, fresh]


@pytest.mark.django_db
def test_the_filing_clock_counts_from_discovery(agency, officer):
    party = cases.register_party(agency=agency, actor=officer, **_person())
    lead = cases.register_case(
        agency=agency,
        party=party,
        cause="无照经营",
        domain="market_regulation",
        discovered_on=days(-20),
        actor=officer,
    )
    assert lead.clock_code == "filing" and lead.clock_due_on == rules.FILING_PERIOD.ends(days(-20))


def _person():
    from tests.enforcement import mobile_makers

    return mobile_makers.person()
