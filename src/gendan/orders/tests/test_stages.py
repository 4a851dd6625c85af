"""The way of an order (orders/stages.py) agrees with the workflow table, and the seeder and the
service verbs that read it make the same orders.

The table alone cannot say in which order the actions come; LIFE says it once. These tests fail
when the two drift: a transition added to the table with no place on the way, a source or target
changed under a stage, a stamp the seeder does not write, or a seeded order that differs from one
the services take the same way.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from gendan.orders import stages, workflow
from gendan.orders.stages import LIFE, Plan
from gendan.orders.workflow import Status

S = Status


# ---- the declaration -----------------------------------------------------------------------------


def test_every_action_of_the_table_has_its_place_on_the_way():
    # given the actions of the way forward, its detours and the actions off it
    on_the_way = {stage.action for stage in LIFE}
    aside = set(stages.DETOURS) | set(stages.OFF_PATH)
    # then together they are exactly the table's actions: a new transition must be placed
    assert on_the_way | aside == set(workflow.ACTIONS)
    assert not on_the_way & aside
    assert not set(stages.DETOURS) & set(stages.OFF_PATH)


def test_a_stage_says_where_it_lands_exactly_when_the_table_cannot():
    for stage in LIFE:
        target = workflow.BY_ACTION[stage.action].target
        assert (stage.lands is not None) == callable(target), stage.action
    for action in stages.DETOURS:
        assert isinstance(workflow.BY_ACTION[action].target, str), action


def test_every_plan_walks_the_table_from_draft():
    # every step leaves from a status its transition leaves from (walk raises otherwise), lands
    # where a constant target says, and the next step leaves from there
    for plan in stages.every_plan():
        status: str = S.DRAFT
        for step in stages.walk(plan):
            transition = workflow.BY_ACTION[step.action]
            assert step.source == status, (plan, step)
            assert step.source in transition.sources, (plan, step)
            if isinstance(transition.target, str):
                assert step.target == transition.target, (plan, step)
            if transition.target is None:
                assert step.target == step.source, (plan, step)
            status = step.target


def test_the_way_forward_passes_every_status_but_the_detours_in_order():
    assert stages.FORWARD == (
        S.DRAFT,
        S.SUBMITTED,
        S.SIGNED,
        S.DEPOSIT_REQUESTED,
        S.DEPOSIT_CONFIRMED,
        S.RELEASED,
        S.PRODUCED,
        S.BALANCE_REQUESTED,
        S.READY_TO_SHIP,
        S.PARTIALLY_SHIPPED,
        S.SHIPPED,
        S.DELIVERED,
        S.CLOSED,
    )
    assert set(stages.FORWARD) | set(stages.DETOUR_TO.values()) == set(Status)


def test_the_stamps_are_the_workflows_and_fields_of_the_order():
    from gendan.orders.models import Order

    fields = {f.name for f in Order._meta.concrete_fields}
    assert set(stages.STAMP_FIELDS) == set(workflow.STAMPS.values()) | {
        m.stamp for m in workflow.MILESTONES if m.stamp
    }
    assert set(stages.STAMP_FIELDS) <= fields
    assert set(stages.SIGNER_FIELDS) <= fields
    # every step sets the stamp the workflow gives its action, unless an earlier step set it
    for plan in stages.every_plan():
        seen: set[str] = set()
        for step in stages.walk(plan):
            own = workflow.STAMPS.get(step.action)
            assert own is None or own in step.stamps or own in seen, (plan, step)
            assert not seen & set(step.stamps), (plan, step)
            seen |= set(step.stamps)


@pytest.mark.parametrize(
    ("status", "plan", "actions"),
    [
        (S.DRAFT, Plan(), []),
        (S.SUBMITTED, Plan(), ["submit"]),
        (S.SIGNED, Plan(), ["submit", "sign_finance", "sign_manager"]),
        (
            S.RELEASED,
            Plan(deposit=False),
            ["submit", "sign_finance", "sign_manager", "release"],
        ),
        # a delivered order paid in full closes itself: the way to DELIVERED ends CLOSED
        (S.DELIVERED, Plan(), [*[s.action for s in stages.walk(Plan())]]),
        (
            S.ON_HOLD,
            Plan(),
            ["submit", "hold"],
        ),
    ],
)
def test_path_to_is_the_shortest_way(status, plan, actions):
    via = S.SUBMITTED if status == S.ON_HOLD else ""
    assert [s.action for s in stages.path_to(status, plan, via=via)] == actions


def test_a_status_the_facts_exclude_is_unreachable_and_path_toward_stops_before_it():
    with pytest.raises(stages.Unreachable):
        stages.path_to(S.DEPOSIT_REQUESTED, Plan(deposit=False))
    toward = stages.path_toward(S.DEPOSIT_REQUESTED, Plan(deposit=False))
    assert [s.action for s in toward] == ["submit", "sign_finance", "sign_manager"]
    with pytest.raises(stages.Unreachable):
        stages.path_to(S.CANCELLED, Plan(), via=S.SHIPPED)  # goods have left


def test_the_seeder_writes_every_step_of_the_way():
    from gendan.seed import NOT_SEEDED, STEPS

    assert set(STEPS) | NOT_SEEDED == {stage.action for stage in LIFE} | set(stages.DETOURS)
    assert not set(STEPS) & NOT_SEEDED


# ---- the seeder and the services make the same orders ------------------------------------------


def _plan_of(order: Any, events: list[Any], notices: int) -> tuple[Plan, str]:
    """The facts a seeded order was made with, read back from its rows; and where it was held
    or cancelled from."""
    via = ""
    if order.status in stages.DETOUR_TO.values():
        via = events[-1].from_status
    return (
        Plan(
            deposit=order.deposit_due > 0,
            ask_deposit=order.deposit_requested_at is not None,
            production=notices > 0 or order.released_at is None,
            prepaid=order.deposit_due >= order.total_amount,
            ask_balance=order.balance_requested_at is not None,
            credit=order.on_credit,
            partial=S.PARTIALLY_SHIPPED in (order.status, via),
        ),
        via,
    )


def _portrait(order: Any) -> dict[str, Any]:
    """What must be the same of two orders that went the same way, whatever their amounts."""
    from gendan.finance.models import Payment
    from gendan.production.models import ProductionNotice
    from gendan.shipping.models import ShippingNotice
    from gendan.timeline.models import Event

    paid = (
        "nothing"
        if order.paid_amount == 0
        else "in full"
        if order.paid_amount == order.total_amount
        else "deposit"
        if order.paid_amount == order.deposit_due
        else "other"
    )
    return {
        "status": order.status,
        "held_from": order.held_from,
        "on_credit": order.on_credit,
        "paid": paid,
        "stamps": {f for f in stages.STAMP_FIELDS if getattr(order, f) is not None},
        "signed by": {f for f in stages.SIGNER_FIELDS if getattr(order, f"{f}_id") is not None},
        "steps": [
            (e.payload["action"], e.from_status, e.to_status)
            for e in Event.objects.filter(order=order, kind="order.transition").order_by("at", "id")
        ],
        "payments": sorted(Payment.objects.filter(order=order).values_list("kind", flat=True)),
        "production notices": sorted(
            ProductionNotice.objects.filter(order=order).values_list("status", flat=True)
        ),
        "shipping notices": sorted(
            ShippingNotice.objects.filter(order=order).values_list("status", flat=True)
        ),
    }


def _customer(deposit: bool, credit: bool, sales: Any) -> str:
    from gendan.parties.models import Customer

    code = f"STAGE-{int(deposit)}{int(credit)}"
    Customer.objects.get_or_create(
        code=code,
        defaults={
            "name": code,
            "channel": "domestic",
            "currency": "CNY",
            "deposit_percent": Decimal("30") if deposit else Decimal("0"),
            "credit_days": 30 if credit else 0,
            "credit_limit": Decimal("100000000") if credit else Decimal("0"),
            "salesperson": sales,
        },
    )
    return code


@pytest.mark.django_db
def test_a_seeded_order_at_each_status_is_the_order_the_services_make_the_same_way(world):
    """For every status, orders the seeder wrote (up to three ways per status) against orders
    taken the same way through the service verbs: the same status, stamps, signatures, steps
    with their from and to statuses, payments and notices."""
    from datetime import date, timedelta

    from django.utils import timezone

    from gendan.catalog.models import Product
    from gendan.demodata import take
    from gendan.inventory.models import StockLevel
    from gendan.inventory.services import default_warehouse
    from gendan.orders import services
    from gendan.orders.entry import LineInput
    from gendan.orders.models import Order
    from gendan.production.models import ProductionNotice
    from gendan.seed import seed
    from gendan.timeline.models import Event

    # given a seeded company, and a product plentiful in stock
    seed(orders=1500, seed=11, products=200, today=date(2026, 3, 2), out=lambda _: None)
    StockLevel.objects.create(
        product=Product.objects.create(code="STAGE-STOCK", name="in stock", unit="件"),
        warehouse=default_warehouse(),
        on_hand=10**6,
    )
    ways: dict[str, dict[tuple[Plan, str], Any]] = defaultdict(dict)
    for order in Order.objects.order_by("id"):
        events = list(Event.objects.filter(order=order, kind="order.transition").order_by("id"))
        notices = ProductionNotice.objects.filter(order=order).count()
        key = _plan_of(order, events, notices)
        if key not in ways[order.status] and len(ways[order.status]) < 3:
            ways[order.status][key] = order
    assert set(ways) == set(Status)

    today = timezone.localdate()
    for status, orders in ways.items():
        for (plan, via), seeded in orders.items():
            # when an order is taken the same way through the services (what it makes is of a
            # product of its own: what a cancelled order made stays in stock)
            made_of = Product.objects.create(code=f"STAGE-{Product.objects.count()}", name="-")
            made = services.create_order(
                actor=world.users["merch"],
                customer=_customer(plan.deposit, plan.credit, world.users["sales"]),
                contract_date=today,
                delivery_date=today + timedelta(days=30),
                lines=[
                    LineInput(
                        product=made_of.code if plan.production else "STAGE-STOCK",
                        quantity=10,
                        unit_price=Decimal("12.50"),
                    )
                ],
            )
            steps = stages.path_to(status, plan, via=via)
            done, landed = take(made.number, steps, world.users, plan)
            assert (done, landed) == (len(steps), steps[-1].target if steps else S.DRAFT)
            # then it is the seeded order, field by field
            made = Order.objects.get(pk=made.pk)
            assert _portrait(made) == _portrait(seeded), (status, plan, via)
