"""Statements of one order life through the services: `python bench/life_queries.py --db URL`.

Seeds a small database when it has no orders, runs a few lives to warm up, then counts the
statements of one life (create .. closed, 12 durable transactions) with the execute wrapper
`gendan_bench.Statements` (BEGIN and COMMIT included, one code path on both databases), checked
against Django's own query log: the figure docs/benchmarks.md records and
`orders/tests/test_life_statements.py` pins.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("GENDAN_DATABASE_URL"), help="database URL")
    parser.add_argument("--orders", type=int, default=200, help="orders to seed if empty")
    parser.add_argument("--by-table", action="store_true", help="print the statements by kind")
    parser.add_argument("--sql", action="store_true", help="print each statement (cut)")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="empty the database first (SQLite: delete the file; PostgreSQL: drop and create it), "
        "so two runs, or two commits, count the same lives on the same stock",
    )
    args = parser.parse_args()
    if args.fresh and args.db:
        _empty(args.db)
    if args.db:
        os.environ["GENDAN_DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    # a local measurement: the settings want a key when DEBUG is off (as measured)
    os.environ.setdefault("GENDAN_SECRET_KEY", "bench-only-key-not-a-secret")
    import django

    django.setup()
    import gendan_bench as gb
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gendan.orders.models import Order

    call_command("migrate", verbosity=0)
    if not Order.objects.exists():
        call_command("seed", orders=args.orders)
    users, customer, products = gb._life_inputs()
    for _ in range(3):
        gb.one_life(users, customer, products)
    with CaptureQueriesContext(connection) as ctx:
        counted = gb.life_statements(users, customer, products)
    sql = [q["sql"] for q in ctx.captured_queries]
    print(
        f"{connection.vendor}: {counted.total} statements in one life "
        f"({len(counted.sql)} through the execute wrapper, {counted.transactions} transactions; "
        f"Django's query log: {len(sql)})"
    )
    if args.sql:
        print("\n".join(s[:200] for s in sql))
    if args.by_table:
        kinds = Counter(s.split()[0].upper() + " " + _table(s) for s in sql)
        for kind, n in kinds.most_common():
            print(f"{n:>5}  {kind}")
    return 0


def _empty(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _table(sql: str) -> str:
    words = sql.replace('"', " ").split()
    for key in ("FROM", "INTO", "UPDATE"):
        if key in (w.upper() for w in words):
            i = [w.upper() for w in words].index(key)
            return words[i + 1] if i + 1 < len(words) else ""
    return ""


if __name__ == "__main__":
    raise SystemExit(main())
