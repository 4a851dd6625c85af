"""The reports app's named permissions and event kinds (declared through gendan.extensions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions

VIEW_SALES_REPORTS = "view_sales_reports"
VIEW_OPERATIONS_REPORTS = "view_operations_reports"
ASSIGN_REGIONS = "assign_regions"

#: event kinds
REGION_ASSIGNED = "reports.region_assigned"
DAILY_REPORT_PRODUCED = "reports.daily_report_produced"

PRICED_ROLES = {
    "salesperson",
    "merchandiser",
    "sales_manager",
    "finance",
    "cashier",
    "regional_manager",
}


def may(actor: Any, perm: str) -> bool:
    """The sales reports are amounts: their permission goes with the price rule's VIEW_PRICES."""
    from gendan.accounts.permissions import Perm

    if actor is None or not actor.can(perm):
        return False
    return perm != VIEW_SALES_REPORTS or actor.can(Perm.VIEW_PRICES)


def require(actor: Any, perm: str) -> None:
    from gendan.accounts.guards import permission_denied

    if not may(actor, perm):
        raise permission_denied(perm)


def register() -> None:
    add = extensions.add_permission
    add(
        code=VIEW_SALES_REPORTS,
        label=_("See the daily sales list and the daily reports"),
        roles=PRICED_ROLES,
        app="reports",
    )
    add(
        code=VIEW_OPERATIONS_REPORTS,
        label=_("See the delivery, workload, stock and capacity reports"),
        roles=PRICED_ROLES | {"production", "warehouse", "purchaser", "qc", "customer_service"},
        app="reports",
    )
    add(
        code=ASSIGN_REGIONS,
        label=_("Assign regions to regional managers"),
        roles={"sales_manager"},
        app="reports",
    )
    kind = extensions.add_event_kind
    kind(code=REGION_ASSIGNED, label=_("Region assigned"), app="reports")
    kind(code=DAILY_REPORT_PRODUCED, label=_("Daily report produced"), app="reports")
