"""An independent check of a schedule against its problem.

It reads only the problem and the schedule's blocks and dates, and recomputes everything itself
(the minutes a quantity takes, each line's use per day, finish dates and tardiness): it shares no
code with the schedulers, so a mistake in their time model shows here instead of agreeing with
itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from gendan.engines.schedule.model import Problem, Schedule, StepPlan, StepRef


def validate(problem: Problem, schedule: Schedule) -> list[str]:
    """Every violation of the schedule, in words; empty when it is valid."""
    problems: list[str] = []
    say = problems.append
    lines = {line.id: line for line in problem.lines}
    first = problem.horizon.start
    last = first + dt.timedelta(days=7 * problem.horizon.weeks - 1)
    plans: dict[StepRef, StepPlan] = {}
    for plan in schedule.steps:
        if plan.ref in plans:
            say(f"{plan.ref}: planned twice")
        plans[plan.ref] = plan
    used: dict[tuple[str, dt.date], int] = defaultdict(int)
    unplanned = set(schedule.unplanned)
    known = {w.id for w in problem.work_orders}
    for ref in plans:
        if ref.work_order not in known:
            say(f"{ref}: no such work order")
    for wo_id in unplanned - known:
        say(f"unplanned {wo_id}: no such work order")

    finishes: dict[str, dt.date | None] = {}
    for w in problem.work_orders:
        if w.id in unplanned:
            for i in range(len(w.steps)):
                if StepRef(w.id, i) in plans:
                    say(f"{w.id}: listed as unplanned but step {i} is planned")
            finishes[w.id] = None
            continue
        previous_last: dt.date | None = None
        for i, step in enumerate(w.steps):
            ref = StepRef(w.id, i)
            found = plans.get(ref)
            if found is None:
                say(f"{w.id} step {i}: not planned")
                previous_last = None
                break
            plan = found
            if plan.start < first or plan.end > last:
                say(f"{w.id} step {i}: outside the horizon ({plan.start}..{plan.end})")
            if plan.start > plan.end:
                say(f"{w.id} step {i}: starts {plan.start} after it ends {plan.end}")
            if i == 0 and plan.start < w.material_ready:
                say(f"{w.id}: starts {plan.start} before its material is ready {w.material_ready}")
            if previous_last is not None and plan.start <= previous_last:
                say(
                    f"{w.id} step {i}: starts {plan.start}, not after step {i - 1} ends"
                    f" {previous_last}"
                )
            if step.outsourced:
                if plan.line is not None or plan.blocks:
                    say(f"{w.id} step {i}: outsourced but on line {plan.line}")
                if (plan.end - plan.start).days + 1 != step.outsourced_days:
                    say(
                        f"{w.id} step {i}: outsourced for {step.outsourced_days} days, planned"
                        f" {plan.start}..{plan.end}"
                    )
            else:
                if not plan.blocks:
                    say(f"{w.id} step {i}: no blocks")
                minutes = 0
                quantity = 0
                for block in plan.blocks:
                    line = lines.get(block.line)
                    if line is None:
                        say(f"{w.id} step {i}: no line {block.line}")
                        continue
                    if line.kind != step.kind:
                        say(f"{w.id} step {i}: on {line.id} ({line.kind}), needs {step.kind}")
                    if block.minutes <= 0 or block.quantity < 0:
                        say(f"{w.id} step {i}: block on {block.date} of {block.minutes} min")
                    if line.calendar.get(block.date, 0) == 0:
                        say(f"{w.id} step {i}: on {line.id} on {block.date}, a day off")
                    if not plan.start <= block.date <= plan.end:
                        say(f"{w.id} step {i}: block on {block.date} outside its dates")
                    used[(block.line, block.date)] += block.minutes
                    minutes += block.minutes
                    quantity += block.quantity
                if plan.blocks:
                    dates = [b.date for b in plan.blocks]
                    if min(dates) != plan.start or max(dates) != plan.end:
                        say(f"{w.id} step {i}: its dates are not its blocks' dates")
                if quantity != w.quantity:
                    say(f"{w.id} step {i}: {quantity} of {w.quantity} planned")
                needed = math.ceil(w.quantity * 60 / step.rate_per_hour - 1e-9)
                if minutes < needed:
                    say(f"{w.id} step {i}: {minutes} min planned, {needed} needed")
            previous_last = plan.end
        finishes[w.id] = previous_last

    for (line_id, day), minutes in sorted(used.items()):
        capacity = lines[line_id].calendar.get(day, 0)
        if minutes > capacity:
            say(f"{line_id} on {day}: {minutes} min planned, {capacity} available")

    reported = {w.id: w for w in schedule.work_orders}
    for w in problem.work_orders:
        r = reported.get(w.id)
        if r is None:
            say(f"{w.id}: no finish date reported")
            continue
        finish = finishes.get(w.id)
        if r.finish != finish:
            say(f"{w.id}: reported to finish {r.finish}, its last step ends {finish}")
        counted = finish if finish is not None else last + dt.timedelta(days=1)
        late_by = max(0, (counted - w.due).days)
        if r.tardiness != late_by:
            say(f"{w.id}: reported {r.tardiness} days late, is {late_by}")
    return problems
