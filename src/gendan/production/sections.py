"""What production contributes to Today, the cockpit and the navigation: the open production
notices (production), the work orders behind plan and those with no report yesterday (the
merchandiser's orders in production), and the cockpit's plan-against-actual chart."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan import charts, extensions
from gendan.extensions import SectionData
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import BEFORE_RELEASE
from gendan.production import permissions as p
from gendan.production import selectors
from gendan.production.models import NoticeStatus, ProductionNotice


def open_notices(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = (
        ProductionNotice.objects.filter(
            status=NoticeStatus.ISSUED, order__in=visible_orders(actor).values("pk")
        )
        .select_related("order__customer")
        .order_by("order__delivery_date", "id")
    )
    return SectionData.page(qs, limit)


#: Today's page draws these two sections after it has loaded (htmx, from
#: ``production_today_section``): the page's own query count is pinned, and they cost their
#: queries in their own request instead
LAZY = (
    "production_behind_plan",
    "production_no_report",
    "production_first_articles_mine",
    "production_first_articles_overdue",
    "production_late_returns",
)


def _lazy(key: str) -> SectionData:
    return SectionData(count=0, extra={"lazy": True, "key": key})


def behind_plan(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Three queries at most (one when none of the actor's orders is on the floor)."""
    if request is not None and not getattr(request, "production_section", False):
        return _lazy("production_behind_plan")
    if not selectors.on_the_floor(actor, request):
        return SectionData(count=0)
    count, rows = selectors.behind_plan(actor, today, limit)
    return SectionData(count=count, rows=rows)


def no_report_yesterday(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Three queries at most (one when none of the actor's orders is on the floor)."""
    if request is not None and not getattr(request, "production_section", False):
        return _lazy("production_no_report")
    if not selectors.on_the_floor(actor, request):
        return SectionData(count=0)
    count, rows = selectors.silent_yesterday(actor, today, limit)
    return SectionData(count=count, rows=rows)


def first_articles_mine(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """The salesperson's samples to approve or reject: two queries."""
    if request is not None and not getattr(request, "production_section", False):
        return _lazy("production_first_articles_mine")
    return SectionData.page(selectors.first_articles_to_decide(actor), limit)


def first_articles_overdue(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """The merchandiser's samples waiting longer than the configured hours: two queries."""
    from gendan.production.services.first_articles import overdue_since, wait_hours

    if request is not None and not getattr(request, "production_section", False):
        return _lazy("production_first_articles_overdue")
    data = SectionData.page(selectors.first_articles_overdue(actor, overdue_since()), limit)
    data.extra["hours"] = wait_hours()
    return data


def late_returns(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Outsourced goods expected back before today and not all back (four queries)."""
    if request is not None and not getattr(request, "production_section", False):
        return _lazy("production_late_returns")
    count, rows = selectors.late_returns(actor, today, limit)
    return SectionData(count=count, rows=rows, extra={"today": today})


def plan_against_actual(order: Any, user: Any) -> dict[str, Any] | None:
    """Per step: ordered, planned to date, good so far (two queries; none before release)."""
    if order.status in BEFORE_RELEASE:
        return None
    progress = selectors.progress_of(order)
    if not progress.steps:
        return None
    labels = [s.name for s in progress.steps]
    svg = charts.bar(
        title=gettext("Plan against actual per step"),
        description=gettext("Ordered, planned to date and good so far, per routing step."),
        x_labels=labels,
        series=[
            charts.Series(gettext("Ordered"), [s.quantity for s in progress.steps]),
            charts.Series(gettext("Planned to date"), [s.planned for s in progress.steps]),
            charts.Series(gettext("Good"), [s.good for s in progress.steps]),
        ],
        height=280,
    )
    return {"progress": progress, "svg": svg, "order_number": order.number}


def register() -> None:
    add = extensions.add_today_section
    add(
        key="production_notices",
        title=_("Production notices"),
        description=_("Released orders whose goods are still to be made."),
        roles={"production"},
        build=open_notices,
        template="production/_section_notices.html",
        app="production",
        order=10,
    )
    add(
        key="production_behind_plan",
        title=_("Behind plan"),
        description=_(
            "Work orders of your orders in production whose reports fell short of plan in the "
            "last two weeks: how much, since when, the reason given."
        ),
        roles={"merchandiser"},
        build=behind_plan,
        template="production/_section_behind.html",
        app="production",
        order=15,
    )
    add(
        key="production_no_report",
        title=_("No report yesterday"),
        description=_("Work orders on the floor whose line worked yesterday and sent no report."),
        roles={"merchandiser"},
        build=no_report_yesterday,
        template="production/_section_silent.html",
        app="production",
        order=16,
    )
    add(
        key="production_first_articles_mine",
        title=_("First articles to approve"),
        description=_(
            "Samples of your orders' first production, waiting for you to approve or reject."
        ),
        roles={"salesperson", "sales_manager"},
        build=first_articles_mine,
        template="production/_section_first_articles.html",
        app="production",
        order=14,
    )
    add(
        key="production_first_articles_overdue",
        title=_("First articles waiting"),
        description=_(
            "Samples of your orders waiting for the salesperson longer than the hours allowed."
        ),
        roles={"merchandiser"},
        build=first_articles_overdue,
        template="production/_section_first_articles.html",
        app="production",
        order=17,
    )
    add(
        key="production_late_returns",
        title=_("Late from outsourcing"),
        description=_(
            "Outsourced steps of your orders whose goods were expected back before today and "
            "are not all back."
        ),
        roles={"merchandiser"},
        build=late_returns,
        template="production/_section_late_returns.html",
        app="production",
        order=18,
    )
    extensions.add_cockpit_panel(
        key="production_progress",
        title=_("Production: plan against actual"),
        build=plan_against_actual,
        template="production/_panel_progress.html",
        app="production",
        order=30,
    )
    extensions.add_nav_entry(
        label=_("Production"),
        url_name="web:production_home",
        perms=(p.MANAGE_LINES, p.REPORT, p.CONFIRM_PLAN),
        app="production",
        order=60,
    )
    extensions.add_nav_entry(
        label=_("First articles"),
        url_name="web:production_first_articles",
        perms=(p.SUBMIT_FIRST_ARTICLE, p.DECIDE_FIRST_ARTICLE),
        app="production",
        order=61,
    )
