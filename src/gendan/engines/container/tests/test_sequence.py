"""The loading sheet: walls from the back to the door, in the crew's words."""

from __future__ import annotations

from gendan.engines.container import CartonType, Container, plan_container
from gendan.engines.container.model import Placement, Plan
from gendan.engines.container.sequence import loading_order, loading_sequence


def test_two_walls_of_one_product():
    carton = CartonType("A", 5, 4, 3, 40, label="A")
    # 2 walls (x = 0 and x = 5), each 3 across x 2 layers.
    cells = [
        Placement(0, x, y, z, 5, 4, 3, block=0) for x in (0, 5) for z in (0, 3) for y in (0, 4, 8)
    ]
    plan = Plan(Container(10, 12, 6), [carton], cells)
    walls = loading_sequence(plan)
    assert [w.description_zh() for w in walls] == [
        "第1面墙：产品 A 竖放 3 x 2 层，共 6 箱",
        "第2面墙：产品 A 竖放 3 x 2 层，共 6 箱",
    ]
    assert walls[0].description_en() == (
        "Wall 1: product A upright, long side along the container, 3 across x 2 layers, 6 cartons"
    )
    assert [w.count for w in walls] == [6, 6]


def test_crosswise_and_on_side_words():
    carton = CartonType("B", 6, 2, 3, 4, label="B")
    cells = [
        Placement(0, 0, 0, 0, 2, 6, 3, block=0),
        Placement(0, 0, 0, 3, 2, 6, 3, block=0),
        Placement(0, 2, 0, 0, 3, 6, 2, block=1),
    ]
    walls = loading_sequence(Plan(Container(10, 6, 6), [carton], cells))
    assert walls[0].description_zh() == "第1面墙：产品 B 横放 1 x 2 层，共 2 箱"
    assert walls[1].description_zh() == "第2面墙：产品 B 侧放（横） 1 x 1 层，共 1 箱"


def test_a_planned_load_is_sequenced_completely():
    cartons = [
        CartonType("A", 40, 30, 25, 60, label="A"),
        CartonType("B", 50, 35, 30, 30, label="B"),
    ]
    plan = plan_container(Container(300, 120, 120), cartons, max_nodes=30, time_limit=None)
    walls = loading_sequence(plan)
    assert sum(w.count for w in walls) == len(plan.placements)
    assert sorted(loading_order(walls)) == list(range(len(plan.placements)))
    assert [w.number for w in walls] == list(range(1, len(walls) + 1))
    assert all(w.description_zh().startswith(f"第{w.number}面墙：产品 ") for w in walls)
