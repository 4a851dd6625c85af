"""Random lives of orders: random actions by random roles, the invariants checked after every step.

Given a few orders of the three kinds of customer (30 % deposit, 0 % deposit with credit terms,
50 % deposit), a little stock and a factory (the dining chair FN-101 is made in three routed
steps), when any role tries any action with any parameters, reports any day's production, sends,
approves or rejects a first-article sample, or closes a notice short, then shipped <= ordered,
delivered <= shipped, 0 <= reserved <= on hand (and reserved is what the open reservations
hold), paid = the sum of the receipts <= total, closed only when delivered and paid, a step never
has more good than the step before it nor, before its first article is approved, more than the
sample, an order is produced only when every last step is complete or its notice was closed
short with a reason, every status change has its event, and a refused call changed nothing.

Each hypothesis example runs inside a savepoint of the test's transaction and is rolled back in
`teardown`, so the examples do not see each other's orders or stock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from gendan.demodata import drive
from gendan.errors import DomainError
from gendan.finance.models import Payment
from gendan.inventory.models import Reservation, ReservationStatus, StockLevel
from gendan.orders import services, workflow
from gendan.orders.entry import LineInput
from gendan.orders.models import Order, OrderLine
from gendan.orders.workflow import Status
from gendan.production.models import (
    DailyReport,
    FirstArticle,
    FirstArticleSample,
    FirstArticleStatus,
    NoticeClosure,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services import closing, first_articles, reports
from gendan.production.tests.factories import factory as production_factory
from gendan.quality.models import Concession, Inspection
from gendan.quality.services import accept_concession, record_inspection, save_plan
from gendan.shipping.models import DeliveryNote, ShippingNotice, ShippingStatus
from gendan.timeline.models import Event, EventKind

pytestmark = pytest.mark.django_db

CUSTOMERS = ("EXP001", "STORE01", "DIST01")
PRODUCTS = ("BC-101", "BC-201", "FN-101", "BC-202")  # BC-101 and BC-201 are in stock
STOCK = 60  # little stock, so that orders compete for it
PRICES = ("0.01", "1.25", "8.80", "12.50", "300")
ACTIONS = tuple(a for a in workflow.ACTIONS if a != "amend")
STATUS_EVENTS = (EventKind.ORDER_CREATED, EventKind.ORDER_TRANSITION, EventKind.ORDER_AMENDED)
MAX_ORDERS = 4
#: the demo logins, one per role; the first that holds a permission takes the "next step"
ROLES = (
    "merch",
    "finance",
    "manager",
    "production",
    "warehouse",
    "driver",
    "cashier",
    "sales",
    "purchaser",
    "qc",
    "regional",
    "service",
    "admin",
)
#: the product made in routed steps (the factory's 北欧系列, whose final inspection gates the
#: shipping notice), and the starts that need no report
ROUTED = "FN-101"
PLANNED_FAMILY = "北欧系列"
BEFORE_PRODUCTION = frozenset({Status.SIGNED, Status.DEPOSIT_REQUESTED, Status.RELEASED})
#: a day's slip reason and note: none, a full one, a reason without its note
SLIPS = (("", ""), ("machine", "锯片断了"), ("material", ""))
#: actions that step aside from the order's way forward
ASIDE = frozenset({"hold", "resume", "cancel"})
#: where a new order starts, taken there through the real services (None: a draft)
STARTS = (
    None,
    None,
    Status.SIGNED,
    Status.DEPOSIT_REQUESTED,
    Status.RELEASED,
    Status.PRODUCED,
    Status.READY_TO_SHIP,
    Status.PARTIALLY_SHIPPED,
    Status.SHIPPED,
)


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused call must leave as it was."""

    status: str
    version: int
    paid: Decimal
    events: int
    payments: int
    lines: tuple[tuple[int, int, int, int], ...]
    stock: tuple[tuple[int, int, int], ...]
    notices: tuple[tuple[str, str], ...]
    production: tuple[Any, ...] = ()


def snapshot(number: str) -> Snapshot:
    order = Order.objects.get(number=number)
    return Snapshot(
        status=order.status,
        version=order.version,
        paid=order.paid_amount,
        events=Event.objects.filter(order=order).count(),
        payments=Payment.objects.filter(order=order).count(),
        lines=tuple(
            order.lines.order_by("line_no").values_list(
                "quantity", "produced_qty", "shipped_qty", "delivered_qty"
            )
        ),
        stock=tuple(StockLevel.objects.order_by("pk").values_list("pk", "on_hand", "reserved")),
        notices=tuple(
            ShippingNotice.objects.filter(order=order)
            .order_by("pk")
            .values_list("number", "status")
        ),
        production=(
            tuple(
                WorkOrder.objects.filter(order=order)
                .order_by("pk")
                .values_list("pk", "good_qty", "defect_qty", "status")
            ),
            tuple(
                DailyReport.objects.filter(work_order__order=order)
                .order_by("pk")
                .values_list("pk", "good_qty", "slip_reason")
            ),
            tuple(FirstArticle.objects.filter(order=order).values_list("pk", "status")),
            FirstArticleSample.objects.filter(first_article__order=order).count(),
            NoticeClosure.objects.filter(notice__order=order).count(),
            tuple(Inspection.objects.filter(order=order).values_list("pk", "result")),
            Concession.objects.filter(order=order).count(),
        ),
    )


def money(data: st.DataObject, top: Decimal) -> Decimal:
    """An amount in cents between 0.01 and `top` (top at least 0.01)."""
    cents = data.draw(st.integers(1, max(1, int(top * 100))))
    return Decimal(cents) / 100


class OrderLives(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self, world: Any) -> None:
        super().__init__()
        self.world = world
        self.users = world.users
        self.savepoint = transaction.savepoint_create()
        StockLevel.objects.filter(product__code__in=PRODUCTS).update(on_hand=STOCK, reserved=0)
        production_factory(self.users["admin"])  # FN-101: 开料 -> 组装 -> 包装
        save_plan(family=PLANNED_FAMILY, actor=self.users["qc"])  # its final inspection gates
        self.numbers: list[str] = []

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # ---- the steps ------------------------------------------------------------------------------

    @precondition(lambda self: len(self.numbers) < MAX_ORDERS)
    @rule(
        target=orders,
        customer=st.sampled_from(CUSTOMERS),
        lines=st.lists(
            st.tuples(st.sampled_from(PRODUCTS), st.integers(1, 50), st.sampled_from(PRICES)),
            min_size=1,
            max_size=3,
        ),
        start=st.sampled_from(STARTS),
    )
    def enter(self, customer: str, lines: list[tuple[str, int, str]], start: str | None) -> str:
        """A new order, sometimes taken at once through its life to a later status."""
        today = timezone.localdate()
        order = services.create_order(
            actor=self.users["merch"],
            customer=customer,
            contract_date=today,
            delivery_date=today + timedelta(days=30),
            lines=[LineInput(product=p, quantity=q, unit_price=Decimal(x)) for p, q, x in lines],
        )
        assert order.status == Status.DRAFT
        self.numbers.append(order.number)
        if start and ROUTED in {p for p, _, _ in lines} and start not in BEFORE_PRODUCTION:
            start = Status.RELEASED  # the floor's reports take a routed order further
        if start:
            drive(order.number, start, self.users, cod=customer == "STORE01")
        return order.number

    @rule(
        number=orders,
        action=st.sampled_from(ACTIONS),
        who=st.sampled_from(ROLES),
        data=st.data(),
    )
    def anyone_tries_anything(
        self, number: str, action: str, who: str, data: st.DataObject
    ) -> None:
        """A random role tries a random action with random parameters."""
        self._try(number, action, self.users[who], self._params(number, action, data))

    @rule(number=orders, data=st.data())
    def someone_takes_the_next_steps(self, number: str, data: st.DataObject) -> None:
        """A few actions the workflow allows at each moment, each by a role that holds its
        permission (so that orders get far), the invariants checked after each one."""
        for _ in range(data.draw(st.integers(1, 4))):
            choices = self._open_actions(number)
            if not choices:
                return
            forward = [c for c in choices if c[0] not in ASIDE]
            if forward and data.draw(st.integers(0, 9)) < 8:  # mostly forward, now and then aside
                choices = forward
            action, who = data.draw(st.sampled_from(choices))
            self._try(number, action, self.users[who], self._params(number, action, data))
            self.invariants_hold()

    @rule(
        number=orders,
        who=st.sampled_from(("merch", "sales", "warehouse", "finance")),
        data=st.data(),
    )
    def someone_amends(self, number: str, who: str, data: st.DataObject) -> None:
        order = Order.objects.get(number=number)
        changes: dict[str, Any] = {}
        if data.draw(st.booleans()):
            changes["incoterm"] = data.draw(st.sampled_from(("FOB", "CIF", "EXW")))
        if data.draw(st.booleans()):
            shift = data.draw(st.integers(-40, 40))
            changes["delivery_date"] = order.contract_date + timedelta(days=30 + shift)
        lines = None
        if data.draw(st.booleans()):
            current = list(order.lines.order_by("line_no"))
            lines = [
                LineInput(
                    product=line.product.code,
                    quantity=data.draw(st.integers(1, 50)),
                    unit_price=Decimal(data.draw(st.sampled_from(PRICES))),
                )
                for line in current
            ]
            if data.draw(st.booleans()):
                lines.append(LineInput(product="BC-101", quantity=5, unit_price=Decimal("1.25")))
        reason = data.draw(st.sampled_from(("", "客户改单")))
        before = snapshot(number)
        try:
            services.amend_order(
                order_number=number,
                actor=self.users[who],
                changes=changes,
                lines=lines,
                reason=reason,
            )
        except DomainError:
            assert snapshot(number) == before
            return
        after = Order.objects.get(number=number)
        assert after.version == before.version + 1
        assert after.status in (before.status, Status.SUBMITTED)

    @rule(number=orders, data=st.data())
    def the_floor_reports(self, number: str, data: st.DataObject) -> None:
        """A day's report (or its correction) of one of the order's work orders: mostly what the
        step may take by production, now and then anything by anyone."""
        wos = list(WorkOrder.objects.filter(order__number=number).order_by("routed", "pk"))
        if not wos:
            return
        wo = data.draw(st.sampled_from(wos))
        before = WorkOrder.objects.filter(notice_line=wo.notice_line, seq=wo.seq - 1).first()
        room = (before.good_qty if before else wo.quantity) - wo.good_qty
        if data.draw(st.integers(0, 3)):
            good = data.draw(st.integers(0, max(0, room)))
        else:
            good = data.draw(st.integers(0, wo.quantity + 2))
        day = timezone.localdate() - timedelta(days=data.draw(st.integers(1, 4)))
        reason, note = data.draw(st.sampled_from(SLIPS))
        who = data.draw(st.sampled_from(("production", "production", "production", "merch")))
        verb = reports.correct_report if data.draw(st.booleans()) else reports.record_report
        self._try_verb(
            number,
            lambda: verb(
                work_order=wo.number,
                day=day,
                good_qty=good,
                slip_reason=reason,
                note=note,
                actor=self.users[who],
            ),
        )

    @rule(number=orders, data=st.data())
    def the_floor_moves_on(self, number: str, data: st.DataObject) -> None:
        """What a working floor does next, by whom should: the sample sent, the salesperson's
        decision, then a day's report of every open step within what feeds it (short days with
        their reason), the invariants checked after each."""
        from gendan.attachments.tests.samples import photo

        gate = FirstArticle.objects.filter(order__number=number).select_related("work_order")
        found = gate.first()
        if found is not None and found.status != FirstArticleStatus.APPROVED:
            wo = found.work_order.number
            if found.status != FirstArticleStatus.SUBMITTED:
                call = lambda: first_articles.submit_sample(  # noqa: E731
                    work_order=wo, photos=[photo(size=(16, 12))], actor=self.users["production"]
                )
            elif data.draw(st.integers(0, 3)):
                call = lambda: first_articles.approve_sample(  # noqa: E731
                    work_order=wo, actor=self.users["sales"]
                )
            else:
                call = lambda: first_articles.reject_sample(  # noqa: E731
                    work_order=wo, deviation="色差", actor=self.users["sales"]
                )
            self._try_verb(number, call)
            self.invariants_hold()
        day = timezone.localdate() - timedelta(days=data.draw(st.integers(1, 6)))
        for wo in WorkOrder.objects.filter(
            order__number=number, routed=True, status=WorkOrderStatus.OPEN
        ).order_by("notice_line_id", "seq"):
            before = WorkOrder.objects.filter(notice_line=wo.notice_line, seq=wo.seq - 1).first()
            room = max(0, (before.good_qty if before else wo.quantity) - wo.good_qty)
            good = data.draw(st.sampled_from((room, room)) | st.integers(0, room))
            self._try_verb(
                number,
                lambda wo=wo, good=good: reports.record_report(
                    work_order=wo.number,
                    day=day,
                    good_qty=good,
                    slip_reason="upstream",
                    note="前道工序供料不足",
                    actor=self.users["production"],
                ),
            )
            self.invariants_hold()

    @rule(
        number=orders,
        what=st.sampled_from(("submit", "submit_bare", "approve", "reject", "reject_bare")),
        data=st.data(),
    )
    def a_first_article_goes_round(self, number: str, what: str, data: st.DataObject) -> None:
        """A sample sent (with a photo or without), approved, or rejected (with the deviation
        or without): mostly by who should, now and then by anyone."""
        from gendan.attachments.tests.samples import photo

        found = FirstArticle.objects.filter(order__number=number).select_related("work_order")
        gate = found.first()
        if gate is None:
            return
        proper = "production" if what.startswith("submit") else "sales"
        who = data.draw(st.sampled_from((proper, proper, proper, "manager", "merch", "qc")))
        wo, actor = gate.work_order.number, self.users[who]
        calls = {
            "submit": lambda: first_articles.submit_sample(
                work_order=wo, photos=[photo(size=(16, 12))], actor=actor
            ),
            "submit_bare": lambda: first_articles.submit_sample(work_order=wo, actor=actor),
            "approve": lambda: first_articles.approve_sample(work_order=wo, actor=actor),
            "reject": lambda: first_articles.reject_sample(
                work_order=wo, deviation="色差", actor=actor
            ),
            "reject_bare": lambda: first_articles.reject_sample(
                work_order=wo, deviation="", actor=actor
            ),
        }
        self._try_verb(number, calls[what])

    @rule(number=orders, reason=st.sampled_from(("", "客户同意少交")), data=st.data())
    def production_closes_short(self, number: str, reason: str, data: st.DataObject) -> None:
        """Now and then (closing short ends the notice's production)."""
        if data.draw(st.integers(0, 3)):
            return
        notice = Order.objects.get(number=number).production_notices.order_by("pk").first()
        if notice is None:
            return
        self._try_verb(
            number,
            lambda: closing.close_notice_short(
                notice=notice.number, reason=reason, actor=self.users["production"]
            ),
        )

    @rule(
        number=orders,
        defects=st.sampled_from(({}, {}, {"appearance": 6})),
        who=st.sampled_from(("qc", "qc", "qc", "merch")),
    )
    def qc_inspects_the_goods(self, number: str, defects: dict[str, int], who: str) -> None:
        """A final inspection, passing or failing, by QC (or someone who may not)."""
        self._try_verb(
            number,
            lambda: record_inspection(
                kind="final", order=number, defects=defects, actor=self.users[who]
            ),
        )

    @rule(
        number=orders,
        reason=st.sampled_from(("", "客户同意让步接收")),
        who=st.sampled_from(("manager", "manager", "sales")),
    )
    def the_sales_manager_concedes(self, number: str, reason: str, who: str) -> None:
        failed = Inspection.objects.filter(order__number=number, result="failed").last()
        if failed is None:
            return
        self._try_verb(
            number,
            lambda: accept_concession(inspection=failed.pk, reason=reason, actor=self.users[who]),
        )

    # ---- how a step is tried ---------------------------------------------------------------------

    def _try_verb(self, number: str, call: Any) -> None:
        before = snapshot(number)
        try:
            call()
        except DomainError:
            assert snapshot(number) == before, "refused but changed"
            return
        event("a production verb went through")

    def _params(self, number: str, action: str, data: st.DataObject) -> dict[str, Any]:
        order = Order.objects.get(number=number)
        if action in ("confirm_deposit", "confirm_balance"):
            kind = data.draw(st.sampled_from(("due", "some", "over", "zero")))
            if kind == "due":
                return {}
            if kind == "over":  # more than is still owed
                return {"amount": order.balance_due + money(data, order.total_amount)}
            if kind == "zero":
                return {"amount": Decimal("0")}
            return {"amount": money(data, order.total_amount)}
        if action == "issue_shipping_notice":
            if data.draw(st.booleans()):
                return {}
            lines = list(order.lines.order_by("line_no"))
            chosen = data.draw(st.lists(st.sampled_from(lines), min_size=1, unique=True))
            return {
                "lines": {
                    line.line_no: data.draw(st.integers(0, line.quantity - line.shipped_qty + 1))
                    for line in chosen
                }
            }
        if action == "issue_delivery_note":
            return {"cod_amount": data.draw(st.sampled_from((Decimal("0"), order.balance_due)))}
        if action == "deliver":
            return {
                "received_by": data.draw(st.sampled_from(("", "收货人"))),
                "cod_collected": data.draw(
                    st.sampled_from((Decimal("0"), order.balance_due, Decimal("1.00")))
                ),
            }
        if action == "reconcile_cod":
            collected = list(
                DeliveryNote.objects.filter(
                    notice__order=order, cod_reconciled_at__isnull=True, cod_collected__gt=0
                ).values_list("cod_collected", flat=True)
            )
            return {"amount": data.draw(st.sampled_from([*collected, Decimal("0.50")]))}
        if action in ("hold", "cancel"):
            return {"reason": data.draw(st.sampled_from(("", "客户要求")))}
        return {}

    def _open_actions(self, number: str) -> list[tuple[str, str]]:
        """(action, username) for every action whose status and gate are open now."""
        order = Order.objects.get(number=number)
        ctx = workflow.Context(order=order, actor=None, params={"reason": "客户要求"})
        choices = []
        for transition in workflow.TRANSITIONS:
            if transition.action == "amend" or order.status not in transition.sources:
                continue
            if transition.gate(ctx):
                continue
            holders = [w for w in ROLES if self.users[w].can(transition.perm)]
            choices.append((transition.action, holders[0]))
        return choices

    def _try(self, number: str, action: str, actor: Any, params: dict[str, Any]) -> None:
        before = snapshot(number)
        try:
            services.ACTION_VERBS[action](order_number=number, actor=actor, **params)
        except DomainError:
            assert snapshot(number) == before, f"{action} by {actor} was refused but changed"
            return
        after = Order.objects.get(number=number)
        assert after.version > before.version
        event(f"{action} went through, order now {after.status}")
        if action == "close":
            assert after.status == Status.CLOSED

    # ---- what always holds ---------------------------------------------------------------------

    @invariant()
    def invariants_hold(self) -> None:
        self.quantities_never_overrun()
        self.reserved_never_exceeds_on_hand()
        self.paid_is_the_sum_of_the_receipts()
        self.closed_only_when_delivered_and_paid()
        self.every_status_change_has_its_event()
        self.finished_orders_hold_no_stock()
        self.steps_never_outrun_what_feeds_them()
        self.produced_only_when_every_last_step_is_complete()
        self.notices_only_after_a_passed_final_inspection_or_a_concession()

    def quantities_never_overrun(self) -> None:
        for line in OrderLine.objects.filter(order__number__in=self.numbers):
            assert 0 <= line.delivered_qty <= line.shipped_qty <= line.quantity

    def reserved_never_exceeds_on_hand(self) -> None:
        held = {
            row["stock_id"]: row["held"]
            for row in Reservation.objects.filter(status=ReservationStatus.ACTIVE)
            .values("stock_id")
            .annotate(held=Sum(F("quantity") - F("consumed")))
        }
        for stock in StockLevel.objects.all():
            assert 0 <= stock.reserved <= stock.on_hand
            assert stock.reserved == held.get(stock.pk, 0)

    def paid_is_the_sum_of_the_receipts(self) -> None:
        for order in Order.objects.filter(number__in=self.numbers):
            receipts = Payment.objects.filter(order=order).values_list("amount", flat=True)
            assert order.paid_amount == sum(receipts, Decimal("0"))
            assert Decimal("0") <= order.paid_amount <= order.total_amount

    def closed_only_when_delivered_and_paid(self) -> None:
        for order in Order.objects.filter(number__in=self.numbers, status=Status.CLOSED):
            assert order.paid_amount == order.total_amount
            for line in order.lines.all():
                assert line.delivered_qty == line.shipped_qty == line.quantity
            assert not ShippingNotice.objects.filter(
                order=order, status__in=(ShippingStatus.ISSUED, ShippingStatus.SHIPPED)
            ).exists()

    def steps_never_outrun_what_feeds_them(self) -> None:
        """good <= quantity; good <= the step before's good; before its first article is
        approved, a first step has no more than the sample."""
        wos = {
            (w.notice_line_id, w.seq): w
            for w in WorkOrder.objects.filter(order__number__in=self.numbers, routed=True)
        }
        gates = {
            g.work_order_id: g for g in FirstArticle.objects.filter(order__number__in=self.numbers)
        }
        for (line, seq), wo in wos.items():
            assert 0 <= wo.good_qty <= wo.quantity
            before = wos.get((line, seq - 1))
            if before is not None:
                assert wo.good_qty <= before.good_qty, (wo.number, wo.good_qty, before.good_qty)
            gate = gates.get(wo.pk)
            if gate is not None and gate.status != FirstArticleStatus.APPROVED:
                assert wo.good_qty <= gate.sample_qty, (wo.number, gate.status)
            reported = DailyReport.objects.filter(work_order=wo).aggregate(n=Sum("good_qty"))
            assert wo.good_qty == (reported["n"] or 0)

    def produced_only_when_every_last_step_is_complete(self) -> None:
        produced = Order.objects.filter(number__in=self.numbers, production_done_at__isnull=False)
        for wo in WorkOrder.objects.filter(
            order__in=produced, routed=True, last=True
        ).select_related("notice_line__notice"):
            if wo.status == WorkOrderStatus.CLOSED_SHORT:
                closure = NoticeClosure.objects.get(notice=wo.notice_line.notice)
                assert closure.reason.strip()
            else:
                assert wo.status == WorkOrderStatus.DONE, (wo.number, wo.status)

    def notices_only_after_a_passed_final_inspection_or_a_concession(self) -> None:
        noticed = Order.objects.filter(
            number__in=self.numbers,
            shipping_notices__isnull=False,
            lines__product__series=PLANNED_FAMILY,
        ).distinct()
        for order in noticed:
            assert (
                Inspection.objects.filter(order=order, kind="final", result="passed").exists()
                or Concession.objects.filter(order=order).exists()
            ), order.number

    def finished_orders_hold_no_stock(self) -> None:
        """A cancelled order gave its reservations back; a closed one shipped them all."""
        finished = Order.objects.filter(number__in=self.numbers, status__in=workflow.FINISHED)
        assert not Reservation.objects.filter(
            line__order__in=finished, status=ReservationStatus.ACTIVE
        ).exists()

    def every_status_change_has_its_event(self) -> None:
        """The status events chain from draft to the current status, with no gap."""
        for order in Order.objects.filter(number__in=self.numbers):
            events = Event.objects.filter(order=order, kind__in=STATUS_EVENTS).order_by("id")
            status = None
            for fact in events:
                if fact.kind == EventKind.ORDER_CREATED:
                    assert status is None
                    status = fact.to_status
                    continue
                assert fact.from_status == status, (order.number, fact.kind, fact.payload)
                status = fact.to_status
            assert status == order.status


def test_random_lives_keep_the_invariants(world):
    run_state_machine_as_test(
        lambda: OrderLives(world),
        settings=settings(
            max_examples=int(os.environ.get("GENDAN_STATE_MACHINE_EXAMPLES", "20")),
            stateful_step_count=25,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.reuse, Phase.generate]
            if os.environ.get("NOSHRINK")
            else list(Phase),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_paying_exactly_what_is_owed_after_odd_cents_closes_the_balance(world):
    """Found by the machine: on SQLite, paid grown with F() drifted above the total (binary floats)."""
    # given a 3600.39 order, 1080.12 deposit paid, and 0.01 of the balance received
    order = world.order(
        customer="EXP001",
        lines=[("BC-101", 24, "0.01"), ("FN-101", 15, "0.01"), ("BC-201", 12, "300")],
        to=Status.BALANCE_REQUESTED,
    )
    assert (order.total_amount, order.paid_amount) == (Decimal("3600.39"), Decimal("1080.12"))
    finance = world.users["finance"]
    services.confirm_balance(order_number=order.number, actor=finance, amount=Decimal("0.01"))
    # when finance confirms exactly what is still owed
    services.confirm_balance(order_number=order.number, actor=finance)
    # then the order is paid in full, to the cent, and may ship
    order.refresh_from_db()
    assert (order.paid_amount, order.balance_due, order.status) == (
        Decimal("3600.39"),
        Decimal("0.00"),
        Status.READY_TO_SHIP,
    )
    receipts = Payment.objects.filter(order=order).values_list("amount", flat=True)
    assert sum(receipts, Decimal("0")) == Decimal("3600.39")
