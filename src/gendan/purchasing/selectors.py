"""What purchasing reads: the purchase plan, purchase orders, late lines, in-transit stock,
material readiness per order and work order, supplier figures and slow-moving material. Each
in a bounded number of queries, whatever the data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone

from gendan.errors import not_found
from gendan.orders.models import Order
from gendan.orders.selectors import visible_orders
from gendan.purchasing import permissions as p
from gendan.purchasing.models import (
    LineStatus,
    Material,
    MaterialMove,
    MaterialStock,
    Plate,
    PlateStatus,
    PoStatus,
    PurchaseLine,
    PurchaseOrder,
    Receipt,
    Shipment,
)
from gendan.purchasing.needs import ZERO, Need, needs_of, open_notice_lines
from gendan.purchasing.plan import PlanRow, make_plan


def sees_costs(actor: Any) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.can(p.VIEW_COSTS))


def visible_notice_lines(actor: Any) -> Any:
    return open_notice_lines().filter(notice__order__in=visible_orders(actor).values("pk"))


# ---- the plan --------------------------------------------------------------------------------


def free_supply() -> dict[int, Decimal]:
    """Per material: the stock on hand and what is on order for no notice and not received."""
    free: dict[int, Decimal] = defaultdict(Decimal)
    for row in MaterialStock.objects.values("material_id").annotate(q=Sum("on_hand")):
        free[row["material_id"]] += row["q"]
    for row in (
        PurchaseLine.objects.filter(notice_line__isnull=True)
        .exclude(status=LineStatus.CANCELLED)
        .values("material_id")
        .annotate(q=Sum("quantity"), r=Sum("received_qty"))
    ):
        free[row["material_id"]] += row["q"] - row["r"]
    return dict(free)


@dataclass
class PlanGroup:
    supplier: Any  # a Supplier or None
    rows: list[PlanRow] = field(default_factory=list)


def purchase_plan(actor: Any, *, order: str | None = None) -> list[PlanGroup]:
    """The plan of the notices the actor sees, grouped by the materials' usual suppliers (the
    suppliers by code, no supplier last)."""
    lines = visible_notice_lines(actor)
    if order:
        lines = lines.filter(notice__order__number=order)
    rows = make_plan(needs_of(lines), free_supply())
    groups: dict[Any, PlanGroup] = {}
    for row in rows:
        supplier = row.need.material.supplier
        key = supplier.pk if supplier else None
        groups.setdefault(key, PlanGroup(supplier=supplier)).rows.append(row)
    return sorted(
        groups.values(), key=lambda g: (g.supplier is None, g.supplier.code if g.supplier else "")
    )


# ---- purchase orders -------------------------------------------------------------------------


def purchase_orders(actor: Any) -> QuerySet[PurchaseOrder]:
    if not actor.can(p.VIEW):
        return PurchaseOrder.objects.none()
    return PurchaseOrder.objects.select_related("supplier", "created_by").order_by("-id")


def po_for(actor: Any, number: str) -> PurchaseOrder:
    po = purchase_orders(actor).filter(number=number).first()
    if po is None:
        raise not_found("purchase_order")
    return po


def lines_of(po: PurchaseOrder) -> list[PurchaseLine]:
    return list(
        po.lines.select_related(
            "material", "notice_line__notice", "order", "confirmed_by", "override_by"
        ).order_by("line_no")
    )


def with_lines(orders: list[PurchaseOrder]) -> None:
    """Each order's lines as ``listed_lines``, in one query for all."""
    prefetch_related_objects(
        orders,
        Prefetch(
            "lines",
            queryset=PurchaseLine.objects.select_related(
                "material", "notice_line__notice", "order", "confirmed_by", "override_by"
            ).order_by("line_no"),
            to_attr="listed_lines",
        ),
    )


def open_lines() -> QuerySet[PurchaseLine]:
    return PurchaseLine.objects.filter(
        status=LineStatus.CONFIRMED, po__status=PoStatus.OPEN
    ).exclude(received_qty__gte=F("quantity"))


def late_lines(actor: Any, today: date, *, mine: bool = False) -> QuerySet[PurchaseLine]:
    """Confirmed lines whose promised date has passed and that are not all received; ``mine``:
    of the orders the actor follows as merchandiser."""
    qs = open_lines().filter(promised_on__lt=today)
    if mine:
        qs = qs.filter(order__merchandiser=actor)
    elif not actor.can(p.VIEW):
        return qs.none()
    return qs.select_related("po__supplier", "material", "order").order_by("promised_on", "id")


def in_transit(actor: Any) -> QuerySet[PurchaseLine]:
    """What the suppliers shipped and is not received yet, with its expected arrival."""
    if not actor.can(p.VIEW):
        return PurchaseLine.objects.none()
    return (
        open_lines()
        .filter(shipped_qty__gt=F("received_qty"))
        .annotate(expected_on=Max("shipments__expected_on"))
        .select_related("po__supplier", "material", "order")
        .order_by("expected_on", "id")
    )


def drafts(actor: Any) -> QuerySet[PurchaseLine]:
    """Lines still to confirm (the purchaser's Today)."""
    if not actor.can(p.PURCHASE):
        return PurchaseLine.objects.none()
    return (
        PurchaseLine.objects.filter(status=LineStatus.DRAFT, po__status=PoStatus.OPEN)
        .select_related("po__supplier", "material", "order")
        .order_by("po_id", "line_no")
    )


def late_plates(actor: Any, today: date) -> QuerySet[Plate]:
    """Plates past their due date and not ready (followed like any other late item)."""
    if not actor.can(p.VIEW):
        return Plate.objects.none()
    return (
        Plate.objects.filter(due_on__lt=today)
        .exclude(status=PlateStatus.READY)
        .select_related("material", "supplier")
        .order_by("due_on", "id")
    )


def overrides(actor: Any) -> QuerySet[PurchaseLine]:
    """Lines a manager confirmed past the packaging rules (the overrides report)."""
    if not actor.can(p.VIEW):
        return PurchaseLine.objects.none()
    return (
        PurchaseLine.objects.exclude(override_reason="")
        .select_related("po__supplier", "material", "order", "override_by")
        .order_by("-override_at")
    )


# ---- readiness -------------------------------------------------------------------------------


@dataclass
class Shortage:
    need: Need
    short: Decimal
    expected: date | None  # None: not (all) on order
    late: bool  # expected after the day it is needed (or not on order)


@dataclass
class Readiness:
    needs: list[Need]
    shortages: list[Shortage]

    @property
    def complete(self) -> bool:
        return bool(self.needs) and not self.shortages

    @property
    def ready_on(self) -> date | None:
        """The day the last short material is expected (None: complete, or one is not on
        order)."""
        if not self.shortages or any(s.expected is None for s in self.shortages):
            return None
        return max(s.expected for s in self.shortages if s.expected is not None)


def readiness_of(needs: list[Need]) -> Readiness:
    shortages = []
    for n in needs:
        if n.short <= 0:
            continue
        on_order = n.ordered + n.allocated >= n.need
        expected = n.expected if on_order else None
        late = expected is None or (n.needed_on is not None and expected > n.needed_on)
        shortages.append(Shortage(need=n, short=n.short, expected=expected, late=late))
    return Readiness(needs=needs, shortages=shortages)


def order_readiness(order: Order) -> Readiness:
    """The material readiness of an order's open notices (about six queries)."""
    return readiness_of(needs_of(open_notice_lines().filter(notice__order=order)))


def material_ready_date(work_order: Any) -> date | None:
    """The day a work order's materials are all in hand: today when they are, the last
    expected date of what is short, None when something short is not on order. The schedule
    and the forecast read this (per notice line: ``notice_line_ready_date``)."""
    return notice_line_ready_date(work_order.notice_line_id)


def notice_line_ready_date(notice_line_id: int) -> date | None:
    found = readiness_of(needs_of(open_notice_lines().filter(pk=notice_line_id)))
    if not found.shortages:
        return timezone.localdate()
    return found.ready_on


def notice_lines_ready(notice_lines: list[int]) -> dict[int, date | None]:
    """For the schedule (production's ``MATERIAL_READY``): of the given notice lines, those
    with a material short, mapped to the day the last one is expected (None: one is not on
    order). Lines with every material in hand are left out. About six queries."""
    lines = open_notice_lines().filter(pk__in=notice_lines)
    found = readiness_of(needs_of(lines, limit=max(1, len(notice_lines))))
    ready: dict[int, date | None] = {}
    for s in found.shortages:
        line = s.need.notice_line_id
        known = ready.get(line, date.min)
        ready[line] = None if s.expected is None or known is None else max(s.expected, known)
    return ready


def short_orders(actor: Any, *, mine: bool = True, limit: int = 50) -> list[dict[str, Any]]:
    """The actor's orders (as merchandiser) with a material short that is late or not on
    order: seen before it holds production up. A fixed number of queries."""
    orders = visible_orders(actor)
    if mine:
        orders = orders.filter(merchandiser=actor)
    found = readiness_of(
        needs_of(open_notice_lines().filter(notice__order__in=orders.values("pk")))
    )
    by_order: dict[str, list[Shortage]] = defaultdict(list)
    for s in found.shortages:
        if s.late:
            by_order[s.need.order].append(s)
    ordered = sorted(
        by_order.items(), key=lambda kv: min(s.need.needed_on or date.max for s in kv[1])
    )
    rows = [{"order": number, "shortages": items} for number, items in ordered]
    return rows[:limit] if limit else rows


# ---- supplier figures, slow-moving material ---------------------------------------------------


def _months(start: date, count: int) -> list[date]:
    out, day = [], start.replace(day=1)
    for _ in range(count):
        out.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def supplier_figures(*, months: int = 6, today: date | None = None) -> list[dict[str, Any]]:
    """Per supplier and month (of the promised date): lines due, on time (fully received by
    the promised date), quantity accuracy (received / ordered on lines due), quality (the
    share of receipts that passed), open and late lines. Three queries."""
    today = today or timezone.localdate()
    first = _months(today.replace(day=1) - timedelta(days=31 * (months - 1)), 1)[0]
    table: dict[tuple[int, date], dict[str, Any]] = {}
    names: dict[int, str] = {}

    def cell(supplier: int, month: date) -> dict[str, Any]:
        return table.setdefault(
            (supplier, month),
            {
                "due": 0,
                "on_time": 0,
                "ordered": ZERO,
                "received": ZERO,
                "open": 0,
                "late": 0,
                "receipts": 0,
                "passed": 0,
            },
        )

    for row in PurchaseLine.objects.filter(
        status=LineStatus.CONFIRMED,
        promised_on__gte=first,
        promised_on__lte=today + timedelta(days=400),
    ).values(
        "po__supplier_id",
        "po__supplier__name",
        "promised_on",
        "quantity",
        "received_qty",
        "fully_received_on",
    ):
        names[row["po__supplier_id"]] = row["po__supplier__name"]
        c = cell(row["po__supplier_id"], row["promised_on"].replace(day=1))
        done = row["received_qty"] >= row["quantity"]
        if not done:
            c["open"] += 1
            if row["promised_on"] < today:
                c["late"] += 1
        if row["promised_on"] <= today:
            c["due"] += 1
            c["ordered"] += row["quantity"]
            c["received"] += row["received_qty"]
            if done and row["fully_received_on"] and row["fully_received_on"] <= row["promised_on"]:
                c["on_time"] += 1
    for supplier, name, received_on, passed in Receipt.objects.filter(
        received_on__gte=first
    ).values_list("line__po__supplier_id", "line__po__supplier__name", "received_on", "passed"):
        names[supplier] = name
        c = cell(supplier, received_on.replace(day=1))
        c["receipts"] += 1
        c["passed"] += 1 if passed else 0
    out = []
    for (supplier, month), c in sorted(table.items(), key=lambda kv: (names[kv[0][0]], kv[0][1])):
        out.append(
            {
                "supplier_id": supplier,
                "supplier": names[supplier],
                "month": month,
                **c,
                "on_time_rate": _rate(c["on_time"], c["due"]),
                "quantity_accuracy": _rate(c["received"], c["ordered"]),
                "pass_rate": _rate(c["passed"], c["receipts"]),
            }
        )
    return out


def _rate(part: Any, whole: Any) -> float | None:
    return round(float(part) * 100 / float(whole), 1) if whole else None


def slow_moving(*, days: int = 90, today: date | None = None) -> list[dict[str, Any]]:
    """Materials with stock and no move for ``days`` days (呆滞), with their value at the
    standard price. Two queries."""
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=days)
    moved = MaterialMove.objects.filter(material=OuterRef("pk"), at__gte=since)
    rows = (
        Material.objects.annotate(stock=Sum("stocks__on_hand"), last_move=Max("moves__at"))
        .filter(stock__gt=0)
        .filter(~Exists(moved))
        .select_related("supplier")
        .order_by("code")
    )
    out = []
    for m in rows:
        out.append(
            {
                "material": m,
                "stock": m.stock,
                "last_move": timezone.localdate(m.last_move) if m.last_move else None,
                "idle_days": (today - timezone.localdate(m.last_move)).days
                if m.last_move
                else None,
                "value": (m.stock * m.standard_price).quantize(Decimal("0.01"))
                if m.standard_price is not None
                else None,
            }
        )
    return out


def shipments_of(line: PurchaseLine) -> QuerySet[Shipment]:
    return line.shipments.order_by("expected_on", "id")


def materials() -> QuerySet[Material]:
    return Material.objects.select_related("supplier").annotate(stock=Sum("stocks__on_hand"))
