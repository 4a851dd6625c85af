"""Reads of production that pages and the API share, each in a bounded number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR
from typing import Any

from django.db.models import F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from gendan.errors import not_found
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import Status
from gendan.production.calendars import calendar_facts, hours_on
from gendan.production.models import (
    DailyReport,
    DayPlan,
    DayPlanItem,
    FirstArticle,
    FirstArticleSample,
    FirstArticleStatus,
    ProductionLine,
    Routing,
    RoutingStep,
    SlipReason,
    WorkOrder,
    WorkOrderStatus,
)


def lines() -> QuerySet[ProductionLine]:
    return ProductionLine.objects.prefetch_related("capacities", "exceptions").order_by("code")


def routings() -> QuerySet[Routing]:
    return Routing.objects.prefetch_related(
        Prefetch("steps", queryset=RoutingStep.objects.select_related("supplier").order_by("seq"))
    ).order_by("family")


def work_orders_for(actor: Any) -> QuerySet[WorkOrder]:
    """Work orders of the orders the actor sees."""
    return WorkOrder.objects.filter(order__in=visible_orders(actor).values("pk")).select_related(
        "order", "line", "notice_line__line__product"
    )


@dataclass
class FloorRow:
    """One work order on the phone page: what is planned today, what was reported."""

    work_order: WorkOrder
    planned: int
    report: DailyReport | None
    predecessor_good: int | None  # None for the first step


def floor(line: ProductionLine, day: date) -> list[FloorRow]:
    """The line's open work orders with the day's plan and report: five queries whatever the
    number of work orders."""
    wos = list(
        WorkOrder.objects.filter(line=line, status=WorkOrderStatus.OPEN, routed=True)
        .select_related("order__customer", "notice_line__line__product", "first_article")
        .prefetch_related(
            Prefetch("reports", queryset=DailyReport.objects.filter(day=day), to_attr="day_reports")
        )
        .order_by("order__delivery_date", "pk")
    )
    predecessors = {
        (nl, seq): good
        for nl, seq, good in WorkOrder.objects.filter(
            notice_line_id__in={w.notice_line_id for w in wos}
        ).values_list("notice_line_id", "seq", "good_qty")
    }
    planned = planned_map(wos, line, day)
    return [
        FloorRow(
            work_order=w,
            planned=planned.get(w.pk, 0),
            report=w.day_reports[0] if w.day_reports else None,
            predecessor_good=predecessors.get((w.notice_line_id, w.seq - 1)),
        )
        for w in wos
    ]


def planned_map(wos: Sequence[Any], line: ProductionLine, day: date) -> dict[int, int]:
    """Per work order, the day's planned quantity (the confirmed plan, else rate x hours; never
    more than remains before that day's report)."""
    plan = DayPlan.objects.filter(line=line, day=day).first()
    if plan is not None and plan.confirmed:
        return dict(
            DayPlanItem.objects.filter(plan=plan).values_list("work_order_id", "planned_qty")
        )
    holidays, exceptions = calendar_facts([line], day, day)
    hours = hours_on(line, day, holidays=holidays, exceptions=exceptions)
    out = {}
    for w in wos:
        if not w.rate_per_hour:
            continue
        reported = w.day_reports[0].good_qty if getattr(w, "day_reports", None) else 0
        standard = int((w.rate_per_hour * hours).to_integral_value(rounding=ROUND_FLOOR))
        out[w.pk] = max(0, min(standard, w.remaining + reported))
    return out


@dataclass
class StepProgress:
    seq: int
    name: str
    quantity: int
    good: int
    planned: int  # planned to date: the sum of the days' plans reported against
    defects: int
    scrap: int
    outsourced: bool = False

    @property
    def behind(self) -> int:
        return max(0, self.planned - self.good)


@dataclass
class OrderProgress:
    steps: list[StepProgress] = field(default_factory=list)
    closed_short: bool = False


def progress_of(order: Any) -> OrderProgress:
    """Plan against actual per step of the order (its notice lines added up): two queries."""
    steps: dict[int, StepProgress] = {}
    closed = False
    for wo in WorkOrder.objects.filter(order=order, routed=True).order_by("seq", "pk"):
        if wo.status == WorkOrderStatus.CANCELLED:
            continue
        closed = closed or wo.status == WorkOrderStatus.CLOSED_SHORT
        s = steps.setdefault(
            wo.seq, StepProgress(wo.seq, wo.step_name, 0, 0, 0, 0, 0, wo.outsourced)
        )
        s.quantity += wo.quantity
        s.good += wo.good_qty
        s.defects += wo.defect_qty
        s.scrap += wo.scrap_qty
    planned = (
        DailyReport.objects.filter(work_order__order=order, work_order__routed=True)
        .values("work_order__seq")
        .annotate(planned=Sum("planned_qty"))
    )
    for row in planned:
        if row["work_order__seq"] in steps:
            steps[row["work_order__seq"]].planned = row["planned"] or 0
    return OrderProgress(steps=[steps[k] for k in sorted(steps)], closed_short=closed)


@dataclass
class Behind:
    order: str
    customer: str
    work_order: str
    step: str
    good: int
    quantity: int
    short: int
    since: date
    reason: str
    reason_label: str
    note: str


def behind_plan(actor: Any, today: date, limit: int, *, days: int = 14) -> tuple[int, list[Behind]]:
    """Open work orders of the actor's orders in production whose reports of the last ``days``
    fell short of plan: how much in all, since when, the last reason given. Two queries."""
    start = today - timedelta(days=days)
    short_days = DailyReport.objects.filter(day__gte=start, good_qty__lt=F("planned_qty"))
    last = short_days.filter(work_order=OuterRef("work_order")).order_by("-day")
    shorts = (
        short_days.filter(
            work_order__status=WorkOrderStatus.OPEN,
            work_order__order__status=Status.RELEASED,
            work_order__order__in=_mine(actor),
        )
        .values("work_order")
        .annotate(
            short=Sum(F("planned_qty") - F("good_qty")),
            since=Min("day"),
            reason=Subquery(last.values("slip_reason")[:1]),
            note=Subquery(last.values("note")[:1]),
        )
        .values(
            "work_order",
            "short",
            "since",
            "reason",
            "note",
            "work_order__number",
            "work_order__step_name",
            "work_order__good_qty",
            "work_order__quantity",
            "work_order__order__number",
            "work_order__order__customer__name",
        )
        .order_by("since", "work_order")
    )
    count = shorts.count()
    page = list(shorts[:limit]) if count else []
    labels = dict(SlipReason.choices)
    return count, [
        Behind(
            order=row["work_order__order__number"],
            customer=row["work_order__order__customer__name"],
            work_order=row["work_order__number"],
            step=row["work_order__step_name"],
            good=row["work_order__good_qty"],
            quantity=row["work_order__quantity"],
            short=row["short"],
            since=row["since"],
            reason=row["reason"] or "",
            reason_label=str(labels.get(row["reason"], "")),
            note=row["note"] or "",
        )
        for row in page
    ]


def on_the_floor(actor: Any, request: Any = None) -> bool:
    """Whether any order the actor follows has open routed work orders (one query, asked once
    per request: Today's production sections stay away at that cost when there are none)."""
    memo = getattr(request, "_production_on_the_floor", None)
    if memo is not None:
        return bool(memo)
    found = WorkOrder.objects.filter(
        status=WorkOrderStatus.OPEN,
        routed=True,
        order__status=Status.RELEASED,
        order__in=_mine(actor),
    ).exists()
    if request is not None:
        request._production_on_the_floor = found
    return found


def _mine(actor: Any) -> Any:
    """The orders the actor follows as their merchandiser."""
    return visible_orders(actor).filter(merchandiser=actor).values("pk")


def silent_yesterday(actor: Any, today: date, limit: int) -> tuple[int, list[WorkOrder]]:
    """Work orders on the floor (first step, or started) whose line worked yesterday and that
    have no report for yesterday. Four queries: the lines and their calendar first (a factory
    has tens of lines), then the work orders counted and paged in the database."""
    yesterday = today - timedelta(days=1)
    lines = list(ProductionLine.objects.filter(active=True))
    holidays, exceptions = calendar_facts(lines, yesterday, yesterday)
    worked = [
        line.pk
        for line in lines
        if hours_on(line, yesterday, holidays=holidays, exceptions=exceptions) > 0
    ]
    if not worked:
        return 0, []
    qs = (
        WorkOrder.objects.filter(
            status=WorkOrderStatus.OPEN,
            routed=True,
            outsourced=False,
            line_id__in=worked,
            order__status=Status.RELEASED,
            order__in=_mine(actor),
        )
        .exclude(reports__day=yesterday)
        .filter(Q(seq=1) | Q(good_qty__gt=0))
        .select_related("order__customer", "line")
        .order_by("order__delivery_date", "pk")
    )
    count = qs.count()
    return count, list(qs[:limit]) if count else []


# ---- first articles ------------------------------------------------------------------------


def first_articles_for(actor: Any) -> QuerySet[FirstArticle]:
    """First-article gates of the orders the actor sees, the open ones first."""
    return (
        FirstArticle.objects.filter(order__in=visible_orders(actor).values("pk"))
        .select_related(
            "work_order__notice_line__line__product", "order__customer", "order__salesperson"
        )
        .order_by("status", "submitted_at", "id")
    )


def first_articles_to_decide(actor: Any) -> QuerySet[Any]:
    """Samples waiting for the actor as the order's salesperson."""
    return (
        first_articles_for(actor)
        .filter(status=FirstArticleStatus.SUBMITTED, order__salesperson=actor)
        .order_by("submitted_at", "id")
    )


def first_articles_overdue(actor: Any, since: Any) -> QuerySet[Any]:
    """Samples of the actor's orders (as their merchandiser) waiting since before ``since``."""
    return (
        first_articles_for(actor)
        .filter(
            status=FirstArticleStatus.SUBMITTED,
            submitted_at__lte=since,
            order__merchandiser=actor,
        )
        .order_by("submitted_at", "id")
    )


def first_article_for(actor: Any, work_order: str) -> Any:
    """The first article of a work order of an order the actor sees (else not found)."""
    gate = (
        FirstArticle.objects.filter(
            work_order__number=work_order, order__in=visible_orders(actor).values("pk")
        )
        .select_related(
            "work_order__line",
            "work_order__notice_line__line__product",
            "order__customer",
            "order__salesperson",
            "order__merchandiser",
        )
        .first()
    )
    if gate is None:
        raise not_found("first_article")
    return gate


def first_article_sample_for(actor: Any, number: str) -> Any:
    """A sample of an order the actor sees (the attachments' lookup)."""
    return (
        FirstArticleSample.objects.filter(
            number=number, first_article__order__in=visible_orders(actor).values("pk")
        )
        .select_related("first_article__order__customer", "first_article__work_order")
        .first()
    )


# ---- outsourced processing (外发加工) ----------------------------------------------------------


@dataclass
class Outsourced:
    """An open outsourced work order: what was sent, what came back (a rejected receipt went
    back to the supplier, so it is out again), what is still out, and when the oldest of it was
    expected back."""

    work_order: WorkOrder
    supplier: str
    sent: int
    received: int
    awaiting_inspection: int
    predecessor_good: int | None
    expected_back: date | None  # of the oldest shipment not fully back
    shipments: list[Any] = field(default_factory=list)
    receipts: list[Any] = field(default_factory=list)

    @property
    def out(self) -> int:
        return self.sent - self.received

    def days_late(self, today: date) -> int:
        if self.out <= 0 or self.expected_back is None or self.expected_back >= today:
            return 0
        return (today - self.expected_back).days


def outsourced(orders: Any = None) -> list[Outsourced]:
    """Open outsourced work orders of released orders (of ``orders``, a queryset of order pks,
    when given) with their shipments and receipts: four queries, whatever their number."""
    from gendan.production.models import OutsourceReceipt, OutsourceShipment, ReceiptStatus

    qs = WorkOrder.objects.filter(
        outsourced=True, status=WorkOrderStatus.OPEN, order__status=Status.RELEASED
    )
    if orders is not None:
        qs = qs.filter(order__in=orders)
    before = WorkOrder.objects.filter(
        notice_line=OuterRef("notice_line"), seq=OuterRef("seq") - 1
    ).values("good_qty")[:1]
    wos = list(
        qs.select_related("order__customer", "notice_line__line__product")
        .annotate(predecessor_good=Subquery(before))
        .prefetch_related(
            Prefetch(
                "shipments",
                queryset=OutsourceShipment.objects.select_related("supplier").order_by(
                    "sent_on", "id"
                ),
            ),
            Prefetch("receipts", queryset=OutsourceReceipt.objects.order_by("received_on", "id")),
        )
        .order_by("order__delivery_date", "id")
    )
    rows = []
    for wo in wos:
        shipments = list(wo.shipments.all())
        receipts = list(wo.receipts.all())
        sent = sum(s.quantity for s in shipments)
        received = sum(r.quantity for r in receipts if r.status != ReceiptStatus.REJECTED)
        waiting = sum(r.quantity for r in receipts if r.status == ReceiptStatus.AWAITING_INSPECTION)
        expected, cumulative = None, 0
        for s in shipments:
            cumulative += s.quantity
            if cumulative > received:
                expected = s.expected_back
                break
        rows.append(
            Outsourced(
                work_order=wo,
                supplier=shipments[-1].supplier.name if shipments else "",
                sent=sent,
                received=received,
                awaiting_inspection=waiting,
                predecessor_good=wo.predecessor_good,
                expected_back=expected,
                shipments=shipments,
                receipts=receipts,
            )
        )
    return rows


def late_returns(actor: Any, today: date, limit: int) -> tuple[int, list[Outsourced]]:
    """The actor's orders' outsourced goods expected back before today and not all back,
    the latest first (four queries)."""
    late = [row for row in outsourced(_mine(actor)) if row.days_late(today) > 0]
    late.sort(key=lambda r: (-r.days_late(today), r.work_order.pk))
    return len(late), late[:limit]


# ---- the weekly schedule ----------------------------------------------------------------------


@dataclass
class ScheduleCell:
    blocks: list[dict[str, Any]]
    minutes: int = 0


@dataclass
class ScheduleWeek:
    """One week of a schedule run: a row per line (and one for the outsourced steps), a cell
    per day, and each order of the week with its expected finish against its delivery date."""

    days: list[date]
    rows: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    blocks: int


def schedule_week(run: Any, week: date) -> ScheduleWeek:
    """Three queries whatever the size of the factory."""
    from gendan.production.models import ProductionLine, ScheduleBlock, ScheduleFinish

    days = [week + timedelta(days=i) for i in range(7)]
    index = {d: i for i, d in enumerate(days)}
    lines = list(ProductionLine.objects.filter(active=True).order_by("code"))
    rows: dict[int | None, dict[str, Any]] = {
        line.pk: {"line": line, "cells": [ScheduleCell([]) for _ in days]} for line in lines
    }
    outsourced: dict[str, Any] = {"line": None, "cells": [ScheduleCell([]) for _ in days]}
    orders: set[int] = set()
    count = 0
    for pk, line_id, day, minutes, qty, end, wo, step_name, order_id, order in (
        ScheduleBlock.objects.filter(run=run, day__range=(days[0], days[-1]))
        .order_by("line_id", "day", "step_start", "id")
        .values_list(
            "pk",
            "line_id",
            "day",
            "minutes",
            "quantity",
            "step_end",
            "work_order__number",
            "work_order__step_name",
            "work_order__order_id",
            "work_order__order__number",
        )
    ):
        row = rows.get(line_id) if line_id is not None else outsourced
        if row is None:
            continue
        cell = row["cells"][index[day]]
        cell.blocks.append(
            {
                "pk": pk,
                "order_id": order_id,
                "work_order": wo,
                "step": step_name,
                "order": order,
                "quantity": qty,
                "hours": round(minutes / 60, 1),
                "until": end if line_id is None else None,
            }
        )
        cell.minutes += minutes
        orders.add(order_id)
        count += 1
    table = list(rows.values())
    if any(c.blocks for c in outsourced["cells"]):
        table.append(outsourced)
    by_order: dict[int, dict[str, Any]] = {}
    for order_id, number, due, finish, late in (
        ScheduleFinish.objects.filter(run=run, order_id__in=orders)
        .order_by("due", "order_id")
        .values_list("order_id", "order__number", "due", "finish", "tardiness")
    ):
        entry = by_order.setdefault(
            order_id, {"order": number, "due": due, "finish": finish, "late": 0, "open": False}
        )
        if finish is None:
            entry["open"] = True
        elif entry["finish"] is None or finish > entry["finish"]:
            entry["finish"] = finish
        entry["late"] = max(entry["late"], late)
    for entry in by_order.values():
        if entry["open"]:
            entry["finish"] = None
    for row in table:
        for cell in row["cells"]:
            for b in cell.blocks:
                b["late"] = by_order.get(b["order_id"], {}).get("late", 0) > 0
    return ScheduleWeek(days, table, list(by_order.values()), count)
