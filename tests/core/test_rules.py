"""The rules registry (core.rules): rules register themselves when defined, keyed by module and code, and can be
looked up by the article they cite; statutory periods count working days, calendar days and months."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from smartjustice.core import rules
from smartjustice.core.citations import Citation
from smartjustice.core.rules import CalendarDayPeriod, MonthPeriod, Rule, WorkingDayPeriod
from smartjustice.govinfo import rules as govinfo_rules

XZCF = "中华人民共和国行政处罚法"


def test_a_rule_registers_under_the_app_that_defines_it():
    assert govinfo_rules.ANSWER_PERIOD.module == "govinfo"
    assert govinfo_rules.ANSWER_PERIOD.key == "govinfo.answer_period"
    assert rules.registry()[("govinfo", "answer_period")] is govinfo_rules.ANSWER_PERIOD
    assert rules.get("hub", "purpose_required").citation == Citation("中华人民共和国个人信息保护法", 6)
    # govinfo.rules keeps the names other code imports.
    assert govinfo_rules.Rule is Rule and govinfo_rules.WorkingDayPeriod is WorkingDayPeriod


def test_defining_a_rule_registers_it_and_citing_finds_it_by_law_and_article():
    with rules.scratch_registry():
        limitation = Rule(
            "limitation", "二年内未被发现的，不再给予行政处罚", Citation(XZCF, 36), module="demo"
        )
        hearing = Rule(
            "hearing", "较大数额罚款应告知听证权利", Citation(XZCF, 63, paragraph=1), module="demo"
        )
        Rule("scratch", "不登记的规则", Citation(XZCF, 36), module="demo", register=False)
        assert rules.all_rules() == [hearing, limitation]
        assert rules.citing(XZCF, 36) == [limitation]
        assert rules.citing("行政处罚法", 63) == [hearing]  # short name, paragraph ignored
        assert rules.citing(XZCF, 37) == []
        assert rules.by_module() == {"demo": [hearing, limitation]}
    assert rules.get("demo", "limitation") is None  # the real registry is back


def test_two_modules_cannot_claim_the_same_rule():
    source = 'Rule("twice", "…", Citation("中华人民共和国民法典", 201), module="demo")'
    with rules.scratch_registry():
        exec(source, {"Rule": Rule, "Citation": Citation, "__name__": "smartjustice.demo.rules"})
        exec(source, {"Rule": Rule, "Citation": Citation, "__name__": "smartjustice.demo.rules"})  # a reload
        with pytest.raises(ImproperlyConfigured, match="defined twice"):
            exec(source, {"Rule": Rule, "Citation": Citation, "__name__": "smartjustice.other.rules"})


def test_an_unverified_rule_says_why():
    rule = rules.get("hub", "conditional_sharing_basis")
    assert not rule.verified and "国发〔2016〕51号" in rule.exemption
    assert all(r.verified for r in rules.all_rules() if r.module in ("core", "govinfo", "credentials"))


def test_the_period_kinds_count_as_the_civil_code_says():
    with rules.scratch_registry():
        working = WorkingDayPeriod("w", "…", Citation(XZCF, 1), module="demo", days=20)
        calendar_days = CalendarDayPeriod("c", "…", Citation(XZCF, 1), module="demo", days=60)
        months = MonthPeriod("m", "…", Citation(XZCF, 1), module="demo", months=6)
    assert (working.unit, calendar_days.unit, months.unit) == ("working_days", "calendar_days", "months")
    assert (working.days, calendar_days.days, months.days) == (20, 60, None)
    # 20 working days from Tue 30 Sep 2025 skip the National Day holiday (1–8 Oct) and count Saturday 11 Oct,
    # an adjusted working day: 9, 10, 11 Oct, three full weeks, then 3 and 4 Nov.
    assert working.ends(datetime.date(2025, 9, 30)) == datetime.date(2025, 11, 4)
    # 60 days from 1 Jan 2025 end on Sunday 2 Mar, so the period ends on Monday 3 Mar (第二百零三条).
    assert calendar_days.ends(datetime.date(2025, 1, 1)) == datetime.date(2025, 3, 3)
    # Six months from 31 Aug end on the last day of February, which has no 31st (第二百零二条); Saturday 28 Feb
    # 2026 is an adjusted working day (调休上班), so the period ends that day.
    assert months.ends(datetime.date(2025, 8, 31)) == datetime.date(2026, 2, 28)
    # Six months from 15 Mar 2025 end on Mon 15 Sep 2025.
    assert months.ends(datetime.date(2025, 3, 15)) == datetime.date(2025, 9, 15)


def test_govinfo_periods_use_the_kinds_the_law_names():
    assert govinfo_rules.REVIEW_PERIOD.days == 60 and govinfo_rules.REVIEW_PERIOD.unit == "calendar_days"
    assert govinfo_rules.LITIGATION_PERIOD.months == 6
    assert govinfo_rules.HANDLING_ORGANISATIONS.citation.article == 27
    assert set(govinfo_rules.HANDLING_ORGANISATIONS.value) == {"justice_bureau", "justice_department"}
