"""Writers at the same time: numbers, stale versions, money and stock hold under real threads.

Each thread has its own database connection (Django's are per thread) and closes it at the end.
The parallel tests need PostgreSQL: SQLite takes one writer at a time for the whole file, so two
writers never overlap there and the row locks under test do not exist.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.errors import DomainError, Kind
from gendan.finance.models import Payment
from gendan.inventory.models import Reservation, StockLevel
from gendan.numbering.models import DocumentSequence
from gendan.orders import services
from gendan.orders.entry import LineInput
from gendan.orders.errors import Code
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.production.models import ProductionNoticeLine
from gendan.timeline.models import Event, EventKind

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="parallel writers need PostgreSQL: SQLite serialises every write on the whole file",
)


def in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same moment; each result or the exception raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=30)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer is still blocked"
    return results


def split(results: list[Any]) -> tuple[list[Any], list[Exception]]:
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    return won, lost


def a_second_finance_user() -> User:
    user = User.objects.create_user(username="finance2", password="x", display_name="财务二")
    user.groups.add(Group.objects.get(name=Role.FINANCE))
    return user


# ---- order numbers ------------------------------------------------------------------------------


@pytest.mark.postgres_only
@needs_postgres
def test_order_numbers_are_unique_and_consecutive_under_parallel_creation(world):
    # given no order yet this year (the first writers also race to create the sequence row)
    assert not DocumentSequence.objects.filter(prefix="SO").exists()
    today = timezone.localdate()
    writers, rounds = 8, 2

    def create() -> str:
        return services.create_order(
            actor=world.users["merch"],
            customer="DIST01",
            contract_date=today,
            delivery_date=today + timedelta(days=30),
            lines=[LineInput(product="BC-101", quantity=10, unit_price=Decimal("12.50"))],
        ).number

    numbers: list[str] = []
    for _ in range(rounds):
        # when eight merchandisers save an order at the same moment
        results = in_parallel(*[create] * writers)
        # then every one got a number
        assert [r for r in results if isinstance(r, Exception)] == []
        numbers += results
    # and the numbers are distinct and consecutive, SO-YYYY-000001 to SO-YYYY-000016
    assert sorted(numbers) == [f"SO-{today.year}-{n:06d}" for n in range(1, rounds * writers + 1)]
    assert Order.objects.count() == rounds * writers
    assert DocumentSequence.objects.get(prefix="SO", year=today.year).last == rounds * writers


# ---- two writers on one order -------------------------------------------------------------------


def test_a_stale_write_is_refused_and_nothing_is_lost(world):
    # given two people looking at the same draft, version 1
    order = world.order(customer="DIST01")
    seen = order.version
    services.amend_order(
        order_number=order.number,
        actor=world.users["merch"],
        changes={"incoterm": "FOB"},
        expected_version=seen,
    )
    # when the second saves what they saw
    with pytest.raises(DomainError) as refused:
        services.amend_order(
            order_number=order.number,
            actor=world.users["sales"],
            changes={"customer_po": "PO-2"},
            expected_version=seen,
        )
    # then it is refused as stale (412) and the first write is kept
    assert (refused.value.kind, refused.value.code) == (Kind.STALE, Code.STALE)
    assert refused.value.details == {"version": seen + 1}
    order.refresh_from_db()
    assert (order.version, order.incoterm, order.customer_po) == (seen + 1, "FOB", "")
    # and, reloaded, the second write goes through on top of the first
    services.amend_order(
        order_number=order.number,
        actor=world.users["sales"],
        changes={"customer_po": "PO-2"},
        expected_version=seen + 1,
    )
    order.refresh_from_db()
    assert (order.version, order.incoterm, order.customer_po) == (seen + 2, "FOB", "PO-2")


@pytest.mark.postgres_only
@needs_postgres
def test_two_parallel_writers_with_one_version_one_wins_and_the_other_is_stale(world):
    # given two people looking at the same draft
    order = world.order(customer="DIST01")
    seen = order.version

    def amend(who: str, field: str, value: str) -> Order:
        return services.amend_order(
            order_number=order.number,
            actor=world.users[who],
            changes={field: value},
            expected_version=seen,
        )

    # when both save at the same moment
    results = in_parallel(
        lambda: amend("merch", "incoterm", "FOB"), lambda: amend("sales", "customer_po", "PO-2")
    )
    # then exactly one wins and the other is told its version is stale
    won, lost = split(results)
    assert (len(won), len(lost)) == (1, 1)
    assert isinstance(lost[0], DomainError)
    assert (lost[0].kind, lost[0].code, lost[0].details) == (
        Kind.STALE,
        Code.STALE,
        {"version": seen + 1},
    )
    # and the winner's change is there, whole, with one amendment event
    order.refresh_from_db()
    assert order.version == seen + 1
    expected = ("FOB", "") if won[0].incoterm == "FOB" else ("", "PO-2")
    assert (order.incoterm, order.customer_po) == expected
    assert Event.objects.filter(order=order, kind=EventKind.ORDER_AMENDED).count() == 1


# ---- money --------------------------------------------------------------------------------------


def test_the_database_refuses_paid_above_total(world):
    # given an order: even a write that skips the services cannot make it paid above its total
    order = world.order(customer="DIST01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(paid_amount=order.total_amount + Decimal("0.01"))
    order.refresh_from_db()
    assert order.paid_amount == Decimal("0")


@pytest.mark.postgres_only
@needs_postgres
def test_two_deposit_confirmations_that_together_over_pay_one_is_refused(world):
    # given a 50 % deposit order of 4602.00 waiting for its deposit of 2301.00
    order = world.order(customer="DIST01", to=Status.DEPOSIT_REQUESTED)
    assert (order.total_amount, order.deposit_due) == (Decimal("4602.00"), Decimal("2301.00"))
    small, large = Decimal("1500.00"), Decimal("4000.00")  # together 5500.00 > 4602.00
    finance2 = a_second_finance_user()

    def confirm(actor: User, amount: Decimal) -> Order:
        return services.confirm_deposit(order_number=order.number, actor=actor, amount=amount)

    # when two finance users confirm a receipt at the same moment
    results = in_parallel(
        lambda: confirm(world.users["finance"], small), lambda: confirm(finance2, large)
    )
    # then exactly one receipt is recorded and the order is never paid above its total
    won, lost = split(results)
    assert (len(won), len(lost)) == (1, 1)
    order.refresh_from_db()
    paid = list(Payment.objects.filter(order=order).values_list("amount", flat=True))
    assert len(paid) == 1
    assert order.paid_amount == paid[0] <= order.total_amount
    # and the other is refused with the reason that applies after the first
    assert isinstance(lost[0], DomainError)
    if paid[0] == small:  # the deposit is still open: the large one would over-pay
        assert (lost[0].kind, lost[0].code) == (Kind.REFUSED, Code.OVERPAYMENT)
        assert order.status == Status.DEPOSIT_REQUESTED
    else:  # the large one settled the deposit: nothing more is asked as deposit
        assert paid[0] == large
        assert (lost[0].kind, lost[0].code) == (Kind.REFUSED, Code.WRONG_STATUS)
        assert order.status == Status.DEPOSIT_CONFIRMED


@pytest.mark.postgres_only
@needs_postgres
def test_two_balance_receipts_that_together_over_pay_one_is_refused(world):
    # given a 4602.00 order, its 2301.00 deposit paid, waiting for a balance of 2301.00
    order = world.order(customer="DIST01", to=Status.BALANCE_REQUESTED)
    assert order.balance_due == Decimal("2301.00")
    finance2 = a_second_finance_user()

    def confirm(actor: User) -> Order:
        return services.confirm_balance(
            order_number=order.number, actor=actor, amount=Decimal("1500.00")
        )

    # when two finance users each confirm 1500.00 at the same moment (3000.00 > 2301.00)
    results = in_parallel(lambda: confirm(world.users["finance"]), lambda: confirm(finance2))
    # then one is recorded and the other is refused as an over-payment
    won, lost = split(results)
    assert (len(won), len(lost)) == (1, 1)
    assert isinstance(lost[0], DomainError)
    assert (lost[0].kind, lost[0].code) == (Kind.REFUSED, Code.OVERPAYMENT)
    order.refresh_from_db()
    assert order.paid_amount == Decimal("2301.00") + Decimal("1500.00")
    assert sum(Payment.objects.filter(order=order).values_list("amount", flat=True)) == (
        order.paid_amount
    )
    assert order.status == Status.BALANCE_REQUESTED


# ---- stock --------------------------------------------------------------------------------------


@pytest.mark.postgres_only
@needs_postgres
def test_two_releases_competing_for_stock_never_reserve_more_than_on_hand(world):
    # given 60 BC-101 on hand and two signed orders of 50 each (no deposit asked)
    StockLevel.objects.filter(product__code="BC-101").update(on_hand=60, reserved=0)
    first, second = (
        world.order(customer="STORE01", lines=[("BC-101", 50, "12.50")], to=Status.SIGNED)
        for _ in range(2)
    )

    def release(order: Order) -> Order:
        return services.release_order(order_number=order.number, actor=world.users["merch"])

    # when both are released at the same moment
    results = in_parallel(lambda: release(first), lambda: release(second))
    # then both go ahead, and together they reserve exactly what is on hand
    assert [r for r in results if isinstance(r, Exception)] == []
    stock = StockLevel.objects.get(product__code="BC-101")
    assert (stock.on_hand, stock.reserved) == (60, 60)
    reserved = {
        o.number: sum(Reservation.objects.filter(line__order=o).values_list("quantity", flat=True))
        for o in (first, second)
    }
    assert sorted(reserved.values()) == [10, 50]
    # and the one that got 10 has the other 40 on a production notice
    short = first if reserved[first.number] == 10 else second
    full = second if short is first else first
    assert list(
        ProductionNoticeLine.objects.filter(notice__order=short).values_list("quantity", flat=True)
    ) == [40]
    assert not ProductionNoticeLine.objects.filter(notice__order=full).exists()
    statuses = {o.number: o.status for o in Order.objects.filter(pk__in=(first.pk, second.pk))}
    assert statuses == {short.number: Status.RELEASED, full.number: Status.PRODUCED}
