"""Many orders entered at once (the Excel import): the rules of ``services.enter_order``, the
writes in bulk.

Each order goes through the same checks as one entered alone (``services.checked_entry``), but
the customers, people and products the orders name are read once for all of them (one query
each, in chunks of ``LOOKUP_CHUNK`` names), the numbers are reserved as one block
(``numbering.next_numbers``: one UPDATE ... RETURNING), and the orders, their lines, their
"order created" events and their history rows are written with one INSERT per table per
``BATCH`` orders. What is written is what ``enter_order`` writes for each order, in the same
order; nothing is written unless every order passed its checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.errors import DomainError
from gendan.numbering.services import next_numbers
from gendan.orders.entry import CheckedLine
from gendan.orders.models import Order, OrderLine
from gendan.orders.services import Names, checked_entry, line_values, record_entered
from gendan.parties.models import Customer
from gendan.parties.selectors import visible_customers
from gendan.rows import insert, insert_values
from gendan.timeline.services import history_row, together, write_history

#: orders written per INSERT (their lines, events and history rows likewise)
BATCH = 1_000
#: names looked up per query (within SQLite's and PostgreSQL's bound on parameters)
LOOKUP_CHUNK = 5_000


def _chunks(names: Iterable[str]) -> list[list[str]]:
    ordered = sorted(set(names))
    return [ordered[i : i + LOOKUP_CHUNK] for i in range(0, len(ordered), LOOKUP_CHUNK)]


def names_of(actor: Any, orders: Sequence[Mapping[str, Any]]) -> Names:
    """What the orders name, read once: the customers the actor sees (with their salesperson),
    the active people, the products."""
    customers: dict[str, Customer] = {}
    for codes in _chunks(o["customer"] for o in orders if o.get("customer")):
        found = visible_customers(actor).filter(code__in=codes).select_related("salesperson")
        customers.update((c.code, c) for c in found)
    people: dict[str, User] = {}
    usernames = [o[k] for o in orders for k in ("salesperson", "merchandiser") if o.get(k)]
    for chunk in _chunks(usernames):
        people.update(
            (u.username, u) for u in User.objects.filter(username__in=chunk, is_active=True)
        )
    products: dict[str, Product] = {}
    for codes in _chunks(line.product for o in orders for line in o.get("lines") or ()):
        products.update((p.code, p) for p in Product.objects.filter(code__in=codes))
    return Names(
        customer=customers.get,
        user=people.get,
        products=lambda codes: {c: products[c] for c in codes if c in products},
    )


@verb(Perm.ENTER_ORDER)
def enter_orders(
    *,
    actor: Any,
    orders: Sequence[Mapping[str, Any]],
    progress: Callable[[float], None] | None = None,
) -> list[Order | DomainError]:
    """Enter every order (each the keyword arguments of ``enter_order`` but ``actor`` and
    ``submit``), or none: the result holds, in the same order, the order entered or the error
    that refused it. With any error nothing is written. Call it inside a transaction.
    ``progress`` is told the share of the orders written after each batch."""
    names = names_of(actor, orders)
    results: list[Order | DomainError] = []
    entered: list[tuple[Order, list[CheckedLine]]] = []
    for fields in orders:
        try:
            order, checked = checked_entry(actor=actor, names=names, **fields)
        except DomainError as exc:
            results.append(exc)
            continue
        results.append(order)
        entered.append((order, checked))
    if len(entered) < len(orders):
        return results
    for (order, _checked), number in zip(entered, next_numbers("SO", len(entered)), strict=True):
        order.number = number
    for start in range(0, len(entered), BATCH):
        _write(entered[start : start + BATCH], actor)
        if progress is not None:
            progress(min(start + BATCH, len(entered)) / len(entered))
    return results


def _write(entered: list[tuple[Order, list[CheckedLine]]], actor: Any) -> None:
    """One batch: its orders, lines, events and history rows, one INSERT each."""
    orders = [order for order, _ in entered]
    insert(orders, returning="number")
    insert_values(
        OrderLine,
        [{"order": order} | line for order, checked in entered for line in line_values(checked)],
    )
    with together():  # the events as record() writes them, in one INSERT
        for order, checked in entered:
            record_entered(order, checked, actor)
    write_history([history_row(order, actor=actor, history_type="+") for order in orders])
