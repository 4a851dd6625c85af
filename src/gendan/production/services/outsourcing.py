"""Outsourced processing (外发加工): an outsourced step's goods are sent to the routing step's
supplier (quantity, day sent, expected back = day sent + the step's lead time), received back
(quantity, day; partial, several receipts) and inspected on receipt by QC (a quality inspection
of kind "outsourced receipt", which calls ``settle_receipt``). The good quantity the inspection
finds is the step's good quantity, so the next step can report (precedence holds: no more is
sent than the step before has produced, no more received than was sent)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.orders import locks as order_locks
from gendan.orders.workflow import Status
from gendan.production import permissions as p
from gendan.production.errors import Code
from gendan.production.models import (
    OutsourceReceipt,
    OutsourceShipment,
    ReceiptStatus,
    RoutingStep,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.timeline.services import record, together


def _order_number(work_order: str) -> str:
    row = WorkOrder.objects.filter(number=work_order).values_list("order__number").first()
    if row is None:
        raise not_found("work_order")
    return str(row[0])


def _steps(work_order: str) -> tuple[WorkOrder, WorkOrder | None]:
    """The work order (locked) and the step before it."""
    steps = list(
        WorkOrder.objects.select_for_update(of=("self",))
        .filter(notice_line__work_orders__number=work_order)
        .select_related("order", "notice_line__line__product")
        .order_by("seq")
    )
    wo = next(w for w in steps if w.number == work_order)
    return wo, next((w for w in steps if w.seq == wo.seq - 1), None)


def _open_outsourced(wo: WorkOrder) -> None:
    if not wo.outsourced:
        raise DomainError(
            Code.NOT_OUTSOURCED,
            gettext("%(wo)s is not an outsourced step.") % {"wo": wo.number},
            kind=Kind.REFUSED,
        )
    if wo.status != WorkOrderStatus.OPEN or wo.order.status != Status.RELEASED:
        raise DomainError(
            Code.WORK_ORDER_CLOSED,
            gettext("Work order %(wo)s takes no more goods (%(status)s).")
            % {"wo": wo.number, "status": wo.get_status_display()},
            kind=Kind.REFUSED,
        )


def _day(value: date | None, field: str) -> date:
    today = timezone.localdate()
    day = value or today
    if day > today:
        raise invalid(Code.FUTURE_DAY, gettext("The day cannot be still to come."), field=field)
    return day


def _quantity(quantity: int) -> None:
    if quantity < 1:
        raise invalid(
            Code.BAD_QUANTITY, gettext("The quantity must be at least 1."), field="quantity"
        )


def totals(wo: WorkOrder) -> tuple[int, int]:
    """(sent in all, received in all) of a work order; a receipt the inspection rejected went
    back to the supplier, so it is out again."""
    sent = wo.shipments.aggregate(n=Sum("quantity"))["n"] or 0
    received = (
        wo.receipts.exclude(status=ReceiptStatus.REJECTED).aggregate(n=Sum("quantity"))["n"] or 0
    )
    return int(sent), int(received)


@verb(p.OUTSOURCE)
def send_out(
    *,
    work_order: str,
    quantity: int,
    actor: Any,
    sent_on: date | None = None,
    note: str = "",
) -> OutsourceShipment:
    """Send goods of an outsourced step to its supplier; expected back after the lead time."""
    _quantity(quantity)
    day = _day(sent_on, "sent_on")
    number = _order_number(work_order)
    with transaction.atomic(durable=True), together():
        order_locks.order_for_update(number, visible_to=actor)
        wo, before = _steps(work_order)
        _open_outsourced(wo)
        routing_step = (
            RoutingStep.objects.filter(
                routing__family=wo.notice_line.line.product.series, seq=wo.seq, outsourced=True
            )
            .select_related("supplier")
            .first()
        )
        if routing_step is None or routing_step.supplier is None:
            raise DomainError(
                Code.NO_SUPPLIER,
                gettext("The routing no longer names a supplier for %(step)s.")
                % {"step": wo.step_name},
                kind=Kind.REFUSED,
            )
        sent, _received = totals(wo)
        available = before.good_qty if before is not None else wo.quantity
        if sent + quantity > available:
            raise invalid(
                Code.BEYOND_PREDECESSOR,
                gettext(
                    "%(step)s cannot send %(qty)s: %(sent)s sent already, and %(made)s made "
                    "by the step before."
                )
                % {
                    "step": wo.step_name,
                    "qty": f"{quantity:,}",
                    "sent": f"{sent:,}",
                    "made": f"{available:,}",
                },
                field="quantity",
            )
        shipment = OutsourceShipment(
            work_order=wo,
            supplier=routing_step.supplier,
            quantity=quantity,
            sent_on=day,
            expected_back=day + timedelta(days=routing_step.lead_time_days or 0),
            note=note[:500],
            sent_by=actor,
        )
        shipment._history_user = actor  # type: ignore[attr-defined]
        shipment.save()
        record(
            kind=p.OUTSOURCE_SENT,
            actor=actor,
            order=wo.order,
            subject=shipment,
            comment=note,
            payload={
                "work_order": wo.number,
                "step": wo.step_name,
                "supplier": routing_step.supplier.name,
                "quantity": quantity,
                "sent_on": day.isoformat(),
                "expected_back": shipment.expected_back.isoformat(),
            },
        )
    return shipment


@verb(p.OUTSOURCE)
def receive_back(
    *,
    work_order: str,
    quantity: int,
    actor: Any,
    received_on: date | None = None,
    note: str = "",
) -> OutsourceReceipt:
    """Goods back from the supplier, counted in; QC's inspection of the receipt settles them."""
    _quantity(quantity)
    day = _day(received_on, "received_on")
    number = _order_number(work_order)
    with transaction.atomic(durable=True), together():
        order_locks.order_for_update(number, visible_to=actor)
        wo, _before = _steps(work_order)
        _open_outsourced(wo)
        sent, received = totals(wo)
        if received + quantity > sent:
            raise invalid(
                Code.BEYOND_SENT,
                gettext("%(step)s: %(qty)s received would be more than the %(out)s still out.")
                % {"step": wo.step_name, "qty": f"{quantity:,}", "out": f"{sent - received:,}"},
                field="quantity",
            )
        receipt = OutsourceReceipt(
            work_order=wo, quantity=quantity, received_on=day, note=note[:500], received_by=actor
        )
        receipt._history_user = actor  # type: ignore[attr-defined]
        receipt.save()
        record(
            kind=p.OUTSOURCE_RECEIVED,
            actor=actor,
            order=wo.order,
            subject=receipt,
            comment=note,
            payload={
                "work_order": wo.number,
                "step": wo.step_name,
                "quantity": quantity,
                "received_on": day.isoformat(),
                "outstanding": sent - received - quantity,
            },
        )
    return receipt


@step
def settle_receipt(
    *, receipt: OutsourceReceipt, good_qty: int, order: Any, actor: Any
) -> OutsourceReceipt:
    """Inside the inspection's transaction, the order locked: the receipt's good quantity (what
    the inspection accepted) is added to the work order's good quantity."""
    if receipt.status != ReceiptStatus.AWAITING_INSPECTION:
        raise DomainError(
            Code.REPORT_EXISTS,
            gettext("This receipt has been inspected already."),
            kind=Kind.REFUSED,
        )
    wo = WorkOrder.objects.select_for_update(of=("self",)).get(pk=receipt.work_order_id)
    good = max(0, min(good_qty, receipt.quantity, wo.quantity - wo.good_qty))
    receipt.good_qty = good
    receipt.status = ReceiptStatus.ACCEPTED if good else ReceiptStatus.REJECTED
    receipt._history_user = actor  # type: ignore[attr-defined]
    receipt.save(update_fields=["good_qty", "status"])
    wo.good_qty += good
    if wo.good_qty == wo.quantity:
        wo.status = WorkOrderStatus.DONE
    wo._history_user = actor  # type: ignore[attr-defined]
    wo.save(update_fields=["good_qty", "status"])
    record(
        kind=p.OUTSOURCE_SETTLED,
        actor=actor,
        order=order,
        subject=receipt,
        payload={
            "work_order": wo.number,
            "received": receipt.quantity,
            "good": good,
            "cumulative": wo.good_qty,
        },
    )
    return receipt
