"""Question (a): one container, the cartons to load; the plan that loads the most volume (the
most urgent cartons first) and what stays behind."""

from __future__ import annotations

import math
from collections.abc import Callable

from gendan.engines.container.model import CartonType, Container, Placement, Plan
from gendan.engines.container.search import BlockSearch
from gendan.engines.container.validation import assert_valid, support_graph

DEFAULT_TIME_LIMIT = 5.0


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
    search = BlockSearch(container, cartons, support=support, seed=seed)
    result = search.run(time_limit=time_limit, max_nodes=max_nodes, progress=progress)
    plan = Plan(
        container=container,
        cartons=list(cartons),
        placements=result.placements,
        stats={
            "nodes": result.nodes,
            "passes": result.passes,
            "seconds": round(result.seconds, 3),
            "blocks": len(search.blocks),
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
