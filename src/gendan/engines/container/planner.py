"""Question (a): one container, the cartons to load; the plan that loads the most volume (the
most urgent cartons first) and what stays behind."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from gendan.engines.container.model import CartonType, Container, Placement, Plan
from gendan.engines.container.search import BlockSearch
from gendan.engines.container.validation import assert_valid, support_graph

DEFAULT_TIME_LIMIT = 5.0

# The search runs in these variants, and the best load wins: the same search with and without
# composite blocks, and one filling layer by layer. Their beams are widened in turn (width 1 for
# each, then 2 for each, ...): a narrow beam of a second variant finds more than a wider beam of
# the first (measured on BR1, BR4, BR8, BR12 and BR15).
VARIANTS: list[dict[str, Any]] = [{}, {"composites": False}, {"space_rule": 2}]


def plan_container(
    container: Container,
    cartons: list[CartonType],
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_nodes: int | None = None,
    seed: int = 0,
    support: bool = True,
    progress: Callable[[dict[str, float]], None] | None = None,
) -> Plan:
    """Plan one container. Stops at ``time_limit`` seconds or after ``max_nodes`` greedy
    completions, whichever comes first (give ``max_nodes`` alone for a result that depends on
    nothing but the input and the seed). The plan is checked by the validator before it is
    returned; a plan that fails is a bug and raises ``PlanValidationError``.

    ``support=False`` lets cartons overhang (the benchmark's unsupported variant only); a plan
    for real cartons always uses full support."""
    if time_limit is None and max_nodes is None:
        raise ValueError("give a time limit or a node budget")
    started = time.perf_counter()
    deadline = started + time_limit if time_limit is not None else math.inf
    searches = [
        BlockSearch(container, cartons, support=support, seed=seed, **variant)
        for variant in VARIANTS
    ]

    def out_of_budget() -> bool:
        used = sum(s.nodes for s in searches)
        return (max_nodes is not None and used >= max_nodes) or time.perf_counter() >= deadline

    for search in searches:
        search.start()
    # Widen the beam of every variant in turn: cheap narrow passes of all variants first.
    width = 1
    stopped = False
    while not stopped and not all(s.exhausted for s in searches):
        for k, search in enumerate(searches):
            if search.exhausted:
                continue
            if out_of_budget() or not search.run_pass(width, out_of_budget):
                stopped = True
                break
            if progress is not None:
                progress(
                    {
                        "variant": k,
                        "width": width,
                        "nodes": search.nodes,
                        "volume": search.best.volume,
                        "seconds": time.perf_counter() - started,
                    }
                )
        width *= 2
    results = [s.result(time.perf_counter() - started) for s in searches]
    best = max(range(len(results)), key=lambda k: (results[k].score, -k))
    result = results[best]
    plan = Plan(
        container=container,
        cartons=list(cartons),
        placements=result.placements,
        stats={
            "nodes": sum(r.nodes for r in results),
            "passes": sum(r.passes for r in results),
            "seconds": round(time.perf_counter() - started, 3),
            "variant": best,
        },
    )
    if container.balance_tolerance is not None:
        plan = balance_plan(plan)
    counts = plan.loaded_counts()
    plan.left_behind = {
        i: c.quantity - counts.get(i, 0)
        for i, c in enumerate(cartons)
        if c.quantity - counts.get(i, 0) > 0
    }
    assert_valid(plan, support=support)
    return plan


def warm_up() -> None:
    """Compile (or load from numba's cache) the search's kernels, so that a timed run does not
    spend its first seconds compiling: one tiny plan without handling rules, one with all."""
    plan_container(
        Container(4, 2, 2),
        [CartonType("a", 1, 1, 1, 3), CartonType("b", 1, 1, 2, 2)],
        time_limit=None,
        max_nodes=5,
    )
    plan_container(
        Container(4, 2, 2, max_payload=100.0, balance_tolerance=2.0),
        [
            CartonType("a", 1, 1, 1, 3, weight=2.0, stack_limit=2),
            CartonType("b", 1, 1, 2, 2, weight=1.5, max_load=5.0),
        ],
        time_limit=None,
        max_nodes=5,
    )


def balance_plan(plan: Plan) -> Plan:
    """Bring the centre of gravity within the container's tolerance of the middle: first slide
    the whole load towards the door (it stays supported: everything moves together), then, if
    that is not enough, unload cartons with nothing on top from the heavy end."""
    c = plan.container
    tol = c.balance_tolerance
    if tol is None:
        return plan
    placements = list(plan.placements)

    def cog(pls: list[Placement]) -> float | None:
        total = sum(plan.cartons[p.carton].weight for p in pls)
        if total <= 0:
            return None
        return sum(plan.cartons[p.carton].weight * (p.x + p.dx / 2) for p in pls) / total

    g = cog(placements)
    if g is None or abs(g - c.length / 2) <= tol:
        return plan
    shift = 0
    if g < c.length / 2 - tol:
        shift = min(c.length - max(p.x1 for p in placements), math.ceil(c.length / 2 - tol - g))
    elif g > c.length / 2 + tol:
        shift = -min(min(p.x for p in placements), math.ceil(g - c.length / 2 - tol))
    if shift:
        placements = [
            Placement(p.carton, p.x + shift, p.y, p.z, p.dx, p.dy, p.dz, p.block)
            for p in placements
        ]
    while placements:
        g = cog(placements)
        if g is None or abs(g - c.length / 2) <= tol:
            break
        trial = Plan(c, plan.cartons, placements)
        graph = support_graph(trial)
        carrying = {j for sup in graph for j, _ in sup}
        free = [i for i in range(len(placements)) if i not in carrying]
        heavy_back = g < c.length / 2
        free.sort(
            key=lambda i: (placements[i].x + placements[i].dx / 2) * (1 if heavy_back else -1)
        )
        placements.pop(free[0])
    return Plan(c, plan.cartons, placements, stats=plan.stats)
