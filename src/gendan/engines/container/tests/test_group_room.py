"""A drop's room is sized by how high its cartons may be stacked."""

from __future__ import annotations

from gendan.engines.container import CartonType, Container, plan_container
from gendan.engines.container.sequence import loading_order, loading_sequence


def test_a_drop_that_may_not_stack_to_the_roof_still_fits_whole():
    # a 40HQ at 80 %: wipes and nappies for the first drop, bottles (this side up, four on top
    # at most, so five high) for the last drop, which goes in first, at the back
    container = Container(12032, 2352, 2698)
    cartons = [
        CartonType("wipes", 600, 400, 300, 400, group="A"),
        CartonType("nappies", 660, 420, 340, 200, group="A"),
        CartonType.this_side_up("bottles", 750, 450, 400, 100, stack_limit=4, group="B"),
    ]
    plan = plan_container(
        container, cartons, time_limit=None, max_nodes=400, group_order=["A", "B"]
    )
    assert plan.left_behind == {}
    order = loading_order(loading_sequence(plan))
    groups = [cartons[plan.placements[i].carton].group for i in order]
    assert groups == ["B"] * 100 + ["A"] * 600
