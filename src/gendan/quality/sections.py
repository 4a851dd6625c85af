"""What quality contributes to Today, the cockpit and the navigation: for QC what waits for
inspection (orders produced, receipts from outsourced steps), for the merchandiser the orders
whose final inspection failed, and on the order's cockpit its inspections and their results."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.orders.workflow import BEFORE_RELEASE
from gendan.quality import gates, selectors
from gendan.quality import permissions as p

#: drawn after Today has loaded (htmx, from ``quality_today_section``): Today's own query count
#: is pinned, and these cost their queries in their own request
LAZY = ("quality_to_inspect", "quality_receipts", "quality_failed")


def _lazy(key: str, request: Any) -> SectionData | None:
    if request is not None and not getattr(request, "quality_section", False):
        return SectionData(count=0, extra={"lazy": True, "key": key})
    return None


def to_inspect(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Two queries (one when none waits)."""
    return _lazy("quality_to_inspect", request) or SectionData.page(
        selectors.awaiting_final(actor), limit
    )


def receipts(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Two queries (one when none waits)."""
    return _lazy("quality_receipts", request) or SectionData.page(
        selectors.receipts_awaiting(actor), limit
    )


def failed(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Two queries (one when none failed)."""
    return _lazy("quality_failed", request) or SectionData.page(
        selectors.failed_final(actor), limit
    )


def inspections_panel(order: Any, user: Any) -> dict[str, Any] | None:
    """The order's inspections with their results, and whether its shipping waits for a final
    inspection (two queries; none before release)."""
    if order.status in BEFORE_RELEASE:
        return None
    found = selectors.of_order(order)
    planned, result, conceded = gates.gate_state(order)
    if not found and not planned:
        return None
    reasons = gates.reasons_of(planned, result, conceded)
    return {
        "order": order,
        "inspections": found,
        "planned": planned,
        "gate": reasons[0].message if reasons else "",
        "may_inspect": user.can(p.RECORD),
    }


def register() -> None:
    add = extensions.add_today_section
    add(
        key="quality_to_inspect",
        title=_("Waiting for final inspection"),
        description=_(
            "Produced orders of a family with a final-inspection plan, not yet passed: never "
            "inspected, or failed and waiting for a re-inspection."
        ),
        roles={"qc"},
        build=to_inspect,
        template="quality/_section_orders.html",
        app="quality",
        order=10,
    )
    add(
        key="quality_receipts",
        title=_("Outsourced receipts to inspect"),
        description=_("Goods back from outsourcing suppliers, counted in, not yet inspected."),
        roles={"qc"},
        build=receipts,
        template="quality/_section_receipts.html",
        app="quality",
        order=11,
    )
    add(
        key="quality_failed",
        title=_("Final inspection failed"),
        description=_(
            "Your orders whose last final inspection failed: no shipping notice until a "
            "re-inspection passes or the sales manager accepts a concession."
        ),
        roles={"merchandiser"},
        build=failed,
        template="quality/_section_orders.html",
        app="quality",
        order=17,
    )
    extensions.add_cockpit_panel(
        key="quality_inspections",
        title=_("Quality: inspections"),
        build=inspections_panel,
        template="quality/_panel_inspections.html",
        app="quality",
        order=35,
    )
    extensions.add_nav_entry(
        label=_("Quality"),
        url_name="web:quality_home",
        perms=(p.RECORD, p.MANAGE_PLANS, p.CONCEDE),
        app="quality",
        order=65,
    )
