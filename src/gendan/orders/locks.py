from __future__ import annotations

from gendan.errors import not_found
from gendan.orders.models import Order


def order_for_update(number: str) -> Order:
    """The order row, locked until the end of the transaction."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("customer", "salesperson", "merchandiser")
        .filter(number=number)
        .first()
    )
    if order is None:
        raise not_found("order")
    return order
