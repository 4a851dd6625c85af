"""Hand-made cases: calendars, precedence, material, outsourcing, capacity, the horizon, the
checker's own eye, CP-SAT's improvement and its determinism."""

from __future__ import annotations

import dataclasses

from gendan.engines.schedule import (
    Block,
    Horizon,
    Line,
    Problem,
    Step,
    StepRef,
    edd_schedule,
    improve,
    validate,
)
from gendan.engines.schedule.tests.factories import MONDAY, day, weekdays, work_order

CUT = Step("cut", 60.0)  # 60 units an hour: the default 60 units take one hour
SEW = Step("sew", 60.0)


def problem(lines, orders, weeks=1):
    return Problem(tuple(lines), tuple(orders), Horizon(MONDAY, weeks))


def dates(schedule, ref):
    return [(b.line, b.date, b.minutes, b.quantity) for b in schedule.step(ref).blocks]


def test_a_step_longer_than_a_day_runs_over_consecutive_working_days_skipping_a_holiday():
    # given a line working 8 h a day with Tuesday a holiday, and 12 h of work
    line = Line("L1", "cut", weekdays(off=(1,)))
    p = problem([line], [work_order("A", (CUT,), quantity=720, due=2)])
    # when scheduled
    s = edd_schedule(p)
    # then the step takes Monday's 8 h and Wednesday's 4 h, its quantity shared by the minutes
    assert dates(s, StepRef("A", 0)) == [("L1", day(0), 480, 480), ("L1", day(2), 240, 240)]
    assert s.work_order("A").finish == day(2)
    assert s.work_order("A").tardiness == 0
    assert validate(p, s) == []


def test_a_per_line_exception_sends_the_work_to_the_other_line():
    # given two cutting lines, the first in maintenance on Monday
    p = problem(
        [Line("L1", "cut", weekdays(off=(0,))), Line("L2", "cut", weekdays())],
        [work_order("A", (CUT,), due=0)],
    )
    s = edd_schedule(p)
    assert dates(s, StepRef("A", 0)) == [("L2", day(0), 60, 60)]
    assert s.late_orders == 0


def test_the_next_step_starts_the_day_after_its_predecessor_ends():
    p = problem(
        [Line("C", "cut", weekdays()), Line("S", "sew", weekdays())],
        [work_order("A", (CUT, SEW), due=0)],
    )
    s = edd_schedule(p)
    assert s.step(StepRef("A", 0)).end == day(0)
    assert s.step(StepRef("A", 1)).start == day(1)
    # one day late: the sewing cannot share Monday with the cutting
    assert s.work_order("A").finish == day(1)
    assert s.work_order("A").tardiness == 1
    assert s.total_tardiness == 1
    assert s.late_orders == 1


def test_nothing_starts_before_its_material_is_ready():
    p = problem([Line("C", "cut", weekdays())], [work_order("A", (CUT,), due=1, ready=3)])
    s = edd_schedule(p)
    assert dates(s, StepRef("A", 0)) == [("C", day(3), 60, 60)]
    assert s.work_order("A").tardiness == 2


def test_an_outsourced_step_takes_its_lead_time_in_calendar_days_and_no_line():
    # cutting on Monday, printing at the supplier Tuesday to Thursday, sewing on Friday
    p = problem(
        [Line("C", "cut", weekdays()), Line("S", "sew", weekdays())],
        [work_order("A", (CUT, Step.outsource("print", 3), SEW), due=4)],
    )
    s = edd_schedule(p)
    printing = s.step(StepRef("A", 1))
    assert (printing.line, printing.start, printing.end, printing.blocks) == (
        None,
        day(1),
        day(3),
        (),
    )
    assert s.step(StepRef("A", 2)).start == day(4)
    assert s.work_order("A").tardiness == 0
    assert validate(p, s) == []


def test_the_earliest_due_date_goes_first_when_the_line_is_full():
    line = Line("C", "cut", weekdays())
    p = problem(
        [line],
        [
            work_order("LATER", (CUT,), quantity=480, due=3),
            work_order("SOON", (CUT,), quantity=480, due=0),
        ],
    )
    s = edd_schedule(p)
    assert s.step(StepRef("SOON", 0)).start == day(0)
    assert s.step(StepRef("LATER", 0)).start == day(1)
    assert validate(p, s) == []


def test_a_work_order_that_does_not_fit_in_the_horizon_is_left_out_whole():
    # 50 h of work on a line with 40 h in the week; the second step is never started either
    p = problem(
        [Line("C", "cut", weekdays()), Line("S", "sew", weekdays())],
        [work_order("BIG", (CUT, SEW), quantity=3000, due=2), work_order("OK", (SEW,), due=0)],
    )
    s = edd_schedule(p)
    assert s.unplanned == ("BIG",)
    assert [st.ref for st in s.steps] == [StepRef("OK", 0)]
    # counted as finishing the day after the horizon: Monday of the next week, 5 days after Wednesday
    assert s.work_order("BIG").finish is None
    assert s.work_order("BIG").tardiness == 5
    assert validate(p, s) == []


def test_the_checker_names_each_violation():
    p = problem(
        [Line("C", "cut", weekdays(off=(2,))), Line("S", "sew", weekdays())],
        [
            work_order("A", (CUT, SEW), quantity=60, due=4, ready=1),
            work_order("B", (CUT,), quantity=480),
        ],
    )
    good = edd_schedule(p)
    assert validate(p, good) == []

    def with_step(schedule, ref, **changes):
        steps = tuple(
            dataclasses.replace(st, **changes) if st.ref == ref else st for st in schedule.steps
        )
        return dataclasses.replace(schedule, steps=steps)

    a0, a1 = StepRef("A", 0), StepRef("A", 1)
    # the cutting of A moved onto Monday beside B's full day, before its material, with B
    crowded = with_step(good, a0, start=day(0), end=day(0), blocks=(Block("C", day(0), 60, 60),))
    problems = validate(p, crowded)
    assert "A: starts 2027-01-04 before its material is ready 2027-01-05" in problems
    assert "C on 2027-01-04: 540 min planned, 480 available" in problems
    # on the day off
    off = with_step(good, a0, start=day(2), end=day(2), blocks=(Block("C", day(2), 60, 60),))
    assert "A step 0: on C on 2027-01-06, a day off" in validate(p, off)
    # sewing on the same day as the cutting
    same_day = with_step(
        good,
        a1,
        start=good.step(a0).end,
        end=good.step(a0).end,
        blocks=(Block("S", good.step(a0).end, 60, 60),),
    )
    assert "A step 1: starts 2027-01-05, not after step 0 ends 2027-01-05" in validate(p, same_day)
    # on the wrong kind of line, and short of quantity and minutes
    wrong = with_step(good, a1, blocks=(Block("C", good.step(a1).start, 30, 30),))
    problems = validate(p, wrong)
    assert "A step 1: on C (cut), needs sew" in problems
    assert "A step 1: 30 of 60 planned" in problems
    assert "A step 1: 30 min planned, 60 needed" in problems
    # a finish date that is not the last step's
    lying = dataclasses.replace(
        good,
        work_orders=tuple(
            dataclasses.replace(w, tardiness=0, finish=day(0)) if w.id == "A" else w
            for w in good.work_orders
        ),
    )
    assert "A: reported to finish 2027-01-04, its last step ends 2027-01-06" in validate(p, lying)


def edd_is_beaten():
    # one line, 8 h a day: A (16 h, due Monday) is late whatever happens; EDD puts it first and
    # makes B and C (4 h each, due Tuesday) late too: 1 + 1 + 1 days. B and C first on Monday
    # and A on Tuesday-Wednesday is 2 days in all.
    return problem(
        [Line("C", "cut", weekdays())],
        [
            work_order("A", (CUT,), quantity=960, due=0),
            work_order("B", (CUT,), quantity=240, due=1),
            work_order("C", (CUT,), quantity=240, due=1),
        ],
    )


def test_cpsat_beats_the_constructive_schedule_where_edd_is_short_sighted():
    p = edd_is_beaten()
    edd = edd_schedule(p)
    assert (edd.total_tardiness, edd.late_orders) == (3, 3)
    best = improve(p, time_limit=20, seed=1)
    assert validate(p, best) == []
    assert (best.total_tardiness, best.late_orders) == (2, 1)
    assert best.method == "cp-sat"
    assert best.solver is not None and best.solver.improved
    # A alone finishes Tuesday: the proven bound is 1 day
    assert best.solver.lower_bound == 1


def test_cpsat_keeps_the_constructive_schedule_when_it_cannot_beat_it():
    p = problem([Line("C", "cut", weekdays())], [work_order("A", (CUT,), due=4)])
    best = improve(p, time_limit=5)
    assert best.method == "edd"
    assert best.solver is not None and not best.solver.improved
    assert best.total_tardiness == 0


def test_cpsat_is_deterministic_for_a_seed():
    lines = [Line(f"C{i}", "cut", weekdays(2)) for i in range(2)] + [Line("S", "sew", weekdays(2))]
    orders = [
        work_order(f"W{n}", (CUT, SEW) if n % 2 else (CUT,), quantity=120 + 97 * n % 500, due=n % 6)
        for n in range(14)
    ]
    p = problem(lines, orders, weeks=2)
    runs = [improve(p, time_limit=60, seed=7, rounds=3) for _ in range(2)]
    assert runs[0].steps == runs[1].steps
    assert runs[0].solver is not None and runs[0].solver.improved  # CP-SAT did move things
    assert validate(p, runs[0]) == []
    assert runs[0].total_tardiness <= edd_schedule(p).total_tardiness
