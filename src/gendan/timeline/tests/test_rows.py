"""``gendan.rows``: the statements built once write and read what the ORM writes and reads.

Events, history rows and order lines are written both ways and compared column by column;
the updates and the prepared reads are compared with the ORM's on the same rows. On SQLite
and PostgreSQL alike (the two forms of each statement)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan import rows
from gendan.orders.models import Order, OrderLine
from gendan.rows import Prepared
from gendan.timeline.models import Event
from gendan.timeline.services import history_model, history_row, write_history


def _row(obj: Model, *, skip: tuple[str, ...] = ()) -> dict[str, object]:
    """Every column of a saved row as the database gives it back (read again by the ORM)."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    pk = type(obj)._meta.pk
    assert pk is not None
    return {
        f.attname: getattr(fresh, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.attname not in skip and f.attname != pk.attname
    }


AT = timezone.now() - timedelta(days=3, microseconds=17)


def _events(order: Order, users: dict) -> list[Event]:
    return [
        Event(
            kind="order.transition",
            at=AT,
            actor=users["merch"],
            order=order,
            customer_id=order.customer_id,
            from_status="draft",
            to_status="submitted",
            comment="价格已确认 — “quoted”",
            payload={
                "action": "submit",
                "lines": {"1": 12},
                "total": "570.00",
                "nested": [1, None],
            },
        ),
        Event(kind="mail.sent", at=AT, actor=None, order=None, customer=None, payload={}),
    ]


def test_an_insert_writes_the_rows_bulk_create_writes(world):
    order = world.order()
    by_orm = Event.objects.bulk_create(_events(order, world.users))
    by_rows = _events(order, world.users)
    rows.insert(by_rows, returning="pk")
    assert [e.pk for e in by_rows] == sorted(e.pk for e in by_rows)
    assert all(e.pk is not None and e.pk not in {o.pk for o in by_orm} for e in by_rows)
    for orm, ours in zip(by_orm, by_rows, strict=True):
        assert _row(ours) == _row(orm)


def test_an_insert_takes_the_key_of_a_related_row_saved_after_it_was_assigned(world):
    order = Order.objects.get(pk=world.order().pk)
    order.pk = None
    order.number = "SO-TEST-1"
    event = Event(kind="order.created", order=order, customer_id=order.customer_id)
    order.save()  # after the assignment: the event's order_id was None until now
    rows.insert([event], returning="pk")
    assert Event.objects.get(pk=event.pk).order_id == order.pk


def test_history_rows_are_the_rows_simple_history_writes(world):
    order = world.order()
    line = order.lines.order_by("line_no").first()
    actor = world.users["merch"]
    line.produced_qty = 7
    line.save()  # simple-history's own signal writes this row
    by_signal = line.history.order_by("-history_id").first()
    write_history([history_row(line, actor=actor, history_type="~")])
    ours = history_model(OrderLine).objects.order_by("-history_id").first()
    assert ours.history_id != by_signal.history_id
    skip = ("history_date", "history_user_id")
    assert _row(ours, skip=skip) == _row(by_signal, skip=skip)
    assert ours.history_user_id == actor.pk
    assert ours.produced_qty == 7 and ours.history_type == "~"


@pytest.mark.parametrize("count", [1, 3])
def test_an_update_writes_each_row_its_own_values(world, count):
    order = world.order()
    lines = list(order.lines.order_by("line_no"))[:count]
    untouched = list(order.lines.order_by("line_no"))[count:]
    for i, line in enumerate(lines, start=1):
        line.produced_qty = 10 * i
        line.unit_price = Decimal("1.25") * i
        line.colour = f"红{i}"
    with CaptureQueriesContext(connection) as ctx:
        rows.update(lines, ["produced_qty", "unit_price", "colour"])
    assert len(ctx.captured_queries) == 1
    for i, line in enumerate(lines, start=1):
        fresh = OrderLine.objects.get(pk=line.pk)
        assert (fresh.produced_qty, fresh.unit_price, fresh.colour) == (
            10 * i,
            Decimal("1.25") * i,
            f"红{i}",
        )
    for line in untouched:
        assert _row(line) == _row(OrderLine.objects.get(pk=line.pk))
        assert OrderLine.objects.get(pk=line.pk).produced_qty == 0


def test_a_prepared_read_gives_the_orm_s_instances_and_is_compiled_once(world):
    first, second = world.order(), world.order(customer="DIST01")
    lines = Prepared(
        lambda order_id: (
            OrderLine.objects.filter(order_id=order_id)
            .select_related("order__customer", "product")
            .order_by("line_no")
        ),
        int,
    )
    for order in (first, second, first):
        orm = list(
            OrderLine.objects.filter(order_id=order.pk)
            .select_related("order__customer", "product")
            .order_by("line_no")
        )
        with CaptureQueriesContext(connection) as ctx:
            ours = lines.all(order.pk)
        assert len(ctx.captured_queries) == 1
        assert [(_row(o), o.order.number, o.order.customer.code, o.product.code) for o in ours] == [
            (_row(o), o.order.number, o.order.customer.code, o.product.code) for o in orm
        ]
        assert [o.unit_price for o in ours] == [o.unit_price for o in orm]  # Decimal, converted
        assert [o.order.created_at for o in ours] == [o.order.created_at for o in orm]
    by_number = Prepared(lambda number: Order.objects.filter(number=number))
    assert by_number.first(second.number).pk == second.pk
    assert by_number.first("SO-NOT-THERE") is None


@pytest.mark.django_db(transaction=True)
def test_the_order_lock_is_one_statement_that_locks_the_row(world):
    from gendan.orders.locks import order_for_update

    order = world.order()
    finance = world.users["finance"]
    with transaction.atomic():
        order_for_update(order.number, visible_to=finance)  # her permissions, read once
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        locked = order_for_update(order.number, visible_to=finance)
    assert locked.pk == order.pk and locked.version == order.version
    assert len(ctx.captured_queries) == 1
    if connection.vendor == "postgresql":
        assert ctx.captured_queries[0]["sql"].rstrip().endswith('FOR UPDATE OF "orders_order"')
