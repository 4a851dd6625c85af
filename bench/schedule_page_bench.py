#!/usr/bin/env python3
"""The weekly schedule page at scale (issue 13): the demo company plus a larger factory of 30
lines and 2,000 open notice lines (about 6,000 work orders, 2-4 steps each), in a fresh database.

It times what the planner waits for: ``generate_schedule`` (reading the problem from the
database, the constructive schedule, saving its blocks) and the page ``/production/schedule/``
of the busiest week (the first), through Django's test client signed in as the planner, and the
read endpoint ``GET /api/v1/production/schedule/weeks/{week}`` (its first page). Budget: the constructive
schedule <= 2 s, the page <= 500 ms.

    PYTHONPATH=src python bench/schedule_page_bench.py                     # SQLite under var/
    GENDAN_DATABASE_URL=postgresql://... python bench/schedule_page_bench.py   # an EMPTY database
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("GENDAN_DEBUG", "1")
os.environ["GENDAN_TASKS"] = "database"  # the solver job is queued, not run (no worker)
DB = REPO / "var" / "schedule-page-bench.sqlite3"
if "GENDAN_DATABASE_URL" not in os.environ:
    DB.parent.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["GENDAN_DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from gendan.accounts.models import User  # noqa: E402
from gendan.catalog.models import Product  # noqa: E402
from gendan.orders.models import Order, OrderLine  # noqa: E402
from gendan.orders.workflow import Status  # noqa: E402
from gendan.production import demo  # noqa: E402
from gendan.production.models import (  # noqa: E402
    ProductionLine,
    ProductionNotice,
    ProductionNoticeLine,
    RoutingStep,
    ScheduleBlock,
    WorkOrder,
)
from gendan.production.services import schedule  # noqa: E402

LINES = 30
NOTICE_LINES = 2000
PER_ORDER = 4  # notice lines per order


def build(rng: random.Random) -> dict[str, int]:
    """30 lines over the demo's kinds and 2,000 open notice lines with their work orders."""
    kinds = [kind for _c, _n, kind, _s, _d in demo.LINES]
    have = ProductionLine.objects.count()
    ProductionLine.objects.bulk_create(
        [
            ProductionLine(
                code=f"BX-{i:02d}",
                name=f"扩产{i:02d}",
                kind=kinds[i % len(kinds)],
                shifts_per_day=2,
                days_off=[6],
            )
            for i in range(LINES - have)
        ]
    )
    routings: dict[str, list[RoutingStep]] = {}
    for rs in RoutingStep.objects.select_related("routing").order_by("routing_id", "seq"):
        routings.setdefault(rs.routing.family, []).append(rs)
    products = list(Product.objects.filter(series__in=routings).order_by("code"))
    template = Order.objects.filter(status=Status.RELEASED).order_by("number").first()
    assert template is not None and products
    planner = User.objects.get(username="planner")
    monday = schedule.week_of(timezone.localdate())
    now = timezone.now()
    orders = []
    for i in range(NOTICE_LINES // PER_ORDER):
        o = Order.objects.get(pk=template.pk)
        o.pk = None
        o.number = f"BS-{i:06d}"
        o.delivery_date = monday + timedelta(days=rng.randrange(4, 56))
        o.contract_date = min(o.contract_date, o.delivery_date)
        orders.append(o)
    Order.objects.bulk_create(orders, batch_size=1000)
    orders = list(Order.objects.filter(number__startswith="BS-").order_by("number"))
    lines = []
    for o in orders:
        for n in range(1, PER_ORDER + 1):
            p = rng.choice(products)
            lines.append(
                OrderLine(
                    order=o,
                    line_no=n,
                    product=p,
                    quantity=rng.randrange(1, 6),  # the demo's rates are per piece of furniture
                    unit_price=1,
                    amount=1,
                )
            )
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    ProductionNotice.objects.bulk_create(
        [
            ProductionNotice(
                number=f"PN-BS-{o.pk}",
                order=o,
                issued_by=planner,
                issued_at=now - timedelta(days=2),
            )
            for o in orders
        ],
        batch_size=1000,
    )
    notice_of = {
        n.order_id: n for n in ProductionNotice.objects.filter(number__startswith="PN-BS-")
    }
    ProductionNoticeLine.objects.bulk_create(
        [
            ProductionNoticeLine(notice=notice_of[ln.order_id], line=ln, quantity=ln.quantity)
            for ln in OrderLine.objects.filter(order__number__startswith="BS-")
        ],
        batch_size=2000,
    )
    wos = []
    first_line = {}
    for line in ProductionLine.objects.order_by("code"):
        first_line.setdefault(line.kind, line)
    for nl in ProductionNoticeLine.objects.filter(
        notice__number__startswith="PN-BS-"
    ).select_related("line__product", "notice"):
        route = routings[nl.line.product.series]
        for k, rs in enumerate(route, start=1):
            wos.append(
                WorkOrder(
                    number=f"{nl.notice.number}-{nl.line.line_no}-{k}",
                    notice_line=nl,
                    order_id=nl.notice.order_id,
                    seq=k,
                    last=k == len(route),
                    step_name=rs.name,
                    line_kind=rs.line_kind,
                    rate_per_hour=rs.rate_per_hour,
                    outsourced=rs.outsourced,
                    line=first_line.get(rs.line_kind),
                    quantity=nl.quantity,
                )
            )
    WorkOrder.objects.bulk_create(wos, batch_size=2000)
    return {"lines": ProductionLine.objects.count(), "work_orders": len(wos)}


def timed(fn, repeat: int) -> tuple[float, list[float], object]:
    runs = []
    result = None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs), runs, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    call_command("migrate", "--no-input", "-v", "0")
    call_command("load_demo", stdout=open(os.devnull, "w"))
    rng = random.Random(13)
    with transaction.atomic():
        size = build(rng)
    planner = User.objects.get(username="planner")
    monday = schedule.week_of(timezone.localdate())

    # the constructive part alone, from the problem as read
    began = time.perf_counter()
    snap = schedule.read_problem(monday, today=monday)
    read_s = time.perf_counter() - began
    problem = schedule.to_problem(snap)
    from gendan.engines.schedule import edd_schedule

    edd_s, _runs, result = timed(lambda: edd_schedule(problem), 3)
    # generate = read + EDD + save (the CP-SAT job is queued for a worker, not run here)
    began = time.perf_counter()
    run = schedule.generate_schedule(week=monday, actor=planner, today=monday)
    generate_s = time.perf_counter() - began
    week_blocks = ScheduleBlock.objects.filter(
        run=run, day__range=(monday, monday + timedelta(days=6))
    ).count()

    client = Client()
    client.force_login(planner)
    url = f"/production/schedule/?week={monday.isoformat()}"
    api = f"/api/v1/production/schedule/weeks/{monday.isoformat()}"
    client.get(url)  # warm the template cache
    page_s, page_runs, response = timed(lambda: client.get(url), args.repeat)
    assert response.status_code == 200
    api_s, _r, _resp = timed(lambda: client.get(api), args.repeat)
    out = {
        "database": connection.vendor,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        **size,
        "engine_work_orders": len(problem.work_orders),
        "steps": len(result.steps),
        "blocks": ScheduleBlock.objects.filter(run=run).count(),
        "week_blocks": week_blocks,
        "tardiness": run.total_tardiness,
        "late": run.late_orders,
        "unplanned": len(run.unplanned),
        "read_problem_s": round(read_s, 3),
        "edd_s": round(edd_s, 3),
        "generate_s": round(generate_s, 3),
        "page_s": round(page_s, 3),
        "page_runs_s": [round(r, 3) for r in page_runs],
        "page_kb": round(len(response.content) / 1024),
        "api_first_page_s": round(api_s, 3),
    }
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
