"""Shipping notice, outbound slip, delivery note, shipment and proof of delivery."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from gendan import rows
from gendan.accounts.guards import step, workflow_verb
from gendan.errors import invalid
from gendan.finance import rules as payments
from gendan.finance import services as finance
from gendan.finance.models import PaymentKind
from gendan.inventory import services as inventory
from gendan.numbering.services import next_number
from gendan.orders.errors import Code
from gendan.orders.models import Order, OrderLine
from gendan.orders.services import Step, transition
from gendan.shipping.models import (
    DeliveryNote,
    OutboundSlip,
    ShippingNotice,
    ShippingNoticeLine,
    ShippingStatus,
)
from gendan.timeline.models import EventKind
from gendan.timeline.services import history_row, record, write_history


def pick_notice(notices: list[ShippingNotice], number: str | None, *, fits: Any) -> ShippingNotice:
    """The notice named, or the first that fits the step."""
    for notice in notices:
        if (number is None or notice.number == number) and fits(notice):
            return notice
    raise invalid(
        Code.UNKNOWN_REFERENCE,
        gettext("No suitable shipping notice %(n)s.") % {"n": number or ""},
        field="notice",
    )


@step
def write_shipping_notice(
    *,
    order: Any,
    lines: dict[int, int] | None,
    ship_date: date | None,
    open_notices: list[ShippingNotice],
    actor: Any,
) -> ShippingNotice:
    """Ship what is asked (line_no -> quantity), by default everything not yet on a notice."""
    on_notices: dict[int, int] = {}
    for notice in open_notices:
        for nl in notice.lines.all():
            on_notices[nl.line_id] = on_notices.get(nl.line_id, 0) + nl.quantity
    order_lines = {line.line_no: line for line in order.lines.all()}
    free = {
        no: line.quantity - line.shipped_qty - on_notices.get(line.pk, 0)
        for no, line in order_lines.items()
    }
    wanted = dict(lines) if lines else {no: q for no, q in free.items() if q > 0}
    for no, qty in wanted.items():
        if no not in order_lines:
            raise invalid(
                Code.INVALID_LINE,
                gettext("The order has no line %(line)s.") % {"line": no},
                field="lines",
            )
        if qty < 1 or qty > free[no]:
            raise invalid(
                Code.INVALID_QUANTITY,
                gettext("Line %(line)s: %(qty)s asked, %(free)s can still be shipped.")
                % {"line": no, "qty": qty, "free": free[no]},
                field="lines",
            )
    notice = rows.create(
        ShippingNotice,
        number=next_number("SN"),
        order=order,
        ship_date=ship_date or timezone.localdate(),
        issued_by=actor,
    )
    rows.insert(
        [
            ShippingNoticeLine(notice=notice, line=order_lines[no], quantity=q)
            for no, q in wanted.items()
            if q
        ],
        returning="pk",
    )
    record(
        kind=EventKind.SHIPPING_NOTICE_ISSUED,
        actor=actor,
        order=order,
        payload={"notice": notice.number, "lines": {str(k): v for k, v in wanted.items()}},
    )
    return notice


@step
def write_outbound_slip(*, notice: ShippingNotice, actor: Any) -> OutboundSlip:
    slip = rows.create(OutboundSlip, number=next_number("OS"), notice=notice, issued_by=actor)
    record(
        kind=EventKind.OUTBOUND_SLIP_ISSUED,
        actor=actor,
        order=notice.order,
        payload={"notice": notice.number, "slip": slip.number},
    )
    return slip


@step
def write_delivery_note(*, notice: ShippingNotice, cod_amount: Decimal, actor: Any) -> DeliveryNote:
    if cod_amount < 0:
        raise invalid(
            Code.INVALID_QUANTITY, gettext("The amount must not be negative."), field="cod_amount"
        )
    note = rows.create(
        DeliveryNote,
        number=next_number("DN"),
        notice=notice,
        issued_by=actor,
        cod_amount=cod_amount,
    )
    record(
        kind=EventKind.DELIVERY_NOTE_ISSUED,
        actor=actor,
        order=notice.order,
        payload={
            "notice": notice.number,
            "delivery_note": note.number,
            "cod_amount": str(cod_amount),
        },
    )
    return note


def _lines_of(notice: ShippingNotice, lines: list[OrderLine] | None) -> dict[int, OrderLine]:
    """The order's lines by id: the step's (already read) or the order's."""
    return {line.pk: line for line in (notice.order.lines.all() if lines is None else lines)}


@step
def ship_notice(
    *, notice: ShippingNotice, actor: Any, lines: list[OrderLine] | None = None
) -> ShippingNotice:
    """The goods leave: stock and reservations are consumed, shipped quantities grow.
    ``lines`` are the order's lines when the caller holds them (the step's context): they are
    changed in place and written in one UPDATE, their history in one INSERT."""
    by_id = _lines_of(notice, lines)
    leaving = [(by_id[nl.line_id], nl.quantity) for nl in notice.lines.all()]
    inventory.consume_for_shipment(shipped=leaving, actor=actor)
    shipped = {}
    for line, quantity in leaving:
        line.shipped_qty += quantity  # under the order's lock: the new figure is exact
        shipped[str(line.line_no)] = quantity
    _write_lines([line for line, _ in leaving], ["shipped_qty"], actor)
    notice.status, notice.shipped_by, notice.shipped_at = (
        ShippingStatus.SHIPPED,
        actor,
        timezone.now(),
    )
    rows.update([notice], ["status", "shipped_by", "shipped_at"])
    record(
        kind=EventKind.GOODS_SHIPPED,
        actor=actor,
        order=notice.order,
        payload={"notice": notice.number, "lines": shipped},
    )
    return notice


def _write_lines(lines: list[OrderLine], fields: list[str], actor: Any) -> None:
    """Write the lines' changed quantities in one UPDATE and their history rows in one INSERT
    (who changed them, when, to what)."""
    unique = list({line.pk: line for line in lines}.values())
    rows.update(unique, fields)
    write_history([history_row(line, actor=actor) for line in unique])


@step
def deliver_notice(
    *,
    notice: ShippingNotice,
    received_by: str,
    proof_reference: str,
    cod_collected: Decimal,
    actor: Any,
    lines: list[OrderLine] | None = None,
) -> DeliveryNote:
    """Proof of delivery; any cash the driver collected waits for the cashier."""
    if not received_by.strip():
        raise invalid(
            "receiver_required", gettext("Who received the goods is required."), field="received_by"
        )
    if cod_collected < 0:
        raise invalid(
            Code.INVALID_QUANTITY,
            gettext("The amount must not be negative."),
            field="cod_collected",
        )
    note = notice.delivery_note
    by_id = _lines_of(notice, lines)
    arrived = []
    for nl in notice.lines.all():
        line = by_id[nl.line_id]
        line.delivered_qty += nl.quantity  # under the order's lock: the new figure is exact
        arrived.append(line)
    _write_lines(arrived, ["delivered_qty"], actor)
    note.delivered_at, note.delivered_by = timezone.now(), actor
    note.received_by, note.proof_reference, note.cod_collected = (
        received_by,
        proof_reference,
        cod_collected,
    )
    note.save(
        update_fields=[
            "delivered_at",
            "delivered_by",
            "received_by",
            "proof_reference",
            "cod_collected",
        ]
    )
    notice.status = ShippingStatus.DELIVERED
    rows.update([notice], ["status"])
    record(
        kind=EventKind.GOODS_DELIVERED,
        actor=actor,
        order=notice.order,
        payload={
            "notice": notice.number,
            "received_by": received_by,
            "cod_collected": str(cod_collected),
        },
    )
    return note


@step
def mark_cod_reconciled(*, note: DeliveryNote, actor: Any) -> DeliveryNote:
    note.cod_reconciled_at, note.cod_reconciled_by = timezone.now(), actor
    note.save(update_fields=["cod_reconciled_at", "cod_reconciled_by"])
    return note


@step
def cancel_open_notices(*, order: Any, actor: Any) -> int:
    return ShippingNotice.objects.filter(order=order, status=ShippingStatus.ISSUED).update(
        status=ShippingStatus.CANCELLED
    )


# ---- the shipping steps of the order's life: one verb per action (orders declares the table) ---


@workflow_verb("issue_shipping_notice")
def issue_shipping_notice(
    *,
    order_number: str,
    actor: Any,
    lines: dict[int, int] | None = None,
    ship_date: date | None = None,
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    """A shipping notice (出运通知单) for all that is left, or for the quantities given per line."""
    with transition(
        "issue_shipping_notice", number=order_number, actor=actor, version=expected_version
    ) as step:
        notice = write_shipping_notice(
            order=step.order,
            lines=lines,
            ship_date=ship_date,
            open_notices=step.ctx.open_notices(),
            actor=actor,
        )
        step.comment, step.payload = comment, {"notice": notice.number}
    return step.order


@workflow_verb("issue_outbound_slip")
def issue_outbound_slip(
    *,
    order_number: str,
    actor: Any,
    notice: str | None = None,
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    with transition(
        "issue_outbound_slip", number=order_number, actor=actor, version=expected_version
    ) as step:
        target = pick_notice(
            step.ctx.open_notices(), notice, fits=lambda n: not hasattr(n, "outbound_slip")
        )
        slip = write_outbound_slip(notice=target, actor=actor)
        step.comment, step.payload = comment, {"notice": target.number, "slip": slip.number}
    return step.order


@workflow_verb("issue_delivery_note")
def issue_delivery_note(
    *,
    order_number: str,
    actor: Any,
    notice: str | None = None,
    cod_amount: Decimal = Decimal("0"),
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    with transition(
        "issue_delivery_note", number=order_number, actor=actor, version=expected_version
    ) as step:
        target = pick_notice(
            step.ctx.open_notices(), notice, fits=lambda n: not hasattr(n, "delivery_note")
        )
        note = write_delivery_note(notice=target, cod_amount=Decimal(str(cod_amount)), actor=actor)
        step.comment = comment
        step.payload = {"notice": target.number, "delivery_note": note.number}
    return step.order


@workflow_verb("ship")
def ship_order(
    *,
    order_number: str,
    actor: Any,
    notice: str | None = None,
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    """The goods on a notice leave the warehouse (出货); shipped never exceeds ordered."""
    with transition("ship", number=order_number, actor=actor, version=expected_version) as step:
        target = pick_notice(
            step.ctx.open_notices(),
            notice,
            fits=lambda n: hasattr(n, "outbound_slip") and hasattr(n, "delivery_note"),
        )
        ship_notice(notice=target, actor=actor, lines=step.ctx.lines)
        step.stamp()
        step.comment, step.payload = comment, {"notice": target.number}
    return step.order


@workflow_verb("deliver")
def confirm_delivery(
    *,
    order_number: str,
    actor: Any,
    notice: str | None = None,
    received_by: str = "",
    proof_reference: str = "",
    cod_collected: Decimal = Decimal("0"),
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    """Proof of delivery; cash the driver collected is reconciled later by the cashier."""
    with transition("deliver", number=order_number, actor=actor, version=expected_version) as step:
        ctx = step.ctx
        target = pick_notice(ctx.notices, notice, fits=lambda n: n.status == "shipped")
        collected = Decimal(str(cod_collected))
        owed = payments.owed_beyond_cod(ctx)
        if collected > owed:
            raise invalid(
                Code.OVERPAYMENT,
                gettext("The driver cannot collect %(amount)s: only %(owed)s is still owed.")
                % {"amount": collected, "owed": owed},
                field="cod_collected",
            )
        deliver_notice(
            notice=target,
            received_by=received_by,
            proof_reference=proof_reference,
            cod_collected=collected,
            actor=actor,
            lines=ctx.lines,
        )
        step.stamp()
        step.comment, step.payload = comment, {"notice": target.number}
    return step.order


@workflow_verb("reconcile_cod")
def reconcile_cod(
    *,
    order_number: str,
    actor: Any,
    amount: Decimal,
    notice: str | None = None,
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    """The cashier counts the cash the driver brought back (司机代收货款) against what was collected."""
    with transition(
        "reconcile_cod", number=order_number, actor=actor, version=expected_version
    ) as step:
        notes = payments.unreconciled_cod(step.ctx)
        note = next((n for n in notes if notice is None or n.notice.number == notice), None)
        if note is None:
            raise invalid(
                Code.UNKNOWN_REFERENCE,
                gettext("No cash on delivery waits on notice %(n)s.") % {"n": notice},
                field="notice",
            )
        counted = Decimal(str(amount))
        if counted != note.cod_collected:
            raise invalid(
                Code.COD_MISMATCH,
                gettext(
                    "The driver collected %(collected)s but %(counted)s was counted; find the difference first."
                )
                % {"collected": note.cod_collected, "counted": counted},
                field="amount",
            )
        finance.record_payment(
            order=step.order,
            kind=PaymentKind.COD,
            amount=counted,
            reference=note.number,
            actor=actor,
        )
        mark_cod_reconciled(note=note, actor=actor)
        step.comment = comment
        step.payload = {"delivery_note": note.number, "amount": str(counted)}
    return step.order


def cancel_with_order(step: Step) -> dict[str, Any]:
    """The effect of cancelling an order: its open shipping notices are cancelled too."""
    return {"shipping_notices_cancelled": cancel_open_notices(order=step.order, actor=step.actor)}


#: the actions of the order's life whose verbs live here
ACTION_VERBS = {
    "issue_shipping_notice": issue_shipping_notice,
    "issue_outbound_slip": issue_outbound_slip,
    "issue_delivery_note": issue_delivery_note,
    "ship": ship_order,
    "deliver": confirm_delivery,
    "reconcile_cod": reconcile_cod,
}
