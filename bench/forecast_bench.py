"""The delivery-risk forecast's cost: `python bench/forecast_bench.py --engine 100000` forecasts
that many synthetic open orders (two or three steps each, 60 lines, a month of reports per line)
in one process, without a database; `--db URL --repeat 20` times, on an existing database (the
demo's, or a seeded one), one order's refresh (`forecast.services.refresh(orders=[pk])`: read,
forecast, store) and the full refresh of every open order. The full refresh writes forecast rows:
never point it at a database someone else uses."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta


def engine_only(n: int, seed: int = 1) -> None:
    from gendan.engines.forecast import (
        Calendar,
        Chain,
        DayReport,
        Line,
        OrderInput,
        Step,
        forecast_orders,
    )

    rng = random.Random(seed)
    today = date(2026, 12, 7)
    cal = Calendar(
        hours=16.0, holidays=frozenset({today + timedelta(days=40 + i) for i in range(5)})
    )
    kinds = ("CUT", "SEW", "PACK")
    lines = {}
    for k in kinds:
        for i in range(20):
            code = f"{k}-{i}"
            recent = tuple(
                DayReport(
                    today - timedelta(days=d), 800, int(800 * rng.uniform(0.5, 1.05)), "machine"
                )
                for d in range(1, 25)
            )
            lines[code] = Line(code, code, cal, recent)
    orders = []
    for i in range(n):
        qty = rng.randint(20, 300)
        steps = tuple(
            Step(
                key=f"W{i}-{j}",
                name=k,
                remaining=max(0, qty - rng.randint(0, qty)),
                line=f"{k}-{rng.randrange(20)}",
                rate=rng.choice((40.0, 60.0, 120.0)) * 10,
            )
            for j, k in enumerate(kinds[: rng.choice((2, 3))])
        )
        ready = today + timedelta(days=rng.randint(-5, 10))
        orders.append(
            OrderInput(
                f"SO-{i}",
                today + timedelta(days=rng.randint(-3, 120)),
                (Chain(f"N{i}", steps, material_ready=ready, material="纸箱"),),
            )
        )
    started = time.perf_counter()
    found = forecast_orders(orders, lines, today=today, company=cal)
    took = time.perf_counter() - started
    risks: dict[str, int] = {}
    for f in found:
        risks[f.risk] = risks.get(f.risk, 0) + 1
    print(f"engine: {n} orders, {len(lines)} lines in {took:.2f} s ({took / n * 1e6:.0f} us/order)")
    print(f"  risks: {risks}")


def database(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ.setdefault("GENDAN_SECRET_KEY", "bench-only-key-not-a-secret")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gendan.forecast.inputs import open_work_orders
    from gendan.forecast.services import refresh

    started = time.perf_counter()
    done = refresh()
    full = time.perf_counter() - started
    print(
        f"full refresh: {done.forecast} open orders in {full:.2f} s ({done.changed} rows written)"
    )
    ids = list(open_work_orders().order_by().values_list("order_id", flat=True).distinct()[:repeat])
    times = []
    queries = 0
    for pk in ids:
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            refresh(orders=[pk])
            times.append((time.perf_counter() - t) * 1000)
        queries = len(ctx.captured_queries)
    if times:
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"one order's refresh: {len(times)} orders, p50 {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms, {queries} queries"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", type=int, default=0, help="synthetic orders, no database")
    parser.add_argument("--db", default="")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.engine:
        engine_only(args.engine)
    if args.db:
        os.environ["GENDAN_DATABASE_URL"] = args.db
        database(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
