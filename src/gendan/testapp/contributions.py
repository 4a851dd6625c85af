"""What the test app contributes (see the package's docstring)."""

from __future__ import annotations

from datetime import date
from typing import Any

from gendan import extensions
from gendan.errors import Reason
from gendan.extensions import SectionData

QUALITY_HOLD = "QC-HOLD"  # an order whose notes say this waits for the test app's inspection
INSPECT = "testapp_inspect"
INSPECTED = "testapp.inspected"
FREE_KIND = "testapp_free"


def inspection_passed(ctx: Any) -> list[Reason]:
    if QUALITY_HOLD in (ctx.order.notes or ""):
        return [Reason("testapp_inspection_pending", "The test inspection has not passed.")]
    return []


def queue(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    return SectionData(count=1, rows=[f"inspection for {actor.username} on {today.isoformat()}"])


def panel(order: Any, user: Any) -> dict[str, Any] | None:
    if QUALITY_HOLD not in (order.notes or ""):
        return None
    return {"number": order.number}


def register() -> None:
    extensions.add_condition(
        name="testapp.inspection_passed",
        action="release",
        check=inspection_passed,
        description="The test inspection has passed.",
        app="testapp",
    )
    extensions.add_order_kind(
        code=FREE_KIND,
        label="Free of charge (test)",
        waives={"orders.positive_total", "orders.deposit_received"},
        app="testapp",
    )
    extensions.add_today_section(
        key="testapp_queue",
        title="Test inspections",
        description="What the test app asks the QC inspector to do.",
        roles={"qc"},
        build=queue,
        template="testapp/_section.html",
        app="testapp",
    )
    extensions.add_cockpit_panel(
        key="testapp_panel",
        title="Test inspection",
        build=panel,
        template="testapp/_panel.html",
        app="testapp",
    )
    extensions.add_permission(
        code=INSPECT, label="Run the test inspection", roles={"qc"}, app="testapp"
    )
    extensions.add_event_kind(code=INSPECTED, label="Test inspection passed", app="testapp")
