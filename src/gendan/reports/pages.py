"""The report pages' tables: each report is a function of the request's filters that returns a
``Sheet`` (filters, a chart, columns, rows); the page and its Excel export draw the same sheet,
so what is exported is what is shown. Amount columns exist only for those who see prices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from gendan import charts
from gendan.reports import permissions as p
from gendan.reports import selectors


@dataclass(frozen=True)
class FilterField:
    name: str
    label: str
    kind: str  # "date", "month", "select", "number"
    value: Any
    choices: tuple[tuple[str, str], ...] = ()


@dataclass
class Sheet:
    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[Any]]
    filters: list[FilterField] = field(default_factory=list)
    chart: Any = None
    applied: dict[str, Any] = field(default_factory=dict)  # what the export log keeps


def _day(raw: str | None, default: date) -> date:
    try:
        return parse_date(raw or "") or default
    except ValueError:
        return default


def _month(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(f"{raw}-01") if raw else default
    except ValueError:
        return default


def on_time(user: Any, get: Any) -> Sheet:
    today = timezone.localdate()
    until = _day(get.get("until"), today)
    since = min(_day(get.get("since"), selectors.months_back(until, 12)), until)
    if (until - since).days > 3 * 366:
        since = until - timedelta(days=3 * 366)
    by = get.get("by", "month")
    if by not in selectors.BY:
        by = "month"
    groups = selectors.on_time_delivery(user, since=since, until=until, by=by)
    by_labels = {
        "month": gettext("Month"),
        "customer": gettext("Customer"),
        "salesperson": gettext("Salesperson"),
        "merchandiser": gettext("Merchandiser"),
    }
    chart = charts.stacked_bar(
        title=gettext("Deliveries early, on the date and late"),
        description=gettext("Orders delivered from %(since)s to %(until)s, per %(by)s.")
        % {"since": since, "until": until, "by": by_labels[by]},
        x_labels=[g.key for g in groups],
        series=[
            charts.Series(gettext("Early"), [g.early for g in groups]),
            charts.Series(gettext("On the date"), [g.on_time for g in groups]),
            charts.Series(gettext("Late"), [g.late for g in groups]),
        ],
        y_title=gettext("Orders"),
    )
    return Sheet(
        key="on_time",
        title=gettext("On-time delivery"),
        description=gettext(
            "An order is on time when its delivery was confirmed on its delivery date: neither "
            "early nor late."
        ),
        columns=[
            by_labels[by],
            gettext("Delivered"),
            gettext("Early"),
            gettext("On the date"),
            gettext("Late"),
            gettext("On-time rate (%)"),
        ],
        rows=[[g.key, g.delivered, g.early, g.on_time, g.late, g.rate] for g in groups],
        filters=[
            FilterField("since", gettext("From"), "date", since),
            FilterField("until", gettext("To"), "date", until),
            FilterField("by", gettext("Per"), "select", by, tuple(by_labels.items())),
        ],
        chart=chart,
        applied={"since": since, "until": until, "by": by},
    )


def late(user: Any, get: Any) -> Sheet:
    today = timezone.localdate()
    late_qs, risky_qs = selectors.late_and_at_risk(user, today)
    limit = 200
    late_rows = list(late_qs[:limit])
    risky_rows = list(risky_qs[:limit])
    counts = (late_qs.count(), risky_qs.count())
    rows = [
        [
            gettext("Late") if kind == "late" else gettext("At risk"),
            o.number,
            o.customer.name,
            o.merchandiser.username,
            o.delivery_date,
            (today - o.delivery_date).days,
            o.get_status_display(),
        ]
        for kind, found in (("late", late_rows), ("at_risk", risky_rows))
        for o in found
    ]
    chart = charts.bar(
        title=gettext("Late and at-risk orders"),
        description=gettext("Open orders past their delivery date, and due soon and not ready."),
        x_labels=[gettext("Late"), gettext("At risk")],
        series=[charts.Series(gettext("Orders"), list(counts))],
    )
    return Sheet(
        key="late",
        title=gettext("Late and at-risk orders"),
        description=gettext(
            "Late: past the delivery date and not shipped in full. At risk: due within the "
            "at-risk days and not ready to ship. The first 200 of each."
        ),
        columns=[
            gettext("Kind"),
            gettext("Order"),
            gettext("Customer"),
            gettext("Merchandiser"),
            gettext("Delivery date"),
            gettext("Days past the date"),
            gettext("Status"),
        ],
        rows=rows,
        chart=chart,
        applied={"today": today},
    )


def workload(user: Any, get: Any) -> Sheet:
    today = timezone.localdate()
    rows = selectors.merchandiser_workload(user, today)
    chart = charts.stacked_bar(
        title=gettext("Open orders per merchandiser"),
        description=gettext("Open orders, the late and at-risk ones among them, per merchandiser."),
        x_labels=[w.name for w in rows],
        series=[
            charts.Series(gettext("Late"), [w.late for w in rows]),
            charts.Series(gettext("At risk"), [w.at_risk for w in rows]),
            charts.Series(
                gettext("Other open"), [w.open_orders - w.late - w.at_risk for w in rows]
            ),
        ],
        y_title=gettext("Orders"),
    )
    return Sheet(
        key="workload",
        title=gettext("Merchandiser workload"),
        description=gettext(
            "Follow-ups due: communications the person logged, due today or before."
        ),
        columns=[
            gettext("Merchandiser"),
            gettext("Open orders"),
            gettext("Late"),
            gettext("At risk"),
            gettext("Follow-ups due"),
        ],
        rows=[[w.name, w.open_orders, w.late, w.at_risk, w.follow_ups_due] for w in rows],
        chart=chart,
        applied={"today": today},
    )


def slow_moving(user: Any, get: Any) -> Sheet:
    today = timezone.localdate()
    try:
        days = max(7, min(int(get.get("days") or 90), 730))
    except ValueError:
        days = 90
    stock = selectors.slow_moving(today=today, days=days)
    idle = [s for s in stock if s.days_idle is None or s.days_idle >= days]
    chart = charts.bar(
        title=gettext("Stock on hand by days without a move"),
        description=gettext("Units on hand of the stalest products (up to 20)."),
        x_labels=[s.product for s in stock[:20]],
        series=[charts.Series(gettext("On hand"), [s.on_hand for s in stock[:20]])],
        y_title=gettext("Units"),
    )
    return Sheet(
        key="slow_moving",
        title=gettext("Slow-moving finished goods"),
        description=gettext(
            "%(n)d products have not moved for %(days)d days or more. Turnover: units out in the "
            "period per unit on hand."
        )
        % {"n": len(idle), "days": days},
        columns=[
            gettext("Product"),
            gettext("Name"),
            gettext("Warehouse"),
            gettext("On hand"),
            gettext("Out in the period"),
            gettext("Turnover"),
            gettext("Days without a move"),
        ],
        rows=[
            [s.product, s.name, s.warehouse, s.on_hand, s.shipped, s.turnover, s.days_idle]
            for s in stock
        ],
        filters=[FilterField("days", gettext("Period (days)"), "number", days)],
        chart=chart,
        applied={"days": days},
    )


def capacity(user: Any, get: Any) -> Sheet:
    month = _month(get.get("month"), selectors.month_start(timezone.localdate()))
    loads = selectors.capacity_review(month)
    chart = charts.bar(
        title=gettext("Load against capacity per line"),
        description=gettext(
            "Hours of the month per line: what the calendar gives, what the schedule loads."
        ),
        x_labels=[ln.line for ln in loads],
        series=[
            charts.Series(gettext("Capacity (h)"), [float(ln.capacity_hours) for ln in loads]),
            charts.Series(gettext("Load (h)"), [float(ln.load_hours) for ln in loads]),
        ],
        y_title=gettext("Hours"),
        integers=False,
    )
    return Sheet(
        key="capacity",
        title=gettext("Monthly capacity review"),
        description=gettext(
            "Capacity: the line's calendar hours in the month (shifts, days off, holidays, "
            "exceptions). Load: the hours the latest weekly schedule puts on it in the month."
        ),
        columns=[
            gettext("Line"),
            gettext("Name"),
            gettext("Capacity (h)"),
            gettext("Load (h)"),
            gettext("Load (%)"),
        ],
        rows=[[ln.line, ln.name, ln.capacity_hours, ln.load_hours, ln.use] for ln in loads],
        filters=[FilterField("month", gettext("Month"), "month", month.strftime("%Y-%m"))],
        chart=chart,
        applied={"month": month.strftime("%Y-%m")},
    )


#: key -> (build, permission)
SHEETS: dict[str, tuple[Callable[[Any, Any], Sheet], str]] = {
    "on_time": (on_time, p.VIEW_OPERATIONS_REPORTS),
    "late": (late, p.VIEW_OPERATIONS_REPORTS),
    "workload": (workload, p.VIEW_OPERATIONS_REPORTS),
    "slow_moving": (slow_moving, p.VIEW_OPERATIONS_REPORTS),
    "capacity": (capacity, p.VIEW_OPERATIONS_REPORTS),
}
