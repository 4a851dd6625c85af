from __future__ import annotations

from typing import Any

from gendan.errors import not_found
from gendan.orders.models import Order
from gendan.orders.selectors import sees_every_order, visible_orders
from gendan.rows import Prepared

#: the lock of an order by its number, compiled once (every action of an order's life takes it)
_BY_NUMBER = Prepared(
    lambda number: (
        Order.objects.select_for_update(of=("self",)).filter(number=number).order_by("pk")[:1]
    )
)


def order_for_update(number: str, *, visible_to: Any = None) -> Order:
    """The order row, locked until the end of the transaction; with ``visible_to``, only if that
    actor may see it (the same query: "not yours" and "not there" are the same 404).

    Only the order's own row is read: the customer and the people are loaded when a step asks
    for them (most steps need only their ids), so the lock is one query on one table for an
    actor who sees every order (a statement compiled once), and joins the customer only to
    apply a narrower visibility."""
    if visible_to is None or sees_every_order(visible_to):
        order = _BY_NUMBER.first(number)
    else:
        qs = visible_orders(visible_to)
        order = qs.select_for_update(of=("self",)).filter(number=number).first()
    if order is None:
        raise not_found("order")
    return order
