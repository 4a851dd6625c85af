"""EXPLAIN ANALYZE of the benchmarked hot queries on PostgreSQL:
`python bench/explain.py --db postgresql://... > plans.txt`.

Each page of the benchmark is served once; every SELECT it ran that reads orders, lines or events
is explained, and any sequential scan of those tables is flagged.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
HOT = ("orders_order", "orders_orderline", "timeline_event")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("GENDAN_DATABASE_URL"))
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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    s = gb.subjects()
    merch, manager = Client(), Client()
    merch.force_login(s.merch)
    manager.force_login(s.manager)
    pages = {
        "Today (merch)": (merch, reverse("web:today"), {}),
        "list, first page": (manager, reverse("web:order_list"), s.list_query),
        "list, deep page": (
            manager,
            reverse("web:order_list"),
            {**s.list_query, "cursor": s.deep_cursor},
        ),
        "API order by number": (merch, f"/api/v1/orders/{s.open_order}", {}),
        "API list": (manager, "/api/v1/orders", {**s.list_query, "limit": 50}),
    }
    seq_scans = 0
    for title, (client, url, query) in pages.items():
        client.get(url, query)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, query)
        print(f"\n## {title}: {url} {query}\n")
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.startswith("SELECT") or not any(f'"{t}"' in sql for t in HOT):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) " + sql)
                plan = "\n".join(row[0] for row in cur.fetchall())
            flagged = [t for t in HOT if f"Seq Scan on {t}" in plan]
            seq_scans += len(flagged)
            print("```sql\n" + sql[:600] + (" …" if len(sql) > 600 else "") + "\n```")
            print("```\n" + plan + "\n```")
            if flagged:
                print(f"**sequential scan of {', '.join(flagged)}**")
    print(f"\nsequential scans of {', '.join(HOT)}: {seq_scans}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
