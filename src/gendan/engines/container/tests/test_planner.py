"""Small instances with a known best load, each handling rule kept, determinism."""

from __future__ import annotations

import pytest

from gendan.engines.container import CartonType, Container, plan_container, validate_plan
from gendan.engines.container.shipment import plan_shipment

NODES = 200


def plan(container: Container, cartons: list[CartonType], **kw):
    kw.setdefault("max_nodes", NODES)
    kw.setdefault("time_limit", 2.0)
    return plan_container(container, cartons, **kw)


def test_eight_cubes_fill_the_container():
    p = plan(Container(10, 10, 10), [CartonType("A", 5, 5, 5, 8)])
    assert len(p.placements) == 8
    assert p.utilisation == 1.0
    assert p.left_behind == {}


def test_more_cargo_than_fits_leaves_the_rest_behind():
    p = plan(Container(4, 2, 2), [CartonType("A", 2, 2, 2, 3)])
    assert len(p.placements) == 2
    assert p.left_behind == {0: 1}


def test_mixed_cartons_known_best():
    # 6 x 4 x 2: one carton 3 x 4 x 2 and two 2 x 2 x 2 beside it (40 of 48) beat four
    # 2 x 2 x 2 alone (32); nothing better exists.
    p = plan(Container(6, 4, 2), [CartonType("A", 3, 4, 2, 1), CartonType("B", 2, 2, 2, 4)])
    assert p.loaded_volume == 40
    assert sorted(p.loaded_counts().items()) == [(0, 1), (1, 2)]


def test_mixed_cartons_fill_exactly():
    p = plan(Container(6, 4, 2), [CartonType("A", 2, 4, 2, 1), CartonType("B", 2, 2, 2, 4)])
    assert p.utilisation == 1.0


def test_this_side_up_is_kept():
    lying = Container(3, 2, 1)
    assert len(plan(lying, [CartonType("A", 1, 2, 3, 1)]).placements) == 1
    assert plan(lying, [CartonType.this_side_up("A", 1, 2, 3, 1)]).placements == []


def test_fragile_cartons_are_not_stacked():
    p = plan(Container(1, 1, 2), [CartonType("A", 1, 1, 1, 2, fragile=True)])
    assert len(p.placements) == 1


@pytest.mark.parametrize(("limit", "loaded"), [(0, 1), (1, 2), (2, 3)])
def test_stacking_limit_is_kept(limit, loaded):
    p = plan(Container(1, 1, 3), [CartonType("A", 1, 1, 1, 3, stack_limit=limit)])
    assert len(p.placements) == loaded


@pytest.mark.parametrize(("max_load", "loaded"), [(5.0, 1), (15.0, 2), (20.0, 3)])
def test_load_limit_is_kept(max_load, loaded):
    p = plan(Container(1, 1, 3), [CartonType("A", 1, 1, 1, 3, weight=10.0, max_load=max_load)])
    assert len(p.placements) == loaded


def test_payload_is_kept():
    p = plan(Container(10, 10, 10, max_payload=25.0), [CartonType("A", 2, 2, 2, 5, weight=10)])
    assert len(p.placements) == 2
    assert p.weight == 20.0


def test_balance_moves_the_load_to_the_middle():
    p = plan(Container(10, 2, 2, balance_tolerance=1.0), [CartonType("A", 2, 2, 2, 1, weight=5.0)])
    assert len(p.placements) == 1
    assert abs(p.centre_of_gravity_x - 5.0) <= 1.0


def test_urgent_cartons_go_first():
    # Only one fits: the urgent small one wins over the less urgent large one.
    cartons = [
        CartonType("big", 2, 1, 1, 1, priority=2),
        CartonType("urgent", 2, 1, 1, 1, priority=1),
    ]
    p = plan(Container(2, 1, 1), cartons)
    assert p.loaded_counts() == {1: 1}


def test_same_seed_and_budget_give_the_same_plan():
    cartons = [
        CartonType("A", 7, 5, 3, 20),
        CartonType("B", 4, 4, 6, 15),
        CartonType("C", 9, 2, 2, 30),
    ]
    c = Container(30, 12, 12)
    a = plan_container(c, cartons, max_nodes=60, time_limit=None, seed=3)
    b = plan_container(c, cartons, max_nodes=60, time_limit=None, seed=3)
    assert a.placements == b.placements


def test_time_limit_alone_returns_a_valid_plan():
    cartons = [CartonType("A", 7, 5, 3, 40), CartonType("B", 4, 4, 6, 30)]
    p = plan_container(Container(30, 12, 12), cartons, time_limit=0.2)
    assert validate_plan(p) == []
    assert p.utilisation > 0.5


def test_shipment_takes_as_many_containers_as_needed():
    small = Container(4, 2, 2, name="small", cost=1.0)
    large = Container(8, 2, 2, name="large", cost=3.0)
    cartons = [CartonType("A", 2, 2, 2, 5)]
    s = plan_shipment([small, large], cartons, time_limit_per_plan=1.0, max_nodes=50)
    assert s.loaded_counts() == {0: 5}
    assert s.unloadable == {}
    # Two cartons per small container (cost 1) beat four per large one (cost 3).
    assert [p.container.name for p in s.plans] == ["small", "small", "small"]
    for p in s.plans:
        assert validate_plan(p) == []


def test_shipment_reports_what_fits_no_container():
    s = plan_shipment([Container(4, 2, 2)], [CartonType("A", 5, 5, 5, 2)], max_nodes=10)
    assert s.plans == []
    assert s.unloadable == {0: 2}
