"""The daily sales list alone, read-only, on a seeded database that must not be migrated:
`python bench/daily_sales_bench.py --db postgresql://.../gendan_b1m --repeat 30`.

Times `gendan.reports.selectors.daily_sales` (three SQL aggregates, a page of 50 orders, their
lines) for the sales manager on the busiest contract day a month back (the day
`bench/gendan_bench.py` measures), after one warm-up; prints p50, p95 and the queries, and the
PostgreSQL plan of the per-currency aggregate. Writes nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("GENDAN_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if args.db:
        os.environ["GENDAN_DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ.setdefault("GENDAN_SECRET_KEY", "bench-only-key-not-a-secret")
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gendan.accounts.models import User
    from gendan.orders.models import Order
    from gendan.reports.selectors import daily_sales

    manager = User.objects.get(username="manager")
    today = timezone.localdate()
    day = (
        Order.objects.values_list("contract_date", flat=True)
        .filter(contract_date__lte=today - timedelta(days=30))
        .order_by("-contract_date")
        .first()
    ) or today
    daily_sales(manager, day)  # warm-up
    samples = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            sales = daily_sales(manager, day)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    print(
        f"orders={Order.objects.count()} day={day} listed={sales.count} "
        f"p50={statistics.median(samples):.1f}ms p95={p95:.1f}ms queries={len(queries)}"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql, params = (
                Order.objects.filter(contract_date=day)
                .exclude(status="cancelled")
                .order_by()
                .values("currency")
                .annotate(n=django.db.models.Count("id"))
                .query.sql_with_params()
            )
            cursor.execute(f"EXPLAIN {sql}", params)
            print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
