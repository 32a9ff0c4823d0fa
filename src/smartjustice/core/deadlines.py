"""Statutory periods: calendar days and working days, with China's public holidays and adjusted working days.

Holidays come from the `chinesecalendar` package (the State Council's yearly arrangement, 国务院办公厅关于
节假日安排的通知), which only knows the years already announced. A year announced after the installed release can
be added without waiting for one, as data in core/data/holiday_arrangements.json (holidays and adjusted working
days, copied from the 通知). For a year nobody has announced yet, the days off are the statutory holidays of
《全国年节及纪念日放假办法》 (国务院令第795号, 2024: 元旦, 春节 除夕至初三, 清明, 劳动节 two days, 端午, 中秋,
国庆 three days; a holiday on a weekend is made up on the next working day) with no adjusted working days; such
dates are `is_provisional()` and should be shown as provisional. Years before the package's first year raise
CalendarNotCovered.

The rules implemented (cited as CITATIONS below):
- 《中华人民共和国民法典》第二百零一条: a period counted in days starts the day after the start day.
- 《中华人民共和国民法典》第二百零三条: if the last day is a statutory rest day (法定休假日, which includes weekends
  and public holidays; an adjusted working weekend day is not one), the period ends on the day after the rest
  days end — i.e. on the next working day; the last day ends at 24:00.
"""

from __future__ import annotations

import datetime
import json
from functools import lru_cache
from pathlib import Path

import chinese_calendar
from lunardate import LunarDate

from .citations import Citation
from .errors import DomainError

START_DAY_NOT_COUNTED = Citation("中华人民共和国民法典", 201)
MONTH_END = Citation("中华人民共和国民法典", 202)
LAST_DAY_ON_HOLIDAY = Citation("中华人民共和国民法典", 203)
# Registered as rules of core in core/rules.py, which the statute-library citation test resolves.
CITATIONS = (START_DAY_NOT_COUNTED, MONTH_END, LAST_DAY_ON_HOLIDAY)


class CalendarNotCovered(DomainError):
    status_code = 422
    code = "calendar_not_covered"
    default_message = "节假日安排数据未覆盖该日期，无法计算法定期限"


ARRANGEMENTS_FILE = Path(__file__).parent / "data" / "holiday_arrangements.json"


@lru_cache(maxsize=1)
def published_arrangements() -> dict[int, tuple[frozenset[datetime.date], frozenset[datetime.date]]]:
    """Years added as data: year → (public holidays, adjusted working days)."""
    if not ARRANGEMENTS_FILE.exists():
        return {}
    data = json.loads(ARRANGEMENTS_FILE.read_text(encoding="utf-8"))
    return {
        int(year): (
            frozenset(datetime.date.fromisoformat(d) for d in entry.get("holidays", [])),
            frozenset(datetime.date.fromisoformat(d) for d in entry.get("workdays", [])),
        )
        for year, entry in data.get("years", {}).items()
    }


def covered_years() -> tuple[int, int]:
    """First and last year whose holiday arrangement is known (the package's, extended by the data file)."""
    years = [d.year for d in chinese_calendar.holidays]
    first, last = min(years), max(years)
    while last + 1 in published_arrangements():
        last += 1
    return first, last


def _check_covered(day: datetime.date) -> None:
    first, _ = covered_years()
    if day.year < first:
        raise CalendarNotCovered(f"节假日安排数据自 {first} 年起，无法计算涉及 {day:%Y年%m月%d日} 的期限")


def is_provisional(day) -> bool:
    """True when `day`'s year has no announced arrangement yet, so the statutory-holiday fallback is in use."""
    return _as_date(day).year > covered_years()[1]


def _qingming(year: int) -> datetime.date:
    """清明 (a solar term), by the usual 21st-century formula: [Y×0.2422 + 4.81] − [Y/4], Y = year mod 100."""
    y = year % 100
    return datetime.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@lru_cache(maxsize=16)
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """Days off under 《全国年节及纪念日放假办法》 alone, with weekend holidays made up on following weekdays."""
    spring = LunarDate(year, 1, 1).to_solar_date()
    days = [
        datetime.date(year, 1, 1),
        *(spring + datetime.timedelta(days=offset) for offset in (-1, 0, 1, 2)),
        _qingming(year),
        datetime.date(year, 5, 1),
        datetime.date(year, 5, 2),
        LunarDate(year, 5, 5).to_solar_date(),
        LunarDate(year, 8, 15).to_solar_date(),
        *(datetime.date(year, 10, d) for d in (1, 2, 3)),
    ]
    off = set(days)
    for day in sorted(days):
        if (
            day.weekday() >= 5
        ):  # 办法第六条: made up (补假) on the next day that is neither weekend nor holiday
            extra = day + datetime.timedelta(days=1)
            while extra.weekday() >= 5 or extra in off:
                extra += datetime.timedelta(days=1)
            off.add(extra)
    return frozenset(off)


def _as_date(day) -> datetime.date:
    return day.date() if isinstance(day, datetime.datetime) else day


def is_working_day(day: datetime.date) -> bool:
    """Monday–Friday except public holidays, plus weekend days the State Council made working days (调休上班)."""
    day = _as_date(day)
    _check_covered(day)
    added = published_arrangements().get(day.year)
    if added is not None:
        holidays, workdays = added
        return day in workdays or (day.weekday() < 5 and day not in holidays)
    if is_provisional(day):
        return day.weekday() < 5 and day not in statutory_holidays(day.year)
    return chinese_calendar.is_workday(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, otherwise the first working day after it (民法典第二百零三条)."""
    day = _as_date(day)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_calendar_days(start: datetime.date, days: int) -> datetime.date:
    """Last day of a period of `days` calendar days starting on `start`.

    民法典第二百零一条: the start day is not counted, so the period runs from the next day and its last day is
    start + days; 民法典第二百零三条: if that day is a statutory rest day, the period ends on the first working day
    after the rest days.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    start = _as_date(start)
    _check_covered(start)
    return next_working_day(start + datetime.timedelta(days=days))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Last day of a period of `days` working days (工作日) starting on `start`.

    民法典第二百零一条: the start day is not counted; only working days count (weekends and public holidays are
    skipped, adjusted working weekend days count). The result is always a working day, so 第二百零三条 is met.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = _as_date(start)
    _check_covered(day)
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end] (start not counted, 民法典第二百零一条); negative when end is before start."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def remaining_working_days(due: datetime.date, *, today: datetime.date | None = None) -> int:
    """Working days left until `due` (0 on the due day itself; negative once overdue)."""
    return working_days_between(today or _today(), due)


def is_overdue(due: datetime.date | None, *, today: datetime.date | None = None) -> bool:
    """Past the period: the last day ends at 24:00 (民法典第二百零三条第二款), so overdue only from the day after."""
    if due is None:
        return False
    return (today or _today()) > _as_date(due)
