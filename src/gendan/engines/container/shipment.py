"""Question (b): a shipment; how many containers of which types it needs, and the plan of each.

Container by container: plan what is left into every container type and take the type with the
lowest cost per loaded volume, unless one container takes all that is left for no more than that
rate would cost (then the cheapest such container closes the shipment).
Repeat until everything is loaded (a carton that fits no container type is reported, never
silently dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
    time_limit_per_plan: float | None = 2.0,
    max_nodes: int | None = None,
    seed: int = 0,
    max_containers: int = 100,
) -> ShipmentPlan:
    """Plans for a whole shipment. Each plan's cartons are the shipment's carton list with the
    quantities loaded into that container (so carton indices match across plans)."""
    if not container_types:
        raise ValueError("no container types given")
    remaining = [c.quantity for c in cartons]
    plans: list[Plan] = []
    while sum(remaining) > 0 and len(plans) < max_containers:
        left = [replace(c, quantity=q) for c, q in zip(cartons, remaining, strict=True)]
        options = [
            plan_container(ct, left, time_limit=time_limit_per_plan, max_nodes=max_nodes, seed=seed)
            for ct in container_types
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
            left_volume = sum(c.volume * q for c, q in zip(cartons, remaining, strict=True))
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
    return ShipmentPlan(plans, unloadable)
