"""What purchasing contributes to Today, the cockpit and the navigation: for the purchaser the
lines to confirm, the late supplier lines and what is in transit; for the merchandiser the
orders short of material (late or not ordered) and the late supplier lines of their orders;
on the order's cockpit its material readiness."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.orders.workflow import BEFORE_RELEASE
from gendan.purchasing import permissions as p
from gendan.purchasing import selectors

#: drawn after Today has loaded (htmx, from ``purchasing_today_section``): Today's own query
#: count is pinned, and these cost their queries in their own request
LAZY = (
    "purchasing_short",
    "purchasing_late_mine",
    "purchasing_drafts",
    "purchasing_late",
    "purchasing_transit",
    "purchasing_plates",
)


def _lazy(key: str, request: Any) -> SectionData | None:
    if request is not None and not getattr(request, "purchasing_section", False):
        return SectionData(count=0, extra={"lazy": True, "key": key})
    return None


def drafts(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return _lazy("purchasing_drafts", request) or SectionData.page(selectors.drafts(actor), limit)


def late(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return _lazy("purchasing_late", request) or SectionData.page(
        selectors.late_lines(actor, today), limit
    )


def late_mine(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return _lazy("purchasing_late_mine", request) or SectionData.page(
        selectors.late_lines(actor, today, mine=True), limit
    )


def transit(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return _lazy("purchasing_transit", request) or SectionData.page(
        selectors.in_transit(actor), limit
    )


def plates(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return _lazy("purchasing_plates", request) or SectionData.page(
        selectors.late_plates(actor, today), limit
    )


def short(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """The orders short of material (one computation of their needs, about six queries)."""
    lazy = _lazy("purchasing_short", request)
    if lazy is not None:
        return lazy
    rows = selectors.short_orders(actor, limit=0)
    return SectionData(count=len(rows), rows=rows[:limit])


def readiness_panel(order: Any, user: Any) -> dict[str, Any] | None:
    """Drawn after the cockpit has loaded (its count is pinned): no query here."""
    if order.status in BEFORE_RELEASE or (not user.can(p.VIEW) and not user.can("view_all")):
        return None
    return {"order": order}


def register() -> None:
    _register_reports()
    add = extensions.add_today_section
    add(
        key="purchasing_short",
        title=_("Materials short"),
        description=_(
            "Your orders whose material is short and expected after production is planned to "
            "start, or not ordered at all: seen before it holds production up."
        ),
        roles={"merchandiser"},
        build=short,
        template="purchasing/_section_short.html",
        app="purchasing",
        order=18,
    )
    add(
        key="purchasing_late_mine",
        title=_("Late supplier lines"),
        description=_("Purchase lines for your orders past their promised date, not all received."),
        roles={"merchandiser"},
        build=late_mine,
        template="purchasing/_section_lines.html",
        app="purchasing",
        order=19,
    )
    add(
        key="purchasing_drafts",
        title=_("Purchase lines to confirm"),
        description=_("Draft lines of purchase orders: confirming applies the packaging rules."),
        roles={"purchaser"},
        build=drafts,
        template="purchasing/_section_lines.html",
        app="purchasing",
        order=10,
    )
    add(
        key="purchasing_late",
        title=_("Late supplier lines"),
        description=_("Confirmed purchase lines past their promised date, not all received."),
        roles={"purchaser"},
        build=late,
        template="purchasing/_section_lines.html",
        app="purchasing",
        order=11,
    )
    add(
        key="purchasing_transit",
        title=_("In transit"),
        description=_("Shipped by the supplier, not received yet, by expected arrival."),
        roles={"purchaser"},
        build=transit,
        template="purchasing/_section_lines.html",
        app="purchasing",
        order=12,
    )
    add(
        key="purchasing_plates",
        title=_("Late plates"),
        description=_("Plates of new-print bags past their due date and not ready."),
        roles={"purchaser", "merchandiser"},
        build=plates,
        template="purchasing/_section_plates.html",
        app="purchasing",
        order=20,
    )
    extensions.add_cockpit_panel(
        key="purchasing_readiness",
        title=_("Materials"),
        build=readiness_panel,
        template="purchasing/_panel_readiness.html",
        app="purchasing",
        order=36,
    )
    extensions.add_nav_entry(
        label=_("Purchasing"),
        url_name="web:purchasing_home",
        perms=(p.VIEW,),
        app="purchasing",
        order=66,
    )


def _register_reports() -> None:
    from gendan.reports import registry

    registry.add_report(
        key="purchasing.supplier_figures",
        title=_("Supplier on-time delivery and quality"),
        description=_(
            "Per supplier and month: lines received on time, quantity accuracy, receipts passed."
        ),
        url_name="web:purchasing_figures",
        perms=(p.VIEW,),
        app="purchasing",
        group=_("Purchasing"),
        order=70,
    )
    registry.add_report(
        key="purchasing.slow_moving",
        title=_("Slow-moving materials"),
        description=_(
            "呆滞物料: materials in stock with no movement for the chosen number of days."
        ),
        url_name="web:purchasing_slow",
        perms=(p.VIEW,),
        app="purchasing",
        group=_("Purchasing"),
        order=71,
    )
