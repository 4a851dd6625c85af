"""Reads of the reports app. Each aggregates in the database (``values()`` + ``Sum``/``Count``)
and reads a fixed number of queries whatever the data size; the rows it lists are a page.

The daily sales list (每日销售清单) of a day is the orders *contracted* that day (the contract
date is the order's date of sale, also for orders imported later), cancelled ones left out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gendan.orders.models import Order, OrderLine
from gendan.orders.workflow import Status as S
from gendan.reports import registry

CENT = Decimal("0.01")


def cents(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    return start, start + timedelta(days=1)


# ---- the daily sales list -----------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    key: str  # the currency, salesperson or region
    currency: str
    orders: int
    amount: Decimal


@dataclass
class SalesOrder:
    number: str
    customer_code: str
    customer_name: str
    region: str
    channel: str
    salesperson: str
    currency: str
    total: Decimal
    status: str
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DailySales:
    day: date
    region: str
    per_currency: list[Total]
    per_salesperson: list[Total]
    per_region: list[Total]
    orders: list[SalesOrder]
    count: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


def _sales_of(actor: Any, day: date, region: str) -> QuerySet[Order]:
    from gendan.orders.selectors import visible_orders

    qs = visible_orders(actor).filter(contract_date=day).exclude(status=S.CANCELLED)
    if region:
        qs = qs.filter(customer__region=region)
    return qs


def _totals(qs: QuerySet[Order], key: str) -> list[Total]:
    rows = (
        qs.order_by()
        .values(key, "currency")
        .annotate(n=Count("id"), amount=Sum("total_amount"))
        .order_by(key, "currency")
    )
    return [Total(r[key] or "", r["currency"], r["n"], cents(r["amount"])) for r in rows]


def daily_sales(
    actor: Any, day: date, *, region: str = "", page: int = 1, per_page: int = 50
) -> DailySales:
    """The orders contracted on ``day`` with their totals per currency, salesperson and region
    (three aggregate queries), and one page of the orders (one query) with their lines (one
    query): five queries at any size."""
    qs = _sales_of(actor, day, region)
    per_currency = [
        Total(t.currency, t.currency, t.orders, t.amount) for t in _totals(qs, "currency")
    ]
    count = sum(t.orders for t in per_currency)
    page = max(1, min(page, max(1, -(-count // per_page))))
    orders: list[SalesOrder] = []
    if count:
        rows = qs.order_by("id").values(
            "id",
            "number",
            "customer__code",
            "customer__name",
            "customer__region",
            "channel",
            "salesperson__username",
            "currency",
            "total_amount",
            "status",
        )[(page - 1) * per_page : page * per_page]
        by_id = {
            r["id"]: SalesOrder(
                r["number"],
                r["customer__code"],
                r["customer__name"],
                r["customer__region"],
                r["channel"],
                r["salesperson__username"],
                r["currency"],
                cents(r["total_amount"]),
                r["status"],
            )
            for r in rows
        }
        orders = list(by_id.values())
        for line in (
            OrderLine.objects.filter(order_id__in=list(by_id))
            .order_by("order_id", "line_no")
            .values(
                "order_id", "product__code", "product__name", "quantity", "unit_price", "amount"
            )
        ):
            fields: dict[str, Any] = dict(line)
            by_id[fields.pop("order_id")].lines.append(fields)
    return DailySales(
        day=day,
        region=region,
        per_currency=per_currency,
        per_salesperson=_totals(qs, "salesperson__username") if count else [],
        per_region=_totals(qs, "customer__region") if count else [],
        orders=orders,
        count=count,
        page=page,
        per_page=per_page,
    )


# ---- late and at-risk orders -------------------------------------------------------------------


def late_and_at_risk(actor: Any, today: date) -> tuple[QuerySet[Order], QuerySet[Order]]:
    """The review's own definitions (orders.review): late = past the delivery date and not
    shipped in full; at risk = due within the at-risk days and not ready to ship."""
    from gendan.orders.review import NOT_READY, NOT_SHIPPED_IN_FULL, at_risk_days
    from gendan.orders.selectors import visible_orders

    base = visible_orders(actor).select_related("customer", "merchandiser", "salesperson")
    late = base.filter(status__in=NOT_SHIPPED_IN_FULL, delivery_date__lt=today)
    risky = base.filter(
        status__in=NOT_READY,
        delivery_date__gte=today,
        delivery_date__lte=today + timedelta(days=at_risk_days()),
    )
    return late.order_by("delivery_date", "id"), risky.order_by("delivery_date", "id")


# ---- the daily report's facts ------------------------------------------------------------------


def daily_report_data(day: date, region: str) -> dict[str, Any]:
    """What the daily report (日报表) of ``region`` ("" = all) says of ``day``: the orders of the
    day, the shipments (to the stores in particular), the payments received, the late and at-risk
    orders, and the parts other apps add (``registry.add_daily_part``). Plain JSON, kept as it
    is. Eight queries and those of the parts."""
    from gendan.finance.models import Payment
    from gendan.orders.review import NOT_READY, NOT_SHIPPED_IN_FULL, at_risk_days

    orders = Order.objects.all()
    if region:
        orders = orders.filter(customer__region=region)
    sold = orders.filter(contract_date=day).exclude(status=S.CANCELLED)
    start, end = day_bounds(day)
    shipped = orders.filter(shipped_at__gte=start, shipped_at__lt=end)
    paid = Payment.objects.filter(received_on=day)
    if region:
        paid = paid.filter(order__customer__region=region)
    late = orders.filter(status__in=NOT_SHIPPED_IN_FULL, delivery_date__lt=day)
    risky = orders.filter(
        status__in=NOT_READY,
        delivery_date__gte=day,
        delivery_date__lte=day + timedelta(days=at_risk_days()),
    )

    def listed(qs: QuerySet[Order], limit: int = 30) -> list[dict[str, Any]]:
        return [
            {
                "number": r["number"],
                "customer": r["customer__name"],
                "channel": r["channel"],
                "status": r["status"],
                "currency": r["currency"],
                "total": str(cents(r["total_amount"])),
                "delivery_date": r["delivery_date"].isoformat(),
                "merchandiser": r["merchandiser__username"],
            }
            for r in qs.order_by("delivery_date", "id").values(
                "number",
                "customer__name",
                "channel",
                "status",
                "currency",
                "total_amount",
                "delivery_date",
                "merchandiser__username",
            )[:limit]
        ]

    def per_currency(qs: Any, amount: str) -> list[dict[str, Any]]:
        return [
            {"currency": r["currency"], "count": r["n"], "amount": str(cents(r["s"]))}
            for r in qs.order_by()
            .values("currency")
            .annotate(n=Count("id"), s=Sum(amount))
            .order_by("currency")
        ]

    shipments = listed(shipped, 50)
    return {
        "day": day.isoformat(),
        "region": region,
        "orders": {"totals": per_currency(sold, "total_amount"), "list": listed(sold)},
        "shipments": {
            "count": len(shipments),
            "to_stores": [s for s in shipments if s["channel"] == "store"],
            "list": shipments,
        },
        "payments": {"totals": per_currency(paid, "amount")},
        "late": {"count": late.count(), "list": listed(late, 20)},
        "at_risk": {"count": risky.count(), "list": listed(risky, 20)},
        # what the other apps add (after-sales' complaints of the day, ...), by part key
        "parts": {part.key: part.build(day, region) for part in registry.daily_parts()},
    }


def daily_parts_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The contributed parts a kept report holds, with their titles and templates, in the
    registry's order (a part whose app is gone, or added after the report was made, is left out)."""
    kept = data.get("parts") or {}
    return [
        {"key": p.key, "title": p.title, "template": p.template, "data": kept[p.key]}
        for p in registry.daily_parts()
        if p.key in kept
    ]


# ---- report pages ------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(until: date, n: int) -> date:
    y, m = until.year, until.month - (n - 1)
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1)


@dataclass(frozen=True)
class OnTime:
    key: str
    early: int
    on_time: int
    late: int

    @property
    def delivered(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def rate(self) -> Decimal | None:
        if not self.delivered:
            return None
        return (Decimal(self.on_time) * 100 / self.delivered).quantize(Decimal("0.1"))


BY = {
    "month": None,
    "customer": "customer__name",
    "salesperson": "salesperson__username",
    "merchandiser": "merchandiser__username",
}


def on_time_delivery(actor: Any, *, since: date, until: date, by: str = "month") -> list[OnTime]:
    """按时交货率: orders delivered (delivery confirmed) in the range, early, on the delivery date
    (neither early nor late) or late, grouped by month of the delivery date, customer,
    salesperson or merchandiser. One aggregate query."""
    from django.db.models import F
    from django.db.models.functions import TruncDate, TruncMonth

    from gendan.orders.selectors import visible_orders

    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    qs = visible_orders(actor).filter(delivered_at__gte=start, delivered_at__lt=end)
    # the delivered day in the project's time zone against the promised date
    qs = qs.annotate(delivered_on=TruncDate("delivered_at"))
    key = BY.get(by)
    if key is None:
        qs = qs.annotate(group=TruncMonth("delivery_date"))
        group = "group"
    else:
        group = key
    rows = (
        qs.order_by()
        .values(group)
        .annotate(
            early=Count("id", filter=Q(delivered_on__lt=F("delivery_date"))),
            on_time=Count("id", filter=Q(delivered_on=F("delivery_date"))),
            late=Count("id", filter=Q(delivered_on__gt=F("delivery_date"))),
        )
        .order_by(group)
    )
    out = []
    for r in rows:
        value = r[group]
        label = value.strftime("%Y-%m") if hasattr(value, "strftime") else str(value or "")
        out.append(OnTime(label, r["early"], r["on_time"], r["late"]))
    return out


@dataclass(frozen=True)
class Workload:
    merchandiser: str
    name: str
    open_orders: int
    late: int
    at_risk: int
    follow_ups_due: int


def merchandiser_workload(actor: Any, today: date) -> list[Workload]:
    """Per merchandiser: open orders, late and at-risk ones, follow-ups due. Two queries."""
    from gendan.orders.review import NOT_READY, NOT_SHIPPED_IN_FULL, at_risk_days
    from gendan.orders.selectors import visible_orders
    from gendan.orders.workflow import OPEN
    from gendan.parties.models import Communication

    horizon = today + timedelta(days=at_risk_days())
    rows = (
        visible_orders(actor)
        .filter(status__in=OPEN)
        .order_by()
        .values("merchandiser__username", "merchandiser__first_name", "merchandiser__last_name")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(status__in=NOT_SHIPPED_IN_FULL, delivery_date__lt=today)),
            risky=Count(
                "id",
                filter=Q(
                    status__in=NOT_READY, delivery_date__gte=today, delivery_date__lte=horizon
                ),
            ),
        )
        .order_by("merchandiser__username")
    )
    follow = dict(
        Communication.objects.filter(done=False, follow_up_on__lte=today)
        .order_by()
        .values("created_by__username")
        .annotate(n=Count("id"))
        .values_list("created_by__username", "n")
    )
    return [
        Workload(
            r["merchandiser__username"],
            f"{r['merchandiser__last_name']}{r['merchandiser__first_name']}".strip()
            or r["merchandiser__username"],
            r["n"],
            r["late"],
            r["risky"],
            follow.get(r["merchandiser__username"], 0),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class SlowStock:
    product: str
    name: str
    warehouse: str
    on_hand: int
    shipped: int  # units out in the period
    last_move: datetime | None
    days_idle: int | None

    @property
    def turnover(self) -> Decimal | None:
        """Units shipped in the period per unit on hand (a rough turnover ratio)."""
        if self.on_hand <= 0:
            return None
        return (Decimal(self.shipped) / self.on_hand).quantize(Decimal("0.01"))


def slow_moving(*, today: date, days: int = 90, limit: int = 200) -> list[SlowStock]:
    """呆滞: finished goods on hand, the units that went out in the last ``days`` and the last
    move, the stalest first. One aggregate query (a page of at most ``limit`` rows)."""
    from django.db.models import Max

    from gendan.inventory.models import StockLevel

    since, _ = day_bounds(today - timedelta(days=days))
    rows = (
        StockLevel.objects.filter(on_hand__gt=0)
        .annotate(
            last=Max("moves__at"),
            out=Sum("moves__quantity", filter=Q(moves__at__gte=since, moves__quantity__lt=0)),
        )
        .order_by("last", "product__code")
        .values("product__code", "product__name", "warehouse__code", "on_hand", "last", "out")[
            :limit
        ]
    )
    now = timezone.now()
    return [
        SlowStock(
            r["product__code"],
            r["product__name"],
            r["warehouse__code"],
            r["on_hand"],
            -(r["out"] or 0),
            r["last"],
            (now - r["last"]).days if r["last"] else None,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class LineLoad:
    line: str
    name: str
    capacity_hours: Decimal
    load_hours: Decimal

    @property
    def use(self) -> Decimal | None:
        if self.capacity_hours <= 0:
            return None
        return (self.load_hours * 100 / self.capacity_hours).quantize(Decimal("0.1"))


def capacity_review(month: date) -> list[LineLoad]:
    """月度产能检讨: per active line, the hours its calendar gives in the month and the hours the
    latest schedule covering the month loads on it. Four queries (lines, calendar facts, the
    latest schedule run, its blocks summed per line)."""
    from gendan.production.calendars import calendar_facts, hours_on
    from gendan.production.models import ProductionLine, ScheduleBlock, ScheduleRun

    first = month_start(month)
    last = _month_end(first)
    lines = list(ProductionLine.objects.filter(active=True).order_by("code"))
    if not lines:
        return []
    holidays, exceptions = calendar_facts(lines, first, last)
    run = (
        ScheduleRun.objects.filter(week_start__lte=last)
        .order_by("-generated_at", "-id")
        .only("pk")
        .first()
    )
    load: dict[int, int] = defaultdict(int)
    if run is not None:
        for line_id, minutes in (
            ScheduleBlock.objects.filter(run=run, day__gte=first, day__lte=last, line__isnull=False)
            .order_by()
            .values("line_id")
            .annotate(m=Sum("minutes"))
            .values_list("line_id", "m")
        ):
            load[line_id] = minutes or 0
    out = []
    for line in lines:
        capacity = Decimal("0")
        d = first
        while d <= last:
            capacity += hours_on(line, d, holidays=holidays, exceptions=exceptions)
            d += timedelta(days=1)
        out.append(
            LineLoad(line.code, line.name, capacity, (Decimal(load[line.pk]) / 60).quantize(CENT))
        )
    return out


def _month_end(first: date) -> date:
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


# ---- the kept daily reports --------------------------------------------------------------------


def regions_of(actor: Any) -> list[str]:
    """The regions whose daily reports the actor reads: a regional manager's assigned regions;
    "" (the whole company) for anyone else who sees every order. One query."""
    from gendan.reports.models import ALL_REGIONS, RegionAssignment

    mine = list(
        RegionAssignment.objects.filter(manager=actor)
        .order_by("region")
        .values_list("region", flat=True)
    )
    if mine:
        return mine
    from gendan.accounts.permissions import Perm

    return [ALL_REGIONS] if actor.can(Perm.VIEW_ALL) else []


def reports_of(actor: Any, day: date) -> list[Any]:
    """The kept daily reports of ``day`` for the actor's regions: two queries."""
    from gendan.reports.models import DailyReport

    regions = regions_of(actor)
    if not regions:
        return []
    return list(DailyReport.objects.filter(day=day, region__in=regions).order_by("region"))


def kept(actor: Any) -> QuerySet[Any]:
    """The kept daily reports of the actor's regions (or all, for those who see all), without
    their data."""
    from gendan.accounts.permissions import Perm
    from gendan.reports.models import DailyReport

    qs = DailyReport.objects.defer("data")
    if not actor.can(Perm.VIEW_ALL):
        qs = qs.filter(region__in=regions_of(actor))
    return qs


def kept_reports(actor: Any, *, limit: int = 60) -> list[Any]:
    """The latest kept daily reports of the actor's regions, by day."""
    return list(kept(actor).order_by("-day", "region")[:limit])
