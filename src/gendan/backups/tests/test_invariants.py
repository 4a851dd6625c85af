"""The invariant checker reports each kind of violation built in the database, and nothing on
data the services (or the seeder) wrote: it cannot pass silently."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from gendan.backups.invariants import (
    EVENTS,
    NUMBERS,
    PAID,
    RESERVED,
    SHIPPED,
    Violation,
    check,
    numbered_documents,
    summary,
)
from gendan.inventory.models import StockLevel
from gendan.orders.models import Order, OrderLine
from gendan.orders.workflow import Status
from gendan.seed import seed


@contextmanager
def constraint_dropped(model, name: str):
    """Write what a database constraint forbids (the test's transaction restores it)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            yield
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


def test_orders_the_services_took_along_their_life_hold_every_invariant(world):
    for target in (Status.DRAFT, Status.RELEASED, Status.CLOSED, Status.CANCELLED):
        world.order(to=target)
    world.order(customer="STORE01", to=Status.DELIVERED)
    assert check() == []
    call_command("check_invariants")  # exits 0


def test_a_seeded_company_holds_every_invariant(users):
    seed(orders=12, products=30, out=lambda line: None)
    assert check() == []


def test_paid_that_is_not_the_sum_of_receipts_is_reported(world):
    order = world.order(to=Status.RELEASED)
    paid = order.paid_amount
    assert paid > 0  # its deposit
    Order.objects.filter(pk=order.pk).update(paid_amount=F("paid_amount") - Decimal("0.01"))
    assert check() == [
        Violation(
            PAID,
            f"order {order.number}",
            f"paid {paid - Decimal('0.01')} but its receipts sum to {paid}",
        )
    ]


def test_a_line_shipped_beyond_its_quantity_is_reported(world):
    order = world.order()
    line = order.lines.order_by("line_no").first()
    with constraint_dropped(OrderLine, "line_shipped_lte_ordered"):
        OrderLine.objects.filter(pk=line.pk).update(shipped_qty=line.quantity + 1)
        OrderLine.objects.filter(pk=line.pk).update(delivered_qty=0)
    assert check() == [
        Violation(
            SHIPPED,
            f"order {order.number} line {line.line_no}",
            f"shipped {line.quantity + 1} of {line.quantity} ordered",
        )
    ]


def test_a_reservation_beyond_the_stock_on_hand_is_reported(world):
    level = StockLevel.objects.select_related("product", "warehouse").order_by("pk").first()
    with constraint_dropped(StockLevel, "stock_reserved_lte_on_hand"):
        StockLevel.objects.filter(pk=level.pk).update(reserved=level.on_hand + 5)
    assert check() == [
        Violation(
            RESERVED,
            f"stock level {level.pk} ({level.product.code} in {level.warehouse.code})",
            f"reserved {level.on_hand + 5} but {level.on_hand} on hand",
        )
    ]


def test_a_status_change_without_its_event_is_reported(world):
    order = world.order(to=Status.SUBMITTED)
    order.status = Status.SIGNED  # saved with its history, but no event
    order.save()
    assert check() == [
        Violation(
            EVENTS,
            f"order {order.number}",
            "1 change(s) submitted -> signed in its history without an event",
        ),
        Violation(
            EVENTS, f"order {order.number}", "status signed but its last event says submitted"
        ),
    ]


def test_an_order_no_event_names_is_reported(world):
    order = world.order()
    order.events.all()._raw_delete(order.events.db)  # events are append-only: a damaged log
    assert check() == [
        Violation(EVENTS, f"order {order.number}", "status draft but no event names it")
    ]


def test_a_document_number_read_twice_is_reported(world):
    first, second = world.order(), world.order()
    Order.objects.filter(pk=second.pk).update(number=f" {first.number.lower()}")
    assert check() == [Violation(NUMBERS, f"orders.Order {first.number}", "used 2 times")]


@pytest.mark.postgres_only
def test_the_same_number_twice_is_reported(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot drop a column's UNIQUE")
    first, second = world.order(), world.order()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        constraints = connection.introspection.get_constraints(cursor, Order._meta.db_table)
        for name, spec in constraints.items():
            if spec["unique"] and spec["columns"] == ["number"] and not spec["primary_key"]:
                cursor.execute(f'ALTER TABLE "{Order._meta.db_table}" DROP CONSTRAINT "{name}"')
    Order.objects.filter(pk=second.pk).update(number=first.number)
    assert check() == [Violation(NUMBERS, f"orders.Order {first.number}", "used 2 times")]


def test_every_numbered_document_is_checked():
    labels = [model._meta.label for model in numbered_documents()]
    assert {"orders.Order", "shipping.ShippingNotice", "loading.LoadingPlan"} <= set(labels)
    assert not [label for label in labels if "Historical" in label]


def test_the_command_exits_1_and_names_each_violation(world, capsys):
    order = world.order(to=Status.RELEASED)
    Order.objects.filter(pk=order.pk).update(paid_amount=0)
    with pytest.raises(CommandError) as failed:
        call_command("check_invariants")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert f"paid: order {order.number}: paid 0.00 but its receipts sum to" in out
    assert "1 violations (paid 1, shipped 0, reserved 0, events 0, numbers 0)" in out
    assert summary(check()) == {PAID: 1, SHIPPED: 0, RESERVED: 0, EVENTS: 0, NUMBERS: 0}
