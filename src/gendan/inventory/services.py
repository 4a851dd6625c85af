"""Stock and reservations. Quantities move with F() under row locks; constraints hold the rest."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from gendan import rows
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
def reserve_for_order(
    *, order: Order, actor: User, lines: list[OrderLine] | None = None
) -> dict[int, int]:
    """Reserve what is on hand for each line; returns the reserved quantity per line id.
    ``lines`` are the order's lines when the caller holds them (the gate read them). The stock
    rows are locked first, then written in one UPDATE, the reservations in one INSERT."""
    lines = list(order.lines.all()) if lines is None else lines
    stocks = locks.stock_for_update(line.product_id for line in lines)
    by_product: dict[int, list[StockLevel]] = {}
    for stock in stocks:
        by_product.setdefault(stock.product_id, []).append(stock)
    reserved: dict[int, int] = {}
    taken: list[Reservation] = []
    touched: dict[int, StockLevel] = {}
    for line in lines:
        wanted = line.quantity - line.shipped_qty
        got = 0
        for stock in by_product.get(line.product_id, []):
            take = min(wanted - got, stock.on_hand - stock.reserved)
            if take <= 0:
                continue
            stock.reserved += take  # the row is locked: the new figure is exact
            touched[stock.pk] = stock
            taken.append(Reservation(line=line, stock=stock, quantity=take))
            got += take
            if got == wanted:
                break
        reserved[line.pk] = got
    if touched:
        rows.update(list(touched.values()), ["reserved"])
        rows.insert(taken, returning="pk")
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


def _finished_goods_stock(product_ids: set[int]) -> dict[int, StockLevel]:
    """The finished-goods stock rows of these products, locked (created when missing); the
    warehouse is read only when a row has to be made."""

    def locked() -> dict[int, StockLevel]:
        return {
            s.product_id: s
            for s in StockLevel.objects.select_for_update(of=("self",))
            .filter(warehouse__code=DEFAULT_WAREHOUSE, product_id__in=product_ids)
            .order_by("pk")
        }

    stocks = locked()
    missing = product_ids - set(stocks)
    if missing:
        warehouse = default_warehouse()
        for product_id in sorted(missing):
            StockLevel.objects.get_or_create(product_id=product_id, warehouse=warehouse)
        stocks = locked()
    return stocks


@step
def receive_produced(*, made: list[tuple[OrderLine, int]], actor: User) -> None:
    """Finished goods from production (line, quantity) enter stock already reserved for their
    line: one UPDATE of the stock rows, one INSERT of reservations, one of moves."""
    made = [(line, qty) for line, qty in made if qty > 0]
    if not made:
        return
    stocks = _finished_goods_stock({line.product_id for line, _ in made})
    reservations, moves = [], []
    for line, quantity in made:
        stock = stocks[line.product_id]
        stock.on_hand += quantity  # the row is locked: the new figures are exact
        stock.reserved += quantity
        reservations.append(Reservation(line=line, stock=stock, quantity=quantity))
        moves.append(
            StockMove(
                stock=stock,
                quantity=quantity,
                reason=MoveReason.PRODUCED,
                order_id=line.order_id,
                actor=actor,
            )
        )
    rows.update(list(stocks.values()), ["on_hand", "reserved"])
    rows.insert(reservations, returning="pk")
    rows.insert(moves, returning="pk")


@step
def consume_for_shipment(*, shipped: list[tuple[OrderLine, int]], actor: User) -> None:
    """Take shipped goods (line, quantity) out of stock from the lines' reservations, oldest
    first: the reservations are locked in one query and written in one UPDATE, the stock in
    one UPDATE (by F(), so a writer that holds other rows of it is not lost), the moves in one
    INSERT."""
    wanted = {line.pk: qty for line, qty in shipped if qty > 0}
    if not wanted:
        return
    reservations = list(
        Reservation.objects.select_for_update()
        .filter(line_id__in=wanted, status=ReservationStatus.ACTIVE)
        .order_by("pk")
    )
    left = dict(wanted)
    off_stock: dict[int, int] = {}
    changed, moves = [], []
    for r in reservations:
        take = min(left[r.line_id], r.quantity - r.consumed)
        if take <= 0:
            continue
        r.consumed += take
        if r.consumed == r.quantity:
            r.status = ReservationStatus.CONSUMED
        changed.append(r)
        off_stock[r.stock_id] = off_stock.get(r.stock_id, 0) + take
        moves.append(
            StockMove(
                stock_id=r.stock_id,
                quantity=-take,
                reason=MoveReason.SHIPPED,
                order_id=next(line.order_id for line, _ in shipped if line.pk == r.line_id),
                actor=actor,
            )
        )
        left[r.line_id] -= take
    for line, quantity in shipped:
        if left.get(line.pk, 0) > 0:
            raise invalid(
                "not_reserved",
                gettext("Line %(line)s has only %(have)s reserved for %(want)s to ship.")
                % {"line": line.line_no, "have": quantity - left[line.pk], "want": quantity},
            )
    # Lock the stock rows in primary-key order first, as every writer of stock does: one UPDATE
    # over several rows locks them in the order it finds them, which deadlocked against a
    # release of another order (issue 11's soak run). Locked, their figures are exact.
    stocks = list(
        StockLevel.objects.select_for_update()
        .filter(pk__in=off_stock)
        .order_by("pk")
        .only("pk", "on_hand", "reserved")
    )
    for stock in stocks:
        stock.on_hand -= off_stock[stock.pk]
        stock.reserved -= off_stock[stock.pk]
    rows.update(stocks, ["on_hand", "reserved"])
    rows.update(changed, ["consumed", "status"])
    rows.insert(moves, returning="pk")


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
