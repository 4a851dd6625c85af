"""CP-SAT improvement of the constructive schedule (OR-Tools), window by window.

One CP-SAT model of the whole horizon does not scale here: tying a step's last day to its line's
working axis is an element constraint, which CP-SAT expands into one literal per day, and a model
of 651 steps spent its whole 20 s in presolve (docs/decisions.md). So the solver improves the
schedule in windows of days (a large-neighbourhood search with CP-SAT as the exact sub-solver):
the steps that lie wholly inside a window are free, everything else stays where it is (its time
on the lines blocked, its dates bounds for the free steps), and CP-SAT reoptimises the free steps
exactly, warm-started from the current schedule. A window's answer is taken only when it lowers
the objective, so the schedule never gets worse than the constructive one.

The window's model is the constructive schedule's time model: on each line of its kind a free
step may take one contiguous stretch [a, a + p) of the line's working axis (an optional interval,
exactly one line chosen, no overlap on a line). Its last day ``e`` is tied to the axis by
``cum[e] < a + p <= cum[e + 1]``; the next step starts no earlier than the first working minute of
the day after ``e`` on its own line; an outsourced step is a run of calendar days on no line.

Objective: total tardiness (days) first, then the number of late work orders,
``(n + 1) * sum(tardiness) + sum(late)``. Each sub-solve runs one worker with a fixed seed and a
deterministic work limit, so a run that ends before its wall-clock ``time_limit`` (every window
tried without improvement, or ``rounds`` done) is the same on a busy machine as on an idle one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from gendan.engines.schedule.constructive import (
    Placement,
    edd_placements,
    schedule_from_placements,
)
from gendan.engines.schedule.model import (
    Problem,
    Schedule,
    SolverReport,
    StepRef,
    WorkingAxis,
    WorkOrder,
    minutes_for,
    tardiness,
)


@dataclass(frozen=True)
class _Context:
    problem: Problem
    axes: dict[str, WorkingAxis]
    by_kind: dict[str, tuple[str, ...]]
    lengths: dict[StepRef, int]
    weight: int
    floors: dict[str, int]  # each work order's least possible tardiness


def _objective(ctx: _Context, placements: dict[StepRef, Placement], orders: list[WorkOrder]) -> int:
    horizon = ctx.problem.horizon
    total = 0
    for w in orders:
        last = placements[StepRef(w.id, len(w.steps) - 1)]
        t = tardiness(horizon.date(last.end_day), w.due, horizon)
        total += ctx.weight * t + (t > 0)
    return total


def _solve_window(
    ctx: _Context,
    placements: dict[StepRef, Placement],
    first: int,
    last: int,
    *,
    seed: int,
    work_limit: float,
    wall_limit: float,
    max_free: int,
) -> tuple[dict[StepRef, Placement] | None, float] | None:
    """Reoptimise the steps lying wholly in days [first, last]: None when there is nothing to
    gain there, else the free steps' new placements (None unless CP-SAT beats the current ones)
    and the deterministic time CP-SAT used."""
    problem = ctx.problem
    horizon = problem.horizon
    inside: dict[str, list[StepRef]] = {}
    for ref, p in placements.items():
        if p.start_day >= first and p.end_day <= last:
            inside.setdefault(ref.work_order, []).append(ref)
    late: list[tuple[int, str]] = []
    others: list[tuple[int, str]] = []
    for w in problem.work_orders:
        refs = inside.get(w.id)
        if not refs:
            continue
        finish = placements[StepRef(w.id, len(w.steps) - 1)].end_day
        slack = horizon.index(w.due) - finish
        if -slack > ctx.floors[w.id] and refs[-1].index == len(w.steps) - 1:
            late.append((slack, w.id))
        else:
            others.append((-slack, w.id))
    if not late:
        return None  # nothing finishes later than it could in the window: nothing to gain
    # the late work orders first (the latest first), then those with the most slack, up to
    # ``max_free`` free steps: the rest of the window stays where it is
    free: set[StepRef] = set()
    for _, wo_id in sorted(late) + sorted(others):
        if len(free) + len(inside[wo_id]) > max_free and free:
            continue
        free.update(inside[wo_id])
    touched = [w for w in problem.work_orders if w.id in inside and inside[w.id][0] in free]
    # only work orders whose last step is free can change their finish
    scored = [w for w in touched if StepRef(w.id, len(w.steps) - 1) in free]

    model = cp_model.CpModel()
    per_line: dict[str, list[cp_model.IntervalVar]] = {}
    # the time of fixed steps on each line inside the window, blocked
    for ref, p in placements.items():
        if ref in free or p.line is None:
            continue
        axis = ctx.axes[p.line]
        lo, hi = max(p.start, axis.cum[first]), min(p.end, axis.cum[last + 1])
        if lo < hi:  # its minutes inside the window
            per_line.setdefault(p.line, []).append(
                model.new_fixed_size_interval_var(lo, hi - lo, "")
            )

    hints: list[tuple[cp_model.IntVar, int]] = []
    chosen: dict[StepRef, list[tuple[str, cp_model.IntVar, cp_model.IntVar]]] = {}
    out_start: dict[StepRef, cp_model.IntVar] = {}
    objective: list[cp_model.LinearExprT] = []
    for w in touched:
        ready = max(0, horizon.index(w.material_ready))
        previous_end: cp_model.LinearExprT | int | None = None  # the predecessor's last day
        for i, step in enumerate(w.steps):
            ref = StepRef(w.id, i)
            p = placements[ref]
            if ref not in free:
                previous_end = p.end_day
                continue
            earliest = max(first, ready if i == 0 else first)
            if isinstance(previous_end, int):
                earliest = max(earliest, previous_end + 1)
            # a fixed successor bounds the last day
            latest = last
            if i + 1 < len(w.steps) and StepRef(w.id, i + 1) not in free:
                latest = min(latest, placements[StepRef(w.id, i + 1)].start_day - 1)
            if step.outsourced:
                start = model.new_int_var(earliest, latest - step.outsourced_days + 1, "")
                if previous_end is not None and not isinstance(previous_end, int):
                    model.add(start >= previous_end + 1)
                hints.append((start, p.start_day))
                out_start[ref] = start
                previous_end = start + step.outsourced_days - 1
                continue
            length = ctx.lengths[ref]
            options = []
            for line_id in ctx.by_kind[step.kind]:
                axis = ctx.axes[line_id]
                days = [d for d in range(earliest, latest + 1) if axis.cum[d + 1] > axis.cum[d]]
                if line_id != p.line and (
                    not days or axis.cum[latest + 1] - axis.cum[earliest] < length
                ):
                    continue
                options.append((line_id, axis, days))
            single = len(options) == 1
            end = model.new_int_var(earliest, latest, "")
            hints.append((end, p.end_day))
            picks = []
            for line_id, axis, days in options:
                present = model.new_constant(1) if single else model.new_bool_var("")
                a = model.new_int_var(axis.cum[earliest], axis.cum[latest + 1] - length, "")
                interval = model.new_optional_fixed_size_interval_var(a, length, present, "")
                per_line.setdefault(line_id, []).append(interval)
                e = model.new_int_var_from_domain(cp_model.Domain.from_values(days), "")
                day_begins = model.new_int_var(axis.cum[earliest], axis.cum[latest + 1], "")
                day_ends = model.new_int_var(axis.cum[earliest], axis.cum[latest + 1], "")
                model.add_element(e - earliest, axis.cum[earliest : latest + 1], day_begins)
                model.add_element(e - earliest, axis.cum[earliest + 1 : latest + 2], day_ends)
                model.add(a + length > day_begins)
                model.add(a + length <= day_ends)
                model.add(end == e).only_enforce_if(present)
                if i == 0:
                    model.add(a >= axis.cum[max(ready, earliest)])
                elif previous_end is not None and not isinstance(previous_end, int):
                    not_before = model.new_int_var(axis.cum[earliest], axis.total, "")
                    model.add_element(previous_end + 1 - earliest, axis.cum[earliest:], not_before)
                    model.add(a >= not_before).only_enforce_if(present)
                mine = line_id == p.line
                if not single:
                    hints.append((present, int(mine)))
                if mine:
                    hints.append((a, p.start))
                    hints.append((e, p.end_day))
                picks.append((line_id, present, a))
            if not single:
                model.add_exactly_one(present for _, present, _ in picks)
            chosen[ref] = picks
            previous_end = end
        if StepRef(w.id, len(w.steps) - 1) in free:
            assert previous_end is not None and not isinstance(previous_end, int)
            due = horizon.index(w.due)
            tardy = model.new_int_var(0, max(0, last - due), "")
            model.add(tardy >= previous_end - due)
            is_late = model.new_bool_var("")
            model.add(tardy == 0).only_enforce_if(~is_late)
            objective.append(ctx.weight * tardy + is_late)
            t = max(0, placements[StepRef(w.id, len(w.steps) - 1)].end_day - due)
            hints.append((tardy, t))
            hints.append((is_late, int(t > 0)))
    for intervals in per_line.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    model.minimize(sum(objective))
    for var, value in hints:
        model.add_hint(var, value)
    current = _objective(ctx, placements, scored)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = work_limit
    solver.parameters.max_time_in_seconds = max(0.01, wall_limit)
    # small models solved many times: the deep presolve costs more than it finds
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value >= current:
        return None, solver.deterministic_time
    better: dict[StepRef, Placement] = {}
    for ref, sent in out_start.items():
        day = solver.value(sent)
        back = day + problem.work_order(ref.work_order).steps[ref.index].outsourced_days - 1
        better[ref] = Placement(None, day, back, day, back)
    for ref, picks in chosen.items():
        for line_id, present, a in picks:
            if solver.value(present):
                axis = ctx.axes[line_id]
                begin = solver.value(a)
                finish = begin + ctx.lengths[ref]
                better[ref] = Placement(
                    line_id, begin, finish, axis.day_of(begin), axis.day_of(finish - 1)
                )
    return better, solver.deterministic_time


def _excess_by_day(
    ctx: _Context, placements: dict[StepRef, Placement], orders: list[WorkOrder]
) -> list[int]:
    """Per day, the tardiness beyond their floors of the work orders finishing that day."""
    horizon = ctx.problem.horizon
    excess = [0] * horizon.days
    for w in orders:
        last = placements[StepRef(w.id, len(w.steps) - 1)].end_day
        late_by = tardiness(horizon.date(last), w.due, horizon)
        excess[last] += max(0, late_by - ctx.floors[w.id])
    return excess


def tardiness_floors(problem: Problem) -> dict[str, int]:
    """Each work order's least possible tardiness: the work order alone in the factory (every
    step on its best line from the first working minute it may start, nothing else planned)."""
    horizon = problem.horizon
    axes = {line.id: WorkingAxis(line, horizon) for line in problem.lines}
    floors = {}
    for w in problem.work_orders:
        ready = max(0, horizon.index(w.material_ready))
        finish: int | None = None
        for step in w.steps:
            if ready >= horizon.days:
                finish = None
                break
            if step.outsourced:
                finish = ready + step.outsourced_days - 1
            else:
                length = minutes_for(w.quantity, step.rate_per_hour)
                ends = [
                    axes[line.id].day_of(axes[line.id].cum[ready] + length - 1)
                    for line in problem.lines_of(step.kind)
                    if axes[line.id].cum[ready] + length <= axes[line.id].total
                ]
                finish = min(ends) if ends else None
            if finish is None:
                break
            ready = finish + 1
        end = horizon.date(finish) if finish is not None and finish < horizon.days else None
        floors[w.id] = tardiness(end, w.due, horizon)
    return floors


def improve(
    problem: Problem,
    *,
    time_limit: float = 5.0,
    seed: int = 0,
    window_days: int = 7,
    max_window_days: int = 28,
    work_per_window: float = 0.05,
    max_free: int = 60,
    rounds: int | None = None,
) -> Schedule:
    """The constructive schedule improved by CP-SAT window by window within ``time_limit``
    seconds (wall clock, the constructive schedule included); never worse than it.

    Windows of ``window_days`` sweep the horizon, those with the most tardiness to save first; when a sweep improves nothing the windows double,
    up to ``max_window_days``. A window frees at most ``max_free`` steps (its late work orders
    first); its CP-SAT gets ``work_per_window`` deterministic seconds.
    ``rounds`` caps the number of sweeps."""
    began = time.perf_counter()
    horizon = problem.horizon
    placements, unplanned = edd_placements(problem)
    placements = dict(placements)
    constructive = schedule_from_placements(problem, placements, unplanned, "edd")
    planned = [w for w in problem.work_orders if w.id not in set(unplanned)]
    ctx = _Context(
        problem,
        {line.id: WorkingAxis(line, horizon) for line in problem.lines},
        {
            kind: tuple(line.id for line in problem.lines_of(kind))
            for kind in {line.kind for line in problem.lines}
        },
        {
            StepRef(w.id, i): minutes_for(w.quantity, s.rate_per_hour)
            for w in planned
            for i, s in enumerate(w.steps)
            if not s.outsourced
        },
        len(problem.work_orders) + 1,
        tardiness_floors(problem),
    )
    work = 0.0
    windows = 0
    improved_windows = 0
    done_rounds = 0
    size = min(window_days, horizon.days)
    status = "rounds done"
    while planned and (rounds is None or done_rounds < rounds):
        # windows of ``size`` days overlapping by half, over the whole horizon
        starts = list(range(0, horizon.days - size + 1, max(1, size // 2)))
        if starts[-1] + size < horizon.days:
            starts.append(horizon.days - size)
        # the windows where most tardiness could be saved first
        gain = _excess_by_day(ctx, placements, planned)
        starts.sort(key=lambda first: (-sum(gain[first : first + size]), first))
        changed = False
        for first in starts:
            left = time_limit - (time.perf_counter() - began)
            if left <= 0:
                break
            answer = _solve_window(
                ctx,
                placements,
                first,
                first + size - 1,
                seed=seed,
                work_limit=work_per_window,
                wall_limit=left,
                max_free=max_free,
            )
            if answer is None:
                continue
            better, used = answer
            windows += 1
            work += used
            if better is not None:
                placements.update(better)
                improved_windows += 1
                changed = True
        done_rounds += 1
        if time.perf_counter() - began >= time_limit:
            status = "time limit"
            break
        if not changed:
            widest = min(max_window_days, horizon.days)
            if size >= widest:
                status = "no window improves"
                break
            size = min(2 * size, widest)  # a local optimum for this size: look wider
    found = schedule_from_placements(problem, placements, unplanned, "cp-sat")
    report = SolverReport(
        status=f"{status}; {windows} windows, {improved_windows} improved",
        wall_seconds=time.perf_counter() - began,
        deterministic_seconds=work,
        lower_bound=min(sum(ctx.floors.values()), constructive.total_tardiness),
        improved=False,
    )
    if (found.total_tardiness, found.late_orders) < (
        constructive.total_tardiness,
        constructive.late_orders,
    ):
        return replace(found, solver=replace(report, improved=True))
    return replace(constructive, solver=report)
