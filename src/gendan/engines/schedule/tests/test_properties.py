"""Random factories: every constructive and CP-SAT schedule passes the independent checker,
CP-SAT is never worse than the constructive schedule, and a hand move is either refused with its
reason or gives a schedule the checker accepts."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.engines.schedule import edd_schedule, improve, move, validate
from gendan.engines.schedule.tests.factories import problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(problems(), problems(busy=True)))
def test_every_constructive_schedule_is_valid(problem):
    schedule = edd_schedule(problem)
    assert validate(problem, schedule) == []
    planned = {s.ref.work_order for s in schedule.steps}
    assert planned | set(schedule.unplanned) == {w.id for w in problem.work_orders}
    assert planned.isdisjoint(schedule.unplanned)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(busy=True))
def test_every_cpsat_schedule_is_valid_and_never_worse(problem):
    edd = edd_schedule(problem)
    best = improve(problem, time_limit=5, rounds=2, work_per_window=0.05, window_days=4)
    assert validate(problem, best) == []
    assert (best.total_tardiness, best.late_orders) <= (edd.total_tardiness, edd.late_orders)
    assert best.unplanned == edd.unplanned
    assert best.solver is not None
    assert best.solver.lower_bound <= best.total_tardiness


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(problems(), problems(busy=True)), st.data())
def test_a_hand_move_is_refused_with_a_reason_or_gives_a_valid_schedule(problem, data):
    schedule = edd_schedule(problem)
    if not schedule.steps:
        return
    plan = data.draw(st.sampled_from(schedule.steps))
    line = None if plan.line is None else data.draw(st.sampled_from([x.id for x in problem.lines]))
    date = problem.horizon.start + timedelta(days=data.draw(st.integers(-1, problem.horizon.days)))
    result = move(problem, schedule, plan.ref, line, date)
    if result.ok:
        assert result.schedule is not None
        assert validate(problem, result.schedule) == []
        moved = result.schedule.step(plan.ref)
        assert (moved.line, moved.start) == (line, date)
        (effect,) = result.effects
        assert effect.finish_after == result.schedule.work_order(plan.ref.work_order).finish
    else:
        assert result.schedule is None
        assert result.refusal is not None and result.message
