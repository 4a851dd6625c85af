"""The order's life through the service verbs: each gate, each role, nothing changed on refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.errors import DomainError, Kind
from gendan.finance.models import Payment
from gendan.inventory.models import StockLevel
from gendan.orders import services
from gendan.orders.models import Order, OrderRevision
from gendan.orders.workflow import Status
from gendan.shipping import services as shipping_services
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


def snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        order.version,
        order.paid_amount,
        Event.objects.filter(order=order).count(),
    )


def test_whole_life_from_entry_to_closed(world):
    u = world.users
    order = world.order()  # three lines; EXP001 asks 30 % deposit
    assert order.status == Status.DRAFT
    assert order.total_amount == Decimal("1250.00") + Decimal("3000.00") + Decimal("352.00")
    assert order.deposit_due == Decimal("1380.60")
    n = order.number

    services.submit_order(order_number=n, actor=u["merch"])
    services.sign_as_finance(order_number=n, actor=u["finance"])
    assert Order.objects.get(number=n).status == Status.SUBMITTED  # one signature is not enough
    services.sign_as_manager(order_number=n, actor=u["manager"])
    assert Order.objects.get(number=n).status == Status.SIGNED
    services.request_deposit(order_number=n, actor=u["merch"])
    services.confirm_deposit(order_number=n, actor=u["finance"], amount=Decimal("1000"))
    assert Order.objects.get(number=n).status == Status.DEPOSIT_REQUESTED  # partial receipts add up
    services.confirm_deposit(order_number=n, actor=u["finance"], amount=Decimal("380.60"))
    assert Order.objects.get(number=n).status == Status.DEPOSIT_CONFIRMED
    services.release_order(order_number=n, actor=u["merch"])
    order = Order.objects.get(number=n)
    assert order.status == Status.RELEASED
    # BC-101 and BC-202 have 500 in stock: reserved; FN-101 has none: a production notice
    assert [
        (nl.line.product.code, nl.quantity) for nl in order.production_notices.get().lines.all()
    ] == [("FN-101", 10)]
    assert StockLevel.objects.get(product__code="BC-101").reserved == 100
    services.complete_production(order_number=n, actor=u["production"])
    services.request_balance(order_number=n, actor=u["merch"])
    services.confirm_balance(order_number=n, actor=u["finance"])
    assert Order.objects.get(number=n).status == Status.READY_TO_SHIP
    shipping_services.issue_shipping_notice(order_number=n, actor=u["merch"])
    shipping_services.issue_outbound_slip(order_number=n, actor=u["finance"])
    shipping_services.issue_delivery_note(order_number=n, actor=u["warehouse"])
    shipping_services.ship_order(order_number=n, actor=u["warehouse"])
    assert Order.objects.get(number=n).status == Status.SHIPPED
    shipping_services.confirm_delivery(order_number=n, actor=u["driver"], received_by="Anna")
    order = Order.objects.get(number=n)
    assert order.status == Status.CLOSED
    assert (
        order.paid_amount
        == order.total_amount
        == sum(p.amount for p in Payment.objects.filter(order=order))
    )
    assert StockLevel.objects.get(product__code="BC-101").on_hand == 400
    assert StockLevel.objects.get(product__code="BC-101").reserved == 0
    kinds = list(
        Event.objects.filter(order=order, kind="order.transition").values_list(
            "payload__action", flat=True
        )
    )
    assert "close" in kinds and "release" in kinds


@pytest.mark.parametrize(
    ("action", "actor", "code"),
    [
        ("release", "merch", "wrong_status"),
        ("sign_finance", "finance", "wrong_status"),
        ("ship", "warehouse", "wrong_status"),
        ("confirm_deposit", "finance", "wrong_status"),
        ("close", "merch", "wrong_status"),
    ],
)
def test_a_draft_refuses_every_later_step_and_changes_nothing(world, action, actor, code):
    order = world.order()
    before = snapshot(order)
    with pytest.raises(DomainError) as err:
        services.ACTION_VERBS[action](order_number=order.number, actor=world.users[actor])
    assert err.value.code == code
    assert err.value.kind == Kind.REFUSED
    assert snapshot(order) == before


def test_release_waits_for_both_signatures_and_the_deposit(world):
    u = world.users
    order = world.order(to=Status.SIGNED)
    with pytest.raises(DomainError) as err:
        services.release_order(order_number=order.number, actor=u["merch"])
    assert err.value.code == "deposit_not_received"
    assert Order.objects.get(pk=order.pk).status == Status.SIGNED


def test_the_wrong_role_is_forbidden_and_nothing_changes(world):
    order = world.order(to=Status.SUBMITTED)
    before = snapshot(order)
    for who in ("merch", "sales", "production", "warehouse", "driver", "cashier"):
        with pytest.raises(DomainError) as err:
            services.sign_as_finance(order_number=order.number, actor=world.users[who])
        assert err.value.kind == Kind.FORBIDDEN
        assert err.value.code == "permission_denied"
    assert snapshot(order) == before


def test_over_payment_is_refused_with_a_clear_message(world):
    order = world.order(to=Status.DEPOSIT_REQUESTED)
    with pytest.raises(DomainError) as err:
        services.confirm_deposit(
            order_number=order.number, actor=world.users["finance"], amount=Decimal("999999")
        )
    assert err.value.code == "overpayment"
    assert "999999" in str(err.value.message)
    assert Payment.objects.filter(order=order).count() == 0


def test_zero_deposit_customer_releases_straight_after_signing(world):
    order = world.order(customer="STORE01", to=Status.SIGNED)
    with pytest.raises(DomainError) as err:
        services.request_deposit(order_number=order.number, actor=world.users["merch"])
    assert err.value.code == "no_deposit_due"
    services.release_order(order_number=order.number, actor=world.users["merch"])
    assert Order.objects.get(pk=order.pk).status == Status.RELEASED


def test_credit_terms_let_goods_leave_with_the_receivable_open(world):
    order = world.order(customer="STORE01", to=Status.PRODUCED)
    services.allow_credit(order_number=order.number, actor=world.users["finance"])
    order.refresh_from_db()
    assert (
        order.status == Status.READY_TO_SHIP
        and order.on_credit
        and order.balance_due == order.total_amount
    )

    export = world.order(customer="EXP001", to=Status.PRODUCED)
    with pytest.raises(DomainError) as err:
        services.allow_credit(order_number=export.number, actor=world.users["finance"])
    assert err.value.code == "no_credit_terms"


def test_partial_shipments_never_exceed_the_ordered_quantity(world):
    u = world.users
    order = world.order(to=Status.READY_TO_SHIP)
    shipping_services.issue_shipping_notice(
        order_number=order.number, actor=u["merch"], lines={1: 60}
    )
    with pytest.raises(DomainError) as err:
        shipping_services.issue_shipping_notice(
            order_number=order.number, actor=u["merch"], lines={1: 41}
        )
    assert err.value.code == "invalid_quantity"
    shipping_services.issue_outbound_slip(order_number=order.number, actor=u["finance"])
    shipping_services.issue_delivery_note(order_number=order.number, actor=u["warehouse"])
    shipping_services.ship_order(order_number=order.number, actor=u["warehouse"])
    order.refresh_from_db()
    assert order.status == Status.PARTIALLY_SHIPPED
    assert order.lines.get(line_no=1).shipped_qty == 60


def test_cash_on_delivery_is_reconciled_by_the_cashier_then_the_order_closes(world):
    u = world.users
    order = world.order(customer="STORE01", to=Status.DELIVERED)
    assert order.status == Status.DELIVERED
    with pytest.raises(DomainError) as err:
        shipping_services.reconcile_cod(
            order_number=order.number, actor=u["cashier"], amount=Decimal("1")
        )
    assert err.value.code == "cod_mismatch"
    shipping_services.reconcile_cod(
        order_number=order.number, actor=u["cashier"], amount=order.balance_due
    )
    order.refresh_from_db()
    assert order.status == Status.CLOSED and order.balance_due == 0


def test_a_bank_receipt_cannot_also_pay_what_the_driver_collected(world):
    """Otherwise the cashier's reconciliation would over-pay and the order could never close."""
    u = world.users
    order = world.order(customer="STORE01", to=Status.DELIVERED)
    with pytest.raises(DomainError) as err:
        services.confirm_balance(order_number=order.number, actor=u["finance"], amount=Decimal("1"))
    assert err.value.code == "overpayment"
    shipping_services.reconcile_cod(
        order_number=order.number, actor=u["cashier"], amount=order.balance_due
    )
    assert Order.objects.get(pk=order.pk).status == Status.CLOSED


def test_the_driver_cannot_record_more_cash_than_is_owed(world):
    u = world.users
    order = world.order(customer="STORE01", to=Status.SHIPPED)
    before = snapshot(order)
    with pytest.raises(DomainError) as err:
        shipping_services.confirm_delivery(
            order_number=order.number,
            actor=u["driver"],
            received_by="店长",
            cod_collected=order.balance_due + 1,
        )
    assert err.value.code == "overpayment"
    assert snapshot(order) == before


def test_amending_price_needs_the_signatures_again_and_keeps_the_signed_revision(world):
    from gendan.orders.entry import LineInput

    order = world.order(to=Status.SIGNED)
    services.amend_order(
        order_number=order.number,
        actor=world.users["merch"],
        lines=[LineInput(product="BC-101", quantity=120, unit_price=Decimal("12.50"))],
        reason="客户追加数量",
    )
    order.refresh_from_db()
    assert order.status == Status.SUBMITTED and order.revision == 2
    assert order.finance_signed_at is None and order.manager_signed_at is None
    kept = OrderRevision.objects.get(order=order, revision=1)
    assert kept.snapshot["finance_signed_by"] == "finance"
    assert "lines" in kept.changes


def test_cancel_releases_reservations_and_hold_resume_returns(world):
    u = world.users
    order = world.order(to=Status.RELEASED)
    assert StockLevel.objects.get(product__code="BC-101").reserved == 100
    services.hold_order(order_number=order.number, actor=u["merch"], reason="等客户确认包装")
    with pytest.raises(DomainError) as err:
        services.complete_production(order_number=order.number, actor=u["production"])
    assert err.value.code == "wrong_status"
    services.resume_order(order_number=order.number, actor=u["merch"])
    assert Order.objects.get(pk=order.pk).status == Status.RELEASED
    with pytest.raises(DomainError) as err:
        services.cancel_order(order_number=order.number, actor=u["manager"], reason="")
    assert err.value.code == "reason_required"
    services.cancel_order(order_number=order.number, actor=u["manager"], reason="客户取消")
    assert Order.objects.get(pk=order.pk).status == Status.CANCELLED
    assert StockLevel.objects.get(product__code="BC-101").reserved == 0


def test_a_stale_version_is_refused(world):
    order = world.order()
    with pytest.raises(DomainError) as err:
        services.submit_order(
            order_number=order.number,
            actor=world.users["merch"],
            expected_version=order.version - 1 or 99,
        )
    assert err.value.kind == Kind.STALE
    assert Order.objects.get(pk=order.pk).status == Status.DRAFT


def test_a_salesperson_cannot_touch_another_salespersons_order(world):
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User
    from gendan.accounts.permissions import Role

    other = User.objects.create(username="sales2")
    other.groups.add(Group.objects.get(name=Role.SALESPERSON))
    order = world.order()
    with pytest.raises(DomainError) as err:
        services.submit_order(order_number=order.number, actor=other)
    assert err.value.kind == Kind.NOT_FOUND


def test_an_order_paid_in_full_and_covered_by_stock_is_ready_to_ship_with_its_stamp(world):
    """Released from stock with nothing left to pay, the order passes production and the
    balance at once: the checklist's stamps say so (ready_to_ship_at was left empty)."""
    customer = world.customers["EXP001"]
    customer.deposit_percent = 100
    customer.save()
    order = world.order(customer="EXP001", lines=[("BC-101", 1, "12.50")], to=Status.SIGNED)
    services.confirm_deposit(order_number=order.number, actor=world.users["finance"])
    released = services.release_order(order_number=order.number, actor=world.users["merch"])
    assert released.status == Status.READY_TO_SHIP
    assert released.production_done_at == released.released_at
    assert released.ready_to_ship_at == released.released_at
