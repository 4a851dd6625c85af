"""The planner's hand move: a step's blocks to another day or line.

``move`` takes the step off its line and lays it again from the chosen date on the chosen line,
into that line's free minutes day after day (days off skipped), its quantity shared over the new
blocks as the schedulers do. Nothing else moves: a move that would make the step overlap its
predecessor or successor is refused, not cascaded, so the planner sees each consequence. An
outsourced step moves by date only (``line`` None).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from gendan.engines.schedule.model import (
    Block,
    Problem,
    Schedule,
    StepPlan,
    StepRef,
    WorkOrderPlan,
    minutes_for,
    split_quantity,
    work_order_plans,
)


class Refusal(StrEnum):
    UNKNOWN_STEP = "unknown_step"
    UNKNOWN_LINE = "unknown_line"
    WRONG_LINE_KIND = "wrong_line_kind"
    OUTSIDE_HORIZON = "outside_horizon"
    DAY_OFF = "day_off"
    CAPACITY = "capacity"
    MATERIAL = "material_not_ready"
    PRECEDENCE = "precedence"


@dataclass(frozen=True)
class DueDateEffect:
    work_order: str
    order_ref: str
    due: dt.date
    finish_before: dt.date | None
    finish_after: dt.date | None
    tardiness_before: int
    tardiness_after: int


@dataclass(frozen=True)
class MoveResult:
    """A moved schedule and what it does to the due dates, or a refusal with its reason."""

    schedule: Schedule | None
    effects: tuple[DueDateEffect, ...] = ()
    refusal: Refusal | None = None
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.refusal is None


def _refuse(code: Refusal, message: str, **details: Any) -> MoveResult:
    return MoveResult(None, refusal=code, message=message, details=details)


def move(
    problem: Problem, schedule: Schedule, step_ref: StepRef, line: str | None, date: dt.date
) -> MoveResult:
    """Move a step to start on ``date`` on ``line``; refuse with a reason code if it cannot."""
    horizon = problem.horizon
    try:
        wo = problem.work_order(step_ref.work_order)
        schedule.step(step_ref)
    except KeyError:
        return _refuse(
            Refusal.UNKNOWN_STEP, f"{step_ref} is not in the schedule", step=str(step_ref)
        )
    step = wo.steps[step_ref.index]
    if not horizon.start <= date <= horizon.end:
        return _refuse(
            Refusal.OUTSIDE_HORIZON,
            f"{date} is outside the schedule's horizon",
            date=date,
            horizon=(horizon.start, horizon.end),
        )
    if step.outsourced:
        if line is not None:
            return _refuse(
                Refusal.WRONG_LINE_KIND,
                "an outsourced step uses no line",
                line=line,
                step=step.kind,
            )
    else:
        try:
            target = problem.line(line) if line is not None else None
        except KeyError:
            target = None
        if target is None:
            return _refuse(Refusal.UNKNOWN_LINE, f"no line {line}", line=line)
        if target.kind != step.kind:
            return _refuse(
                Refusal.WRONG_LINE_KIND,
                f"{target.id} is a {target.kind} line; this step needs {step.kind}",
                line=target.id,
                line_kind=target.kind,
                step_kind=step.kind,
            )
        if target.minutes_on(date) == 0:
            return _refuse(
                Refusal.DAY_OFF, f"{target.id} does not work on {date}", line=target.id, date=date
            )
    if step_ref.index == 0 and date < wo.material_ready:
        return _refuse(
            Refusal.MATERIAL,
            f"the material of {wo.id} is ready on {wo.material_ready}",
            material_ready=wo.material_ready,
            date=date,
        )
    if step_ref.index > 0:
        before = schedule.step(StepRef(wo.id, step_ref.index - 1))
        if date <= before.end:
            return _refuse(
                Refusal.PRECEDENCE,
                f"step {step_ref.index - 1} of {wo.id} ends on {before.end}",
                predecessor_end=before.end,
                date=date,
            )

    if step.outsourced:
        end = date + dt.timedelta(days=step.outsourced_days - 1)
        if end > horizon.end:
            return _refuse(
                Refusal.OUTSIDE_HORIZON, f"{wo.id} would be back after the horizon", end=end
            )
        moved = StepPlan(step_ref, None, date, end, ())
    else:
        assert target is not None
        used: dict[dt.date, int] = defaultdict(int)
        for plan in schedule.steps:
            if plan.ref != step_ref:
                for b in plan.blocks:
                    if b.line == target.id:
                        used[b.date] += b.minutes
        if target.minutes_on(date) - used[date] <= 0:
            return _refuse(
                Refusal.CAPACITY,
                f"{target.id} has no free time on {date}",
                line=target.id,
                date=date,
                free_minutes=0,
            )
        left = minutes_for(wo.quantity, step.rate_per_hour)
        days: list[tuple[dt.date, int]] = []
        day = date
        while left > 0 and day <= horizon.end:
            free = target.minutes_on(day) - used[day]
            if free > 0:
                take = min(free, left)
                days.append((day, take))
                left -= take
            day += dt.timedelta(days=1)
        if left > 0:
            return _refuse(
                Refusal.CAPACITY,
                f"{target.id} has not enough free time from {date} to the horizon's end",
                line=target.id,
                date=date,
                minutes_short=left,
            )
        shares = split_quantity(wo.quantity, [m for _, m in days])
        blocks = tuple(Block(target.id, d, m, q) for (d, m), q in zip(days, shares, strict=True))
        moved = StepPlan(step_ref, target.id, blocks[0].date, blocks[-1].date, blocks)

    if step_ref.index + 1 < len(wo.steps):
        after = schedule.step(StepRef(wo.id, step_ref.index + 1))
        if moved.end >= after.start:
            return _refuse(
                Refusal.PRECEDENCE,
                f"it would end on {moved.end}; step {step_ref.index + 1} of {wo.id} starts on"
                f" {after.start}",
                end=moved.end,
                successor_start=after.start,
            )

    steps = {plan.ref: plan for plan in schedule.steps}
    steps[step_ref] = moved
    plans = work_order_plans(problem, steps)
    new = Schedule(
        method=f"{schedule.method}+moved",
        steps=tuple(steps.values()),
        work_orders=plans,
        unplanned=schedule.unplanned,
    )
    was: WorkOrderPlan = schedule.work_order(wo.id)
    now = new.work_order(wo.id)
    effect = DueDateEffect(
        wo.id, wo.order_ref, wo.due, was.finish, now.finish, was.tardiness, now.tardiness
    )
    return MoveResult(new, (effect,))
