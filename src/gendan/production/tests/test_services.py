"""Production through its verbs: work orders at release, the daily report's rules, the last
report moving the order to produced, closing short; each refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.errors import DomainError, Kind
from gendan.orders import services as orders
from gendan.orders.models import Order
from gendan.orders.selectors import available_actions
from gendan.orders.workflow import Status
from gendan.production.models import (
    DailyReport,
    NoticeStatus,
    SlipReason,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.production.services import closing, reports
from gendan.production.tests.factories import (
    approve_first_articles,
    factory,
    released_order,
    work_orders,
)
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def released(world):
    """An order of 100 dining chairs (北欧系列, no stock) released: three work orders."""
    factory(world.users["admin"])
    return released_order(world)


def state(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        order.version,
        list(WorkOrder.objects.filter(order=order).values_list("good_qty", "status")),
        DailyReport.objects.count(),
        Event.objects.filter(order=order).count(),
    )


def report(world, wo, good, day=YESTERDAY, **kw):
    return reports.record_report(
        work_order=wo.number, day=day, good_qty=good, actor=world.users["production"], **kw
    )


def test_release_makes_one_work_order_per_routing_step_in_order(released):
    wos = work_orders(released)
    assert [(w.seq, w.step_name, w.line.code, w.quantity, w.last) for w in wos] == [
        (1, "开料", "CUT-1", 100, False),
        (2, "组装", "ASM-1", 100, False),
        (3, "包装", "PACK-1", 100, True),
    ]
    assert all(w.status == WorkOrderStatus.OPEN and w.good_qty == 0 for w in wos)


def test_a_product_without_a_routing_gets_one_default_step_done_by_the_bare_button(world):
    order = world.order(lines=[("FN-102", 5, "900")], to=Status.RELEASED)
    [wo] = work_orders(order)
    assert (wo.seq, wo.routed, wo.quantity, wo.last) == (1, False, 5, True)
    orders.complete_production(order_number=order.number, actor=world.users["production"])
    wo.refresh_from_db()
    assert (wo.status, wo.good_qty) == (WorkOrderStatus.DONE, 5)
    assert Order.objects.get(pk=order.pk).status == Status.PRODUCED


def test_a_step_cannot_report_more_than_its_predecessor_produced(world, released):
    cut, asm, _pack = work_orders(released)
    report(world, cut, 80)
    report(world, asm, 41, hours=8)  # ASM-1's plan is 5/h x 8 h = 40: above it, no reason asked
    before = state(released)
    with pytest.raises(DomainError) as refused:
        report(world, asm, 40, day=TODAY)  # 81 in all, and 开料 has made 80
    assert refused.value.code == "production_beyond_predecessor"
    assert "开料" in str(refused.value.message) and "80" in str(refused.value.message)
    assert state(released) == before


def test_the_first_step_is_not_bound_and_no_step_exceeds_its_quantity(world, released):
    cut, *_ = work_orders(released)
    before = state(released)
    with pytest.raises(DomainError) as refused:
        report(world, cut, 101)
    assert refused.value.code == "production_beyond_quantity"
    assert state(released) == before


def test_a_day_below_plan_needs_one_of_the_seven_reasons_and_a_note(world, released):
    cut, *_ = work_orders(released)
    before = state(released)
    # the plan of CUT-1 yesterday: 10/h x 8 h = 80
    with pytest.raises(DomainError) as no_reason:
        report(world, cut, 50)
    assert no_reason.value.code == "production_slip_reason_required"
    assert no_reason.value.kind == Kind.INVALID
    assert "30" in str(no_reason.value.message) and "80" in str(no_reason.value.message)
    with pytest.raises(DomainError) as bad_reason:
        report(world, cut, 50, slip_reason="weather", note="rain")
    assert bad_reason.value.code == "production_slip_reason_required"
    with pytest.raises(DomainError) as no_note:
        report(world, cut, 50, slip_reason=SlipReason.MACHINE)
    assert no_note.value.code == "production_slip_note_required"
    assert state(released) == before
    done = report(world, cut, 50, slip_reason=SlipReason.MACHINE, note="saw blade broke")
    assert (done.planned_qty, done.shortfall, done.slip_reason) == (80, 30, "machine")
    slip = Event.objects.get(order=released, kind="production.slip")
    assert slip.payload["short"] == 30 and slip.comment == "saw blade broke"


def test_the_bare_button_refuses_with_the_progress_until_the_work_orders_are_done(world, released):
    cut, asm, _pack = work_orders(released)
    report(world, cut, 100)
    report(world, asm, 60, hours=8)
    states = {a.action: a for a in available_actions(released, world.users["production"])}
    reasons = states["complete_production"].reasons
    assert [r["code"] for r in reasons] == ["production_work_orders_open"]
    assert "包装 0 / 100" in reasons[0]["message"]
    before = state(released)
    with pytest.raises(DomainError) as refused:
        orders.complete_production(order_number=released.number, actor=world.users["production"])
    assert refused.value.code == "production_work_orders_open"
    assert state(released) == before


def test_the_report_completing_the_last_step_moves_the_order_to_produced(world, released):
    cut, asm, pack = work_orders(released)
    report(world, cut, 100, day=YESTERDAY - timedelta(days=1))
    report(world, asm, 60, day=YESTERDAY - timedelta(days=1), slip_reason="staffing", note="x")
    report(world, asm, 40, day=YESTERDAY)
    report(world, pack, 100, day=YESTERDAY)
    order = Order.objects.get(pk=released.pk)
    assert order.status == Status.PRODUCED
    assert order.production_done_at is not None
    assert [line.produced_qty for line in order.lines.all()] == [100]
    assert order.production_notices.get().status == NoticeStatus.DONE
    assert {w.status for w in work_orders(order)} == {WorkOrderStatus.DONE}
    moved = Event.objects.filter(order=order, kind="order.transition").order_by("id").last()
    assert (moved.payload["action"], moved.actor.username) == ("complete_production", "production")
    assert moved.payload["work_order"] == pack.number


def test_a_correction_keeps_the_history_and_the_totals(world, released):
    cut, asm, _ = work_orders(released)
    report(world, cut, 80)
    reports.correct_report(
        work_order=cut.number, day=YESTERDAY, good_qty=90, actor=world.users["production"]
    )
    cut.refresh_from_db()
    assert cut.good_qty == 90
    row = DailyReport.objects.get(work_order=cut)
    assert list(row.history.order_by("history_id").values_list("good_qty", flat=True)) == [80, 90]
    assert Event.objects.get(kind="production.report_corrected").payload["was"] == 80
    # a correction may not take a step below what the next step has already made
    report(world, asm, 50, hours=8)
    with pytest.raises(DomainError) as refused:
        reports.correct_report(
            work_order=cut.number, day=YESTERDAY, good_qty=40, actor=world.users["production"]
        )
    assert refused.value.code == "production_beyond_predecessor"
    cut.refresh_from_db()
    assert cut.good_qty == 90


def test_one_report_per_work_order_and_day_and_never_for_tomorrow(world, released):
    cut, *_ = work_orders(released)
    report(world, cut, 80)
    with pytest.raises(DomainError) as twice:
        report(world, cut, 10)
    assert twice.value.code == "production_report_exists"
    with pytest.raises(DomainError) as future:
        report(world, cut, 10, day=TODAY + timedelta(days=1))
    assert future.value.code == "production_future_day"


def test_closing_short_needs_a_reason_records_the_shortfall_and_opens_the_button(world, released):
    cut, asm, pack = work_orders(released)
    report(world, cut, 100)
    report(world, asm, 90, hours=8)
    report(world, pack, 90, hours=8, slip_reason=SlipReason.UPSTREAM, note="组装 short")
    notice = released.production_notices.get()
    before = state(released)
    with pytest.raises(DomainError) as no_reason:
        closing.close_notice_short(
            notice=notice.number, reason=" ", actor=world.users["production"]
        )
    assert no_reason.value.code == "production_reason_required"
    assert state(released) == before
    closure = closing.close_notice_short(
        notice=notice.number, reason="10 chairs of bad oak", actor=world.users["production"]
    )
    assert closure.shortfall == {pack.number: 10}
    orders.complete_production(order_number=released.number, actor=world.users["production"])
    order = Order.objects.get(pk=released.pk)
    assert order.status == Status.PRODUCED
    assert [line.produced_qty for line in order.lines.all()] == [90]


def test_only_production_reports_and_closes_short(world, released):
    cut, *_ = work_orders(released)
    before = state(released)
    for user in ("sales", "merch", "qc", "warehouse"):
        with pytest.raises(DomainError) as refused:
            reports.record_report(
                work_order=cut.number, day=YESTERDAY, good_qty=80, actor=world.users[user]
            )
        assert refused.value.kind == Kind.FORBIDDEN
        with pytest.raises(DomainError):
            closing.close_notice_short(
                notice=released.production_notices.get().number,
                reason="r",
                actor=world.users[user],
            )
    assert state(released) == before


def test_cancelling_the_order_cancels_its_work_orders(world, released):
    orders.cancel_order(order_number=released.number, actor=world.users["manager"], reason="x")
    assert {w.status for w in work_orders(released)} == {WorkOrderStatus.CANCELLED}


def test_work_orders_are_made_again_from_a_routing_added_after_release(world):
    from gendan.production.services import workorders

    order = world.order(lines=[("FN-101", 100, "300")], to=Status.RELEASED)
    assert [w.routed for w in work_orders(order)] == [False]
    factory(world.users["admin"])
    notice = order.production_notices.get().number
    with pytest.raises(DomainError) as refused:
        workorders.reissue_work_orders(notice=notice, actor=world.users["sales"])
    assert refused.value.kind == Kind.FORBIDDEN
    workorders.reissue_work_orders(notice=notice, actor=world.users["production"])
    assert [w.step_name for w in work_orders(order)] == ["开料", "组装", "包装"]
    cut = work_orders(order)[0]
    approve_first_articles(world, order)
    report(world, cut, 80)
    with pytest.raises(DomainError) as started:
        workorders.reissue_work_orders(notice=notice, actor=world.users["production"])
    assert started.value.code == "production_work_order_closed"
    assert len(work_orders(order)) == 3
