"""Reads of the slips and of plan against actual, aggregated in SQL (a constant number of
queries whatever the number of reports):

- ``slip_stats``: the seven slip reasons counted per line, per ISO week, per customer and per
  reason, each as the shortfall quantity and the number of reports, over a range of days;
- ``plan_progress``: the plan-progress sheet (生产计划进度跟踪表) of one order, per step and
  day, planned against good, day by day and cumulative, with the variance.

No price is in any of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractIsoYear, ExtractWeek

from gendan.orders.selectors import visible_orders
from gendan.production.models import DailyReport, SlipReason, WorkOrder, WorkOrderStatus

DIMENSIONS = ("line", "week", "customer", "reason")


@dataclass
class Cell:
    short: int = 0
    reports: int = 0


@dataclass
class Table:
    """One grouping: its rows' labels, and per row and reason the shortfall and the count."""

    dimension: str
    rows: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, row: str, reason: str) -> Cell:
        return self.cells.get((row, reason), Cell())

    def total(self, row: str) -> Cell:
        out = Cell()
        for reason in SlipReason.values:
            c = self.cell(row, reason)
            out.short += c.short
            out.reports += c.reports
        return out

    def lines(self) -> list[dict[str, Any]]:
        """The rows as the page and the export draw them."""
        return [
            {
                "label": row,
                "cells": [self.cell(row, r) for r in SlipReason.values],
                "total": self.total(row),
            }
            for row in self.rows
        ]


@dataclass
class SlipStats:
    since: date | None
    until: date | None
    tables: dict[str, Table]
    by_reason: dict[str, Cell]

    @property
    def reports(self) -> int:
        return sum(c.reports for c in self.by_reason.values())

    @property
    def short(self) -> int:
        return sum(c.short for c in self.by_reason.values())


def slip_reports(actor: Any, since: date | None, until: date | None) -> Any:
    """The reports that fell short of their plan with a reason, of the orders the actor sees."""
    qs = DailyReport.objects.exclude(slip_reason="").filter(
        good_qty__lt=F("planned_qty"), work_order__order__in=visible_orders(actor).values("pk")
    )
    if since is not None:
        qs = qs.filter(day__gte=since)
    if until is not None:
        qs = qs.filter(day__lte=until)
    return qs


def slip_stats(actor: Any, *, since: date | None = None, until: date | None = None) -> SlipStats:
    """Four grouped queries (line, ISO week, customer, and reason alone in the first three)."""
    base = slip_reports(actor, since, until)
    short = Sum(F("planned_qty") - F("good_qty"))
    groupings: dict[str, tuple[Any, Any]] = {
        "line": (base.values(key=F("work_order__line__code")), "key"),
        "customer": (base.values(key=F("work_order__order__customer__name")), "key"),
        "week": (
            base.annotate(y=ExtractIsoYear("day"), w=ExtractWeek("day")).values("y", "w"),
            None,
        ),
    }
    tables: dict[str, Table] = {}
    by_reason: dict[str, Cell] = {r: Cell() for r in SlipReason.values}
    for dimension, (qs, key) in groupings.items():
        table = Table(dimension)
        rows = qs.annotate(reason=F("slip_reason")).values(
            *(["key"] if key else ["y", "w"]), "reason"
        )
        for row in rows.annotate(short=short, reports=Count("id")).order_by():
            label = str(row["key"] or "—") if key else f"{int(row['y'])}-W{int(row['w']):02d}"
            if label not in table.rows:
                table.rows.append(label)
            cell = table.cells.setdefault((label, row["reason"]), Cell())
            cell.short += int(row["short"] or 0)
            cell.reports += int(row["reports"])
            if dimension == "line":  # every report has one line (or none): the reasons' totals
                by_reason[row["reason"]].short += int(row["short"] or 0)
                by_reason[row["reason"]].reports += int(row["reports"])
        table.rows.sort()
        tables[dimension] = table
    reason_table = Table("reason", rows=[str(label) for label in SlipReason.labels])
    for value, name in SlipReason.choices:
        reason_table.cells[(str(name), value)] = by_reason[value]
    tables["reason"] = reason_table
    return SlipStats(since=since, until=until, tables=tables, by_reason=by_reason)


# ---- the plan-progress sheet of one order ----------------------------------------------------


@dataclass
class ProgressDay:
    day: date
    planned: int
    good: int
    cumulative_planned: int
    cumulative_good: int
    slip_reason: str

    @property
    def variance(self) -> int:
        return self.good - self.planned

    @property
    def cumulative_variance(self) -> int:
        return self.cumulative_good - self.cumulative_planned


@dataclass
class ProgressStep:
    work_order: str
    seq: int
    name: str
    line: str
    quantity: int
    good: int
    status: str
    days: list[ProgressDay] = field(default_factory=list)


def plan_progress(order: Any) -> list[ProgressStep]:
    """Per work order (step) of the order, its days: planned and good, the day's and the
    cumulative variance. Two queries whatever the number of days."""
    steps: dict[int, ProgressStep] = {}
    for wo in (
        WorkOrder.objects.filter(order=order, routed=True)
        .exclude(status=WorkOrderStatus.CANCELLED)
        .values("pk", "number", "seq", "step_name", "line__code", "quantity", "good_qty", "status")
        .order_by("notice_line", "seq")
    ):
        steps[wo["pk"]] = ProgressStep(
            wo["number"],
            wo["seq"],
            wo["step_name"],
            wo["line__code"] or "",
            wo["quantity"],
            wo["good_qty"],
            wo["status"],
        )
    totals: dict[int, tuple[int, int]] = {}
    for row in (
        DailyReport.objects.filter(work_order_id__in=steps)
        .values("work_order_id", "day", "planned_qty", "good_qty", "slip_reason")
        .order_by("work_order_id", "day")
    ):
        planned, good = totals.get(row["work_order_id"], (0, 0))
        planned, good = planned + row["planned_qty"], good + row["good_qty"]
        totals[row["work_order_id"]] = (planned, good)
        steps[row["work_order_id"]].days.append(
            ProgressDay(
                row["day"], row["planned_qty"], row["good_qty"], planned, good, row["slip_reason"]
            )
        )
    return list(steps.values())
