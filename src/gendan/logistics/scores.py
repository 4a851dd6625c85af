"""Driver scores (司机考核) per month, by one documented formula (docs/logistics.md):

    score = 100 × on-time stops / stops           (100 when the driver had no stop)
            − 5 per problem at a stop (refused, nobody there, other)
            − 10 per damage
            − 10 per day whose cash handed in differed from what was collected
            − 10 per transit-damage complaint on a delivery the driver made
            + the merchandiser's marks (each −20..+20, with a note)
    clamped to 0..120, rounded to one decimal.

A stop is on time when it was delivered on its trip's day. A complaint counts in the month it
was logged, against each driver who delivered a stop of its order (after-sales' kind "damaged
in transit", not rejected by the sales manager). The monthly report to the manager
(上报) is a periodic job that notifies the sales managers on the first day of the next month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from gendan.charts import render as charts
from gendan.logistics.models import (
    CashHandover,
    DeliveryRequest,
    Driver,
    ProblemKind,
    ScoreMark,
    Stop,
    StopStatus,
)

FORMULA = gettext_lazy(
    "Score = 100 × on-time stops ÷ stops (100 without stops) − 5 per problem − 10 per damage "
    "− 10 per day of cash difference − 10 per transit-damage complaint on the driver's delivery "
    "+ the merchandiser's marks; from 0 to 120."
)


def month_of(raw: str | None) -> date:
    """The first day of a month given as YYYY-MM (this month when absent or wrong)."""
    try:
        year, month = (raw or "").split("-")[:2]
        return date(int(year), int(month), 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass
class ScoreRow:
    driver: Driver
    stops: int = 0
    on_time: int = 0
    problems: dict[str, int] = field(default_factory=dict)
    damages: int = 0
    cash_days: int = 0
    cash_difference: Decimal = Decimal("0")
    complaints: int = 0  # transit-damage complaints on the driver's deliveries
    marks: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        return sum(self.problems.values())

    @property
    def score(self) -> Decimal:
        base = Decimal(100) * self.on_time / self.stops if self.stops else Decimal(100)
        value = (
            base
            - 5 * (self.problem_count - self.damages)
            - 10 * self.damages
            - 10 * self.cash_days
            - 10 * self.complaints
            + self.marks
        )
        return min(Decimal(120), max(Decimal(0), value)).quantize(Decimal("0.1"))


def monthly(month: date) -> list[ScoreRow]:
    """Every active driver's month (six queries, whatever the number of stops)."""
    end = _next_month(month)
    rows = {d.pk: ScoreRow(d) for d in Driver.objects.select_related("user").order_by("id")}
    stops = Stop.objects.filter(trip__day__gte=month, trip__day__lt=end).values_list(
        "trip__driver", "trip__day", "status", "problem_kind", "delivered_at"
    )
    for driver_id, day, status, problem, delivered_at in stops:
        row = rows.get(driver_id)
        if row is None:
            continue
        row.stops += 1
        if status == StopStatus.DELIVERED and delivered_at is not None:
            if timezone.localdate(delivered_at) <= day:
                row.on_time += 1
        elif status == StopStatus.PROBLEM:
            row.problems[problem] = row.problems.get(problem, 0) + 1
            if problem == ProblemKind.DAMAGED:
                row.damages += 1
    for h in CashHandover.objects.filter(day__gte=month, day__lt=end).exclude(difference=0):
        if h.driver_id in rows:
            rows[h.driver_id].cash_days += 1
            rows[h.driver_id].cash_difference += h.difference
    for driver_id in damage_complaints(month, end):
        if driver_id in rows:
            rows[driver_id].complaints += 1
    marks: dict[int, list[ScoreMark]] = defaultdict(list)
    for m in ScoreMark.objects.filter(month=month):
        marks[m.driver_id].append(m)
    for driver_id, found in marks.items():
        if driver_id in rows:
            rows[driver_id].marks = sum(m.points for m in found)
            rows[driver_id].notes = [f"{m.points:+d} {m.note}" for m in found]
    return list(rows.values())


def damage_complaints(month: date, end: date) -> list[int]:
    """The driver of each (complaint, driver) pair where a transit-damage complaint logged in
    the month names an order whose stop that driver delivered. Two queries."""
    from gendan.aftersales.models import Complaint, ComplaintKind, ComplaintStatus

    start = timezone.make_aware(datetime.combine(month, time.min))
    stop = timezone.make_aware(datetime.combine(end, time.min))
    orders = list(
        Complaint.objects.filter(
            kind=ComplaintKind.TRANSIT_DAMAGE,
            logged_at__gte=start,
            logged_at__lt=stop,
            order__isnull=False,
        )
        .exclude(status=ComplaintStatus.REJECTED)
        .values_list("order_id", flat=True)
    )
    if not orders:
        return []
    drivers: dict[int, set[int]] = defaultdict(set)
    for order_id, driver_id in DeliveryRequest.objects.filter(
        notice__order_id__in=set(orders), stop__status=StopStatus.DELIVERED
    ).values_list("notice__order_id", "stop__trip__driver_id"):
        drivers[order_id].add(driver_id)
    return [d for order_id in orders for d in sorted(drivers.get(order_id, ()))]


def chart(rows: list[ScoreRow]) -> SafeString:
    return charts.bar(
        title=gettext("Driver scores"),
        description=gettext("The month's score of each driver."),
        x_labels=[str(r.driver) for r in rows],
        series=[charts.Series(gettext("Score"), [float(r.score) for r in rows])],
        y_title=gettext("Score"),
        integers=False,
        height=260,
    )


def workbook(rows: list[ScoreRow], *, show_prices: bool) -> bytes:
    from openpyxl import Workbook

    from gendan.exports.sheets import append_row

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Driver scores")[:31]
    head = [
        gettext("Driver"),
        gettext("Stops"),
        gettext("On time"),
        *[str(label) for _code, label in ProblemKind.choices],
        gettext("Days of cash difference"),
        *([gettext("Cash difference")] if show_prices else []),
        gettext("Transit-damage complaints"),
        gettext("Marks"),
        gettext("Score"),
    ]
    append_row(sheet, head)
    for r in rows:
        append_row(
            sheet,
            [
                str(r.driver),
                r.stops,
                r.on_time,
                *[r.problems.get(code, 0) for code, _label in ProblemKind.choices],
                r.cash_days,
                *([float(r.cash_difference)] if show_prices else []),
                r.complaints,
                r.marks,
                float(r.score),
            ],
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def export(month: date, *, actor: Any) -> bytes:
    """The month's workbook, logged in the export log."""
    from gendan.exports.models import ExportFormat
    from gendan.exports.services import record_export
    from gendan.prices import sees_prices

    rows = monthly(month)
    data = workbook(rows, show_prices=sees_prices(actor))
    record_export(
        actor=actor,
        what="driver_scores",
        filters={"month": month.strftime("%Y-%m")},
        rows=len(rows),
        fmt=ExportFormat.XLSX,
    )
    return data


def run_monthly_report(period: Any) -> dict[str, Any]:
    """上报: on the first day of a month, last month's scores to the sales managers (one
    notification each; idempotent per day through the jobs app's claim)."""
    from gendan.accounts.models import User
    from gendan.notifications.services import notify

    today = timezone.localdate()
    if today.day != 1:
        return {"sent": 0}
    month = (today - timedelta(days=1)).replace(day=1)
    rows = monthly(month)
    lines = "; ".join(f"{r.driver} {r.score}" for r in rows)
    managers = list(User.objects.filter(groups__name="sales_manager", is_active=True))
    notify(
        users=managers,
        kind="logistics.driver_scores",
        text=gettext("Driver scores of %(month)s: %(lines)s")
        % {"month": month.strftime("%Y-%m"), "lines": lines or "—"},
        url="/logistics/scores/?month=" + month.strftime("%Y-%m"),
    )
    return {"sent": len(managers), "drivers": len(rows)}
