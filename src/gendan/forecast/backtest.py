"""The backtest: replay a history (``history.generate``) day by day; each morning forecast every
open order with only what was known that morning (the reports up to the day before, the
calendar, the promised material dates, the delivery dates, the shipping spans of the orders
already shipped) and score the warning "will be late" against what happened, beside the two
baselines a user has today:

- ``passed``: late once the delivery date has passed and the order has not shipped (the peers);
- ``forecast``: the engine says "late" (a negative margin); ``warning``: it says "at risk" or
  "late", the warning the app sends to the salesperson;
- ``spreadsheet``: finish = today + what remains of the order / the standard rate of its
  slowest step, + 2 working days to ship (the planner's spreadsheet).

Scores (docs/benchmarks.md): precision and recall of the warning standing 7 and 14 days before
the delivery date; the mean lead time of the first correct warning (days before the delivery
date; negative: after it); false alarms per week (warnings raised on orders that shipped on
time, counted once per change from "not late" to "late").
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from gendan.engines.forecast import (
    Chain,
    Line,
    OrderInput,
    Risk,
    Settings,
    Step,
    forecast_orders,
)
from gendan.forecast.history import KINDS, History, Order, Params, generate

WARMUP = 28  # days of history before the first scored delivery date's window opens
PREDICTORS = ("forecast", "warning", "spreadsheet", "passed")
WARN_MARGIN = 0  # the forecast warns "will be late" under this margin (working days)


@dataclass(frozen=True)
class Score:
    predictor: str
    precision_7: float | None
    recall_7: float
    precision_14: float | None
    recall_14: float
    lead_days: float | None
    false_alarms_week: float
    late: int
    orders: int


def _learnt_ship_days(h: History, today: date) -> int:
    spans = [
        h.calendar.working_days_between(o.done, o.shipped)
        for o in h.orders
        if o.shipped is not None and o.done is not None and o.shipped < today
    ]
    return round(statistics.median(spans)) if len(spans) >= 5 else 2


def _observed_material(o: Order, today: date, delays: list[int] | None = None) -> date | None:
    """The day the forecaster expects the material: the supplier's promise (once passed,
    "tomorrow"); with ``delays`` (what past promises were late by, from the receipts) the
    promise plus the mean delay of the promises as late as this one already is."""
    if o.material_arrives <= today:
        return None
    late_by = max(0, (today - o.promised_material).days)
    if delays:
        worse = [d for d in delays if d >= late_by]
        extra = round(statistics.mean(worse)) if worse else late_by + 1
        return max(today + timedelta(days=1), o.promised_material + timedelta(days=extra))
    if o.promised_material >= today:
        return o.promised_material
    return today + timedelta(days=1)  # the promise passed: "tomorrow", says the supplier


def replay(
    h: History,
    settings: Settings | None = None,
    *,
    warn_margin: int = WARN_MARGIN,
    learn_material: bool = False,
) -> dict[str, dict[str, list[date]]]:
    """Per predictor, per order number, the mornings it said "late" (the forecast: a margin
    under ``warn_margin`` working days)."""
    settings = settings or Settings()
    said: dict[str, dict[str, list[date]]] = {p: defaultdict(list) for p in PREDICTORS}
    good_by_day: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for reports in h.reports.values():
        for key, r in reports:
            good_by_day[key].append((r.day, r.good))
    line_days = {code: [r.day for _k, r in reports] for code, reports in h.reports.items()}
    slowest = min(rate for _k, _n, rate in KINDS)
    for today in h.days():
        if not h.calendar.working(today):
            continue
        ship_days = _learnt_ship_days(h, today)
        delays = (
            [
                (o.material_arrives - o.promised_material).days
                for o in h.orders
                if o.material_arrives < today
            ]
            if learn_material
            else None
        )
        lines = {
            code: Line(
                code,
                state.name,
                h.calendar,
                tuple(
                    r
                    for _k, r in h.reports[code][
                        bisect_left(line_days[code], today - timedelta(days=21)) : bisect_left(
                            line_days[code], today
                        )
                    ]
                ),
            )
            for code, state in h.lines.items()
        }
        inputs = []
        for o in h.orders:
            if o.arrived >= today or (o.shipped is not None and o.shipped < today):
                continue
            good = {s.key: sum(g for d, g in good_by_day[s.key] if d < today) for s in o.steps}
            remaining = {s.key: s.quantity - good[s.key] for s in o.steps}
            if today > o.delivery:
                said["passed"][o.number].append(today)
            left = remaining[o.steps[-1].key]
            if left > 0:
                days = math.ceil(left / slowest / 8.0)
                finish = h.calendar.add_working_days(today - timedelta(days=1), days)
                if h.calendar.add_working_days(finish, 2) > o.delivery:
                    said["spreadsheet"][o.number].append(today)
            elif today > o.delivery:
                said["spreadsheet"][o.number].append(today)
            if all(v <= 0 for v in remaining.values()):
                done = max(d for s in o.steps for d, _g in good_by_day[s.key] if d < today)
                expected = h.calendar.add_working_days(done, ship_days)
                margin = h.calendar.working_days_between(expected, o.delivery)
                if margin < warn_margin:
                    said["forecast"][o.number].append(today)
                if margin < settings.at_risk_margin:
                    said["warning"][o.number].append(today)
                continue
            steps = tuple(
                Step(
                    key=s.key,
                    name=KINDS[s.kind][1],
                    remaining=remaining[s.key],
                    line=s.line,
                    rate=KINDS[s.kind][2],
                    started=good[s.key] > 0,
                )
                for s in o.steps
            )
            inputs.append(
                OrderInput(
                    o.number,
                    o.delivery,
                    (Chain(o.number, steps, material_ready=_observed_material(o, today, delays)),),
                    ship_days=ship_days,
                )
            )
        for f in forecast_orders(inputs, lines, today=today, company=h.calendar, settings=settings):
            if f.risk == Risk.LATE or f.margin < warn_margin:
                said["forecast"][f.number].append(today)
            if f.risk != Risk.ON_TIME:  # the warning the app sends: at risk or late
                said["warning"][f.number].append(today)
    return said


def _on_or_before(h: History, day: date) -> date:
    while not h.calendar.working(day):
        day -= timedelta(days=1)
    return day


def score(h: History, said: dict[str, dict[str, list[date]]]) -> list[Score]:
    first_scored = h.params.start + timedelta(days=WARMUP + 14)
    last_scored = h.params.start + timedelta(days=h.params.days)
    scored = [o for o in h.orders if first_scored <= o.delivery <= last_scored]
    late = {o.number for o in scored if o.shipped is not None and o.shipped > o.delivery}
    weeks = max((last_scored - first_scored).days / 7, 1)
    out = []
    for p in PREDICTORS:
        row: dict[str, float | None] = {}
        for k in (7, 14):
            warned = set()
            for o in scored:
                day = _on_or_before(h, o.delivery - timedelta(days=k))
                if day in set(said[p].get(o.number, ())):
                    warned.add(o.number)
            tp = len(warned & late)
            row[f"precision_{k}"] = tp / len(warned) if warned else None
            row[f"recall_{k}"] = tp / len(late) if late else 1.0
        leads = [
            (o.delivery - min(said[p][o.number])).days
            for o in scored
            if o.number in late and said[p].get(o.number)
        ]
        alarms = 0
        for o in scored:
            if o.number in late:
                continue
            days = sorted(said[p].get(o.number, ()))
            alarms += sum(
                1
                for i, d in enumerate(days)
                if i == 0 or (d - days[i - 1]).days > 3  # a new warning after a pause
            )
        out.append(
            Score(
                predictor=p,
                precision_7=row["precision_7"],
                recall_7=row["recall_7"] or 0.0,
                precision_14=row["precision_14"],
                recall_14=row["recall_14"] or 0.0,
                lead_days=statistics.mean(leads) if leads else None,
                false_alarms_week=alarms / weeks,
                late=len(late),
                orders=len(scored),
            )
        )
    return out


def run(
    params: Params,
    settings: Settings | None = None,
    *,
    warn_margin: int = WARN_MARGIN,
    learn_material: bool = False,
) -> list[Score]:
    history = generate(params)
    said = replay(history, settings, warn_margin=warn_margin, learn_material=learn_material)
    return score(history, said)


def table(scores: list[Score]) -> str:
    def f(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.2f}"

    rows = [
        "| predictor | P@7 | R@7 | P@14 | R@14 | mean lead (days) | false alarms/week |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        rows.append(
            f"| {s.predictor} | {f(s.precision_7)} | {f(s.recall_7)} | {f(s.precision_14)} | "
            f"{f(s.recall_14)} | {f(s.lead_days)} | {s.false_alarms_week:.2f} |"
        )
    return "\n".join(rows)
