"""The packaging rules at their boundaries, the need from the bill of materials, receipts,
in-transit and readiness. Each verb: the right role, the wrong role, a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.errors import DomainError
from gendan.purchasing import selectors, services
from gendan.purchasing.errors import Code
from gendan.purchasing.models import LineStatus, MaterialStock, PurchaseLine
from gendan.purchasing.tests.factories import master, notice_line, released
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(world):
    master(world)
    order = released(world)
    return order, notice_line(order)


def _line(world, nl, material: str, quantity) -> PurchaseLine:
    supplier = {"BAG-W": "SUP-PK", "NPB-D": "SUP-PK", "CTN-B": "SUP-CT"}.get(material, "SUP-RM")
    po = services.create_purchase_order(
        supplier=supplier,
        lines=[services.LineInput(material=material, quantity=quantity, notice_line=nl.pk)],
        actor=world.users["purchaser"],
    )
    return po.lines.get()


def _confirm(world, line, who="purchaser"):
    return services.confirm_line(line=line.pk, actor=world.users[who])


def test_the_need_comes_from_the_bill_of_materials(world, need):
    order, _ = need
    found = {n.material.code: n.need for n in selectors.order_readiness(order).needs}
    assert found == {
        "BAG-W": Decimal(1000),
        "CTN-B": Decimal(50),
        "LBL-01": Decimal(1020),
        "RAW-NW": Decimal("20.600"),
    }


def test_bags_at_120_percent_are_allowed_and_at_120_1_refused_with_the_figures(world, need):
    _, nl = need
    over = _line(world, nl, "BAG-W", Decimal("1201"))
    with pytest.raises(DomainError) as refused:
        _confirm(world, over)
    assert refused.value.code == Code.BAG_OVER
    assert refused.value.details["figures"] == {
        "need": "1000",
        "ordered_before": "0",
        "this_line": "1201",
        "total": "1201",
        "percent": "120.1",
        "limit_percent": "120",
        "most": "1200",
    }
    assert PurchaseLine.objects.get(pk=over.pk).status == LineStatus.DRAFT
    at_cap = _line(world, nl, "BAG-W", Decimal("1200"))
    assert _confirm(world, at_cap).status == LineStatus.CONFIRMED


def test_splitting_a_purchase_does_not_get_past_the_cap(world, need):
    _, nl = need
    _confirm(world, _line(world, nl, "BAG-W", 700))
    second = _line(world, nl, "BAG-W", 501)
    with pytest.raises(DomainError) as refused:
        _confirm(world, second)
    assert refused.value.code == Code.BAG_OVER
    assert refused.value.details["figures"]["ordered_before"] == "700"
    assert _confirm(world, _line(world, nl, "BAG-W", 500)).status == LineStatus.CONFIRMED


def test_new_print_bags_need_the_plate_and_at_most_105_percent(world):
    master(world)
    order = released(world, product="BC-202")
    nl = notice_line(order)
    line = _line(world, nl, "NPB-D", 1050)
    with pytest.raises(DomainError) as refused:
        _confirm(world, line)
    assert refused.value.code == Code.PLATE_NOT_APPROVED
    plate = services.order_plate(
        material="NPB-D",
        supplier="SUP-PK",
        due_on=timezone.localdate(),
        actor=world.users["purchaser"],
    )
    services.send_plate_proof(plate=plate.pk, actor=world.users["purchaser"])
    with pytest.raises(DomainError) as wrong_role:
        services.approve_plate_proof(plate=plate.pk, actor=world.users["purchaser"])
    assert wrong_role.value.code == "permission_denied"
    services.approve_plate_proof(plate=plate.pk, actor=world.users["sales"])
    over = _line(world, nl, "NPB-D", Decimal("1050.1"))
    with pytest.raises(DomainError) as refused:
        _confirm(world, over)
    assert refused.value.code == Code.NEW_PRINT_OVER
    assert refused.value.details["figures"]["percent"] == "105"  # 105.01 %, shown to 0.1
    assert _confirm(world, line).status == LineStatus.CONFIRMED


def test_cartons_need_the_confirmed_spec_and_never_more_than_the_need(world, need):
    _, nl = need
    exact = _line(world, nl, "CTN-B", 50)
    with pytest.raises(DomainError) as refused:
        _confirm(world, exact)
    assert refused.value.code == Code.CARTON_SPEC_UNCONFIRMED
    with pytest.raises(DomainError) as wrong_role:
        services.confirm_carton_spec(product="BC-101", actor=world.users["purchaser"])
    assert wrong_role.value.code == "permission_denied"
    services.confirm_carton_spec(product="BC-101", actor=world.users["sales"])
    one_more = _line(world, nl, "CTN-B", 51)
    with pytest.raises(DomainError) as refused:
        _confirm(world, one_more)
    assert refused.value.code == Code.CARTON_OVER
    assert refused.value.details["figures"]["most"] == "50"
    assert _confirm(world, exact).status == LineStatus.CONFIRMED


def test_a_changed_carton_spec_asks_for_a_new_confirmation(world, need):
    services.confirm_carton_spec(product="BC-101", actor=world.users["sales"])
    spec = services.save_carton_spec(
        product="BC-101", units_per_carton=24, actor=world.users["purchaser"]
    )
    assert spec.confirmed_at is None


def test_only_a_manager_overrides_a_line_and_only_with_a_reason(world, need):
    _, nl = need
    line = _line(world, nl, "BAG-W", 1300)
    events = Event.objects.count()
    with pytest.raises(DomainError) as wrong_role:
        services.override_line(line=line.pk, reason="客户加单", actor=world.users["purchaser"])
    assert wrong_role.value.code == "permission_denied"
    with pytest.raises(DomainError) as no_reason:
        services.override_line(line=line.pk, reason="  ", actor=world.users["manager"])
    assert no_reason.value.code == Code.REASON_REQUIRED
    assert Event.objects.count() == events
    assert PurchaseLine.objects.get(pk=line.pk).status == LineStatus.DRAFT
    done = services.override_line(line=line.pk, reason="客户加单", actor=world.users["manager"])
    assert (done.status, done.override_reason, done.override_by) == (
        LineStatus.CONFIRMED,
        "客户加单",
        world.users["manager"],
    )
    assert list(selectors.overrides(world.users["purchaser"])) == [done]
    event = Event.objects.filter(kind="purchasing.line_overridden").get()
    assert event.payload["overridden"] == [Code.BAG_OVER]


def test_packaging_without_a_notice_line_is_refused(world, need):
    po = services.create_purchase_order(
        supplier="SUP-PK",
        lines=[services.LineInput(material="BAG-W", quantity=10)],
        actor=world.users["purchaser"],
    )
    with pytest.raises(DomainError) as refused:
        services.confirm_purchase_order(po=po.number, actor=world.users["purchaser"])
    assert refused.value.code == Code.NEEDS_NOTICE


def test_the_wrong_role_cannot_buy(world, need):
    with pytest.raises(DomainError) as refused:
        services.create_purchase_order(
            supplier="SUP-RM",
            lines=[services.LineInput(material="RAW-NW", quantity=10)],
            actor=world.users["warehouse"],
        )
    assert refused.value.code == "permission_denied"
    assert PurchaseLine.objects.count() == 0


def test_partial_receipts_add_up_and_over_receipt_is_refused(world, need):
    _, nl = need
    line = _line(world, nl, "RAW-NW", 20)
    _confirm(world, line)
    services.record_shipment(
        line=line.pk,
        quantity=15,
        expected_on=timezone.localdate() + timedelta(days=2),
        actor=world.users["purchaser"],
    )
    assert [x.in_transit for x in selectors.in_transit(world.users["purchaser"])] == [Decimal(15)]
    services.record_receipt(line=line.pk, quantity=8, actor=world.users["warehouse"])
    services.record_receipt(line=line.pk, quantity=5, actor=world.users["purchaser"])
    line.refresh_from_db()
    assert (line.received_qty, line.in_transit) == (Decimal(13), Decimal(2))
    with pytest.raises(DomainError) as refused:
        services.record_receipt(line=line.pk, quantity=8, actor=world.users["purchaser"])
    assert refused.value.code == Code.OVER_RECEIPT
    line.refresh_from_db()
    assert line.received_qty == Decimal(13)
    assert MaterialStock.objects.get(material__code="RAW-NW").on_hand == Decimal(13)
    with pytest.raises(DomainError) as wrong_role:
        services.record_receipt(line=line.pk, quantity=1, actor=world.users["sales"])
    assert wrong_role.value.code == "permission_denied"


def test_a_failed_incoming_check_counts_for_nothing(world, need):
    _, nl = need
    line = _line(world, nl, "RAW-NW", 20)
    _confirm(world, line)
    services.record_receipt(line=line.pk, quantity=20, passed=False, actor=world.users["purchaser"])
    line.refresh_from_db()
    assert line.received_qty == 0
    assert not MaterialStock.objects.filter(material__code="RAW-NW").exists()


def test_a_late_line_makes_the_order_short_and_a_receipt_clears_it(world, need):
    order, nl = need
    today = timezone.localdate()
    for material, qty in (("BAG-W", 1000), ("LBL-01", 1020), ("RAW-NW", Decimal("20.6"))):
        line = _line(world, nl, material, qty)
        _confirm(world, line)
        services.record_receipt(line=line.pk, quantity=qty, actor=world.users["purchaser"])
    services.confirm_carton_spec(product="BC-101", actor=world.users["sales"])
    cartons = _line(world, nl, "CTN-B", 50)
    services.amend_line(
        line=cartons.pk, promised_on=today - timedelta(days=1), actor=world.users["purchaser"]
    )
    _confirm(world, cartons)
    found = selectors.order_readiness(order)
    assert [(s.need.material.code, s.short, s.expected) for s in found.shortages] == [
        ("CTN-B", Decimal(50), today - timedelta(days=1))
    ]
    assert [x.pk for x in selectors.late_lines(world.users["merch"], today, mine=True)] == [
        cartons.pk
    ]
    services.record_receipt(line=cartons.pk, quantity=50, actor=world.users["purchaser"])
    assert selectors.order_readiness(order).complete
    assert selectors.late_lines(world.users["merch"], today, mine=True).count() == 0
    from gendan.production.models import WorkOrder

    wo = WorkOrder.objects.filter(order=order).first()
    assert selectors.material_ready_date(wo) == today


def test_amending_a_confirmed_line_weighs_the_rule_again_and_keeps_history(world, need):
    _, nl = need
    line = _line(world, nl, "BAG-W", 1100)
    _confirm(world, line)
    with pytest.raises(DomainError) as refused:
        services.amend_line(line=line.pk, quantity=1250, reason="加单", actor=world.users["merch"])
    assert refused.value.code == Code.BAG_OVER
    with pytest.raises(DomainError) as no_reason:
        services.amend_line(line=line.pk, quantity=1150, actor=world.users["merch"])
    assert no_reason.value.code == Code.REASON_REQUIRED
    services.amend_line(line=line.pk, quantity=1150, reason="加单", actor=world.users["merch"])
    line.refresh_from_db()
    assert line.quantity == Decimal(1150)
    assert [h.quantity for h in line.history.order_by("history_id")][-2:] == [
        Decimal(1100),
        Decimal(1150),
    ]


def test_cancel_needs_a_reason_and_nothing_received(world, need):
    _, nl = need
    line = _line(world, nl, "RAW-NW", 10)
    _confirm(world, line)
    with pytest.raises(DomainError) as no_reason:
        services.cancel_purchase_order(po=line.po.number, reason="", actor=world.users["purchaser"])
    assert no_reason.value.code == Code.REASON_REQUIRED
    services.record_receipt(line=line.pk, quantity=1, actor=world.users["purchaser"])
    with pytest.raises(DomainError) as received:
        services.cancel_purchase_order(
            po=line.po.number, reason="改单", actor=world.users["purchaser"]
        )
    assert received.value.code == Code.PO_HAS_RECEIPTS
    other = _line(world, nl, "RAW-NW", 5)
    po = services.cancel_purchase_order(
        po=other.po.number, reason="改单", actor=world.users["purchaser"]
    )
    assert (po.status, po.lines.get().status) == ("cancelled", LineStatus.CANCELLED)


def test_stock_taken_for_a_notice_counts_against_the_cap(world, need):
    _, nl = need
    services.adjust_stock(material="BAG-W", quantity=300, actor=world.users["purchaser"])
    services.take_stock(
        notice_line=nl.pk, material="BAG-W", quantity=300, actor=world.users["purchaser"]
    )
    with pytest.raises(DomainError) as refused:
        _confirm(world, _line(world, nl, "BAG-W", 901))
    assert refused.value.details["figures"]["ordered_before"] == "300"
    assert _confirm(world, _line(world, nl, "BAG-W", 900)).status == LineStatus.CONFIRMED


def test_the_plan_turns_into_one_purchase_order_per_supplier(world, need):
    order, nl = need
    services.adjust_stock(material="LBL-01", quantity=20, actor=world.users["purchaser"])
    rows = {
        r.need.material.code: r
        for g in selectors.purchase_plan(world.users["purchaser"], order=order.number)
        for r in g.rows
    }
    assert {k: (r.from_supply, r.to_buy) for k, r in rows.items()} == {
        "BAG-W": (0, Decimal(1000)),
        "CTN-B": (0, Decimal(50)),
        "LBL-01": (Decimal(20), Decimal(1000)),
        "RAW-NW": (0, Decimal("20.600")),
    }
    made = services.create_from_plan(
        selection=[(nl.pk, "BAG-W", 1000), (nl.pk, "CTN-B", 50), (nl.pk, "RAW-NW", "20.6")],
        actor=world.users["purchaser"],
    )
    assert sorted((po.supplier.code, po.lines.count()) for po in made) == [
        ("SUP-CT", 1),
        ("SUP-PK", 1),
        ("SUP-RM", 1),
    ]
    left = [
        r.need.material.code
        for g in selectors.purchase_plan(world.users["purchaser"], order=order.number)
        for r in g.rows
    ]
    assert left == ["LBL-01"]


def test_the_schedule_reads_when_a_notice_line_s_material_is_expected(world, need):
    from gendan.production.services import schedule

    _, nl = need
    today = timezone.localdate()
    assert selectors.notice_lines_ready in schedule.MATERIAL_READY  # registered at start-up
    assert schedule.material_ready([nl.pk]) == {nl.pk: None}  # short and nothing on order
    for material, qty in (("BAG-W", 1000), ("LBL-01", 1020), ("RAW-NW", Decimal("20.6"))):
        line = _line(world, nl, material, qty)
        _confirm(world, line)
        services.record_receipt(line=line.pk, quantity=qty, actor=world.users["purchaser"])
    services.confirm_carton_spec(product="BC-101", actor=world.users["sales"])
    cartons = _line(world, nl, "CTN-B", 50)
    later = today + timedelta(days=10)
    services.amend_line(line=cartons.pk, promised_on=later, actor=world.users["purchaser"])
    _confirm(world, cartons)
    assert schedule.material_ready([nl.pk]) == {nl.pk: later}
    services.record_receipt(line=cartons.pk, quantity=50, actor=world.users["purchaser"])
    assert schedule.material_ready([nl.pk]) == {}  # in hand: no constraint
