"""The receivable, its aging and the sales ledger agree: on known dates and terms, and for any
set of orders, payments and credit notes (hypothesis)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.finance import selectors
from gendan.finance.selectors import AgingFilter, aging, bucket_of, customer_receivable, ledger
from gendan.finance.tests.factories import book, credit, days_ago

pytestmark = pytest.mark.django_db


def test_bucket_edges():
    assert [bucket_of(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "not_due",
        "not_due",
        "d0_30",
        "d0_30",
        "d31_60",
        "d31_60",
        "d61_90",
        "d61_90",
        "over_90",
        "over_90",
    ]


def test_aging_on_known_dates_and_terms(world):
    # STORE01 has 30 days of credit terms, counted from shipment
    store = world.customers["STORE01"]
    fin = world.users["finance"]
    a = book(world.order(customer="STORE01"), booked_on=days_ago(120), shipped_on=days_ago(100))
    b = book(world.order(customer="STORE01"), booked_on=days_ago(100), shipped_on=days_ago(95))
    c = book(world.order(customer="STORE01"), booked_on=days_ago(20), shipped_on=days_ago(10))
    d = book(world.order(customer="STORE01"), booked_on=days_ago(50))  # not shipped: from booking
    report = aging(fin)
    by_number = {o.number: o for o in report.orders}
    assert by_number[a.number].days_past_due == 70
    assert by_number[a.number].bucket == "d61_90"
    assert by_number[b.number].bucket == "d61_90"  # 95 - 30 = 65
    assert by_number[c.number].bucket == "not_due"
    assert by_number[d.number].bucket == "d0_30"  # 50 - 30 = 20
    row = next(r for r in report.rows if r.customer_code == "STORE01")
    assert row.buckets["d61_90"] == a.total_amount + b.total_amount
    assert row.buckets["not_due"] == c.total_amount
    assert row.total == customer_receivable(store)
    assert row.limit_use == (row.total * 100 / store.credit_limit).quantize(Decimal("0.1"))
    # paying an order in full moves it out
    book(a, booked_on=days_ago(120), shipped_on=days_ago(100), paid=a.total_amount)
    again = aging(fin)
    assert a.number not in {o.number for o in again.orders}
    assert next(r for r in again.rows if r.customer_code == "STORE01").buckets["d61_90"] == (
        b.total_amount
    )
    # the drill into a bucket lists the orders behind its amount
    assert [o.number for o in again.orders_in("STORE01", "d61_90")] == [b.number]


def test_filters_by_salesperson_region_and_channel(world):
    book(world.order(customer="STORE01"), booked_on=days_ago(40), shipped_on=days_ago(40))
    book(world.order(customer="EXP001"), booked_on=days_ago(40), shipped_on=days_ago(40))
    fin = world.users["finance"]
    assert {r.customer_code for r in aging(fin).rows} == {"STORE01", "EXP001"}
    assert {r.customer_code for r in aging(fin, filters=AgingFilter(region="华东")).rows} == {
        "STORE01"
    }
    assert {r.customer_code for r in aging(fin, filters=AgingFilter(channel="export")).rows} == {
        "EXP001"
    }
    assert aging(fin, filters=AgingFilter(salesperson="nobody")).rows == []


def test_a_salesperson_sees_only_their_customers(world, users):
    from gendan.accounts.models import User

    book(world.order(customer="STORE01"), booked_on=days_ago(40), shipped_on=days_ago(40))
    other = User.objects.create_user("sales2", password="x")
    other.groups.add(*users["sales"].groups.all())
    assert aging(other).rows == []
    assert [r.customer_code for r in aging(users["sales"]).rows] == ["STORE01"]


def test_credit_notes_apply_to_their_order_and_the_rest_is_unapplied(world):
    fin = world.users["finance"]
    store = world.customers["STORE01"]
    o = book(world.order(customer="STORE01"), booked_on=days_ago(70), shipped_on=days_ago(70))
    credit(store, Decimal("100.00"), order=o, on=days_ago(1), by=fin)
    credit(store, Decimal("50.00"), on=days_ago(1), by=fin)
    row = aging(fin).rows[0]
    assert row.buckets["d31_60"] == o.total_amount - Decimal("100.00")
    assert row.unapplied == Decimal("50.00")
    assert row.total == o.total_amount - Decimal("150.00") == customer_receivable(store)


def test_overdue_of_the_salesperson_and_merchandiser(world):
    late = book(world.order(customer="STORE01"), booked_on=days_ago(70), shipped_on=days_ago(70))
    book(world.order(customer="STORE01"), booked_on=days_ago(5), shipped_on=days_ago(5))
    for who in ("sales", "merch"):
        count, rows = selectors.overdue_of(world.users[who], today=days_ago(0), limit=10)
        assert (count, [r.number for r in rows]) == (1, [late.number])
    assert selectors.overdue_of(world.users["finance"], today=days_ago(0), limit=10) == (0, [])


ORDERS = 5


@pytest.fixture
def five_orders(world):
    return [
        world.order(customer="STORE01", lines=[("BC-101", 10 + i, "12.50")]) for i in range(ORDERS)
    ]


order_facts = st.tuples(
    st.integers(min_value=0, max_value=200),  # booked days ago
    st.one_of(st.none(), st.integers(min_value=0, max_value=200)),  # shipped after booking
    st.integers(min_value=0, max_value=4),  # paid in quarters of the total
    st.booleans(),  # closed (paid in full) instead
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    facts=st.lists(order_facts, min_size=ORDERS, max_size=ORDERS),
    credits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=ORDERS), st.integers(1, 20000)), max_size=3
    ),
    terms=st.sampled_from([0, 30, 60]),
)
def test_buckets_and_ledger_sum_to_the_receivable(world, five_orders, facts, credits, terms):
    fin = world.users["finance"]
    store = world.customers["STORE01"]
    with transaction.atomic():
        type(store).objects.filter(pk=store.pk).update(credit_days=terms)
        for order, (booked, shipped, quarters, closed) in zip(five_orders, facts, strict=True):
            paid = (
                order.total_amount
                if closed
                else (order.total_amount * quarters / 4).quantize(Decimal("0.01"))
            )
            book(
                order,
                booked_on=days_ago(booked),
                shipped_on=days_ago(max(0, booked - shipped)) if shipped is not None else None,
                paid=paid,
                paid_on=days_ago(max(0, booked - 1)),
                status="closed" if closed else None,
            )
        for which, cents in credits:
            credit(
                store,
                Decimal(cents) / 100,
                order=five_orders[which] if which < ORDERS else None,
                on=days_ago(0),
                by=fin,
            )
        receivable = customer_receivable(store)
        report = aging(fin)
        rows = [r for r in report.rows if r.customer_code == "STORE01"]
        assert sum((r.total for r in rows), Decimal("0")) == receivable
        assert (
            sum((sum(r.buckets.values(), Decimal("0")) for r in rows), Decimal("0"))
            - sum((r.unapplied for r in rows), Decimal("0"))
            == receivable
        )
        assert sum((o.outstanding for o in report.orders), Decimal("0")) == sum(
            (sum(r.buckets.values(), Decimal("0")) for r in rows), Decimal("0")
        )
        book_ = ledger(store, since=days_ago(400), until=days_ago(0))
        assert book_.closing.get("CNY", Decimal("0")) == receivable
        if book_.entries:
            assert book_.entries[-1].balance == receivable
        # a ledger started later opens with what the earlier one had reached by then
        later = ledger(store, since=days_ago(60), until=days_ago(0))
        assert later.closing.get("CNY", Decimal("0")) == receivable
        transaction.set_rollback(True)


def test_ledger_running_balance_on_known_entries(world):
    fin = world.users["finance"]
    store = world.customers["STORE01"]
    o = book(
        world.order(customer="STORE01", lines=[("BC-101", 100, "10")]),
        booked_on=days_ago(30),
        shipped_on=days_ago(29),
        paid=Decimal("400.00"),
        paid_on=days_ago(10),
    )
    credit(store, Decimal("100.00"), order=o, on=days_ago(5), by=fin)
    book_ = ledger(store, since=days_ago(60), until=days_ago(0))
    assert [(e.kind, e.debit, e.credit, e.balance) for e in book_.entries] == [
        ("invoice", Decimal("1000.00"), Decimal("0.00"), Decimal("1000.00")),
        ("payment", Decimal("0.00"), Decimal("400.00"), Decimal("600.00")),
        ("credit_note", Decimal("0.00"), Decimal("100.00"), Decimal("500.00")),
    ]
    assert book_.opening == {}
    late = ledger(store, since=days_ago(7), until=days_ago(0))
    assert late.opening == {"CNY": Decimal("600.00")}
    assert late.closing == {"CNY": Decimal("500.00")} == {"CNY": customer_receivable(store)}
    assert (days_ago(0) - timedelta(days=0)) == late.until
