"""What the reports app contributes: its permissions and event kinds, the regional manager's
Today section (yesterday's daily report of their regions), the navigation entry of the reports
index, the evening's daily-report job, and its own reports in the index."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.reports import permissions as p
from gendan.reports import registry

#: drawn after Today has loaded (htmx): Today's own query count is pinned
LAZY = ("reports_daily",)
JOB = "reports.daily_report"


def yesterdays_report(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Yesterday's daily reports of the actor's regions (the company's for a sales manager):
    two queries."""
    if request is not None and not getattr(request, "reports_section", False):
        return SectionData(count=0, extra={"lazy": True, "key": "reports_daily"})
    from gendan.reports.selectors import reports_of

    rows = reports_of(actor, today - timedelta(days=1))
    return SectionData(count=len(rows), rows=rows, extra={"day": today - timedelta(days=1)})


def register() -> None:
    from gendan.jobs import registry as jobs
    from gendan.reports.services import run_daily_report_job

    p.register()
    extensions.add_today_section(
        key="reports_daily",
        title=_("Yesterday's daily report"),
        description=_(
            "The day's orders, shipments (to the stores in particular), payments, late and "
            "at-risk orders of your regions, as produced last evening."
        ),
        roles={"regional_manager", "sales_manager"},
        build=yesterdays_report,
        template="reports/_section_daily.html",
        app="reports",
        order=5,
    )
    extensions.add_nav_entry(
        label=_("Reports"),
        url_name="web:reports_index",
        perms=(p.VIEW_SALES_REPORTS, p.VIEW_OPERATIONS_REPORTS),
        app="reports",
        order=90,
    )
    jobs.register(
        jobs.Job(
            name=JOB,
            label=_("Daily reports to the regional and sales managers"),
            schedule=jobs.Daily(at=time(20, 0)),
            run=run_daily_report_job,
            app="reports",
        )
    )
    group_sales, group_ops = _("Sales and receivables"), _("Delivery and operations")
    add = registry.add_report
    add(
        key="reports.daily_sales",
        title=_("Daily sales list"),
        description=_(
            "每日销售清单: the orders of a day with totals per currency, salesperson and region."
        ),
        url_name="web:reports_daily_sales",
        perms=(p.VIEW_SALES_REPORTS,),
        app="reports",
        group=group_sales,
        order=10,
    )
    add(
        key="reports.daily_report",
        title=_("Daily reports"),
        description=_("日报表: each evening's report per region, kept; open any past day."),
        url_name="web:reports_daily_reports",
        perms=(p.VIEW_SALES_REPORTS,),
        app="reports",
        group=group_sales,
        order=11,
    )
    add(
        key="reports.on_time",
        title=_("On-time delivery"),
        description=_(
            "按时交货率: orders delivered early, on the date or late, by month, customer, "
            "salesperson or merchandiser."
        ),
        url_name="web:reports_on_time",
        perms=(p.VIEW_OPERATIONS_REPORTS,),
        app="reports",
        group=group_ops,
        order=30,
    )
    add(
        key="reports.late",
        title=_("Late and at-risk orders"),
        description=_("Orders past their delivery date, and those due soon and not ready to ship."),
        url_name="web:reports_late",
        perms=(p.VIEW_OPERATIONS_REPORTS,),
        app="reports",
        group=group_ops,
        order=31,
    )
    add(
        key="reports.workload",
        title=_("Merchandiser workload"),
        description=_("Open, late and at-risk orders and follow-ups due per merchandiser."),
        url_name="web:reports_workload",
        perms=(p.VIEW_OPERATIONS_REPORTS,),
        app="reports",
        group=group_ops,
        order=32,
    )
    add(
        key="reports.slow_moving",
        title=_("Slow-moving finished goods"),
        description=_(
            "呆滞: stock on hand, what went out in the period, turnover, the stalest first."
        ),
        url_name="web:reports_slow_moving",
        perms=(p.VIEW_OPERATIONS_REPORTS,),
        app="reports",
        group=group_ops,
        order=33,
    )
    add(
        key="reports.capacity",
        title=_("Monthly capacity review"),
        description=_(
            "月度产能检讨: per line, the month's hours against the hours the schedule loads."
        ),
        url_name="web:reports_capacity",
        perms=(p.VIEW_OPERATIONS_REPORTS,),
        app="reports",
        group=group_ops,
        order=34,
    )
