"""The factory at scale, for `gendan seed`: the demo's lines, calendars and routings (more lines
of each kind as the open production needs them), and for every production notice still open its
work orders, one per routing step, with the daily reports of its last weeks.

The reports follow the rules the services enforce (production/services/reports.py): a step never
has more good in all than the step before it produced; a day below its plan carries one of the
seven reasons and a note; a work order's good is the sum of its reports; no order's last step is
complete (the order would be produced). Realistic slips: most days on plan, about one in four
short with a reason drawn by what happens on a floor, and a step fed short by the one before it
says "upstream delay". Written in bulk with the seed's sink (COPY on PostgreSQL); the work orders'
and reports' history rows and events are not written (as the seed's own rows, docs/benchmarks.md).
What is left out: work orders of the notices already done (their orders went through "Record
production done" in one default step) and first articles.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.production.models import (
    NoticeStatus,
    ProductionLine,
    ProductionNoticeLine,
    RoutingStep,
    SlipReason,
)

#: how many days of reports a work order gets at most (its last ones)
HISTORY_DAYS = 14
#: the working days a line is planned to carry its kind's open work (more lines when beyond,
#: up to MAX_PER_KIND: a factory runs behind rather than grow without end)
CARRY_DAYS = 30
MAX_PER_KIND = 12
SHORT = 0.25
REASONS = (
    (SlipReason.MACHINE, "设备故障停机"),
    (SlipReason.MATERIAL, "原材料没到齐"),
    (SlipReason.QUALITY, "不良率偏高，返工"),
    (SlipReason.URGENT, "插单：特急订单优先"),
    (SlipReason.STAFFING, "员工请假"),
    (SlipReason.PLAN_ERROR, "标准产能估高了"),
)
UPSTREAM_NOTE = "前道工序供料不足"


@dataclass
class FactoryReport:
    lines: int
    work_orders: int
    reports: int


@dataclass
class _Step:
    seq: int
    name: str
    kind: str
    rate: Decimal | None
    outsourced: bool
    lead_days: int


def _working(line: ProductionLine, day: date) -> bool:
    return day.weekday() not in (line.days_off or [])


def _day_hours(line: ProductionLine) -> Decimal:
    return Decimal(line.shifts_per_day) * line.hours_per_shift


def seed_factory(
    *, users: dict[str, Any], today: date, rng: random.Random, out: Callable[[str], None]
) -> FactoryReport:
    from gendan.demodata import DEMO_PASSWORD
    from gendan.production import demo

    admin = users["admin"]
    if not ProductionLine.objects.exists():
        demo._posts(DEMO_PASSWORD)
        demo._master_data(admin, today)
    open_lines = list(
        ProductionNoticeLine.objects.filter(notice__status=NoticeStatus.ISSUED)
        .filter(work_orders__isnull=True)
        .values_list(
            "id",
            "notice__number",
            "notice__order_id",
            "notice__issued_at",
            "line__line_no",
            "line__product__series",
            "quantity",
        )
        .order_by("notice_id", "id")
    )
    routes: dict[str, list[_Step]] = defaultdict(list)
    for rs in RoutingStep.objects.select_related("routing").order_by("routing_id", "seq"):
        routes[rs.routing.family].append(
            _Step(
                rs.seq,
                rs.name,
                rs.line_kind,
                rs.rate_per_hour,
                rs.outsourced,
                rs.lead_time_days or 0,
            )
        )
    lines = _enough_lines(open_lines, routes, admin)
    by_kind: dict[str, list[ProductionLine]] = defaultdict(list)
    for line in lines:
        by_kind[line.kind].append(line)
    return _work_orders(open_lines, routes, by_kind, users["production"].pk, today, rng, out)


def _enough_lines(
    open_lines: list[tuple[Any, ...]], routes: dict[str, list[_Step]], admin: Any
) -> list[ProductionLine]:
    """More lines of a kind (copies of the demo's first, its capacities too) while the kind's
    open work would take one line more than CARRY_DAYS working days, MAX_PER_KIND at most."""
    from gendan.production.services import masterdata

    lines = list(ProductionLine.objects.filter(active=True).order_by("code"))
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for *_, family, quantity in open_lines:
        for step in routes.get(family or "", []):
            if step.kind and step.rate:
                hours[step.kind] += Decimal(quantity) / step.rate
    for kind, needed in sorted(hours.items()):
        same = [line for line in lines if line.kind == kind]
        if not same:
            continue
        model = same[0]
        want = min(MAX_PER_KIND, math.ceil(needed / (_day_hours(model) * CARRY_DAYS)))
        for n in range(len(same) + 1, want + 1):
            code = f"{model.code.rstrip('0123456789')}{n}"[:20]
            copy = masterdata.create_line(
                code=code,
                name=f"{model.name.rstrip('一线')}{n}线",
                kind=kind,
                shifts_per_day=model.shifts_per_day,
                hours_per_shift=model.hours_per_shift,
                days_off=list(model.days_off or []),
                actor=admin,
            )
            for cap in model.capacities.all():
                masterdata.set_capacity(
                    line=copy.code,
                    family=cap.family,
                    units_per_hour=cap.units_per_hour,
                    actor=admin,
                )
            lines.append(copy)
    return lines


def _work_orders(
    open_lines: list[tuple[Any, ...]],
    routes: dict[str, list[_Step]],
    by_kind: dict[str, list[ProductionLine]],
    reporter: int,
    today: date,
    rng: random.Random,
    out: Callable[[str], None],
) -> FactoryReport:
    from django.db import connection, transaction

    from gendan.seed import Clock, Sink, _next_ids, table

    clock = Clock(connection.vendor == "postgresql")

    wo_t = table(
        "production.WorkOrder",
        "id number notice_line_id order_id seq last step_name line_kind rate_per_hour outsourced "
        "routed line_id quantity good_qty defect_qty scrap_qty status",
    )
    rep_t = table(
        "production.DailyReport",
        "id work_order_id day good_qty defect_qty scrap_qty hours planned_qty slip_reason note "
        "reported_by_id reported_at",
    )
    sink = Sink([wo_t, rep_t])
    ids = _next_ids([wo_t, rep_t])
    next_wo, next_rep = ids[wo_t.name], ids[rep_t.name]
    turn: dict[str, int] = defaultdict(int)
    yesterday = today - timedelta(days=1)
    zone = timezone.get_default_timezone()
    for n, (nl_id, notice, order_id, issued_at, line_no, family, quantity) in enumerate(open_lines):
        route = routes.get(family or "", [])
        issued = timezone.localtime(issued_at, zone).date() if issued_at else yesterday
        start = max(issued + timedelta(days=1), yesterday - timedelta(days=HISTORY_DAYS - 1))
        fed: dict[date, int] | None = None  # the step before's good in all, by day
        steps = route or [_Step(1, "生产", "", None, False, 0)]
        for step in steps:
            last = step.seq == steps[-1].seq
            line = None
            if step.kind and by_kind.get(step.kind):
                pool = by_kind[step.kind]
                line = pool[turn[step.kind] % len(pool)]
                turn[step.kind] += 1
            made: dict[date, int] = {}
            total = defects = scrap = 0
            if route and (line is not None or step.outsourced):
                ceiling = quantity - (1 if last else 0)  # the order stays in production
                day = start
                while day <= yesterday:
                    available = (fed.get(day, 0) if fed is not None else quantity) - total
                    room = min(available, ceiling - total)
                    if step.outsourced:
                        planned = room if day.weekday() == 4 else 0  # lots come back on Fridays
                        hours = Decimal("0")
                    elif line is not None and _working(line, day) and step.rate:
                        hours = _day_hours(line)
                        planned = min(int(step.rate * hours), quantity - total)
                    else:
                        planned, hours = 0, Decimal("0")
                    if planned > 0 and room > 0:
                        good, reason, note = planned, "", ""
                        if rng.random() < SHORT:
                            good = max(1, int(planned * rng.uniform(0.5, 0.9)))
                            reason, note = rng.choice(REASONS)
                        if good > room:
                            good, reason, note = room, SlipReason.UPSTREAM, UPSTREAM_NOTE
                        if good < planned and not reason:
                            reason, note = SlipReason.UPSTREAM, UPSTREAM_NOTE
                        at = datetime.combine(day, time(18, 0), tzinfo=zone)
                        rep_t.rows.append(
                            (
                                next_rep,
                                next_wo,
                                day.isoformat(),
                                good,
                                good // 60,
                                good // 250,
                                str(hours),
                                planned,
                                reason if good < planned else "",
                                note if good < planned else "",
                                reporter,
                                clock.ts(int(at.timestamp())),
                            )
                        )
                        next_rep += 1
                        total, defects, scrap = (
                            total + good,
                            defects + good // 60,
                            scrap + good // 250,
                        )
                    made[day] = total
                    day += timedelta(days=1)
            wo_t.rows.append(
                (
                    next_wo,
                    f"{notice}-{line_no}-{step.seq}",
                    nl_id,
                    order_id,
                    step.seq,
                    last,
                    step.name,
                    step.kind,
                    str(step.rate) if step.rate is not None else None,
                    step.outsourced,
                    bool(route),
                    line.pk if line is not None else None,
                    quantity,
                    total,
                    defects,
                    scrap,
                    "open",
                )
            )
            next_wo += 1
            fed = made
        if len(rep_t.rows) > 50_000 or n == len(open_lines) - 1:
            with transaction.atomic():
                sink.flush()
    if connection.vendor == "postgresql":  # the ids were written, not drawn from the sequences
        from django.core.management.color import no_style

        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), [wo_t.model, rep_t.model]):
                cur.execute(sql)
    out(
        f"factory: {sum(len(v) for v in by_kind.values())} lines, {wo_t.written:,} work orders, "
        f"{rep_t.written:,} daily reports"
    )
    return FactoryReport(
        lines=sum(len(v) for v in by_kind.values()),
        work_orders=wo_t.written,
        reports=rep_t.written,
    )
