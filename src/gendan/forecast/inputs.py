"""What the forecast reads from the database, as the engine's plain data: the open routed work
orders of the orders in production, the lines with their calendars and their last reports, the
material-ready day of each notice line (purchasing), the outsourced steps' expected return, and
the days from production done to shipment learnt per channel. A fixed number of queries whatever
the number of orders."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.db.models import ExpressionWrapper, F, FloatField, Max, Q, Sum

from gendan.engines import forecast as engine
from gendan.orders.models import Order
from gendan.orders.workflow import OPEN
from gendan.production.models import (
    CompanyHoliday,
    DailyReport,
    LineCalendarException,
    OutsourceShipment,
    ProductionLine,
    RoutingStep,
    WorkOrder,
    WorkOrderStatus,
)

HORIZON = 400  # days of calendar read ahead
HISTORY = 28  # calendar days of reports read back (the engine keeps the last ``window`` days)
DEFAULT_SHIP_DAYS = 2
NOT_ORDERED_DAYS = 7  # a material short and not on order: ready a week from today at best


def settings() -> engine.Settings:
    return engine.Settings(
        window=int(getattr(django_settings, "GENDAN_FORECAST_WINDOW", 5)),
        at_risk_margin=int(getattr(django_settings, "GENDAN_FORECAST_AT_RISK_DAYS", 2)),
    )


@dataclass
class World:
    """The engine's inputs on a morning, and what the app needs to store the answers."""

    today: date
    company: engine.Calendar
    lines: dict[str, engine.Line]
    orders: list[engine.OrderInput]
    order_ids: dict[str, int]  # number -> pk
    booked: dict[str, float]


def open_work_orders() -> Any:
    return WorkOrder.objects.filter(
        status=WorkOrderStatus.OPEN, routed=True, order__status__in=OPEN
    )


def company_calendar(today: date) -> engine.Calendar:
    days = CompanyHoliday.objects.filter(
        day__range=(today - timedelta(days=HISTORY), today + timedelta(days=HORIZON))
    ).values_list("day", flat=True)
    return engine.Calendar(hours=8.0, days_off=frozenset({6}), holidays=frozenset(days))


def lines_of(today: date, company: engine.Calendar, ids: Iterable[int] | None = None) -> Any:
    """The active lines (those given, or all) with their calendars and last reports: three
    queries."""
    qs = ProductionLine.objects.filter(active=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    found = list(qs)
    exceptions: dict[int, dict[date, float]] = defaultdict(dict)
    for line_id, day, hours in LineCalendarException.objects.filter(
        line__in=found, day__range=(today, today + timedelta(days=HORIZON))
    ).values_list("line_id", "day", "hours"):
        exceptions[line_id][day] = float(hours)
    recent: dict[int, list[engine.DayReport]] = defaultdict(list)
    for line_id, day, planned, good, reason in DailyReport.objects.filter(
        work_order__line__in=found, day__gte=today - timedelta(days=HISTORY), day__lt=today
    ).values_list("work_order__line_id", "day", "planned_qty", "good_qty", "slip_reason"):
        recent[line_id].append(engine.DayReport(day, planned, good, reason))
    lines = {}
    codes = {}
    for line in found:
        calendar = engine.Calendar(
            hours=float(Decimal(line.shifts_per_day) * line.hours_per_shift),
            days_off=frozenset(line.days_off or []),
            holidays=company.holidays,
            exceptions=exceptions.get(line.pk, {}),
        )
        lines[line.code] = engine.Line(line.code, line.name, calendar, tuple(recent[line.pk]))
        codes[line.pk] = line.code
    return lines, codes


#: the learnt shipping days of a day, per process (they move slowly; one order's refresh
#: should not read half a year of orders)
_SHIP_DAYS: dict[date, dict[str, int]] = {}


def ship_days_by_channel(today: date) -> dict[str, int]:
    """The median working days from production done to shipment over the last half year's
    shipped orders, per channel (the default with fewer than five); read once a day per
    process."""
    if today not in _SHIP_DAYS:
        _SHIP_DAYS.clear()
        _SHIP_DAYS[today] = _learn_ship_days(today)
    return _SHIP_DAYS[today]


def _learn_ship_days(today: date) -> dict[str, int]:
    spans: dict[str, list[int]] = defaultdict(list)
    for channel, done, shipped in (
        Order.objects.filter(
            shipped_at__isnull=False,
            production_done_at__isnull=False,
            shipped_at__date__gte=today - timedelta(days=183),
        )
        .order_by("-shipped_at")
        .values_list("channel", "production_done_at", "shipped_at")[:5000]
    ):
        spans[channel].append(max(0, (shipped.date() - done.date()).days))
    return {c: round(statistics.median(d) * 6 / 7) for c, d in spans.items() if len(d) >= 5}


def material_dates(notice_line_ids: list[int], today: date) -> dict[int, tuple[date, str, bool]]:
    """Per notice line short of material: the day the last short material is expected (and
    what it is); purchasing's readiness, read in one pass."""
    if not notice_line_ids:
        return {}
    try:
        from gendan.purchasing.needs import needs_of, open_notice_lines
        from gendan.purchasing.selectors import readiness_of
    except ImportError:  # purchasing not installed: the release day stands in
        return {}
    grouped: dict[int, list[Any]] = defaultdict(list)
    for need in needs_of(
        open_notice_lines().filter(pk__in=notice_line_ids), limit=len(notice_line_ids)
    ):
        grouped[need.notice_line_id].append(need)
    out = {}
    for nl, needs in grouped.items():
        found = readiness_of(needs)
        if not found.shortages:
            continue
        ready = found.ready_on
        late = [s for s in found.shortages if s.expected is None or s.expected > today]
        if not late:
            continue
        missing = [s for s in late if s.expected is None]
        if ready is None:  # something short is not on order: a week from today at best
            ready = today + timedelta(days=NOT_ORDERED_DAYS)
        named = (missing or late)[0].need.material.name
        out[nl] = (ready, named, not missing)
    return out


def gather(today: date, *, orders: Iterable[int] | None = None) -> World:
    """The world of a morning for every open order (or only those ``orders``, with the hours
    of the work ahead of them on their lines as ``booked``)."""
    company = company_calendar(today)
    wos = open_work_orders()
    if orders is not None:
        wos = wos.filter(order_id__in=list(orders))
    rows = list(
        wos.order_by("order_id", "notice_line_id", "seq").values_list(
            "number",
            "order_id",
            "order__number",
            "order__delivery_date",
            "order__channel",
            "notice_line_id",
            "seq",
            "step_name",
            "line_id",
            "rate_per_hour",
            "outsourced",
            "quantity",
            "good_qty",
            "notice_line__line__product__series",
        )
    )
    line_ids = {r[8] for r in rows if r[8] is not None} if orders is not None else None
    lines, codes = lines_of(today, company, line_ids)
    lead: dict[tuple[str, int], int] = {}
    families = {r[13] for r in rows if r[10]}
    for family, seq, days in RoutingStep.objects.filter(
        routing__family__in=families, outsourced=True
    ).values_list("routing__family", "seq", "lead_time_days"):
        lead[(family, seq)] = days or 0
    back = dict(
        OutsourceShipment.objects.filter(work_order__number__in=[r[0] for r in rows if r[10]])
        .values("work_order__number")
        .annotate(last=Max("expected_back"))
        .values_list("work_order__number", "last")
    )
    materials = material_dates(sorted({r[5] for r in rows}), today)
    ship = ship_days_by_channel(today)
    chains: dict[int, dict[int, list[engine.Step]]] = defaultdict(lambda: defaultdict(list))
    meta: dict[int, tuple[str, date, str]] = {}
    for r in rows:
        number, oid, onum, due, channel, nl, seq, name, line_id, rate, out, qty, good, fam = r
        meta[oid] = (onum, due, channel)
        chains[oid][nl].append(
            engine.Step(
                key=number,
                name=name,
                remaining=qty - good,
                line=codes.get(line_id),
                rate=float(rate) if rate else None,
                outsourced=out,
                expected_back=back.get(number),
                lead_days=lead.get((fam, seq), 0),
                started=good > 0,
            )
        )
    built = []
    for oid, by_line in chains.items():
        onum, due, channel = meta[oid]
        built.append(
            engine.OrderInput(
                number=onum,
                delivery=due,
                ship_days=ship.get(channel, DEFAULT_SHIP_DAYS),
                chains=tuple(
                    engine.Chain(
                        key=str(nl),
                        steps=tuple(steps),
                        material_ready=materials[nl][0] if nl in materials else None,
                        material=materials[nl][1] if nl in materials else "",
                        material_ordered=materials[nl][2] if nl in materials else True,
                    )
                    for nl, steps in by_line.items()
                ),
            )
        )
    booked: dict[str, float] = {}
    if orders is not None and built:
        booked = booked_ahead(built, codes)
    return World(
        today=today,
        company=company,
        lines=lines,
        orders=built,
        order_ids={m[0]: oid for oid, m in meta.items()},
        booked=booked,
    )


def booked_ahead(orders: list[engine.OrderInput], codes: dict[int, str]) -> dict[str, float]:
    """Standard hours of other orders' open steps due before the first of ``orders`` on their
    lines (one grouped query): what the line does first."""
    first = min(orders, key=lambda o: (o.delivery, o.number))
    numbers = [o.number for o in orders]
    hours = ExpressionWrapper(
        (F("quantity") - F("good_qty")) * 1.0 / F("rate_per_hour"), output_field=FloatField()
    )
    qs = (
        open_work_orders()
        .filter(line_id__in=list(codes), outsourced=False, rate_per_hour__gt=0)
        .exclude(order__number__in=numbers)
        .filter(
            Q(order__delivery_date__lt=first.delivery)
            | Q(order__delivery_date=first.delivery, order__number__lt=first.number)
        )
        .values("line_id")
        .annotate(hours=Sum(hours))
        .values_list("line_id", "hours")
    )
    return {codes[line_id]: float(h or 0) for line_id, h in qs}
