"""Plain data of the weekly schedule engine: what goes in, what comes out.

Time model (docs/decisions.md, "The schedule engine's time model"): a line's calendar is a number
of working **minutes** per date (shifts summed; a day off or a holiday is 0 or absent), so 7.5-hour
shifts and half days stay exact integers. Each line has a *working axis*: its working minutes laid
end to end over the horizon. A step on a line takes one contiguous stretch of that axis, which on
the calendar is a run of blocks over consecutive working days of the line. Material moves to the
next step overnight: a step starts no earlier than the day after its predecessor's last day (the
same day is never shared by two steps of one work order).
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field


def minutes_for(quantity: int, rate_per_hour: float) -> int:
    """The working minutes a quantity takes at a standard rate (rounded up to a whole minute)."""
    return max(1, math.ceil(quantity * 60 / rate_per_hour - 1e-9))


@dataclass(frozen=True)
class Line:
    """A production line or work centre (生产线/机台) of one kind, with its working calendar.

    ``calendar`` maps a date to its working minutes; a date not in it is a day off.
    """

    id: str
    kind: str
    calendar: Mapping[dt.date, int]

    def __post_init__(self) -> None:
        if any(m < 0 for m in self.calendar.values()):
            raise ValueError(f"line {self.id}: negative working minutes in its calendar")

    def minutes_on(self, day: dt.date) -> int:
        return self.calendar.get(day, 0)


@dataclass(frozen=True)
class Step:
    """One step of a work order's routing: on a kind of line at a standard rate, or outsourced
    (外发加工) with a lead time in calendar days and no line."""

    kind: str
    rate_per_hour: float = 0.0
    outsourced_days: int = 0

    def __post_init__(self) -> None:
        if self.outsourced_days < 0:
            raise ValueError("an outsourced step's lead time cannot be negative")
        if not self.outsourced and self.rate_per_hour <= 0:
            raise ValueError(f"step on {self.kind}: the rate must be positive")

    @property
    def outsourced(self) -> bool:
        return self.outsourced_days > 0

    @classmethod
    def outsource(cls, kind: str, days: int) -> Step:
        if days < 1:
            raise ValueError("an outsourced step takes at least one day")
        return cls(kind, outsourced_days=days)


@dataclass(frozen=True)
class WorkOrder:
    """A work order (工单): a quantity through ordered steps, due on a date, startable once its
    material is ready (the start of that day)."""

    id: str
    order_ref: str
    due: dt.date
    material_ready: dt.date
    quantity: int
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"work order {self.id}: the quantity must be positive")
        if not self.steps:
            raise ValueError(f"work order {self.id}: no steps")


@dataclass(frozen=True)
class Horizon:
    start: dt.date
    weeks: int

    def __post_init__(self) -> None:
        if self.weeks <= 0:
            raise ValueError("the horizon must be at least one week")

    @property
    def days(self) -> int:
        return self.weeks * 7

    @property
    def end(self) -> dt.date:
        """The last day of the horizon."""
        return self.start + dt.timedelta(days=self.days - 1)

    def date(self, index: int) -> dt.date:
        return self.start + dt.timedelta(days=index)

    def index(self, day: dt.date) -> int:
        return (day - self.start).days


@dataclass(frozen=True)
class Problem:
    lines: tuple[Line, ...]
    work_orders: tuple[WorkOrder, ...]
    horizon: Horizon

    def __post_init__(self) -> None:
        ids = [line.id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise ValueError("two lines share an id")
        wo_ids = [w.id for w in self.work_orders]
        if len(set(wo_ids)) != len(wo_ids):
            raise ValueError("two work orders share an id")
        kinds = {line.kind for line in self.lines}
        for w in self.work_orders:
            for s in w.steps:
                if not s.outsourced and s.kind not in kinds:
                    raise ValueError(f"work order {w.id}: no line of kind {s.kind}")

    def line(self, line_id: str) -> Line:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise KeyError(line_id)

    def lines_of(self, kind: str) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.kind == kind)

    def work_order(self, work_order_id: str) -> WorkOrder:
        for w in self.work_orders:
            if w.id == work_order_id:
                return w
        raise KeyError(work_order_id)


@dataclass(frozen=True, order=True)
class StepRef:
    work_order: str
    index: int


@dataclass(frozen=True)
class Block:
    """Part of a step on one line and one day."""

    line: str
    date: dt.date
    minutes: int
    quantity: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class StepPlan:
    """Where a step runs: its line (None when outsourced), its first and last day, its blocks
    (empty when outsourced: the supplier's days use no line)."""

    ref: StepRef
    line: str | None
    start: dt.date
    end: dt.date
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class WorkOrderPlan:
    id: str
    order_ref: str
    due: dt.date
    finish: dt.date | None  # None: not planned within the horizon
    tardiness: int  # days late against the due date (0 when on time)

    @property
    def late(self) -> bool:
        return self.tardiness > 0


@dataclass(frozen=True)
class SolverReport:
    status: str
    wall_seconds: float
    deterministic_seconds: float
    lower_bound: int  # proven lower bound on the total tardiness (days)
    improved: bool  # False: the constructive schedule was kept


@dataclass(frozen=True)
class Schedule:
    method: str
    steps: tuple[StepPlan, ...]
    work_orders: tuple[WorkOrderPlan, ...]
    unplanned: tuple[str, ...] = ()  # work orders that do not fit in the horizon
    solver: SolverReport | None = None
    _by_ref: dict[StepRef, StepPlan] = field(
        init=False, default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._by_ref.update({s.ref: s for s in self.steps})

    @property
    def total_tardiness(self) -> int:
        return sum(w.tardiness for w in self.work_orders)

    @property
    def late_orders(self) -> int:
        return sum(1 for w in self.work_orders if w.late)

    def step(self, ref: StepRef) -> StepPlan:
        return self._by_ref[ref]

    def work_order(self, work_order_id: str) -> WorkOrderPlan:
        for w in self.work_orders:
            if w.id == work_order_id:
                return w
        raise KeyError(work_order_id)


def tardiness(finish: dt.date | None, due: dt.date, horizon: Horizon) -> int:
    """Days late; a work order left out of the horizon counts as finishing the day after it."""
    end = finish if finish is not None else horizon.end + dt.timedelta(days=1)
    return max(0, (end - due).days)


def split_quantity(quantity: int, minutes: list[int]) -> list[int]:
    """Share a step's quantity over its blocks in proportion to their minutes (whole units; the
    cumulative share is rounded down, so the last block completes the quantity)."""
    total = sum(minutes)
    shares = []
    done = 0
    run = 0
    for m in minutes:
        run += m
        upto = quantity * run // total
        shares.append(upto - done)
        done = upto
    return shares


class WorkingAxis:
    """A line's working minutes laid end to end over the horizon: ``cum[d]`` is the first working
    minute of day ``d`` (``cum[days]`` the total)."""

    def __init__(self, line: Line, horizon: Horizon) -> None:
        self.line = line
        self.horizon = horizon
        cum = [0]
        for d in range(horizon.days):
            cum.append(cum[-1] + line.minutes_on(horizon.date(d)))
        self.cum = cum

    @property
    def total(self) -> int:
        return self.cum[-1]

    def day_of(self, minute: int) -> int:
        """The day a working minute falls on."""
        return bisect_right(self.cum, minute) - 1

    def blocks(self, start: int, end: int, quantity: int) -> tuple[Block, ...]:
        """The blocks of the stretch [start, end) of the axis."""
        days = []
        minutes = []
        for d in range(self.day_of(start), self.day_of(end - 1) + 1):
            m = min(end, self.cum[d + 1]) - max(start, self.cum[d])
            if m > 0:
                days.append(d)
                minutes.append(m)
        shares = split_quantity(quantity, minutes)
        return tuple(
            Block(self.line.id, self.horizon.date(d), m, q)
            for d, m, q in zip(days, minutes, shares, strict=True)
        )


def work_order_plans(
    problem: Problem, steps: Mapping[StepRef, StepPlan]
) -> tuple[WorkOrderPlan, ...]:
    """Each work order's finish (its last step's last day) and tardiness."""
    plans = []
    for w in problem.work_orders:
        last = steps.get(StepRef(w.id, len(w.steps) - 1))
        finish = last.end if last is not None else None
        plans.append(
            WorkOrderPlan(
                w.id, w.order_ref, w.due, finish, tardiness(finish, w.due, problem.horizon)
            )
        )
    return tuple(plans)
