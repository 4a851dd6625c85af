"""Loading: planning through the background task, the count check (点数), closing, the register."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings

from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind
from gendan.loading import planning
from gendan.loading.events import LoadingEvent
from gendan.loading.models import (
    ContainerType,
    CountingError,
    LoadingCount,
    LoadingPlan,
    LoadingStatus,
    PlanStatus,
)
from gendan.loading.services import container_types, counting_errors, counts, plans
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


def test_common_container_types_are_seeded_as_data():
    codes = set(ContainerType.objects.values_list("code", flat=True))
    assert {"20GP", "40GP", "40HQ", "45HQ", "TRUCK-9.6", "VAN-4.2"} <= codes
    hq = ContainerType.objects.get(code="40HQ")
    assert (hq.inside_length_mm, hq.inside_width_mm, hq.inside_height_mm) == (12032, 2352, 2698)
    assert hq.door_height_mm < hq.inside_height_mm and hq.max_payload_kg > 20000


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_request_waits_for_the_worker_which_computes_the_plan(world, notices):
    plan = plans.request_loading_plan(
        actor=world.users["merch"], notices=notices, container_type="40HQ", time_limit_s=1
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.QUEUED and plan.progress == 0
    # the enqueued task runs in the database-backed worker
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE and plan.progress == 1
    assert plan.finished_at is not None and plan.error == ""
    container = plan.containers[0]
    assert container["type_code"] == "40HQ"
    loaded = sum(container["loaded"].values())
    assert loaded == len(container["placements"]) == sum(w["count"] for w in container["walls"])
    assert loaded == sum(i.cartons for i in plan.items.all())  # it all fits in one 40HQ
    assert 0.5 < container["volume_utilisation"] < 1
    # cartons of 12 units: 4800 + 2400 + 1200 units are 400 + 200 + 100 cartons
    assert sorted(i.cartons for i in plan.items.all()) == [100, 200, 400]
    assert Event.objects.filter(kind=LoadingEvent.LOADING_PLANNED).count() == 2  # one per order


def test_progress_is_written_while_the_engine_runs(planned, monkeypatch):
    seen: list[tuple[str, float]] = []
    real = planning.run_plan

    def watching(*args, progress, **kwargs):
        def report(fraction: float) -> None:
            progress(fraction)
            plan = LoadingPlan.objects.get()
            seen.append((plan.status, plan.progress))

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(planning, "run_plan", watching)
    monkeypatch.setattr(plans, "PROGRESS_EVERY_S", 0)
    plan = planned(time_limit_s=2)
    assert plan.status == PlanStatus.DONE and plan.progress == 1
    assert len(seen) >= 2
    assert {status for status, _ in seen} == {PlanStatus.RUNNING}
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and 0 <= fractions[0] and fractions[-1] < 1


def test_a_failing_engine_marks_the_plan_failed_and_keeps_it(planned, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(planning, "run_plan", broken)
    plan = planned()
    assert plan.status == PlanStatus.FAILED and "engine exploded" in plan.error
    assert plans.compute_plan(plan.pk) is None  # not run twice


def test_handling_rules_reach_the_engine_and_are_kept(planned):
    plan = planned()
    items = {i.index: i.product for i in plan.items.select_related("product")}
    bottles = [k for k, p in items.items() if p.code == "BC-301"]
    assert Product.objects.get(code="BC-301").upright_only
    container = plan.containers[0]
    height_cm = Product.objects.get(code="BC-301").carton_height_cm
    for row in container["placements"]:
        if row["item"] in bottles:
            assert row["dz"] == planning.mm(height_cm)  # this side up


def test_request_is_refused_with_clear_reasons(world, notices):
    merch = world.users["merch"]
    with pytest.raises(DomainError) as exc:
        plans.request_loading_plan(actor=merch, notices=[])
    assert exc.value.code == "no_notices"
    with pytest.raises(DomainError) as exc:
        plans.request_loading_plan(actor=merch, notices=notices, container_type="99XX")
    assert exc.value.code == "unknown_container_type" and exc.value.kind == Kind.INVALID
    with pytest.raises(DomainError) as exc:
        plans.request_loading_plan(actor=merch, notices=notices, time_limit_s=0)
    assert exc.value.code == "invalid_time_limit"
    Product.objects.filter(code="BC-301").update(carton_height_cm=0)
    with pytest.raises(DomainError) as exc:
        plans.request_loading_plan(actor=merch, notices=notices)
    assert exc.value.code == "no_carton_size" and exc.value.details["products"] == ["BC-301"]
    with pytest.raises(DomainError) as exc:
        plans.request_loading_plan(actor=world.users["finance"], notices=notices)
    assert exc.value.kind == Kind.FORBIDDEN
    assert not LoadingPlan.objects.exists()


def test_a_carton_that_does_not_pass_the_door_stays_behind(planned):
    Product.objects.filter(code="BC-301").update(
        upright_only=True, carton_height_cm=Decimal("190"), carton_width_cm=Decimal("190")
    )
    ContainerType.objects.filter(code="VAN-4.2").update(door_height_mm=1800, door_width_mm=1800)
    plan = planned(container_type="VAN-4.2")
    reasons = {row["reason"] for row in plan.left_behind}
    assert "door" in reasons
    door = [row for row in plan.left_behind if row["reason"] == "door"]
    assert door[0]["cartons"] == 100


def test_cheapest_set_of_trucks_loads_everything(planned):
    plan = planned(container_type=None, kind="truck")
    assert plan.status == PlanStatus.DONE
    assert {c["type_code"] for c in plan.containers} <= {"TRUCK-9.6", "VAN-4.2"}
    loaded = sum(sum(c["loaded"].values()) for c in plan.containers)
    left = sum(row["cartons"] for row in plan.left_behind)
    assert loaded + left == sum(i.cartons for i in plan.items.all()) and left == 0


def _count_all_walls(plan: LoadingPlan, actor, *, short_wall: int | None = None) -> None:
    for wall in plan.containers[0]["walls"]:
        counted = wall["count"] - (1 if wall["number"] == short_wall else 0)
        counts.record_count(
            actor=actor, plan=plan.number, container=1, wall=wall["number"], counted=counted
        )


def test_closing_is_refused_while_a_count_differs_then_closes_when_corrected(world, planned):
    plan = planned()
    keeper = world.users["warehouse"]
    with pytest.raises(DomainError) as exc:
        counts.close_loading(actor=keeper, plan=plan.number)
    assert exc.value.code == "not_counted" and exc.value.kind == Kind.REFUSED
    _count_all_walls(plan, keeper, short_wall=2)
    check = counts.count_check(LoadingPlan.objects.get(pk=plan.pk))
    assert [r.code for r in check.reasons] == ["count_differs"]
    wrong = [r for r in check.rows if not r.matches]
    assert len(wrong) == 1 and wrong[0].wall == 2 and wrong[0].difference == -1
    with pytest.raises(DomainError) as exc:
        counts.close_loading(actor=keeper, plan=plan.number)
    assert exc.value.code == "count_differs"
    assert exc.value.details["reasons"][0]["code"] == "count_differs"
    # the warehouse keeper may not accept a difference
    with pytest.raises(DomainError) as exc:
        counts.close_loading(actor=keeper, plan=plan.number, accept_difference="close anyway")
    assert exc.value.kind == Kind.FORBIDDEN
    assert LoadingPlan.objects.get(pk=plan.pk).loading_status == LoadingStatus.OPEN
    # the recount replaces the figure and keeps the old one in the history
    wall2 = plan.containers[0]["walls"][1]
    counts.record_count(actor=keeper, plan=plan.number, container=1, wall=2, counted=wall2["count"])
    count = LoadingCount.objects.get(plan=plan, wall=2)
    assert count.counted == wall2["count"]
    assert [h.counted for h in count.history.order_by("history_date")] == [
        wall2["count"] - 1,
        wall2["count"],
    ]
    closed = counts.close_loading(actor=keeper, plan=plan.number)
    assert closed.loading_status == LoadingStatus.CLOSED and closed.accepted_difference == ""
    with pytest.raises(DomainError) as exc:
        counts.record_count(actor=keeper, plan=plan.number, container=1, wall=1, counted=0)
    assert exc.value.code == "loading_closed"
    assert Event.objects.filter(kind=LoadingEvent.LOADING_CLOSED).count() == 2


def test_the_merchandiser_accepts_a_difference_with_a_reason(world, planned):
    plan = planned()
    _count_all_walls(plan, world.users["warehouse"], short_wall=1)
    closed = counts.close_loading(
        actor=world.users["merch"], plan=plan.number, accept_difference="客户同意少一箱"
    )
    assert closed.is_closed and closed.accepted_difference == "客户同意少一箱"
    event = Event.objects.filter(kind=LoadingEvent.LOADING_CLOSED).first()
    assert event.comment == "客户同意少一箱"
    assert event.payload["differences"][0]["code"] == "count_differs"


def test_counting_by_product_compares_with_the_plan(world, planned):
    plan = planned()
    keeper = world.users["warehouse"]
    per_product: dict[str, int] = {}
    items = {i.index: i.product.code for i in plan.items.select_related("product")}
    for item, n in plan.containers[0]["loaded"].items():
        per_product[items[int(item)]] = per_product.get(items[int(item)], 0) + n
    for code, n in per_product.items():
        check = counts.record_count(
            actor=keeper, plan=plan.number, container=1, product=code, counted=n
        )
    assert check.matches and {r.product for r in check.rows} == set(per_product)
    with pytest.raises(DomainError) as exc:
        counts.record_count(
            actor=keeper, plan=plan.number, container=1, product="FN-101", counted=1
        )
    assert exc.value.code == "product_not_in_plan"
    with pytest.raises(DomainError) as exc:
        counts.record_count(actor=keeper, plan=plan.number, container=1, counted=1)
    assert exc.value.code == "wall_or_product"
    with pytest.raises(DomainError) as exc:
        counts.record_count(actor=keeper, plan=plan.number, container=9, wall=1, counted=1)
    assert exc.value.code == "unknown_container"


def test_a_plan_that_leaves_cartons_behind_cannot_close_without_acceptance(world, planned):
    plan = planned(container_type="20GP")
    assert plan.left_behind and all(row["reason"] == "no_room" for row in plan.left_behind)
    _count_all_walls(plan, world.users["warehouse"])
    with pytest.raises(DomainError) as exc:
        counts.close_loading(actor=world.users["warehouse"], plan=plan.number)
    assert exc.value.code == "not_all_loaded"


@override_settings(GENDAN_COUNTING_ERROR_PENALTY="150")
def test_counting_error_register_charges_the_configured_penalty(world, planned):
    plan = planned()
    keeper, merch = world.users["warehouse"], world.users["merch"]
    error = counting_errors.record_counting_error(
        actor=merch,
        plan=plan.number,
        person=keeper.username,
        product="BC-101",
        source="customer_receipt",
        expected=400,
        actual=399,
        note="客户收货少一箱",
    )
    assert error.penalty == Decimal("150") and error.difference == -1
    assert error.person == keeper and error.recorded_by == merch
    with pytest.raises(DomainError) as exc:
        counting_errors.record_counting_error(
            actor=merch, plan=plan.number, person=keeper.username, expected=5, actual=5
        )
    assert exc.value.code == "no_difference"
    with pytest.raises(DomainError) as exc:
        counting_errors.record_counting_error(
            actor=merch, plan=plan.number, person="nobody", expected=5, actual=4
        )
    assert exc.value.code == "unknown_person"
    with pytest.raises(DomainError) as exc:
        counting_errors.record_counting_error(
            actor=keeper, plan=plan.number, person=keeper.username, expected=5, actual=4
        )
    assert exc.value.kind == Kind.FORBIDDEN
    assert CountingError.objects.count() == 1


def test_container_types_are_edited_through_the_service(world):
    admin = world.users["admin"]
    ct = container_types.save_container_type(
        actor=admin,
        code="53HQ",
        name="53' HQ",
        kind="container",
        inside_length_mm=16000,
        inside_width_mm=2500,
        inside_height_mm=2700,
        door_width_mm=2400,
        door_height_mm=2600,
        max_payload_kg=25000,
        cost=Decimal("7000"),
    )
    assert ct.history.count() == 1
    with pytest.raises(DomainError) as exc:
        container_types.save_container_type(actor=admin, code="53HQ", door_width_mm=3000)
    assert exc.value.code == "invalid_container_type"
    assert ContainerType.objects.get(code="53HQ").door_width_mm == 2400
    with pytest.raises(DomainError) as exc:
        container_types.save_container_type(actor=world.users["warehouse"], code="53HQ", cost=1)
    assert exc.value.kind == Kind.FORBIDDEN


def test_keeping_orders_together_loads_the_last_drop_first(planned):
    plan = planned(keep_orders_together=True)
    order_of = {i.index: i.order for i in plan.items.select_related("order")}
    container = plan.containers[0]
    sequence = [order_of[row["item"]].number for row in container["placements"]]
    runs = [n for k, n in enumerate(sequence) if k == 0 or sequence[k - 1] != n]
    last_drop = max(order_of.values(), key=lambda o: o.delivery_date).number
    assert runs[0] == last_drop and len(runs) == 2  # one order after the other, no mixing
    for wall in container["walls"]:
        assert len({order_of[s["item"]].number for s in wall["steps"]}) == 1
    assert plan.left_behind == []  # 80 % of a 40HQ: grouping costs nothing here


def test_each_scan_adds_one_carton_of_the_product(world, planned):
    plan = planned()
    keeper = world.users["warehouse"]
    for _ in range(3):
        check = counts.record_scan(actor=keeper, plan=plan.number, container=1, product="BC-301")
    row = next(r for r in check.rows if r.product == "BC-301")
    assert row.counted == 3 and row.expected == 100 and row.difference == -97
    # a typed correction replaces the scanned figure
    check = counts.record_count(
        actor=keeper, plan=plan.number, container=1, product="BC-301", counted=100
    )
    assert next(r for r in check.rows if r.product == "BC-301").matches
    with pytest.raises(DomainError) as exc:
        counts.record_scan(actor=keeper, plan=plan.number, container=1, product="XX-1")
    assert exc.value.code == "product_not_in_plan"


def test_order_lines_are_planned_before_any_shipping_notice(world, planned):
    order = world.order(lines=[("BC-101", 1200, "12.50"), ("FN-101", 30, "300")], to="released")
    plan = planned(notices=[], orders=[order.number], container_type="20GP")
    assert plan.status == PlanStatus.DONE and not plan.notices.exists()
    assert sorted((i.product.code, i.cartons) for i in plan.items.all()) == [
        ("BC-101", 100),  # 12 a carton
        ("FN-101", 30),
    ]
    assert all(i.notice_line is None for i in plan.items.all())
    part = planned(notices=[], lines=[plans.LinePick(order.number, 1, 120)], container_type="20GP")
    assert [i.cartons for i in part.items.all()] == [10]
    for bad, code in [
        (plans.LinePick(order.number, 9), "unknown_order"),
        (plans.LinePick(order.number, 1, 5000), "invalid_quantity"),
        (plans.LinePick("SO-1999-000001", 1), "unknown_order"),
    ]:
        with pytest.raises(DomainError) as exc:
            plans.request_loading_plan(actor=world.users["merch"], lines=[bad])
        assert exc.value.code == code


def test_a_plan_of_order_lines_writes_the_count_into_the_order_timeline(world, planned):
    order = world.order(lines=[("BC-101", 240, "12.50")], to="released")
    plan = planned(notices=[], orders=[order.number], container_type="VAN-4.2")
    wall = plan.containers[0]["walls"][0]
    counts.record_count(
        actor=world.users["warehouse"],
        plan=plan.number,
        container=1,
        wall=wall["number"],
        counted=wall["count"],
    )
    kinds = set(Event.objects.filter(order=order).values_list("kind", flat=True))
    assert {LoadingEvent.LOADING_PLANNED, LoadingEvent.LOADING_COUNTED} <= kinds


@override_settings(GENDAN_PLANNING_WORKERS=2)
def test_a_plan_may_search_in_several_processes(planned):
    plan = planned()
    assert plan.status == PlanStatus.DONE and plan.error == ""
    assert sum(plan.containers[0]["loaded"].values()) == 700


def test_a_busy_database_loses_progress_news_but_never_the_plan(planned, monkeypatch):
    from django.db import OperationalError
    from django.db.models import QuerySet

    real_update = QuerySet.update
    refused: list[float] = []

    def busy(self, **values):
        if set(values) == {"progress"}:
            refused.append(values["progress"])
            raise OperationalError("database table is locked")
        return real_update(self, **values)

    monkeypatch.setattr(QuerySet, "update", busy)
    monkeypatch.setattr(plans, "PROGRESS_EVERY_S", 0)
    plan = planned()
    assert refused and plan.status == PlanStatus.DONE and plan.progress == 1
