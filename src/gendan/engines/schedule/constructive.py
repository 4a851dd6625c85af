"""The constructive schedule: earliest due date first, list scheduling on the lines' working axes.

Work orders are taken by due date (then material-ready date, then id); each step in turn goes to
the line of its kind where it finishes earliest, into the first free stretch of that line's
working axis long enough for it, starting no earlier than the day after its predecessor's last day
(or the material-ready day for the first step). A work order whose steps do not all fit in the
horizon is left out whole (its capacity given back) and listed as unplanned.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from gendan.engines.schedule.model import (
    Problem,
    Schedule,
    StepPlan,
    StepRef,
    WorkingAxis,
    minutes_for,
    work_order_plans,
)


class FreeStretches:
    """The free stretches of one line's working axis, as sorted, disjoint [start, end) pairs."""

    def __init__(self, total: int) -> None:
        self.starts: list[int] = [0] if total > 0 else []
        self.ends: list[int] = [total] if total > 0 else []

    def earliest(self, not_before: int, length: int) -> int | None:
        """The earliest start >= not_before of a free stretch of ``length`` minutes."""
        i = max(0, bisect_right(self.starts, not_before) - 1)
        starts, ends = self.starts, self.ends
        for k in range(i, len(starts)):
            begin = max(starts[k], not_before)
            if ends[k] - begin >= length:
                return begin
        return None

    def take(self, start: int, end: int) -> None:
        k = bisect_right(self.starts, start) - 1
        s, e = self.starts[k], self.ends[k]
        assert s <= start and end <= e, "taking time that is not free"
        pieces = [(a, b) for a, b in ((s, start), (end, e)) if b > a]
        self.starts[k : k + 1] = [a for a, _ in pieces]
        self.ends[k : k + 1] = [b for _, b in pieces]

    def give_back(self, start: int, end: int) -> None:
        k = bisect_right(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        # merge with neighbours
        if k + 1 < len(self.starts) and self.ends[k] == self.starts[k + 1]:
            self.ends[k] = self.ends.pop(k + 1)
            self.starts.pop(k + 1)
        if k > 0 and self.ends[k - 1] == self.starts[k]:
            self.ends[k - 1] = self.ends.pop(k)
            self.starts.pop(k)


@dataclass(frozen=True)
class Placement:
    """Where the constructive schedule put a step: on the working axis of a line (start, end
    minutes), or, outsourced, on days (start, end day indexes, line None)."""

    line: str | None
    start: int
    end: int
    start_day: int
    end_day: int


def edd_placements(problem: Problem) -> tuple[dict[StepRef, Placement], list[str]]:
    """The constructive placement of every step, and the work orders left out."""
    horizon = problem.horizon
    axes = {line.id: WorkingAxis(line, horizon) for line in problem.lines}
    free = {line_id: FreeStretches(axis.total) for line_id, axis in axes.items()}
    by_kind = {kind: problem.lines_of(kind) for kind in {line.kind for line in problem.lines}}
    placements: dict[StepRef, Placement] = {}
    unplanned: list[str] = []
    order = sorted(problem.work_orders, key=lambda w: (w.due, w.material_ready, w.id))
    for w in order:
        ready = max(0, horizon.index(w.material_ready))
        placed: list[tuple[StepRef, Placement]] = []
        for i, step in enumerate(w.steps):
            ref = StepRef(w.id, i)
            if step.outsourced:
                end_day = ready + step.outsourced_days - 1
                if end_day >= horizon.days:
                    break
                placed.append((ref, Placement(None, ready, end_day, ready, end_day)))
                ready = end_day + 1
                continue
            if ready >= horizon.days:
                break
            length = minutes_for(w.quantity, step.rate_per_hour)
            best: tuple[int, int, str, int] | None = None
            for line in by_kind[step.kind]:
                axis = axes[line.id]
                start = free[line.id].earliest(axis.cum[ready], length)
                if start is None:
                    continue
                end_day = axis.day_of(start + length - 1)
                candidate = (end_day, axis.day_of(start), line.id, start)
                if best is None or candidate < best:
                    best = candidate
            if best is None:
                break
            end_day, start_day, line_id, start = best
            free[line_id].take(start, start + length)
            placed.append((ref, Placement(line_id, start, start + length, start_day, end_day)))
            ready = end_day + 1
        if len(placed) == len(w.steps):
            placements.update(placed)
        else:
            for _, p in placed:
                if p.line is not None:
                    free[p.line].give_back(p.start, p.end)
            unplanned.append(w.id)
    return placements, unplanned


def schedule_from_placements(
    problem: Problem,
    placements: dict[StepRef, Placement],
    unplanned: list[str],
    method: str,
) -> Schedule:
    horizon = problem.horizon
    axes = {line.id: WorkingAxis(line, horizon) for line in problem.lines}
    steps: dict[StepRef, StepPlan] = {}
    for w in problem.work_orders:
        for i in range(len(w.steps)):
            ref = StepRef(w.id, i)
            p = placements.get(ref)
            if p is None:
                continue
            if p.line is None:
                steps[ref] = StepPlan(
                    ref, None, horizon.date(p.start_day), horizon.date(p.end_day), ()
                )
            else:
                blocks = axes[p.line].blocks(p.start, p.end, w.quantity)
                steps[ref] = StepPlan(ref, p.line, blocks[0].date, blocks[-1].date, blocks)
    return Schedule(
        method=method,
        steps=tuple(steps.values()),
        work_orders=work_order_plans(problem, steps),
        unplanned=tuple(sorted(unplanned)),
    )


def edd_schedule(problem: Problem) -> Schedule:
    """The constructive schedule (earliest due date first, list scheduling)."""
    placements, unplanned = edd_placements(problem)
    return schedule_from_placements(problem, placements, unplanned, "edd")
