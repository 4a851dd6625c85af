"""Logistics' named permissions and event kinds (declared through gendan.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

MANAGE_FLEET = "manage_fleet"
REQUEST_DELIVERY = "request_delivery"
ACCEPT_LATE_DELIVERY = "accept_late_delivery"
PLAN_DISPATCH = "plan_dispatch"
PREPARE_TRIP = "prepare_trip"
DRIVE = "deliver_stops"
RECEIVE_CASH = "receive_driver_cash"
VIEW_DRIVER_SCORES = "view_driver_scores"
MARK_DRIVER = "mark_driver"
MANAGE_EXPORTS = "manage_export_shipments"

#: event kinds
DELIVERY_REQUESTED = "logistics.delivery_requested"
TRIP_PLANNED = "logistics.trip_planned"
TRIP_PREPARED = "logistics.trip_prepared"
TRIP_DEPARTED = "logistics.trip_departed"
STOP_DELIVERED = "logistics.stop_delivered"
STOP_PROBLEM = "logistics.stop_problem"
CASH_HANDED_IN = "logistics.cash_handed_in"
DRIVER_MARKED = "logistics.driver_marked"
FLEET_CHANGED = "logistics.fleet_changed"
EXPORT_STEP = "logistics.export_step"


def register() -> None:
    add = extensions.add_permission
    add(
        code=MANAGE_FLEET,
        label=_("Keep vehicles and drivers"),
        roles={"merchandiser", "admin"},
        app="logistics",
    )
    add(
        code=REQUEST_DELIVERY,
        label=_("Ask a delivery day for a shipping notice"),
        roles={"merchandiser", "salesperson", "admin"},
        app="logistics",
    )
    add(
        code=ACCEPT_LATE_DELIVERY,
        label=_("Accept a delivery request after the cut-off"),
        roles={"merchandiser", "admin"},
        app="logistics",
    )
    add(
        code=PLAN_DISPATCH,
        label=_("Plan the vehicle dispatch"),
        roles={"merchandiser", "admin"},
        app="logistics",
    )
    add(
        code=PREPARE_TRIP,
        label=_("Prepare and send off trips"),
        roles={"warehouse", "admin"},
        app="logistics",
    )
    add(
        code=DRIVE,
        label=_("Deliver the stops of one's own trips"),
        roles={"driver"},
        app="logistics",
    )
    add(
        code=RECEIVE_CASH,
        label=_("Receive the cash drivers hand in"),
        roles={"cashier", "admin"},
        app="logistics",
    )
    add(
        code=VIEW_DRIVER_SCORES,
        label=_("Read the driver scores"),
        roles={"merchandiser", "sales_manager", "finance", "cashier", "admin"},
        app="logistics",
    )
    add(
        code=MARK_DRIVER,
        label=_("Mark a driver's month"),
        roles={"merchandiser", "admin"},
        app="logistics",
    )
    add(
        code=MANAGE_EXPORTS,
        label=_("Follow export shipments and their checklist"),
        roles={"merchandiser", "admin"},
        app="logistics",
    )
    kind = extensions.add_event_kind
    kind(code=EXPORT_STEP, label=_("Export shipment step"), app="logistics")
    kind(code=DELIVERY_REQUESTED, label=_("Delivery day requested"), app="logistics")
    kind(code=TRIP_PLANNED, label=_("Trip planned"), app="logistics")
    kind(code=TRIP_PREPARED, label=_("Trip prepared the day before"), app="logistics")
    kind(code=TRIP_DEPARTED, label=_("Trip left"), app="logistics")
    kind(code=STOP_DELIVERED, label=_("Stop delivered"), app="logistics")
    kind(code=STOP_PROBLEM, label=_("Problem at a stop"), app="logistics")
    kind(code=CASH_HANDED_IN, label=_("Driver's cash handed in"), app="logistics")
    kind(code=DRIVER_MARKED, label=_("Driver's month marked"), app="logistics")
    kind(code=FLEET_CHANGED, label=_("Vehicle or driver changed"), app="logistics")
