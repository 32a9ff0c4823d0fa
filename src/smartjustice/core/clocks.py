"""Statutory clocks on workflow states: when a period starts, pauses, resumes, is extended, and how much is left.

A workflow state may carry a `Clock` (`State(..., clock=ANSWER_CLOCK)`): entering the state starts it, moving to
another state carrying the same clock keeps it running, entering a state that `pauses` it stops the count until
the record moves back (time excluded where the law says so: 听证, 鉴定, 中止 …), and entering any other state stops
it. The period is a rule object from `core.rules` (WorkingDayPeriod, CalendarDayPeriod, MonthPeriod: `.ends(start)`,
`.unit`, `.days`), so every clock cites the article it implements.

The running clock is stored on the record itself (`ClockedModel`: `clock_code`, `clock_started_on`,
`clock_due_on`, `clock_paused_on`, `clock_paused_days`), so lists filter and sort by the due date in plain SQL on
SQLite and PostgreSQL alike (docs/decisions/0004-workflow-clocks-and-assignments.md). Working-day arithmetic is
core.deadlines' (民法典第二百零一条、第二百零三条).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from . import deadlines

WORKING_DAYS = "working_days"
CLOCK_FIELDS = ("clock_code", "clock_started_on", "clock_due_on", "clock_paused_on", "clock_paused_days")


@dataclass(frozen=True)
class Clock:
    """A statutory period that runs while a record is in the states carrying it.

    `start(obj)` gives the day the period counts from (default: the day the state is entered), e.g. the receipt
    date; `when(obj)` may keep the clock from starting (a period that applies once only).
    """

    code: str
    label: str
    period: object
    start: Callable[[object], datetime.date | None] | None = None
    when: Callable[[object], bool] | None = None

    @property
    def working_days(self) -> bool:
        return getattr(self.period, "unit", "") == WORKING_DAYS

    @property
    def unit_label(self) -> str:
        return "个工作日" if self.working_days else "日"

    @property
    def citation(self):
        return getattr(self.period, "citation", None)

    def due(self, started_on: datetime.date) -> datetime.date:
        """The last day of the period started on `started_on`."""
        return self.period.ends(started_on)

    def count(self, start: datetime.date, end: datetime.date) -> int:
        """Days of this clock's unit in (start, end]; negative when end is before start."""
        if self.working_days:
            return deadlines.working_days_between(start, end)
        return (end - start).days

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The day `days` units after `start` (start not counted; a calendar end on a rest day moves on)."""
        if self.working_days:
            return deadlines.add_working_days(start, days)
        return deadlines.add_calendar_days(start, max(days, 0))


@dataclass(frozen=True)
class ClockView:
    """What a page shows of a record's clock: due date, days left or overdue, paused or not."""

    label: str
    due_on: datetime.date | None
    unit_label: str
    remaining: int | None
    overdue: int
    paused: bool
    paused_since: datetime.date | None
    paused_days: int
    citation: object = None

    @property
    def tone(self) -> str:
        """Bootstrap colour: overdue red, paused grey, three units or fewer amber, otherwise green."""
        if self.paused:
            return "secondary"
        if self.overdue:
            return "danger"
        if self.remaining is not None and self.remaining <= 3:
            return "warning"
        return "success"

    @property
    def text(self) -> str:
        if self.paused:
            left = f"，剩余 {self.remaining} {self.unit_label}" if self.remaining is not None else ""
            return f"已暂停{left}"
        if self.overdue:
            return f"已超期 {self.overdue} {self.unit_label}"
        return f"剩余 {self.remaining} {self.unit_label}"


def _today() -> datetime.date:
    return timezone.localdate()


def clock_of(obj) -> Clock | None:
    """The declared clock the record's stored clock_code refers to (None when no clock runs)."""
    code = getattr(obj, "clock_code", "")
    if not code:
        return None
    workflow = getattr(type(obj), "workflow", None)
    return workflow.clock(code) if workflow is not None else None


def view(obj, *, today: datetime.date | None = None) -> ClockView | None:
    """The clock of `obj` as a page shows it, or None when no clock runs (or the calendar is not covered)."""
    clock = clock_of(obj)
    due = getattr(obj, "clock_due_on", None)
    if clock is None or due is None:
        return None
    today = today or _today()
    paused_on = obj.clock_paused_on
    try:
        remaining = clock.count(paused_on or today, due)
    except deadlines.CalendarNotCovered:
        return None
    return ClockView(
        label=clock.label,
        due_on=due,
        unit_label=clock.unit_label,
        remaining=max(remaining, 0),
        overdue=0 if paused_on or remaining >= 0 else -remaining,
        paused=paused_on is not None,
        paused_since=paused_on,
        paused_days=obj.clock_paused_days,
        citation=clock.citation,
    )


# --- state changes (called by core.workflow inside the transition's UPDATE) -------------------------------------


def on_enter(obj, source, target, *, today: datetime.date | None = None) -> dict:
    """The clock fields that change when `obj` moves from state `source` to state `target` (not yet applied)."""
    today = today or _today()
    running = getattr(obj, "clock_code", "")
    if target.clock is not None:
        clock = target.clock
        if running == clock.code and obj.clock_due_on is not None:
            if obj.clock_paused_on is not None:
                return _resumed(obj, clock, today)
            return {}  # the same clock keeps running across the states that carry it
        if clock.when is not None and not clock.when(obj):
            return _stopped(obj)
        started = (clock.start(obj) if clock.start else None) or today
        return {
            "clock_code": clock.code,
            "clock_started_on": started,
            "clock_due_on": clock.due(started),
            "clock_paused_on": None,
            "clock_paused_days": 0,
        }
    if target.pauses is not None and running == target.pauses.code:
        return {} if obj.clock_paused_on is not None else {"clock_paused_on": today}
    return _stopped(obj)


def _stopped(obj) -> dict:
    # The record's own fields keep the dates that matter to it (e.g. 答复期限); a stopped clock sorts last.
    if not getattr(obj, "clock_code", ""):
        return {}
    return {"clock_code": "", "clock_due_on": None, "clock_paused_on": None}


def _resumed(obj, clock: Clock, today: datetime.date) -> dict:
    # The days from the pause to the resumption (the resumption day included, the pause day not: 民法典第二百零一条
    # counts a period from the day after it starts) are excluded from the period.
    # Moving the due date on by the excluded days leaves exactly what was left when the clock paused.
    excluded = max(clock.count(obj.clock_paused_on, today), 0)
    return {
        "clock_due_on": clock.add(obj.clock_due_on, excluded),
        "clock_paused_on": None,
        "clock_paused_days": obj.clock_paused_days + excluded,
    }


def start_initial(obj) -> None:
    """Start the clock of the workflow's initial state on a new record (ClockedModel.save calls this)."""
    workflow = getattr(type(obj), "workflow", None)
    if workflow is None:
        return
    state = workflow.state(getattr(obj, workflow.field))
    if state is not None and state.clock is not None:
        for name, value in on_enter(obj, None, state).items():
            setattr(obj, name, value)


# --- service calls: pause, resume, extend (the caller's transaction; saved through the audited save) ---------


def _save(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    names = list(fields)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        names.append("updated_at")
    obj.save(update_fields=names)


def pause(obj, *, on: datetime.date | None = None) -> None:
    """Stop the count (a hearing, an appraisal, 中止) until `resume`; the audited save records who and when."""
    from .errors import TransitionNotAllowed

    if clock_of(obj) is None:
        raise TransitionNotAllowed("该事项当前没有计时的法定期限，无需暂停")
    if obj.clock_paused_on is not None:
        raise TransitionNotAllowed(f"期限已于 {obj.clock_paused_on:%Y年%m月%d日} 暂停")
    _save(obj, {"clock_paused_on": on or _today()})


def resume(obj, *, on: datetime.date | None = None) -> None:
    """Count again from `on`; the paused days are excluded and the due date moves by as many."""
    from .errors import TransitionNotAllowed

    clock = clock_of(obj)
    if clock is None or obj.clock_paused_on is None:
        raise TransitionNotAllowed("期限未暂停")
    _save(obj, _resumed(obj, clock, on or _today()))


def extend(obj, *, days: int) -> datetime.date:
    """Add `days` units (the clock's own) to the running clock's due date, e.g. an approved extension."""
    from .errors import TransitionNotAllowed

    clock = clock_of(obj)
    if clock is None or obj.clock_due_on is None:
        raise TransitionNotAllowed("该事项当前没有计时的法定期限，不能延长")
    due = clock.add(obj.clock_due_on, days)
    _save(obj, {"clock_due_on": due})
    return due


# --- lists ------------------------------------------------------------------------------------------------------


def order_by_remaining(queryset, *, descending: bool = False):
    """Running clocks by due date (fewest days left first), then paused clocks, then records with no clock.

    Remaining working days grow with the due date, so sorting by the stored date sorts by days left without
    computing them; a paused clock's days are frozen, so it goes after the running ones.
    """
    state = Case(
        When(clock_due_on__isnull=True, then=Value(2)),
        When(clock_paused_on__isnull=False, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    due = F("clock_due_on").desc(nulls_last=True) if descending else F("clock_due_on").asc(nulls_last=True)
    return queryset.alias(_clock_state=state).order_by("_clock_state", due, "-pk")
