"""Question (b): a shipment; how many containers of which types it needs, and the plan of each.

Container by container: plan what is left into every container type and take the type with the
lowest cost per loaded volume, unless one container takes all that is left for no more than that
rate would cost (then the cheapest such container closes the shipment).
Repeat until everything is loaded (a carton that fits no container type is reported, never
silently dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from gendan.engines.container.model import CartonType, Container, Plan
from gendan.engines.container.planner import plan_container


@dataclass
class ShipmentPlan:
    plans: list[Plan]
    # Carton index -> quantity that fits no container type at all.
    unloadable: dict[int, int] = field(default_factory=dict)

    @property
    def cost(self) -> float:
        return sum(p.container.cost for p in self.plans)

    def loaded_counts(self) -> dict[int, int]:
        """Carton index (into the shipment's carton list) -> cartons loaded over all plans."""
        total: dict[int, int] = {}
        for p in self.plans:
            for k, n in p.loaded_counts().items():
                total[k] = total.get(k, 0) + n
        return total


def plan_shipment(
    container_types: list[Container],
    cartons: list[CartonType],
    *,
    time_limit: float | None = None,
    time_limit_per_plan: float | None = 2.0,
    max_nodes: int | None = None,
    seed: int = 0,
    max_containers: int = 100,
    progress: Callable[[dict[str, float]], None] | None = None,
    group_order: list[str] | None = None,
    workers: int = 1,
) -> ShipmentPlan:
    """Plans for a whole shipment. Each plan's cartons are the shipment's carton list with the
    quantities loaded into that container (so carton indices match across plans).

    ``time_limit`` (or its older name ``time_limit_per_plan``; ``time_limit`` wins when both
    are given) is the limit of each single-container plan; a shipment plans every container
    type for each container it fills, so it takes about that many limits per container.
    ``group_order`` and ``workers`` are passed to ``plan_container``. ``progress`` gets the
    dict of ``plan_container`` with ``fraction`` made the shipment's (of the volume planned,
    never going back) and ``container`` (how many containers are chosen so far)."""
    if not container_types:
        raise ValueError("no container types given")
    limit = time_limit if time_limit is not None else time_limit_per_plan
    remaining = [c.quantity for c in cartons]
    total_volume = max(sum(c.volume * c.quantity for c in cartons), 1)
    biggest = max(ct.volume for ct in container_types)
    plans: list[Plan] = []
    reported = 0.0

    def report(figures: dict[str, float], k: int, done: float, span: float) -> None:
        nonlocal reported
        if progress is None:
            return
        inner = (k + figures["fraction"]) / len(container_types)
        reported = max(reported, min(done + span * inner, 0.99))
        progress({**figures, "fraction": reported, "container": len(plans)})

    while sum(remaining) > 0 and len(plans) < max_containers:
        left = [replace(c, quantity=q) for c, q in zip(cartons, remaining, strict=True)]
        left_volume = sum(c.volume * q for c, q in zip(cartons, remaining, strict=True))
        done = 1 - left_volume / total_volume
        span = min(left_volume, biggest) / total_volume
        options = [
            plan_container(
                ct,
                left,
                time_limit=limit,
                max_nodes=max_nodes,
                seed=seed,
                group_order=group_order,
                workers=workers,
                progress=(
                    partial(report, k=k, done=done, span=span) if progress is not None else None
                ),
            )
            for k, ct in enumerate(container_types)
        ]
        loaded = [p for p in options if p.placements]
        if not loaded:
            break
        complete = [p for p in loaded if not p.left_behind]
        thrifty = min(loaded, key=lambda p: (p.container.cost / p.loaded_volume, p.container.cost))
        best = thrifty
        if complete:
            closing = min(complete, key=lambda p: (p.container.cost, p.container.volume))
            # Close with one container unless the thriftiest type would likely cost less.
            estimate = thrifty.container.cost / thrifty.loaded_volume * left_volume
            if closing.container.cost <= estimate + 1e-9 or closing is thrifty:
                best = closing
        for k, n in best.loaded_counts().items():
            remaining[k] -= n
        best.left_behind = {}
        plans.append(best)
    for p in plans:
        counts = p.loaded_counts()
        p.cartons = [replace(c, quantity=counts.get(k, 0)) for k, c in enumerate(cartons)]
    unloadable = {k: q for k, q in enumerate(remaining) if q > 0}
    if progress is not None:
        progress({"fraction": 1.0, "container": len(plans)})
    return ShipmentPlan(plans, unloadable)
