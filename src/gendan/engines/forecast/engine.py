"""The forecast: list scheduling of every open step on its line's remaining hours, day by day,
at the line's demonstrated rate, in order of delivery date, held by materials and outsourcing.

The model (docs/forecast.md): each line has, per day, its calendar's hours; the orders are taken
earliest delivery first (the number breaking ties), and each open step of each notice line takes
the first free hours of its line from the day it may start: the first step when its material is
in hand, a later step the day after the step before it starts (the floor works in a pipeline),
never finishing before the step before it. A step's hours are what remains / (its standard rate
x the line's demonstrated share of plan over its last ``window`` report days). An outsourced step
follows the step before it and is back on its expected day (or after its lead time). The order
ships ``ship_days`` working days after its last step (balance, inspection, loading).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from gendan.engines.forecast.model import (
    Calendar,
    Forecast,
    Line,
    OrderInput,
    Reason,
    Risk,
    Settings,
    StepForecast,
)

EPS = 1e-9


@dataclass(frozen=True)
class Pace:
    """A line's demonstrated share of its plan, and the slip reason that cost it most."""

    share: float | None  # None: too few reports, the standard rate stands
    cause: str = ""
    days: int = 0


def pace_of(line: Line, today: date, settings: Settings) -> Pace:
    """The share of plan a line made over its last ``window`` report days before ``today``."""
    by_day: dict[date, list[int]] = {}
    shortfall: Counter[str] = Counter()
    for r in line.recent:
        if r.day >= today or r.planned <= 0:
            continue
        cell = by_day.setdefault(r.day, [0, 0])
        cell[0] += r.planned
        cell[1] += r.good
    days = sorted(by_day)[-settings.window :]
    if len(days) < settings.min_reports:
        return Pace(share=None)
    keep = set(days)
    for r in line.recent:
        if r.day in keep and r.reason and r.good < r.planned:
            shortfall[r.reason] += r.planned - r.good
    planned = sum(by_day[d][0] for d in days)
    good = sum(by_day[d][1] for d in days)
    share = min(max(good / planned, 0.1), 1.5)
    if settings.long_window > len(days):
        longer = sorted(by_day)[-settings.long_window :]
        total = sum(by_day[d][0] for d in longer)
        share = min(share, max(sum(by_day[d][1] for d in longer) / total, 0.1))
    cause = shortfall.most_common(1)[0][0] if shortfall else ""
    return Pace(share=share, cause=cause, days=len(days))


@dataclass
class Load:
    """A line's free hours per day from ``today`` (offset 0), extended as far as asked."""

    calendar: Calendar
    today: date
    free: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)  # the calendar's hours
    # working days and holiday closures before each day (prefix sums, so that a long queue
    # costs nothing to count)
    worked_before: list[int] = field(default_factory=lambda: [0])
    closed_before: list[int] = field(default_factory=lambda: [0])
    first_free: int = 0

    def _ensure(self, offset: int) -> None:
        cal = self.calendar
        while len(self.free) <= offset:
            day = self.today + timedelta(days=len(self.free))
            hours = cal.hours_on(day)
            self.free.append(hours)
            self.base.append(hours)
            self.worked_before.append(self.worked_before[-1] + (hours > 0))
            closed = hours <= 0 and day.weekday() not in cal.days_off
            self.closed_before.append(self.closed_before[-1] + closed)

    def book(self, hours: float) -> None:
        """Hours taken before any order given to the engine (the work ahead of one order)."""
        self.take(0, hours)

    def take(self, earliest: int, hours: float) -> tuple[int, int, int]:
        """Take ``hours`` from day ``earliest`` on: (first day, last day, working days the
        line was already full between ``earliest`` and the first day)."""
        earliest = max(earliest, 0)
        self._ensure(self.first_free)
        while self.free[self.first_free] <= EPS:
            self.first_free += 1
            self._ensure(self.first_free)
        i = max(earliest, self.first_free)
        start = -1
        while True:
            self._ensure(i)
            avail = self.free[i]
            if avail > EPS:
                if start < 0:
                    start = i
                used = min(avail, hours)
                self.free[i] = avail - used
                hours -= used
                if hours <= EPS:
                    break
            i += 1
        self._ensure(start)
        full = self.worked_before[start] - self.worked_before[earliest]
        return start, i, full

    def closed_between(self, first: int, last: int) -> int:
        """Days closed by a holiday or an exception (not the weekly days off) in [first, last]."""
        self._ensure(last + 1)
        first = max(first, 0)
        return self.closed_before[last + 1] - self.closed_before[first]


def forecast_orders(
    orders: Iterable[OrderInput],
    lines: Mapping[str, Line],
    *,
    today: date,
    company: Calendar,
    settings: Settings | None = None,
    booked: Mapping[str, float] | None = None,
) -> list[Forecast]:
    """The forecast of each order, as of the morning of ``today``. ``booked``: hours per line
    already taken by work ahead of these orders (when one order is refreshed alone)."""
    settings = settings or Settings()
    paces = {code: pace_of(line, today, settings) for code, line in lines.items()}
    loads = {code: Load(line.calendar, today) for code, line in lines.items()}
    for code, hours in (booked or {}).items():  # standard hours, at the line's pace
        if code in loads and hours > 0:
            loads[code].book(hours / (paces[code].share or 1.0))
    ordered = sorted(orders, key=lambda o: (o.delivery, o.number))
    return [_forecast(o, lines, loads, paces, today, company, settings) for o in ordered]


def _forecast(
    order: OrderInput,
    lines: Mapping[str, Line],
    loads: dict[str, Load],
    paces: dict[str, Pace],
    today: date,
    company: Calendar,
    settings: Settings,
) -> Forecast:
    reasons: dict[tuple[str, str], Reason] = {}
    steps: list[StepForecast] = []
    done = -1  # offset of the last production day (-1: nothing remains)

    def add(reason: Reason, key: str) -> None:
        old = reasons.get((reason.code, key))
        if old is None or old.delay < reason.delay:
            reasons[(reason.code, key)] = reason

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    for chain in order.chains:
        prev_start: int | None = None
        prev_finish: int | None = None
        first_open = True
        for step in chain.steps:
            if step.remaining <= 0:
                continue
            earliest = 0
            if prev_start is not None:
                earliest = prev_start + 1
            if first_open and chain.material_ready is not None and chain.material_ready > today:
                held = (chain.material_ready - today).days
                earliest = max(earliest, held)
                add(
                    Reason(
                        "material",
                        {
                            "material": chain.material,
                            "ready": chain.material_ready,
                            "days": held,
                            "ordered": chain.material_ordered,
                        },
                        delay=company.working_days_between(today, chain.material_ready),
                    ),
                    chain.material or chain.key,
                )
            first_open = False
            if step.outsourced:
                start = max(earliest, prev_finish if prev_finish is not None else 0)
                if step.expected_back is not None:
                    finish = max((step.expected_back - today).days, start)
                else:
                    finish = start + step.lead_days
                add(
                    Reason(
                        "outsourced",
                        {"step": step.name, "back": day(finish)},
                        delay=company.working_days_between(day(start), day(finish)),
                    ),
                    step.name,
                )
            elif step.line in loads and step.rate:
                line = lines[step.line]
                pace = paces[step.line]
                share = pace.share if pace.share is not None else 1.0
                hours = step.remaining / (step.rate * share)
                load = loads[step.line]
                start, finish, full = load.take(earliest, hours)
                per_day = line.calendar.hours or 8.0
                if pace.share is not None and pace.share < settings.slow_below:
                    lost = hours - step.remaining / step.rate
                    add(
                        Reason(
                            "slow_line",
                            {
                                "line": line.name,
                                "share": round(pace.share, 2),
                                "window": pace.days,
                                "cause": pace.cause,
                            },
                            delay=lost / per_day,
                        ),
                        line.code,
                    )
                if full > 0:
                    add(Reason("queue", {"line": line.name, "days": full}, delay=full), line.code)
                closed = load.closed_between(earliest, finish)
                if closed > 0:
                    add(
                        Reason("holiday", {"line": line.name, "days": closed}, delay=closed),
                        line.code,
                    )
                if prev_finish is not None:
                    finish = max(finish, prev_finish)
            else:
                start = finish = max(earliest, prev_finish if prev_finish is not None else 0)
                add(Reason("no_rate", {"step": step.name}), step.key)
            steps.append(StepForecast(step.key, day(start), day(finish)))
            prev_start, prev_finish = start, finish
            done = max(done, finish)
    production_done = day(done) if done >= 0 else today - timedelta(days=1)
    expected = company.add_working_days(production_done, order.ship_days)
    margin = company.working_days_between(expected, order.delivery)
    if today > order.delivery:
        risk = Risk.LATE
        add(Reason("past_due", {}, delay=1e6), "")
    elif margin < 0:
        risk = Risk.LATE
    elif margin < settings.at_risk_margin:
        risk = Risk.AT_RISK
    else:
        risk = Risk.ON_TIME
    ranked = sorted(reasons.values(), key=lambda r: -r.delay)
    return Forecast(
        number=order.number,
        delivery=order.delivery,
        production_done=production_done,
        expected=expected,
        margin=margin,
        risk=risk,
        reasons=tuple(r for r in ranked if r.delay > 0 or r.code == "no_rate"),
        steps=tuple(steps),
    )
