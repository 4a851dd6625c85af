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

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model

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
from gendan.timeline.services import history_row, together

#: orders written per INSERT (their lines, events and history rows likewise)
BATCH = 1_000
#: rows per INSERT at most
_MAX_ROWS = 5_000
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
    insert([history_row(order, actor=actor, history_type="+") for order in orders])


# ---- the INSERTs: Django's bulk_create without its per-value compiling ------------------------

#: the fields whose Python value is already what the database takes (no conversion)
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",  # SQLite's driver adapter writes str(date), as Django's would
        "DecimalField",  # Django's adapters return a Decimal unchanged
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


#: and those psycopg takes as they are (Django's PostgreSQL adapter returns them unchanged)
_AS_IS_ON_POSTGRESQL = frozenset({"DateTimeField"})


def _columns(model: type[Model]) -> list[tuple[str, str, Any, str]]:
    """(column, attname, conversion or None, database type) of every concrete field written:
    all but a primary key the database sets."""
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the thread's proxy
    columns = []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.db_returning:
            continue
        kind = f.get_internal_type()
        as_is = kind in _AS_IS or (database.vendor == "postgresql" and kind in _AS_IS_ON_POSTGRESQL)
        convert = None if as_is else functools.partial(f.get_db_prep_save, connection=database)
        columns.append((str(f.column), f.attname, convert, str(f.db_type(database))))
    return columns


def insert(objs: Sequence[Model], *, returning: str = "") -> None:
    """Write new rows of one model as ``bulk_create`` does (every concrete field but an
    automatic primary key, the database's own form of each value), without compiling an
    expression per value. With ``returning`` (a unique field's name) the new primary keys are
    read back into ``objs``, matched by that field."""
    if not objs:
        return
    model = type(objs[0])
    columns = _columns(model)
    rows = [
        [
            value if convert is None or value is None else convert(value)
            for _, attname, convert, _ in columns
            for value in (getattr(obj, attname),)
        ]
        for obj in objs
    ]
    by_key: dict[Any, Model] = {}
    if returning:
        key = model._meta.get_field(returning).attname  # type: ignore[union-attr]
        by_key = {getattr(obj, key): obj for obj in objs}
    _insert(model, columns, rows, returning, by_key)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_values(model: type[Model], values: Sequence[Mapping[str, Any]]) -> None:
    """Write new rows of ``model`` given as field values (a related object for a relation; a
    field left out takes its default), without building a model instance per row."""
    columns = _columns(model)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[attname] for _, attname, _, _ in columns]
    rows = []
    for given in values:
        row = []
        for f, (_, _, convert, _) in zip(fields, columns, strict=True):
            if f.name in given:
                value = given[f.name]
                if f.is_relation and value is not None:
                    value = value.pk
            else:
                value = f.get_default()
            row.append(value if convert is None or value is None else convert(value))
        rows.append(row)
    _insert(model, columns, rows, "", {})


def _insert(
    model: type[Model],
    columns: list[tuple[str, str, Any, str]],
    rows: list[list[Any]],
    returning: str,
    by_key: dict[Any, Model],
) -> None:
    """The INSERTs of ``rows``. PostgreSQL takes each column as one array (``INSERT ... SELECT
    FROM unnest(...)``: a statement of a few parameters, where a VALUES list of thousands costs
    the server more to parse than to write); SQLite multi-row VALUES within its bound on
    parameters."""
    if not rows:
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    q = connection.ops.quote_name
    table = q(meta.db_table)
    names = ", ".join(q(column) for column, _, _, _ in columns)
    returned = ""
    if returning:
        key = meta.get_field(returning)
        returned = f" RETURNING {q(str(pk.column))}, {q(str(getattr(key, 'column', '')))}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for _, _, _, kind in columns)
            for start in range(0, len(rows), _MAX_ROWS):
                chunk = rows[start : start + _MAX_ROWS]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){returned}",
                    [list(values) for values in zip(*chunk, strict=True)],
                )
                if returning:
                    for pk_value, key_value in cursor.fetchall():
                        setattr(by_key[key_value], pk.attname, pk_value)
        else:
            one = "(" + ", ".join(["%s"] * len(columns)) + ")"
            bound = int(connection.features.max_query_params or 999)
            per = max(1, min(_MAX_ROWS, bound // len(columns)))
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}"
                    f"{returned}",
                    [value for row in chunk for value in row],
                )
                if returning:
                    for pk_value, key_value in cursor.fetchall():
                        setattr(by_key[key_value], pk.attname, pk_value)
