"""The benchmark: `python bench/run.py --orders 10000 --db postgresql://... --out bench/results.json`.

Seeds the database with `gendan seed` when it has no orders, measures (see bench/gendan_bench.py),
prints a table with each budget of issue 5 met or missed, and writes it as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000, help="orders to seed if empty")
    parser.add_argument("--db", default=os.environ.get("GENDAN_DATABASE_URL"), help="database URL")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--lives", type=int, default=50, help="orders per life worker")
    parser.add_argument("--import-lines", type=int, default=10_000)
    parser.add_argument("--skip", nargs="*", default=[], help="pages, life, import")
    parser.add_argument(
        "--tryton",
        type=int,
        default=0,
        metavar="PAIRS",
        help="also run the Tryton peer beside Gendan's life on SQLite, alternating, PAIRS times "
        "(bench/tryton_peer.py), and put the ratio in the table",
    )
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.db:
        os.environ["GENDAN_DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    # a local measurement: the settings want a key when DEBUG is off (as measured)
    os.environ.setdefault("GENDAN_SECRET_KEY", "bench-only-key-not-a-secret")
    import django

    django.setup()
    import gendan_bench as gb
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from gendan.orders.models import Order

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if not Order.objects.exists():
        call_command("seed", orders=args.orders)
    orders = Order.objects.count()
    results = []
    if "pages" not in args.skip:
        results += gb.page_measures(args.repeat)
        results.append(gb.peak_memory())
    if "life" not in args.skip:
        results.append(gb.life_measure(args.lives, 1, args.db))
        inputs = gb._life_inputs()
        gb.one_life(*inputs)  # warm: the people's permissions are read once per object
        counted = gb.life_statements(*inputs)
        results.append(
            gb.Result(
                "life_statements",
                queries=counted.total,
                note=f"one whole life, {counted.transactions} transactions, BEGIN/COMMIT included",
            )
        )
        for workers in (2, 4):  # PostgreSQL only: reported, not promised, on a 2-core machine
            results.append(gb.life_measure(args.lives, workers, args.db))
    if args.tryton:
        results.append(_beside_tryton(args.tryton, gb))
    if "import" not in args.skip:
        results.append(gb.import_measure(args.import_lines))
    import django as dj

    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "database_version": str(connection.pg_version)
        if connection.vendor == "postgresql"
        else connection.Database.sqlite_version,
        "orders": orders,
        "repeat": args.repeat,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "django": dj.get_version(),
    }
    print(
        f"\n{meta['database']} {meta['database_version']}, {orders:,} orders, {args.repeat} repetitions"
    )
    print(
        f"{'measure':<20}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'rate/s':>10}{'MB':>8}  budget / note"
    )
    for r in results:
        cells = [
            f"{r.p50_ms:>9.1f}" if r.p50_ms is not None else f"{'':>9}",
            f"{r.p95_ms:>9.1f}" if r.p95_ms is not None else f"{'':>9}",
            f"{r.queries:>9}" if r.queries is not None else f"{'':>9}",
            f"{r.per_s:>10.1f}" if r.per_s is not None else f"{'':>10}",
            f"{r.mb:>8.1f}" if r.mb is not None else f"{'':>8}",
        ]
        print(f"{r.name:<20}{''.join(cells)}  {r.verdict()}  {r.note}")
    if args.out:
        Path(args.out).write_text(
            json.dumps(
                {"meta": meta, "results": [r.as_dict() for r in results]}, indent=2, default=str
            )
        )
        print(f"\nwrote {args.out}")
    return 0


def _beside_tryton(pairs: int, gb: Any) -> Any:
    import tryton_peer

    missing = tryton_peer.tryton_available()
    if missing:
        return gb.Result("life_vs_tryton", note=f"skipped: {missing}")
    got = tryton_peer.compare(pairs, lives=60, orders=100, batch=100)
    each = ", ".join(f"{p['gendan']:.1f}/{p['tryton']:.2f}" for p in got["pairs"])
    return gb.Result(
        "life_vs_tryton",
        note=f"median {got['median_ratio']}x Tryton's full life at 100 orders per transaction, "
        f"SQLite, {pairs} alternating pairs (Gendan/Tryton orders/s: {each})",
    )


if __name__ == "__main__":
    raise SystemExit(main())
