"""The validator: every plan leaves the engine through it.

It shares no code with the search. It checks, for a plan: each carton type exists and is not
used more often than its quantity, each orientation is permitted, each carton lies inside the
container, no two cartons overlap (touching is allowed), full support (each carton stands on the
floor or its whole base rests on tops of cartons whose top is exactly at its bottom), stacking
limits (cartons stacked above, counted along chains of support), the load each carton carries
(weights passed down in proportion to contact area), the payload and the balance along the
length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gendan.engines.container.model import Plan

LOAD_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    placement: int | None = None


class PlanValidationError(Exception):
    """A plan broke a rule: a bug in the planner, never a plan to show."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(v.message for v in violations[:5])
        super().__init__(f"invalid loading plan ({len(violations)} violations): {shown}")


def support_graph(plan: Plan) -> list[list[tuple[int, int]]]:
    """For each placement, the placements it stands on with the contact area: [(index, area)]."""
    pl = plan.placements
    n = len(pl)
    if n == 0:
        return []
    x0 = np.array([p.x for p in pl], dtype=np.int64)
    y0 = np.array([p.y for p in pl], dtype=np.int64)
    x1 = np.array([p.x1 for p in pl], dtype=np.int64)
    y1 = np.array([p.y1 for p in pl], dtype=np.int64)
    top = np.array([p.z1 for p in pl], dtype=np.int64)
    result: list[list[tuple[int, int]]] = []
    for _i, p in enumerate(pl):
        if p.z == 0:
            result.append([])
            continue
        ox = np.minimum(x1, p.x1) - np.maximum(x0, p.x)
        oy = np.minimum(y1, p.y1) - np.maximum(y0, p.y)
        hit = np.nonzero((top == p.z) & (ox > 0) & (oy > 0))[0]
        result.append([(int(j), int(ox[j] * oy[j])) for j in hit])
    return result


def validate_plan(plan: Plan, *, support: bool = True) -> list[Violation]:
    """All rule violations of a plan (empty = valid). ``support=False`` skips support,
    stacking and load (they need the cartons to stand on each other)."""
    out: list[Violation] = []
    c = plan.container
    cartons = plan.cartons
    used: dict[int, int] = {}
    for i, p in enumerate(plan.placements):
        if not 0 <= p.carton < len(cartons):
            out.append(Violation("unknown_carton", f"placement {i}: unknown carton {p.carton}", i))
            continue
        used[p.carton] = used.get(p.carton, 0) + 1
        ct = cartons[p.carton]
        if sorted((p.dx, p.dy, p.dz)) != sorted(ct.dims):
            out.append(
                Violation(
                    "dimensions",
                    f"placement {i}: {p.dx}x{p.dy}x{p.dz} is not a rotation of carton {ct.key}",
                    i,
                )
            )
        elif not ct.allows(p.dx, p.dy, p.dz):
            out.append(
                Violation(
                    "orientation",
                    f"placement {i}: carton {ct.key} may not stand with {p.dz} vertical",
                    i,
                )
            )
        if p.x < 0 or p.y < 0 or p.z < 0 or p.x1 > c.length or p.y1 > c.width or p.z1 > c.height:
            out.append(Violation("outside", f"placement {i}: outside the container", i))
    for k, n in sorted(used.items()):
        if n > cartons[k].quantity:
            out.append(
                Violation(
                    "quantity",
                    f"carton {cartons[k].key} used {n} times, only {cartons[k].quantity} available",
                )
            )
    if out:
        return out
    out.extend(_overlaps(plan))
    if out:
        return out
    if support:
        out.extend(_support_stacking_load(plan))
    total = plan.weight
    if c.max_payload is not None and total > c.max_payload + LOAD_TOLERANCE:
        out.append(Violation("payload", f"load {total:.1f} kg exceeds payload {c.max_payload} kg"))
    if c.balance_tolerance is not None:
        cog = plan.centre_of_gravity_x
        if cog is not None and abs(cog - c.length / 2) > c.balance_tolerance + LOAD_TOLERANCE:
            out.append(
                Violation(
                    "balance",
                    f"centre of gravity at {cog:.1f} is more than "
                    f"{c.balance_tolerance} from the middle {c.length / 2}",
                )
            )
    return out


def assert_valid(plan: Plan, *, support: bool = True) -> None:
    violations = validate_plan(plan, support=support)
    if violations:
        raise PlanValidationError(violations)


def _overlaps(plan: Plan) -> list[Violation]:
    pl = plan.placements
    out: list[Violation] = []
    if not pl:
        return out
    x0 = np.array([p.x for p in pl], dtype=np.int64)
    y0 = np.array([p.y for p in pl], dtype=np.int64)
    z0 = np.array([p.z for p in pl], dtype=np.int64)
    x1 = np.array([p.x1 for p in pl], dtype=np.int64)
    y1 = np.array([p.y1 for p in pl], dtype=np.int64)
    z1 = np.array([p.z1 for p in pl], dtype=np.int64)
    for i in range(len(pl) - 1):
        s = slice(i + 1, None)
        hit = (
            (x0[s] < x1[i])
            & (x0[i] < x1[s])
            & (y0[s] < y1[i])
            & (y0[i] < y1[s])
            & (z0[s] < z1[i])
            & (z0[i] < z1[s])
        )
        for j in np.nonzero(hit)[0]:
            out.append(Violation("overlap", f"placements {i} and {i + 1 + int(j)} overlap", i))
            if len(out) >= 20:
                return out
    return out


def _support_stacking_load(plan: Plan) -> list[Violation]:
    out: list[Violation] = []
    pl = plan.placements
    graph = support_graph(plan)
    for i, p in enumerate(pl):
        if p.z == 0:
            continue
        area = sum(a for _, a in graph[i])
        if area != p.dx * p.dy:
            out.append(
                Violation(
                    "support",
                    f"placement {i}: only {area / (p.dx * p.dy):.3f} of its base is supported",
                    i,
                )
            )
    if out:
        return out
    # From the top down: the stack height above each carton and the load it carries.
    above = [0] * len(pl)
    load = [0.0] * len(pl)
    for i in sorted(range(len(pl)), key=lambda k: -pl[k].z):
        ct = plan.cartons[pl[i].carton]
        base = pl[i].dx * pl[i].dy
        passed = ct.weight + load[i]
        for j, a in graph[i]:
            above[j] = max(above[j], above[i] + 1)
            load[j] += passed * a / base
    for i, p in enumerate(pl):
        ct = plan.cartons[p.carton]
        limit = ct.effective_stack_limit
        if limit is not None and above[i] > limit:
            out.append(
                Violation(
                    "stacking",
                    f"placement {i}: {above[i]} cartons stacked on "
                    f"carton {ct.key}, at most {limit} allowed",
                    i,
                )
            )
        if ct.max_load is not None and load[i] > ct.max_load + LOAD_TOLERANCE:
            out.append(
                Violation(
                    "load",
                    f"placement {i}: carries {load[i]:.2f} kg, carton "
                    f"{ct.key} may carry {ct.max_load} kg",
                    i,
                )
            )
    return out
