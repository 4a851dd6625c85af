"""The planner's hand move: its effect on the due date, and each refusal with its reason."""

from __future__ import annotations

import pytest

from gendan.engines.schedule import (
    Horizon,
    Line,
    Problem,
    Refusal,
    Step,
    StepRef,
    edd_schedule,
    move,
    validate,
)
from gendan.engines.schedule.tests.factories import MONDAY, day, weekdays, work_order

CUT = Step("cut", 60.0)
SEW = Step("sew", 60.0)


@pytest.fixture
def factory():
    # two cutting lines (C2 off on Wednesday), a sewing line; A: cut then sew, due Wednesday;
    # B fills Thursday on C1
    lines = (
        Line("C1", "cut", weekdays()),
        Line("C2", "cut", weekdays(off=(2,))),
        Line("S", "sew", weekdays()),
    )
    orders = (
        work_order("A", (CUT, SEW), quantity=120, due=2, ready=0),
        work_order("B", (CUT,), quantity=480, due=3, ready=3),
        work_order("P", (CUT, Step.outsource("print", 2), SEW), quantity=60, due=4, ready=0),
    )
    problem = Problem(lines, orders, Horizon(MONDAY, 1))
    return problem, edd_schedule(problem)


def test_a_move_later_reports_the_new_finish_against_the_due_date(factory):
    problem, schedule = factory
    assert schedule.step(StepRef("A", 1)).start == day(1)
    result = move(problem, schedule, StepRef("A", 1), "S", day(3))
    assert result.ok
    assert result.schedule is not None
    assert validate(problem, result.schedule) == []
    moved = result.schedule.step(StepRef("A", 1))
    assert [(b.line, b.date, b.minutes, b.quantity) for b in moved.blocks] == [
        ("S", day(3), 120, 120)
    ]
    (effect,) = result.effects
    assert (effect.work_order, effect.due, effect.finish_before, effect.finish_after) == (
        "A",
        day(2),
        day(1),
        day(3),
    )
    assert (effect.tardiness_before, effect.tardiness_after) == (0, 1)
    # the schedule given is not changed
    assert schedule.step(StepRef("A", 1)).start == day(1)


def test_a_move_to_another_line_of_the_kind_is_taken(factory):
    problem, schedule = factory
    result = move(problem, schedule, StepRef("A", 0), "C2", day(0))
    assert result.ok and result.schedule is not None
    assert result.schedule.step(StepRef("A", 0)).line == "C2"
    assert validate(problem, result.schedule) == []


def test_an_outsourced_step_moves_by_date(factory):
    problem, schedule = factory
    assert schedule.step(StepRef("P", 1)).start == day(1)
    result = move(problem, schedule, StepRef("P", 1), None, day(1))
    assert result.ok
    late = move(problem, schedule, StepRef("P", 1), None, day(2))
    assert late.refusal is Refusal.PRECEDENCE  # back Thursday, sewing already on Thursday
    assert late.details == {"end": day(3), "successor_start": day(3)}


@pytest.mark.parametrize(
    ("ref", "line", "date", "code", "details"),
    [
        (
            StepRef("A", 0),
            "S",
            day(0),
            Refusal.WRONG_LINE_KIND,
            {"line": "S", "line_kind": "sew", "step_kind": "cut"},
        ),
        (StepRef("A", 0), "C2", day(2), Refusal.DAY_OFF, {"line": "C2", "date": day(2)}),
        (
            StepRef("A", 0),
            "C1",
            day(3),
            Refusal.CAPACITY,
            {"line": "C1", "date": day(3), "free_minutes": 0},
        ),
        (
            StepRef("A", 0),
            "C1",
            day(1),
            Refusal.PRECEDENCE,
            {"end": day(1), "successor_start": day(1)},
        ),
        (
            StepRef("A", 1),
            "S",
            day(0),
            Refusal.PRECEDENCE,
            {"predecessor_end": day(0), "date": day(0)},
        ),
        (
            StepRef("B", 0),
            "C2",
            day(1),
            Refusal.MATERIAL,
            {"material_ready": day(3), "date": day(1)},
        ),
        (
            StepRef("A", 0),
            "C1",
            day(9),
            Refusal.OUTSIDE_HORIZON,
            {"date": day(9), "horizon": (day(0), day(6))},
        ),
        (StepRef("A", 0), "X9", day(0), Refusal.UNKNOWN_LINE, {"line": "X9"}),
        (
            StepRef("Z", 0),
            "C1",
            day(0),
            Refusal.UNKNOWN_STEP,
            {"step": "StepRef(work_order='Z', index=0)"},
        ),
        (StepRef("P", 1), "C1", day(1), Refusal.WRONG_LINE_KIND, {"line": "C1", "step": "print"}),
    ],
)
def test_a_move_that_breaks_a_rule_is_refused_with_its_reason(
    factory, ref, line, date, code, details
):
    problem, schedule = factory
    result = move(problem, schedule, ref, line, date)
    assert result.refusal is code
    assert result.details == details
    assert result.message
    assert result.schedule is None
    assert result.effects == ()


def test_a_move_that_does_not_fit_before_the_horizon_ends_is_refused():
    problem = Problem(
        (Line("C1", "cut", weekdays()), Line("C2", "cut", weekdays())),
        (work_order("A", (CUT,), quantity=1200, due=4),),
        Horizon(MONDAY, 1),
    )
    schedule = edd_schedule(problem)
    result = move(problem, schedule, StepRef("A", 0), "C2", day(3))
    assert result.refusal is Refusal.CAPACITY
    assert result.details == {"line": "C2", "date": day(3), "minutes_short": 240}
