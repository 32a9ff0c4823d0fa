"""Statutory periods over real 2026 holidays (国务院办公厅 2026 arrangement, as shipped by chinesecalendar).

2026 National Day: 10月1日—7日 off; Sunday 9月20日 and Saturday 10月10日 are working days (调休上班).
"""

import json
from datetime import date

import pytest
import time_machine

from smartjustice.core import deadlines
from smartjustice.core.deadlines import CalendarNotCovered


def test_the_start_day_is_not_counted():
    # 民法典第二百零一条: a 1-day period from Monday ends on Tuesday.
    assert deadlines.add_calendar_days(date(2026, 11, 2), 1) == date(2026, 11, 3)
    assert deadlines.add_working_days(date(2026, 11, 2), 1) == date(2026, 11, 3)


def test_calendar_period_ending_in_the_national_day_holiday_ends_on_the_first_day_after_it():
    # 26 Sep + 5 days = 1 Oct, a public holiday: 民法典第二百零三条 moves the last day to 8 Oct.
    assert deadlines.add_calendar_days(date(2026, 9, 26), 5) == date(2026, 10, 8)


def test_calendar_period_ending_on_an_adjusted_working_saturday_ends_that_saturday():
    # 10 Oct 2026 is a Saturday but a working day (调休上班), so it is not a 法定休假日.
    assert date(2026, 10, 10).weekday() == 5
    assert deadlines.add_calendar_days(date(2026, 10, 3), 7) == date(2026, 10, 10)


def test_calendar_period_ending_on_an_ordinary_sunday_moves_to_monday():
    assert deadlines.add_calendar_days(date(2026, 11, 19), 10) == date(2026, 11, 30)


def test_working_days_skip_the_holiday_and_count_the_adjusted_saturday():
    # 30 Sep + 1 working day: 1–7 Oct are off, so 8 Oct; 9 Oct (Fri) + 1 is Saturday 10 Oct, a working day.
    assert deadlines.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert deadlines.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_twenty_working_days_across_national_day():
    # Received Monday 28 Sep: 29, 30 Sep; 8, 9, 10(Sat) Oct; then 15 weekdays → Friday 30 Oct.
    assert deadlines.add_working_days(date(2026, 9, 28), 20) == date(2026, 10, 30)


def test_twenty_working_days_in_an_ordinary_month_are_four_weeks():
    assert deadlines.add_working_days(date(2026, 11, 2), 20) == date(2026, 11, 30)


def test_remaining_working_days_and_overdue():
    due = date(2026, 10, 30)
    assert deadlines.remaining_working_days(due, today=date(2026, 10, 28)) == 2
    assert deadlines.remaining_working_days(due, today=due) == 0
    assert not deadlines.is_overdue(due, today=due)  # the last day ends at 24:00
    assert deadlines.is_overdue(due, today=date(2026, 10, 31))
    assert deadlines.remaining_working_days(due, today=date(2026, 11, 3)) == -2


@time_machine.travel("2026-09-30 10:00 +0800", tick=False)
def test_remaining_working_days_counts_from_today_in_china():
    # From 30 Sep, the next working day is 8 Oct.
    assert deadlines.remaining_working_days(date(2026, 10, 8)) == 1
    assert not deadlines.is_overdue(date(2026, 9, 30))
    assert deadlines.is_overdue(date(2026, 9, 29))


def test_a_period_before_the_known_holiday_years_is_refused_clearly():
    first, _ = deadlines.covered_years()
    with pytest.raises(CalendarNotCovered) as excinfo:
        deadlines.add_calendar_days(date(first - 1, 6, 1), 1)
    assert str(first) in excinfo.value.message
    assert "节假日安排" in excinfo.value.message


def test_unannounced_years_fall_back_to_the_statutory_holidays_and_are_marked_provisional():
    _, last = deadlines.covered_years()
    assert last == 2026, "chinesecalendar now covers 2027: rewrite this test around the next unannounced year"
    assert not deadlines.is_provisional(date(2026, 12, 31))
    assert deadlines.is_provisional(date(2027, 1, 4))
    # 2027: 元旦 Friday 1 Jan; 春节 falls on Saturday 6 Feb (除夕 Fri 5 Feb to 初三 Mon 8 Feb), and the two weekend
    # days are made up on Tue 9 and Wed 10 Feb (放假办法第六条); 国庆 1-3 Oct is Fri-Sun, made up on 4 and 5 Oct.
    for off in (
        "2027-01-01",
        "2027-02-05",
        "2027-02-08",
        "2027-02-09",
        "2027-02-10",
        "2027-10-04",
        "2027-10-05",
    ):
        assert not deadlines.is_working_day(date.fromisoformat(off)), off
    assert deadlines.is_working_day(date(2027, 2, 11))
    assert deadlines.is_working_day(date(2027, 10, 6))
    # A 20-working-day period registered in December 2026 runs into 2027 instead of failing.
    assert deadlines.add_working_days(date(2026, 12, 21), 20) == date(2027, 1, 19)


def test_periods_cite_the_civil_code():
    cited = {(c.law, c.article) for c in deadlines.CITATIONS}
    assert cited == {("中华人民共和国民法典", n) for n in (201, 202, 203)}  # 202: periods counted in months


def test_a_newly_published_year_can_be_added_as_data(tmp_path, monkeypatch):
    _, last = deadlines.covered_years()
    following = last + 1
    arrangements = tmp_path / "holiday_arrangements.json"
    year = {"source": "测试", "holidays": [f"{following}-01-01"], "workdays": [f"{following}-01-03"]}
    arrangements.write_text(
        json.dumps({"years": {str(following): year}}, ensure_ascii=False), encoding="utf-8"
    )
    monkeypatch.setattr(deadlines, "ARRANGEMENTS_FILE", arrangements)
    deadlines.published_arrangements.cache_clear()
    try:
        assert deadlines.covered_years()[1] == following
        assert not deadlines.is_working_day(date(following, 1, 1))
        assert deadlines.is_working_day(date(following, 1, 3))  # the adjusted working day, whatever weekday
        assert deadlines.add_working_days(date(last, 12, 31), 1) == deadlines.next_working_day(
            date(following, 1, 2)
        )
    finally:
        deadlines.published_arrangements.cache_clear()
