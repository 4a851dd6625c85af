"""Random lives of replacement-part orders (补件单): orders' own state machine (every rule, every
invariant of `orders/tests/test_state_machine.py`), whose new orders are replacement orders of
confirmed complaints, at zero or reduced price. Besides orders' invariants: a replacement order
is never asked a deposit nor receives one, is released with the sales manager's signature
alone, stays linked to its complaint, and no refusal ever names a condition its kind waives."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test

from gendan.aftersales import permissions as p
from gendan.aftersales import services as aftersales
from gendan.aftersales.models import Resolution
from gendan.errors import DomainError
from gendan.finance.models import Payment, PaymentKind
from gendan.orders import services as order_services
from gendan.orders.models import Order
from gendan.orders.tests.test_state_machine import (
    CUSTOMERS,
    MAX_ORDERS,
    PRODUCTS,
    OrderLives,
    snapshot,
)
from gendan.orders.workflow import Status

pytestmark = pytest.mark.django_db

#: the codes of the reasons of the conditions a replacement order waives
WAIVED_CODES = frozenset({"zero_total", "deposit_not_received"})


class ReplacementLives(OrderLives):
    @precondition(lambda self: len(self.numbers) < MAX_ORDERS)
    @rule(
        target=OrderLives.orders,
        customer=st.sampled_from(CUSTOMERS),
        lines=st.lists(
            st.tuples(
                st.sampled_from(PRODUCTS),
                st.integers(1, 50),
                st.sampled_from(("0", "0", "1.25")),
            ),
            min_size=1,
            max_size=3,
        ),
        signed=st.booleans(),
    )
    def enter(self, customer: str, lines: list[tuple[str, int, str]], signed: bool) -> str:
        """A complaint confirmed by the sales manager, answered by a replacement order (zero
        or reduced price), sometimes signed by the manager at once."""
        complaint = aftersales.log_complaint(
            actor=self.users["service"], customer=customer, kind="quality", description="破损"
        )
        aftersales.confirm_complaint(actor=self.users["manager"], number=complaint.number)
        resolution = aftersales.issue_replacement_order(
            actor=self.users["merch"],
            number=complaint.number,
            lines=[
                aftersales.ReplacementLine(product=code, quantity=q, unit_price=Decimal(x))
                for code, q, x in lines
            ],
        )
        number = resolution.order.number
        self.numbers.append(number)
        if signed:
            order_services.sign_as_manager(order_number=number, actor=self.users["manager"])
        return number

    def _try(self, number, action, actor, params) -> None:  # type: ignore[no-untyped-def]
        """Orders' try, and a refusal never gives a reason its kind waives."""
        before = snapshot(number)
        try:
            order_services.ACTION_VERBS[action](order_number=number, actor=actor, **params)
        except DomainError as exc:
            assert snapshot(number) == before, f"{action} by {actor} was refused but changed"
            codes = {r["code"] for r in exc.details.get("reasons", [])}
            assert not codes & WAIVED_CODES, (action, codes)
            return
        after = Order.objects.get(number=number)
        assert after.version > before.version
        event(f"{action} went through, order now {after.status}")

    @invariant()
    def replacements_keep_their_kind_and_ask_no_deposit(self) -> None:
        orders = Order.objects.filter(number__in=self.numbers)
        assert set(orders.values_list("kind", flat=True)) <= {p.REPLACEMENT_KIND}
        assert not Payment.objects.filter(order__in=orders, kind=PaymentKind.DEPOSIT).exists()
        assert not orders.filter(deposit_confirmed_at__isnull=False).exists()
        linked = Resolution.objects.filter(order__in=orders).count()
        assert linked == orders.count()
        # the manager's signature alone signs it: none signed by finance only has moved on
        for o in orders.exclude(status__in=(Status.SUBMITTED, Status.CANCELLED, Status.ON_HOLD)):
            assert o.manager_signed_at is not None, (o.number, o.status)


def test_random_lives_of_replacement_orders_keep_the_invariants(world):
    run_state_machine_as_test(
        lambda: ReplacementLives(world),
        settings=settings(
            max_examples=int(os.environ.get("GENDAN_STATE_MACHINE_EXAMPLES", "10")),
            stateful_step_count=20,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
