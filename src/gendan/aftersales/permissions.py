"""After-sales' named permissions, event kinds and order kind (declared through gendan.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

REQUEST_SAMPLE = "request_sample"
HANDLE_SAMPLES = "handle_samples"
LOG_COMPLAINT = "log_complaint"
DECIDE_COMPLAINT = "decide_complaint"
RESOLVE_COMPLAINT = "resolve_complaint"
MANAGE_TEAMS = "manage_sales_teams"
EXPORT_SUMMARY = "export_complaint_summary"

#: the replacement-part order (补件单): an order of the customer at zero or reduced price
REPLACEMENT_KIND = "replacement"
#: what a replacement order is not asked; it still goes through stock or production, the
#: inspection, the shipping notice and the delivery like any order
REPLACEMENT_WAIVES = frozenset(
    {
        "orders.positive_total",  # a zero total is allowed
        "orders.deposit_received",  # no deposit
        "orders.finance_signed",  # no second signature: the manager's alone signs it
        # no sales contract for goods the company owes: the customer countersigns none
        "contracts.countersigned",
    }
)

#: event kinds
SAMPLE_REQUESTED = "aftersales.sample_requested"
SAMPLE_STEP = "aftersales.sample_step"
CAMPAIGN_LAUNCHED = "aftersales.campaign_launched"
COMPLAINT_LOGGED = "aftersales.complaint_logged"
COMPLAINT_DECIDED = "aftersales.complaint_decided"
RESOLUTION_OPENED = "aftersales.resolution_opened"
RESOLUTION_STEP = "aftersales.resolution_step"
COMPLAINT_CLOSED = "aftersales.complaint_closed"
COUNT_ERROR_RECORDED = "aftersales.count_error_recorded"
TEAM_ASSIGNED = "aftersales.team_assigned"


def register() -> None:
    add = extensions.add_permission
    add(
        code=REQUEST_SAMPLE,
        label=_("Request samples"),
        roles={"salesperson", "merchandiser", "sales_manager"},
        app="aftersales",
    )
    add(
        code=HANDLE_SAMPLES,
        label=_("Make, send and follow samples"),
        roles={"merchandiser"},
        app="aftersales",
    )
    add(
        code=LOG_COMPLAINT,
        label=_("Log customer complaints"),
        roles={"customer_service", "merchandiser"},
        app="aftersales",
    )
    add(
        code=DECIDE_COMPLAINT,
        label=_("Confirm or reject customer complaints"),
        roles={"sales_manager"},
        app="aftersales",
    )
    add(
        code=RESOLVE_COMPLAINT,
        label=_("Resolve confirmed complaints"),
        roles={"merchandiser"},
        app="aftersales",
    )
    add(
        code=MANAGE_TEAMS,
        label=_("Assign salespeople to sales managers"),
        roles={"sales_manager"},
        app="aftersales",
    )
    add(
        code=EXPORT_SUMMARY,
        label=_("Export the daily complaint summary"),
        roles={"customer_service", "sales_manager", "merchandiser"},
        app="aftersales",
    )
    kind = extensions.add_event_kind
    kind(code=SAMPLE_REQUESTED, label=_("Sample requested"), app="aftersales")
    kind(code=SAMPLE_STEP, label=_("Sample step"), app="aftersales")
    kind(code=CAMPAIGN_LAUNCHED, label=_("Sample campaign launched"), app="aftersales")
    kind(code=COMPLAINT_LOGGED, label=_("Complaint logged"), app="aftersales")
    kind(code=COMPLAINT_DECIDED, label=_("Complaint confirmed or rejected"), app="aftersales")
    kind(code=RESOLUTION_OPENED, label=_("Complaint resolution opened"), app="aftersales")
    kind(
        code=COUNT_ERROR_RECORDED,
        label=_("Count complaint recorded as a counting error"),
        app="aftersales",
    )
    kind(code=RESOLUTION_STEP, label=_("Complaint resolution step"), app="aftersales")
    kind(code=COMPLAINT_CLOSED, label=_("Complaint closed"), app="aftersales")
    kind(code=TEAM_ASSIGNED, label=_("Salesperson assigned to a sales manager"), app="aftersales")
    extensions.add_order_kind(
        code=REPLACEMENT_KIND,
        label=_("Replacement-part order (补件单)"),
        waives=REPLACEMENT_WAIVES,
        app="aftersales",
    )
