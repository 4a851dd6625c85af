"""Quality through its verbs: the final inspection gates the shipping notice of an order whose
family has a plan; a failed inspection keeps it closed, a concession or a passing
re-inspection opens it; each refusal says why and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gendan.errors import DomainError, Kind
from gendan.orders.models import Order
from gendan.orders.selectors import available_actions
from gendan.orders.workflow import Status
from gendan.quality import aql
from gendan.quality.errors import Code
from gendan.quality.models import Concession, Inspection, InspectionPlan
from gendan.quality.services import accept_concession, record_inspection, save_plan
from gendan.quality.tests.factories import plan
from gendan.shipping.models import ShippingNotice
from gendan.shipping.services import issue_shipping_notice
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(world):
    """100 dining chairs (北欧系列, a final-inspection plan at AQL 2.5) ready to ship."""
    plan(world)
    return world.order(lines=[("FN-101", 100, "300")], to=Status.READY_TO_SHIP)


def state(order: Order) -> tuple:
    order.refresh_from_db()
    return (
        order.status,
        order.version,
        ShippingNotice.objects.filter(order=order).count(),
        Event.objects.filter(order=order).count(),
        Inspection.objects.filter(order=order).count(),
        Concession.objects.count(),
    )


def notice(world, order):
    return issue_shipping_notice(order_number=order.number, actor=world.users["merch"])


def inspect(world, order, **defects):
    return record_inspection(
        kind="final", order=order.number, defects=defects, actor=world.users["qc"]
    )


def refusal_of(world, order) -> DomainError:
    before = state(order)
    with translation.override("en"), pytest.raises(DomainError) as exc:
        notice(world, order)
    assert state(order) == before
    assert exc.value.kind == Kind.REFUSED
    return exc.value


def reasons(world, order) -> list[str]:
    [action] = [
        a
        for a in available_actions(order, world.users["merch"])
        if a.action == "issue_shipping_notice"
    ]
    return [r["code"] for r in action.reasons]


def test_an_order_of_a_family_without_a_plan_ships_without_inspection(world):
    plan(world, family="客厅系列")  # another family's plan changes nothing here
    order = world.order(lines=[("FN-101", 10, "300")], to=Status.READY_TO_SHIP)
    assert reasons(world, order) == []
    notice(world, order)
    assert ShippingNotice.objects.filter(order=order).count() == 1


def test_no_shipping_notice_before_a_final_inspection(world, ready):
    error = refusal_of(world, ready)
    assert error.code == Code.FINAL_MISSING
    assert "Final inspection not done" in str(error.message)
    assert reasons(world, ready) == [Code.FINAL_MISSING]


def test_a_plan_not_requiring_the_final_inspection_does_not_gate(world):
    plan(world, final_required=False)
    order = world.order(lines=[("FN-101", 10, "300")], to=Status.READY_TO_SHIP)
    notice(world, order)


def test_the_sampling_comes_from_the_plan_and_the_result_from_the_defectives(world, ready):
    # lot 100 -> letter F, sample 20, Ac 1 at AQL 2.5
    passed = inspect(world, ready, appearance=1)
    assert (passed.lot_size, passed.sample_size, passed.accept_number) == (100, 20, 1)
    assert (passed.result, passed.defective, passed.defects) == ("passed", 1, {"appearance": 1})
    failed = inspect(world, ready, appearance=1, packing=1)
    assert (failed.result, failed.defective) == ("failed", 2)
    assert failed.history.count() == 1
    event = Event.objects.filter(order=ready, kind="quality.inspected").order_by("id").last()
    assert event.payload["result"] == "failed" and event.actor == world.users["qc"]


def test_a_failed_final_inspection_keeps_the_gate_closed(world, ready):
    inspect(world, ready, appearance=3)
    error = refusal_of(world, ready)
    assert error.code == Code.FINAL_FAILED
    assert reasons(world, ready) == [Code.FINAL_FAILED]


def test_a_passed_then_failed_inspection_closes_it_again(world, ready):
    inspect(world, ready)
    inspect(world, ready, function=5)
    assert refusal_of(world, ready).code == Code.FINAL_FAILED


def test_a_re_inspection_passing_opens_it(world, ready):
    inspect(world, ready, appearance=3)
    inspect(world, ready)
    assert reasons(world, ready) == []
    notice(world, ready)
    assert ShippingNotice.objects.filter(order=ready).count() == 1


def test_a_concession_after_a_failure_opens_it(world, ready):
    failed = inspect(world, ready, appearance=3)
    concession = accept_concession(
        inspection=failed.pk, reason="客户同意轻微划痕", actor=world.users["manager"]
    )
    assert (concession.accepted_by, concession.reason) == (
        world.users["manager"],
        "客户同意轻微划痕",
    )
    assert Event.objects.filter(order=ready, kind="quality.concession").count() == 1
    notice(world, ready)
    assert ShippingNotice.objects.filter(order=ready).count() == 1


def test_a_concession_is_refused_without_a_reason_on_a_passed_or_an_old_inspection(world, ready):
    failed = inspect(world, ready, appearance=3)
    manager = world.users["manager"]
    before = state(ready)
    with pytest.raises(DomainError) as exc:
        accept_concession(inspection=failed.pk, reason="  ", actor=manager)
    assert exc.value.code == Code.REASON_REQUIRED
    passed = inspect(world, ready)
    before = state(ready)
    for target in (failed, passed):  # failed is no longer the last; passed did not fail
        with pytest.raises(DomainError) as exc:
            accept_concession(inspection=target.pk, reason="ok", actor=manager)
        assert exc.value.code == Code.NOT_CONCEDABLE
    assert state(ready) == before


def test_a_concession_needs_the_sales_manager(world, ready):
    failed = inspect(world, ready, appearance=3)
    for who in ("qc", "merch", "sales"):
        with pytest.raises(DomainError) as exc:
            accept_concession(inspection=failed.pk, reason="ok", actor=world.users[who])
        assert exc.value.kind == Kind.FORBIDDEN


def test_only_qc_records_an_inspection_and_a_plan(world, ready):
    for who in ("merch", "production", "manager"):
        with pytest.raises(DomainError) as exc:
            record_inspection(kind="final", order=ready.number, actor=world.users[who])
        assert exc.value.kind == Kind.FORBIDDEN
        with pytest.raises(DomainError) as exc:
            save_plan(family="X", actor=world.users[who])
        assert exc.value.kind == Kind.FORBIDDEN


def test_a_final_inspection_waits_for_production(world):
    plan(world)
    order = world.order(lines=[("FN-101", 10, "300")], to=Status.RELEASED)
    before = state(order)
    with pytest.raises(DomainError) as exc:
        record_inspection(kind="final", order=order.number, actor=world.users["qc"])
    assert exc.value.code == Code.NOT_PRODUCED
    assert state(order) == before


def test_bad_counts_are_refused_and_change_nothing(world, ready):
    before = state(ready)
    for defects in ({"appearance": -1}, {"nonsense": 1}, {"appearance": 21}):
        with pytest.raises(DomainError) as exc:
            record_inspection(
                kind="final", order=ready.number, defects=defects, actor=world.users["qc"]
            )
        assert exc.value.kind == Kind.INVALID
    assert state(ready) == before


def test_a_checklist_plan_passes_when_every_item_is_ticked(world):
    plan(world, method="checklist", aql_level=None, checklist=["尺寸", "外观"])
    order = world.order(lines=[("FN-101", 10, "300")], to=Status.READY_TO_SHIP)
    qc = world.users["qc"]
    failed = record_inspection(kind="final", order=order.number, checklist={"尺寸": True}, actor=qc)
    assert failed.result == "failed"
    assert failed.checklist == [{"item": "尺寸", "ok": True}, {"item": "外观", "ok": False}]
    passed = record_inspection(
        kind="final", order=order.number, checklist={"尺寸": True, "外观": True}, actor=qc
    )
    assert passed.result == "passed"
    notice(world, order)


def test_a_plan_keeps_its_history_and_refuses_an_unknown_level(world):
    qc = world.users["qc"]
    save_plan(family="北欧系列", aql_level=Decimal("2.5"), actor=qc)
    save_plan(family="北欧系列", aql_level=Decimal("1.0"), actor=qc)
    saved = InspectionPlan.objects.get(family="北欧系列")
    assert saved.aql == Decimal("1.0") and saved.history.count() == 2
    with pytest.raises(DomainError) as exc:
        save_plan(family="北欧系列", aql_level=Decimal("3"), actor=qc)
    assert exc.value.code == Code.BAD_PLAN
    with pytest.raises(DomainError):
        save_plan(family="北欧系列", method="checklist", checklist=[], actor=qc)
    assert InspectionPlan.objects.get(family="北欧系列").aql == Decimal("1.0")


@pytest.mark.parametrize(
    ("lot", "level", "expected"),
    [
        (5, "2.5", ("C", 5, 0)),  # a sample larger than the lot: the whole lot
        (100, "2.5", ("F", 20, 1)),
        (500, "2.5", ("H", 50, 3)),
        (1000, "2.5", ("J", 80, 5)),
        (2000, "2.5", ("K", 125, 7)),
        (5000, "2.5", ("L", 200, 10)),
        (60, "4.0", ("E", 13, 1)),
        (1000, "4.0", ("J", 80, 7)),
        (1000, "1.0", ("J", 80, 2)),
        (30, "1.0", ("E", 13, 0)),  # the arrow down to the Ac 0 plan
        (200000, "2.5", ("N", 500, 21)),  # past the column's last number: the plan above
    ],
)
def test_the_iso_2859_1_level_ii_table(lot, level, expected):
    found = aql.plan_for(lot, Decimal(level))
    assert (found.letter, found.sample_size, found.accept) == (
        expected[0],
        min(expected[1], lot),
        expected[2],
    )
