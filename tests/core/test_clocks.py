"""Statutory clocks on workflow states: started on entry, kept across states, paused and resumed with the paused
days excluded, extended, shown as days left / overdue / paused, and sorted by in SQL."""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.template.loader import render_to_string

from smartjustice.core import clocks, workflow
from smartjustice.core.citations import Citation
from smartjustice.core.clocks import Clock
from smartjustice.core.errors import TransitionNotAllowed
from smartjustice.core.rules import CalendarDayPeriod, WorkingDayPeriod
from smartjustice.core.workflow import State, Transition, Workflow
from smartjustice.govinfo import queries
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import TIANHE
from tests.govinfo import factories

D = datetime.date
# 2026: National Day 10-01…10-07 off, Saturday 10-10 an adjusted working day (国务院办公厅通知).
PENALTY_PERIOD = CalendarDayPeriod(
    "test_decision_period",
    "自立案之日起九十日内作出行政处罚决定",
    Citation("中华人民共和国行政处罚法", 60),
    days=90,
    register=False,
)
REVIEW_PERIOD = WorkingDayPeriod(
    "test_review_period", "审查期限", Citation("中华人民共和国行政处罚法", 60), days=10, register=False
)
DECISION_CLOCK = Clock("decision", "处罚决定期限", PENALTY_PERIOD)
REVIEW_CLOCK = Clock("review", "审查期限", REVIEW_PERIOD)


class Case(SimpleNamespace):
    """A stand-in record with the ClockedModel fields, for the arithmetic alone."""

    workflow = Workflow(
        name="case",
        initial="filed",
        states=[
            State("filed", "已立案", clock=DECISION_CLOCK),
            State("investigated", "调查终结", clock=DECISION_CLOCK),
            State("hearing", "听证中", pauses=DECISION_CLOCK),
            State("reviewing", "法制审核", clock=REVIEW_CLOCK),
            State("decided", "已决定", final=True),
        ],
        transitions=[Transition("go", "走", ("filed",), "decided")],
    )

    def __init__(self, **fields):
        blank = dict(
            status="filed", clock_code="", clock_started_on=None, clock_due_on=None, clock_paused_on=None
        )
        super().__init__(**{**blank, "clock_paused_days": 0, **fields})


def _enter(case, target, on):
    changes = clocks.on_enter(case, None, Case.workflow.state(target), today=on)
    for name, value in changes.items():
        setattr(case, name, value)
    case.status = target
    return changes


def test_a_calendar_day_clock_ends_on_the_next_working_day_after_a_holiday():
    # 民法典第二百零三条: 90 days from 2026-07-04 is 2026-10-02, inside National Day, so the last day is 10-08.
    case = Case()
    _enter(case, "filed", D(2026, 7, 4))
    assert (case.clock_code, case.clock_started_on, case.clock_due_on) == (
        "decision",
        D(2026, 7, 4),
        D(2026, 10, 8),
    )


def test_a_working_day_clock_skips_the_holiday_and_counts_the_adjusted_saturday():
    case = Case()
    _enter(case, "reviewing", D(2026, 9, 28))
    # 9-29, 9-30, 10-08, 10-09, 10-10 (Saturday, worked), 10-12 … 10-16 → the tenth working day is 10-16.
    assert case.clock_due_on == D(2026, 10, 16)
    view = clocks.view(case, today=D(2026, 10, 9))
    assert (view.remaining, view.text, view.tone) == (6, "剩余 6 个工作日", "success")
    assert clocks.view(case, today=D(2026, 10, 14)).tone == "warning"
    late = clocks.view(case, today=D(2026, 10, 20))
    assert (late.overdue, late.text, late.tone) == (2, "已超期 2 个工作日", "danger")


def test_a_clock_keeps_running_across_the_states_that_carry_it():
    case = Case()
    _enter(case, "filed", D(2026, 7, 4))
    assert _enter(case, "investigated", D(2026, 8, 1)) == {}
    assert case.clock_due_on == D(2026, 10, 8)


def test_hearing_time_is_excluded_and_the_due_date_moves_by_as_many_days():
    # 行政处罚法第六十条's period pauses for a hearing (听证时间不计入): 10 days paused → due 10 days later.
    case = Case()
    _enter(case, "filed", D(2026, 6, 1))
    assert case.clock_due_on == D(2026, 8, 31)
    _enter(case, "hearing", D(2026, 7, 1))
    paused = clocks.view(case, today=D(2026, 7, 25))
    assert (paused.paused, paused.remaining, paused.overdue, paused.text) == (
        True,
        61,
        0,
        "已暂停，剩余 61 日",
    )
    _enter(case, "investigated", D(2026, 7, 11))
    assert (case.clock_paused_on, case.clock_paused_days) == (None, 10)
    assert case.clock_due_on == D(2026, 9, 10)
    assert clocks.view(case, today=D(2026, 7, 11)).remaining == 61  # what was left when it paused


def test_entering_a_state_without_the_clock_stops_it_and_a_new_clock_starts_afresh():
    case = Case()
    _enter(case, "filed", D(2026, 6, 1))
    _enter(case, "reviewing", D(2026, 9, 28))
    assert (case.clock_code, case.clock_due_on, case.clock_paused_days) == ("review", D(2026, 10, 16), 0)
    _enter(case, "decided", D(2026, 10, 12))
    assert (case.clock_code, case.clock_due_on) == ("", None)
    assert clocks.view(case) is None


@pytest.fixture
def _quiet(settings, tmp_path):
    settings.NOTIFICATION_CHANNELS = []
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@time_machine.travel("2026-09-28 10:00 +0800", tick=False)
def test_the_answer_clock_pauses_and_resumes_across_national_day(_quiet):
    request = factories.accepted(TIANHE)  # received 9-28, due 10-30 (20 working days, 第三十三条第二款)
    assert (request.clock_code, request.clock_due_on) == ("answer", D(2026, 10, 30))
    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        clocks.pause(request)
        assert request.clock.remaining == 18 and request.clock.paused
        with pytest.raises(TransitionNotAllowed):
            clocks.pause(request)
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        clocks.resume(request)
        stored = GovInfoRequest.objects.get(pk=request.pk)
        # Excluded: 10-08, 10-09, 10-10 (worked Saturday) and 10-12 — four working days; 18 are left again.
        assert (stored.clock_paused_on, stored.clock_paused_days) == (None, 4)
        assert stored.clock_due_on == D(2026, 11, 5)
        assert stored.clock.remaining == 18 and not stored.clock.paused
    with pytest.raises(TransitionNotAllowed):
        clocks.resume(request)


@pytest.mark.django_db
@time_machine.travel("2026-09-28 10:00 +0800", tick=False)
def test_an_extension_moves_the_running_clock_and_answering_stops_it(_quiet):
    request = factories.accepted(TIANHE)
    assert clocks.extend(request, days=5) == D(2026, 11, 6)
    from smartjustice.govinfo import services

    services.answer_request(
        request, actor=factories.officer(TIANHE), reply_type="disclosed", reply_text="现予公开"
    )
    stored = GovInfoRequest.objects.get(pk=request.pk)
    assert (stored.clock_code, stored.clock_due_on, stored.clock) == ("", None, None)
    with pytest.raises(TransitionNotAllowed):
        clocks.extend(stored, days=1)


@pytest.mark.django_db
def test_lists_sort_by_days_left_with_paused_and_finished_last(_quiet):
    with time_machine.travel("2026-09-01 10:00 +0800", tick=False):
        oldest = factories.accepted(TIANHE)  # due 9-29
        paused = factories.accepted(TIANHE)
        clocks.pause(paused)
    with time_machine.travel("2026-09-20 10:00 +0800", tick=False):
        newer = factories.accepted(TIANHE)
    with time_machine.travel("2026-09-10 10:00 +0800", tick=False):
        middle = factories.accepted(TIANHE)
        withdrawn = factories.submitted(TIANHE)
        workflow.transition(withdrawn, "withdraw", actor=withdrawn.applicant)
    officer = factories.officer(TIANHE)
    ids = list(queries.list_requests(officer, ordering="remaining_days").values_list("pk", flat=True))
    assert ids == [oldest.pk, middle.pk, newer.pk, paused.pk, withdrawn.pk]
    ids = list(queries.list_requests(officer, ordering="-remaining_days").values_list("pk", flat=True))
    assert ids[:3] == [newer.pk, middle.pk, oldest.pk]


def test_the_partial_shows_days_left_overdue_or_paused_in_colour():
    case = Case()
    _enter(case, "reviewing", D(2026, 9, 28))
    running = render_to_string("partials/clock.html", {"clock": clocks.view(case, today=D(2026, 10, 9))})
    assert "剩余 6 个工作日" in running and "text-bg-success" in running and "2026-10-16" in running
    late = render_to_string("partials/clock.html", {"clock": clocks.view(case, today=D(2026, 10, 20))})
    assert "已超期 2 个工作日" in late and "text-bg-danger" in late
    case.clock_paused_on = D(2026, 10, 9)
    paused = render_to_string("partials/clock.html", {"clock": clocks.view(case, today=D(2026, 10, 20))})
    assert "已暂停" in paused and "text-bg-secondary" in paused
    assert "—" in render_to_string("partials/clock.html", {"clock": None})
