"""Keeping the cartons of one order or drop together: the last drop is loaded first (at the
back), every group's cartons come together in the loading sequence, and each carton has a free
way to the door past the groups loaded before it (unloading a drop moves no other drop's
carton)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.engines.container import CartonType, Container, Plan, plan_container, validate_plan
from gendan.engines.container.sequence import loading_order, loading_sequence
from gendan.engines.container.shipment import plan_shipment
from gendan.engines.container.tests.test_properties import cargo
from gendan.engines.container.validation import support_graph


def group_runs(plan: Plan) -> list[str]:
    """The groups in the order the crew loads them, one entry per run of a group."""
    seq = [
        plan.cartons[plan.placements[i].carton].group for i in loading_order(loading_sequence(plan))
    ]
    return [g for k, g in enumerate(seq) if k == 0 or seq[k - 1] != g]


def drop_violations(plan: Plan) -> list[tuple[int, int]]:
    """Pairs (i, j): carton j of a group loaded earlier (a later drop) lies in front of carton
    i (between it and the door) or stands on it."""
    assert plan.group_order is not None
    loaded_rank = {g: k for k, g in enumerate(reversed(plan.group_order))}
    pl = plan.placements
    rank = [loaded_rank[plan.cartons[p.carton].group] for p in pl]
    out = []
    for i, a in enumerate(pl):
        for j, b in enumerate(pl):
            if rank[j] >= rank[i]:
                continue
            overlap_yz = b.y < a.y1 and b.y1 > a.y and b.z < a.z1 and b.z1 > a.z
            in_front = overlap_yz and b.x >= a.x1
            on_top = b.z == a.z1 and b.x < a.x1 and b.x1 > a.x and b.y < a.y1 and b.y1 > a.y
            if in_front or on_top:
                out.append((i, j))
    return out


def supporters_first(plan: Plan) -> bool:
    position = {i: n for n, i in enumerate(loading_order(loading_sequence(plan)))}
    return all(
        position[j] < position[i] for i, below in enumerate(support_graph(plan)) for j, _ in below
    )


def three_drops() -> tuple[Container, list[CartonType]]:
    container = Container(30, 10, 8)
    cartons = [
        CartonType("A1", 5, 5, 4, 6, group="PO-1", label="A1"),
        CartonType("B1", 4, 5, 4, 8, group="PO-2", label="B1"),
        CartonType("B2", 3, 5, 2, 6, group="PO-2", label="B2"),
        CartonType("C1", 6, 5, 4, 4, group="PO-3", label="C1"),
    ]
    return container, cartons


def test_three_drops_last_drop_at_the_back_and_together():
    container, cartons = three_drops()
    plan = plan_container(
        container, cartons, time_limit=None, max_nodes=300, group_order=["PO-1", "PO-2", "PO-3"]
    )
    assert plan.left_behind == {}
    assert validate_plan(plan) == []
    assert group_runs(plan) == ["PO-3", "PO-2", "PO-1"]
    assert drop_violations(plan) == []
    assert supporters_first(plan)
    walls = loading_sequence(plan)
    assert walls[0].group == "PO-3"
    assert walls[-1].group == "PO-1"
    assert [w.number for w in walls] == list(range(1, len(walls) + 1))
    assert walls[0].description_zh().startswith("第1面墙（PO-3）：")
    assert walls[-1].description_en().startswith(f"Wall {len(walls)} (PO-1): ")
    # The last drop is the deepest: its cartons start nearer the back wall than the first's.
    x_of = {
        g: min(p.x for p in plan.placements if cartons[p.carton].group == g)
        for g in ("PO-1", "PO-3")
    }
    assert x_of["PO-3"] == 0
    assert x_of["PO-3"] < x_of["PO-1"]


def test_without_group_order_the_plan_is_as_before():
    container, cartons = three_drops()
    plain = plan_container(container, cartons, time_limit=None, max_nodes=200)
    same = plan_container(
        container, [replace(c, group="") for c in cartons], time_limit=None, max_nodes=200
    )
    assert plain.placements == same.placements
    assert plain.group_order is None
    assert all(w.group == "" for w in loading_sequence(plain))


def test_a_group_missing_from_the_order_is_refused():
    container, cartons = three_drops()
    with pytest.raises(ValueError, match="PO-3"):
        plan_container(container, cartons, max_nodes=10, group_order=["PO-1", "PO-2"])


def test_progress_reports_a_growing_fraction_ending_at_one():
    container, cartons = three_drops()
    calls: list[dict[str, float]] = []
    plan_container(
        container,
        cartons,
        time_limit=None,
        max_nodes=300,
        group_order=["PO-1", "PO-2", "PO-3"],
        progress=calls.append,
    )
    fractions = [c["fraction"] for c in calls]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert all(f < 1.0 for f in fractions[:-1])
    assert {"seconds", "nodes", "volume", "utilisation", "group", "groups"} <= set(calls[-1])
    assert calls[-1]["groups"] == 3


def test_shipment_keeps_groups_and_reports_progress():
    container, cartons = three_drops()
    calls: list[dict[str, float]] = []
    shipment = plan_shipment(
        [replace(container, length=18)],
        cartons,
        time_limit=None,
        max_nodes=100,
        group_order=["PO-1", "PO-2", "PO-3"],
        progress=calls.append,
    )
    assert shipment.unloadable == {}
    assert len(shipment.plans) >= 2
    for plan in shipment.plans:
        assert validate_plan(plan) == []
        assert drop_violations(plan) == []
        runs = group_runs(plan)
        assert len(runs) == len(set(runs))
    fractions = [c["fraction"] for c in calls]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_two_workers_give_a_valid_plan_and_the_same_one_twice():
    container, cartons = three_drops()
    one = plan_container(container, cartons, time_limit=None, max_nodes=400, workers=2)
    two = plan_container(container, cartons, time_limit=None, max_nodes=400, workers=2)
    assert validate_plan(one) == []
    assert one.placements == two.placements
    grouped = plan_container(
        container,
        cartons,
        time_limit=None,
        max_nodes=400,
        workers=2,
        group_order=["PO-1", "PO-2", "PO-3"],
    )
    assert group_runs(grouped) == ["PO-3", "PO-2", "PO-1"]
    assert drop_violations(grouped) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cargo(),
    st.lists(st.sampled_from(["D1", "D2", "D3"]), min_size=4, max_size=4),
    st.integers(0, 2),
)
def test_random_groups_every_plan_valid_and_kept_together(case, groups, seed):
    container, cartons = case
    cartons = [replace(c, group=groups[k]) for k, c in enumerate(cartons)]
    plan = plan_container(
        container,
        cartons,
        time_limit=None,
        max_nodes=20,
        seed=seed,
        group_order=["D1", "D2", "D3"],
    )
    assert validate_plan(plan) == []
    runs = group_runs(plan)
    assert len(runs) == len(set(runs))
    rank = {"D3": 0, "D2": 1, "D1": 2}
    assert [rank[g] for g in runs] == sorted(rank[g] for g in runs)
    assert drop_violations(plan) == []
    assert supporters_first(plan)
