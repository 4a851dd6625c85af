"""The validator refuses each broken rule, and accepts a correct plan."""

from __future__ import annotations

from dataclasses import replace

from gendan.engines.container.model import CartonType, Container, Placement, Plan
from gendan.engines.container.validation import validate_plan

BOX = CartonType("A", 2, 2, 2, 10, weight=10.0)


def plan_of(
    *placements: Placement,
    cartons: list[CartonType] | None = None,
    container: Container | None = None,
) -> Plan:
    return Plan(container or Container(10, 4, 6), cartons or [BOX], list(placements))


def codes(plan: Plan) -> list[str]:
    return [v.code for v in validate_plan(plan)]


def test_a_supported_stack_is_valid():
    plan = plan_of(
        Placement(0, 0, 0, 0, 2, 2, 2),
        Placement(0, 2, 0, 0, 2, 2, 2),
        Placement(0, 1, 0, 2, 2, 2, 2),
    )
    assert codes(plan) == []


def test_overlap_is_refused():
    assert codes(plan_of(Placement(0, 0, 0, 0, 2, 2, 2), Placement(0, 1, 1, 0, 2, 2, 2))) == [
        "overlap"
    ]


def test_outside_is_refused():
    assert codes(plan_of(Placement(0, 9, 0, 0, 2, 2, 2))) == ["outside"]


def test_wrong_dimensions_are_refused():
    assert codes(plan_of(Placement(0, 0, 0, 0, 2, 2, 3))) == ["dimensions"]


def test_orientation_is_refused():
    upright = CartonType.this_side_up("U", 3, 2, 1, 1)
    assert codes(plan_of(Placement(0, 0, 0, 0, 3, 2, 1), cartons=[upright])) == []
    assert codes(plan_of(Placement(0, 0, 0, 0, 1, 2, 3), cartons=[upright])) == ["orientation"]


def test_quantity_is_refused():
    one = replace(BOX, quantity=1)
    assert codes(
        plan_of(Placement(0, 0, 0, 0, 2, 2, 2), Placement(0, 2, 0, 0, 2, 2, 2), cartons=[one])
    ) == ["quantity"]


def test_floating_and_partly_supported_cartons_are_refused():
    assert codes(plan_of(Placement(0, 0, 0, 1, 2, 2, 2))) == ["support"]
    # Half its base on a carton, half in the air.
    assert codes(plan_of(Placement(0, 0, 0, 0, 2, 2, 2), Placement(0, 1, 0, 2, 2, 2, 2))) == [
        "support"
    ]


def test_stacking_limit_is_refused():
    limited = replace(BOX, stack_limit=1)
    column = [Placement(0, 0, 0, 2 * k, 2, 2, 2) for k in range(3)]
    assert codes(plan_of(*column[:2], cartons=[limited])) == []
    assert codes(plan_of(*column, cartons=[limited])) == ["stacking"]


def test_fragile_carries_nothing():
    fragile = replace(BOX, fragile=True)
    assert codes(
        plan_of(Placement(0, 0, 0, 0, 2, 2, 2), Placement(0, 0, 0, 2, 2, 2, 2), cartons=[fragile])
    ) == ["stacking"]


def test_load_limit_is_refused():
    column = [Placement(0, 0, 0, 2 * k, 2, 2, 2) for k in range(3)]
    assert codes(plan_of(*column, cartons=[replace(BOX, max_load=20.0)])) == []
    assert codes(plan_of(*column, cartons=[replace(BOX, max_load=15.0)])) == ["load"]


def test_payload_is_refused():
    plan = plan_of(
        Placement(0, 0, 0, 0, 2, 2, 2),
        Placement(0, 2, 0, 0, 2, 2, 2),
        container=Container(10, 4, 6, max_payload=15.0),
    )
    assert codes(plan) == ["payload"]


def test_balance_is_refused():
    near_back = Placement(0, 0, 0, 0, 2, 2, 2)
    middle = Placement(0, 4, 0, 0, 2, 2, 2)
    balanced = Container(10, 4, 6, balance_tolerance=1.0)
    assert codes(plan_of(middle, container=balanced)) == []
    assert codes(plan_of(near_back, container=balanced)) == ["balance"]
