#!/usr/bin/env python3
"""The weekly schedule benchmark (issue 13): seeded factories, the constructive schedule and CP-SAT.

Two factories over 8 weeks: 10 lines x 200 open work orders and 30 lines x 2,000. Lines of the
two industries (baby care: cutting, sewing, filling, packing; furniture: cutting, edge banding,
assembly, packing), two 8-hour shifts on weekdays, some lines on Saturdays, a company holiday
and per-line maintenance days; work orders of 2-4 steps (some outsourced), due dates spread over
the horizon, material dates over the first weeks, some due before they can possibly be made.
For each factory: the constructive schedule's total tardiness, late orders and time; CP-SAT
warm-started from it at each time limit: tardiness, late orders, solve time and the lower bound
it proves. Every schedule is checked by ``validate``.

    PYTHONPATH=src python bench/schedule_bench.py                       # 5, 30 and 60 s
    PYTHONPATH=src python bench/schedule_bench.py --limits 5,30 --json var/schedule-bench.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from gendan.engines.schedule import (  # noqa: E402
    Horizon,
    Line,
    Problem,
    Step,
    WorkOrder,
    edd_schedule,
    improve,
    validate,
)

START = dt.date(2027, 1, 4)  # a Monday
WEEKS = 8
ROUTINGS = {
    # product family: (line kind, units per hour) per step; ("outsourced", days) is 外发加工
    "wipes": [("cutting", 900), ("filling", 600), ("packing", 800)],
    "diapers": [("cutting", 700), ("sewing", 300), ("packing", 500)],
    "bibs": [("cutting", 500), ("sewing", 120), ("printing@out", 4), ("packing", 400)],
    "lotion": [("filling", 450), ("packing", 600)],
    "cabinet": [("panel_cutting", 60), ("edge_banding", 45), ("assembly", 20), ("packing", 90)],
    "table": [("panel_cutting", 80), ("assembly", 30), ("packing", 120)],
    "chair": [("panel_cutting", 100), ("plating@out", 5), ("assembly", 40), ("packing", 150)],
}
KINDS = [
    "cutting",
    "sewing",
    "filling",
    "packing",
    "panel_cutting",
    "edge_banding",
    "assembly",
]


def factory(n_lines: int, n_orders: int, seed: int, load: float = 0.9) -> Problem:
    """A seeded factory with its lines' calendars and open work orders."""
    rng = random.Random(seed)
    horizon = Horizon(START, WEEKS)
    holiday = {START + dt.timedelta(days=d) for d in (24, 25)}  # a two-day company holiday
    kinds = [KINDS[i % len(KINDS)] for i in range(n_lines)]
    lines = []
    for i, kind in enumerate(kinds):
        calendar = {}
        saturdays = rng.random() < 0.3
        maintenance = {START + dt.timedelta(days=rng.randrange(horizon.days)) for _ in range(2)}
        for d in range(horizon.days):
            day = START + dt.timedelta(days=d)
            if day in holiday or day in maintenance:
                continue
            if day.weekday() < 5:
                calendar[day] = 2 * 480
            elif day.weekday() == 5 and saturdays:
                calendar[day] = 480
        lines.append(Line(f"L{i + 1:02d}-{kind}", kind, calendar))
    capacity = {k: 0 for k in kinds}
    for line in lines:
        capacity[line.kind] += sum(line.calendar.values())
    families = list(ROUTINGS)
    drafts = []
    demand = {k: 0.0 for k in kinds}
    for n in range(n_orders):
        family = rng.choice(families)
        quantity = rng.choice([200, 300, 500, 800, 1000, 1500, 2000, 3000])
        ready = START + dt.timedelta(days=rng.choice([0] * 6 + list(range(1, 21))))
        if rng.random() < 0.06:  # promised too soon: late whatever the plan
            due = ready + dt.timedelta(days=rng.randrange(0, 3))
        else:  # promised a few days to a few weeks after the material arrives
            due = min(ready + dt.timedelta(days=rng.randrange(6, 36)), horizon.end)
        drafts.append((n, family, quantity, ready, due))
        for kind, value in ROUTINGS[family]:
            if not kind.endswith("@out"):
                demand[kind] += quantity * 60 / value
    # scale every quantity so that the busiest kind of line is loaded to ``load``
    scale = min(load * capacity[k] / demand[k] for k in kinds if demand[k])
    orders = []
    for n, family, quantity, ready, due in drafts:
        steps = tuple(
            Step.outsource(kind.removesuffix("@out"), value)
            if kind.endswith("@out")
            else Step(kind, float(value))
            for kind, value in ROUTINGS[family]
        )
        orders.append(
            WorkOrder(
                f"WO{n + 1:05d}",
                f"SO-{seed}-{n // 3 + 1:05d}",
                due,
                ready,
                max(10, int(quantity * scale)),
                steps,
            )
        )
    return Problem(tuple(lines), tuple(orders), horizon)


def run(name: str, problem: Problem, limits: list[float], seed: int) -> dict[str, object]:
    began = time.perf_counter()
    edd = edd_schedule(problem)
    edd_seconds = time.perf_counter() - began
    errors = validate(problem, edd)
    assert not errors, errors[:5]
    row: dict[str, object] = {
        "factory": name,
        "lines": len(problem.lines),
        "work_orders": len(problem.work_orders),
        "steps": sum(len(w.steps) for w in problem.work_orders),
        "unplanned": len(edd.unplanned),
        "edd": {
            "tardiness": edd.total_tardiness,
            "late": edd.late_orders,
            "seconds": round(edd_seconds, 3),
        },
        "cpsat": [],
    }
    print(
        f"{name}: EDD tardiness {edd.total_tardiness} d, {edd.late_orders} late,"
        f" {edd_seconds:.3f} s ({len(edd.unplanned)} unplanned)",
        flush=True,
    )
    for limit in limits:
        best = improve(problem, time_limit=limit, seed=seed)
        errors = validate(problem, best)
        assert not errors, errors[:5]
        report = best.solver
        assert report is not None
        assert (best.total_tardiness, best.late_orders) <= (edd.total_tardiness, edd.late_orders)
        result = {
            "limit": limit,
            "tardiness": best.total_tardiness,
            "late": best.late_orders,
            "seconds": round(report.wall_seconds, 1),
            "deterministic_seconds": round(report.deterministic_seconds, 1),
            "lower_bound": report.lower_bound,
            "status": report.status,
            "improved": report.improved,
        }
        row["cpsat"].append(result)  # type: ignore[attr-defined]
        print(f"  CP-SAT {limit:g} s: {result}", flush=True)
    return row


def markdown(rows: list[dict[str, object]]) -> str:
    out = [
        "| factory | schedule | total tardiness (days) | late orders | time (s) | lower bound (days) | stopped by |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        edd = row["edd"]
        name = f"{row['lines']} lines x {row['work_orders']:,} WO ({row['steps']:,} steps)"
        out.append(
            f"| {name} | constructive (EDD) | {edd['tardiness']:,} | {edd['late']} |"  # type: ignore[index]
            f" {edd['seconds']:.2f} | {row['cpsat'][0]['lower_bound'] if row['cpsat'] else ''} | |"  # type: ignore[index]
        )
        for r in row["cpsat"]:  # type: ignore[attr-defined]
            kept = "" if r["improved"] else ", EDD kept"
            why, _, windows = r["status"].partition("; ")
            out.append(
                f"| | CP-SAT {r['limit']:g} s | {r['tardiness']:,} | {r['late']} | {r['seconds']:.1f} |"
                f" {r['lower_bound']:,} | {why} ({windows}){kept} |"
            )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", default="5,30,60", help="CP-SAT time limits, seconds")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", choices=["small", "large"], default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    limits = [float(x) for x in args.limits.split(",") if x]
    rows = []
    if args.only in (None, "small"):
        rows.append(run("small", factory(10, 200, args.seed), limits, args.seed))
    if args.only in (None, "large"):
        rows.append(run("large", factory(30, 2000, args.seed), limits, args.seed))
    print()
    print(markdown(rows))
    print()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
