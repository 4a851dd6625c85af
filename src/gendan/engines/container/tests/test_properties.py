"""Random cargo: every plan is valid, and its loading sequence never puts a carton before the
cartons it stands on."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.engines.container import CartonType, Container, plan_container, validate_plan
from gendan.engines.container.sequence import loading_order, loading_sequence
from gendan.engines.container.validation import support_graph

dims = st.integers(min_value=1, max_value=7)


@st.composite
def cargo(draw):
    container = Container(
        draw(st.integers(8, 24)),
        draw(st.integers(4, 12)),
        draw(st.integers(4, 12)),
        max_payload=draw(st.one_of(st.none(), st.floats(20, 400))),
        balance_tolerance=draw(st.one_of(st.none(), st.floats(1, 6))),
    )
    cartons = []
    for k in range(draw(st.integers(1, 4))):
        vertical = draw(st.tuples(st.booleans(), st.booleans(), st.booleans()).filter(any))
        cartons.append(
            CartonType(
                f"P{k}",
                draw(dims),
                draw(dims),
                draw(dims),
                draw(st.integers(0, 25)),
                weight=draw(st.floats(0.5, 30)),
                vertical=vertical,
                stack_limit=draw(st.one_of(st.none(), st.integers(0, 3))),
                max_load=draw(st.one_of(st.none(), st.floats(0, 80))),
                fragile=draw(st.booleans()) and draw(st.booleans()),
                priority=draw(st.integers(0, 2)),
            )
        )
    return container, cartons


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cargo(), st.integers(0, 3))
def test_every_plan_is_valid_and_loads_in_a_possible_order(case, seed):
    container, cartons = case
    plan = plan_container(container, cartons, max_nodes=12, time_limit=None, seed=seed)
    assert validate_plan(plan) == []
    loaded = plan.loaded_counts()
    for k, c in enumerate(cartons):
        assert loaded.get(k, 0) + plan.left_behind.get(k, 0) == c.quantity

    order = loading_order(loading_sequence(plan))
    assert sorted(order) == list(range(len(plan.placements)))
    position = {i: n for n, i in enumerate(order)}
    for i, below in enumerate(support_graph(plan)):
        for j, _ in below:
            assert position[j] < position[i]
