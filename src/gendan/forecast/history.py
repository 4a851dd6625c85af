"""A factory's history with slips, for the backtest: deterministic for a seed, its hidden state
(how fast each line really runs, when a supplier really delivers, how long shipping takes) kept
away from the forecaster, which sees only what the floor reports, the calendar and the dates.

The slip model is written down in docs/benchmarks.md ("Delivery-risk forecast: the history"),
before the forecaster was tuned on it. In short, per working day:
- orders arrive (Poisson, ``orders_per_day``), a quantity (log-normal), two steps (cutting then
  sewing) each on the least loaded line of its kind, a delivery date promised by the planner's
  spreadsheet (remaining / standard rate + the work already queued + a buffer of 0-8 days);
- each line's efficiency: normally N(0.97, 0.04); a slow spell starts with ``slow_prob`` a day
  and lasts a geometric number of days (mean ``slow_days``) at 50-80% (staff shortages or high
  defects); a breakdown (``breakdown_prob``) takes it to 0-30% for 1-3 days; an urgent insertion
  (``urgent_prob``) takes 30-60% of its hours for 1-2 days;
- materials: each order's supplier promises a day 2-6 days after it arrives; with ``late_prob``
  the material comes 2-10 days after the promise (the forecaster sees the promise, then, once it
  has passed, "tomorrow" until it comes);
- each line works its orders earliest delivery first (a step only on what its predecessor made
  by the day before), reports each work order's day (plan = standard rate x the hours given,
  good = what was made, the reason when below plan);
- an order ships 1-4 working days after its last step (balance, inspection, loading).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from gendan.engines.forecast import Calendar, DayReport

KINDS = (("cutting", "开料", 100.0), ("sewing", "缝制", 60.0))


@dataclass(frozen=True)
class Params:
    seed: int = 1
    days: int = 180  # calendar days simulated
    lines_per_kind: int = 6
    orders_per_day: float = 1.6
    median_qty: int = 1500
    slow_prob: float = 0.04
    slow_days: float = 6.0
    breakdown_prob: float = 0.015
    urgent_prob: float = 0.02
    late_prob: float = 0.25
    start: date = date(2026, 1, 5)  # a Monday


@dataclass
class WorkOrder:
    key: str
    order: int
    kind: int  # 0 cutting, 1 sewing
    line: str
    quantity: int
    good: int = 0


@dataclass
class Order:
    number: str
    idx: int
    arrived: date
    delivery: date
    quantity: int
    promised_material: date
    material_arrives: date  # hidden
    ship_lag: int  # hidden, working days
    steps: list[WorkOrder] = field(default_factory=list)
    done: date | None = None
    shipped: date | None = None


@dataclass
class LineState:
    code: str
    name: str
    kind: int
    slow_left: int = 0
    slow_eff: float = 1.0
    slow_reason: str = ""
    down_left: int = 0
    urgent_left: int = 0
    urgent_share: float = 0.0


@dataclass
class History:
    params: Params
    calendar: Calendar
    lines: dict[str, LineState]
    orders: list[Order]
    reports: dict[str, list[tuple[str, DayReport]]]  # line -> (work order, report)
    last_day: date

    def days(self) -> list[date]:
        return [
            self.params.start + timedelta(days=i)
            for i in range((self.last_day - self.params.start).days + 1)
        ]


def holidays(start: date, days: int) -> frozenset[date]:
    """A five-day holiday in the fifth week and two single days later (all known ahead)."""
    out = {start + timedelta(days=28 + i) for i in range(5)}
    out |= {start + timedelta(days=75), start + timedelta(days=130)}
    return frozenset(d for d in out if d < start + timedelta(days=days + 60))


def generate(params: Params) -> History:
    rng = random.Random(params.seed)
    cal = Calendar(hours=8.0, days_off=frozenset({6}), holidays=holidays(params.start, params.days))
    lines = {}
    for k, (_kind, name, _rate) in enumerate(KINDS):
        for n in range(1, params.lines_per_kind + 1):
            code = f"L{k}{n}"
            lines[code] = LineState(code, f"{name}{n}线", k)
    orders: list[Order] = []
    reports: dict[str, list[tuple[str, DayReport]]] = {c: [] for c in lines}
    day = params.start
    end = params.start + timedelta(days=params.days)
    # the simulation runs on after the last arrival until every order has shipped
    while True:
        working = cal.working(day)
        if working and day < end:
            for _ in range(_poisson(rng, params.orders_per_day)):
                orders.append(_arrive(rng, params, cal, day, orders, lines))
        if working:
            _work_day(rng, params, cal, day, orders, lines, reports)
        for o in orders:
            if o.done is None and all(s.good >= s.quantity for s in o.steps):
                o.done = day
                o.shipped = cal.add_working_days(day, o.ship_lag)
        if day >= end and all(o.shipped is not None for o in orders):
            break
        day += timedelta(days=1)
    last = max([day] + [o.shipped for o in orders if o.shipped])
    return History(params, cal, lines, orders, reports, last)


def _poisson(rng: random.Random, lam: float) -> int:
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def _arrive(
    rng: random.Random,
    params: Params,
    cal: Calendar,
    day: date,
    orders: list[Order],
    lines: dict[str, LineState],
) -> Order:
    idx = len(orders)
    qty = int(min(15_000, max(500, rng.lognormvariate(math.log(params.median_qty), 0.6))))
    qty = qty // 100 * 100
    # the planner's spreadsheet: the standard days of this order and of the queue on its lines
    steps = []
    queue_days = 0.0
    for k, (_kind, _name, rate) in enumerate(KINDS):
        load = {c: 0.0 for c, ln in lines.items() if ln.kind == k}
        for o in orders:
            for s in o.steps:
                if s.line in load and s.good < s.quantity:
                    load[s.line] += (s.quantity - s.good) / rate / 8.0
        line = min(load, key=lambda c: (load[c], c))
        queue_days = max(queue_days, load[line])
        steps.append(WorkOrder(f"W{idx}-{k}", idx, k, line, qty))
    own = qty / KINDS[1][2] / 8.0 + 1
    promised = day + timedelta(days=rng.randint(2, 6))
    arrives = promised
    if rng.random() < params.late_prob:
        arrives = promised + timedelta(days=rng.randint(2, 10))
    buffer = rng.randint(0, 8)
    lead = math.ceil(queue_days + own) + 2 + buffer
    delivery = cal.add_working_days(max(day, promised), lead)
    order = Order(
        number=f"SO-{idx:05d}",
        idx=idx,
        arrived=day,
        delivery=delivery,
        quantity=qty,
        promised_material=promised,
        material_arrives=arrives,
        ship_lag=rng.randint(1, 4),
        steps=steps,
    )
    return order


def _efficiency(rng: random.Random, params: Params, line: LineState) -> tuple[float, str]:
    """Today's share of the standard rate, and the reason when it falls short (hidden)."""
    if line.down_left == 0 and rng.random() < params.breakdown_prob:
        line.down_left = rng.randint(1, 3)
    if line.slow_left == 0 and rng.random() < params.slow_prob:
        line.slow_left = 1 + int(rng.expovariate(1 / max(params.slow_days - 1, 0.1)))
        line.slow_eff = rng.uniform(0.5, 0.8)
        line.slow_reason = rng.choice(["staffing", "quality"])
    if line.urgent_left == 0 and rng.random() < params.urgent_prob:
        line.urgent_left = rng.randint(1, 2)
        line.urgent_share = rng.uniform(0.3, 0.6)
    eff = min(1.05, max(0.7, rng.gauss(0.97, 0.04)))
    reason = ""
    if line.slow_left:
        line.slow_left -= 1
        eff, reason = line.slow_eff, line.slow_reason
    if line.down_left:
        line.down_left -= 1
        eff, reason = rng.uniform(0.0, 0.3), "machine"
    if line.urgent_left:
        line.urgent_left -= 1
        eff, reason = eff * (1 - line.urgent_share), "urgent"
    return eff, reason


def _work_day(
    rng: random.Random,
    params: Params,
    cal: Calendar,
    day: date,
    orders: list[Order],
    lines: dict[str, LineState],
    reports: dict[str, list[tuple[str, DayReport]]],
) -> None:
    open_orders = sorted((o for o in orders if o.done is None), key=lambda o: (o.delivery, o.idx))
    made_before = {s.key: s.good for o in open_orders for s in o.steps}
    for code, line in lines.items():
        eff, reason = _efficiency(rng, params, line)
        rate = KINDS[line.kind][2]
        hours = cal.hours_on(day)
        for o in open_orders:
            if hours <= 1e-9:
                break
            step = o.steps[line.kind]
            if step.line != code or step.good >= step.quantity:
                continue
            if o.material_arrives > day:
                continue  # nothing to cut yet (the material is not in)
            cap = step.quantity - step.good
            if line.kind > 0:
                cap = min(cap, made_before[o.steps[line.kind - 1].key] - step.good)
            if cap <= 0:
                continue
            planned_hours = min(hours, cap / rate)
            hours -= planned_hours
            planned = round(planned_hours * rate)
            good = min(cap, round(planned * eff))
            step.good += good
            why = ""
            if good < planned * 0.95:
                why = reason or "upstream"
            reports[code].append((step.key, DayReport(day, planned, good, why)))
