"""Stock and reservations. Quantities move with F() under row locks; constraints hold the rest."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.errors import invalid
from gendan.inventory import locks
from gendan.inventory.models import (
    MoveReason,
    Reservation,
    ReservationStatus,
    StockLevel,
    StockMove,
    Warehouse,
)
from gendan.orders.models import Order, OrderLine
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

DEFAULT_WAREHOUSE = "FG"


def default_warehouse() -> Warehouse:
    warehouse, _ = Warehouse.objects.get_or_create(
        code=DEFAULT_WAREHOUSE, defaults={"name": "成品仓 Finished goods"}
    )
    return warehouse


@step
def reserve_for_order(*, order: Order, actor: User) -> dict[int, int]:
    """Reserve what is on hand for each line; returns the reserved quantity per line id."""
    lines = list(order.lines.all())
    stocks = locks.stock_for_update(line.product_id for line in lines)
    by_product: dict[int, list[StockLevel]] = {}
    for stock in stocks:
        by_product.setdefault(stock.product_id, []).append(stock)
    reserved: dict[int, int] = {}
    for line in lines:
        wanted = line.quantity - line.shipped_qty
        got = 0
        for stock in by_product.get(line.product_id, []):
            take = min(wanted - got, stock.on_hand - stock.reserved)
            if take <= 0:
                continue
            StockLevel.objects.filter(pk=stock.pk).update(reserved=F("reserved") + take)
            stock.reserved += take
            Reservation.objects.create(line=line, stock=stock, quantity=take)
            got += take
            if got == wanted:
                break
        reserved[line.pk] = got
    if any(reserved.values()):
        record(
            kind=EventKind.STOCK_RESERVED,
            actor=actor,
            order=order,
            payload={"reserved": {str(k): v for k, v in reserved.items() if v}},
        )
    return reserved


@step
def release_reservations(*, order: Order, actor: User) -> int:
    """Give back every open reservation of the order (cancel); returns the quantity released."""
    reservations = list(
        Reservation.objects.filter(line__order=order, status=ReservationStatus.ACTIVE).order_by(
            "stock_id"
        )
    )
    locks.stock_for_update(r.stock.product_id for r in reservations)
    released = 0
    for r in reservations:
        open_qty = r.quantity - r.consumed
        StockLevel.objects.filter(pk=r.stock_id).update(reserved=F("reserved") - open_qty)
        r.status = ReservationStatus.RELEASED
        r.save(update_fields=["status"])
        released += open_qty
    if released:
        record(
            kind=EventKind.STOCK_RELEASED, actor=actor, order=order, payload={"released": released}
        )
    return released


@step
def receive_produced(*, line: OrderLine, quantity: int, actor: User) -> None:
    """Finished goods from production enter stock already reserved for their line."""
    warehouse = default_warehouse()
    stock, _ = StockLevel.objects.get_or_create(product_id=line.product_id, warehouse=warehouse)
    StockLevel.objects.filter(pk=stock.pk).update(
        on_hand=F("on_hand") + quantity, reserved=F("reserved") + quantity
    )
    Reservation.objects.create(line=line, stock=stock, quantity=quantity)
    StockMove.objects.create(
        stock=stock,
        quantity=quantity,
        reason=MoveReason.PRODUCED,
        order_id=line.order_id,
        actor=actor,
    )


@step
def consume_for_shipment(*, line: OrderLine, quantity: int, actor: User) -> None:
    """Take shipped goods out of stock from the line's reservations, oldest first."""
    left = quantity
    reservations = list(
        Reservation.objects.select_for_update()
        .filter(line=line, status=ReservationStatus.ACTIVE)
        .order_by("pk")
    )
    for r in reservations:
        take = min(left, r.quantity - r.consumed)
        if take <= 0:
            continue
        StockLevel.objects.filter(pk=r.stock_id).update(
            on_hand=F("on_hand") - take, reserved=F("reserved") - take
        )
        r.consumed += take
        if r.consumed == r.quantity:
            r.status = ReservationStatus.CONSUMED
        r.save(update_fields=["consumed", "status"])
        StockMove.objects.create(
            stock_id=r.stock_id,
            quantity=-take,
            reason=MoveReason.SHIPPED,
            order_id=line.order_id,
            actor=actor,
        )
        left -= take
        if left == 0:
            return
    raise invalid(
        "not_reserved",
        gettext("Line %(line)s has only %(have)s reserved for %(want)s to ship.")
        % {"line": line.line_no, "have": quantity - left, "want": quantity},
    )


@verb(Perm.MANAGE_STOCK)
@transaction.atomic(durable=True)
def adjust_stock(
    *, product: Product, warehouse: Warehouse | None = None, delta: int, note: str, actor: User
) -> StockLevel:
    """A stock count correction or receipt; on hand may never fall below what is reserved."""
    if delta == 0:
        raise invalid("invalid_quantity", gettext("The change must not be zero."), field="delta")
    if not note.strip():
        raise invalid("reason_required", gettext("A reason is required."), field="note")
    warehouse = warehouse or default_warehouse()
    stock, _ = StockLevel.objects.get_or_create(product=product, warehouse=warehouse)
    stock = StockLevel.objects.select_for_update().get(pk=stock.pk)
    if stock.on_hand + delta < stock.reserved:
        raise invalid(
            "below_reserved",
            gettext("On hand would fall to %(new)s, below the %(reserved)s reserved.")
            % {"new": stock.on_hand + delta, "reserved": stock.reserved},
            field="delta",
        )
    StockLevel.objects.filter(pk=stock.pk).update(on_hand=F("on_hand") + delta)
    StockMove.objects.create(
        stock=stock, quantity=delta, reason=MoveReason.ADJUSTMENT, note=note, actor=actor
    )
    record(
        kind=EventKind.STOCK_ADJUSTED,
        actor=actor,
        payload={"product": product.code, "delta": delta, "note": note},
    )
    stock.refresh_from_db()
    return stock
