"""Question (a): one container, the cartons to load; the plan that loads the most volume (the
most urgent cartons first) and what stays behind."""

from __future__ import annotations

import atexit
import math
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from gendan.engines.container.blocks import UNLIMITED_LAYERS
from gendan.engines.container.model import CartonType, Container, Placement, Plan
from gendan.engines.container.search import BlockSearch, _State, clear_to_door, replay
from gendan.engines.container.validation import assert_valid, support_graph

DEFAULT_TIME_LIMIT = 5.0
# Seconds between two progress reports (at most; a report comes at the next block tried).
PROGRESS_EVERY = 0.2

# The search runs in these variants, and the best load wins: the same search with and without
# composite blocks, and one filling layer by layer. Their beams are widened in turn (width 1 for
# each, then 2 for each, ...): a narrow beam of a second variant finds more than a wider beam of
# the first (measured on BR1, BR4, BR8, BR12 and BR15).
VARIANTS: list[dict[str, Any]] = [{}, {"composites": False}, {"space_rule": 2}]
# With groups kept together every group's load grows from the back wall towards the door: the
# variants fill wall by wall or by the anchor corner nearest the back (never layer by layer,
# which would spread a group over the whole floor).
GROUPED_VARIANTS: list[dict[str, Any]] = [
    {"space_rule": 1, "back_first": True},
    {"space_rule": 1, "back_first": True, "composites": False},
    {"back_first": True},
]

# A group's search sees the container up to the depth its cartons would fill at this
# utilisation, plus GROUP_MARGIN length units.
GROUP_FILL = 0.9
GROUP_MARGIN = 0

Progress = Callable[[dict[str, float]], None]


class _Budget:
    """The time and node budget of one plan, split over its groups, and the progress reports."""

    def __init__(
        self, time_limit: float | None, max_nodes: int | None, progress: Progress | None
    ) -> None:
        self.started = time.perf_counter()
        self.time_limit = time_limit
        self.deadline = self.started + time_limit if time_limit is not None else math.inf
        self.max_nodes = max_nodes
        self.progress = progress
        self.nodes_before = 0  # nodes of the groups already planned
        self.passes = 0
        self.phase_deadline = self.deadline
        self.phase_nodes = math.inf
        self.searches: list[BlockSearch] = []
        self.volume_before = 0
        self.figures: dict[str, float] = {"group": 0, "groups": 1, "variant": 0, "width": 1}
        self.last_report = -math.inf
        self.container_volume = 1

    def phase(self, searches: list[BlockSearch], share: float, group: int, groups: int) -> None:
        """Start planning a group with ``share`` (0..1] of what is left of the budget."""
        now = time.perf_counter()
        self.searches = searches
        self.phase_deadline = now + (self.deadline - now) * share
        if self.max_nodes is not None:
            left = max(self.max_nodes - self.nodes_before, 0)
            self.phase_nodes = max(1, math.floor(left * share))
        self.figures.update(group=group, groups=groups)

    def end_phase(self, volume: int) -> None:
        self.nodes_before += sum(s.nodes for s in self.searches)
        self.passes += sum(s.passes for s in self.searches)
        self.volume_before += volume
        self.searches = []

    def nodes(self) -> int:
        return sum(s.nodes for s in self.searches)

    def out(self) -> bool:
        now = time.perf_counter()
        if self.progress is not None and now - self.last_report >= PROGRESS_EVERY:
            self.report(now)
        return self.nodes() >= self.phase_nodes or now >= self.phase_deadline

    def fraction(self, now: float) -> float:
        parts = [0.0]
        if self.time_limit is not None:
            parts.append((now - self.started) / max(self.time_limit, 1e-9))
        if self.max_nodes is not None:
            parts.append((self.nodes_before + self.nodes()) / max(self.max_nodes, 1))
        return min(max(parts), 1.0)

    def report(self, now: float, final: bool = False) -> None:
        if self.progress is None:
            return
        self.last_report = now
        best = max((s.best.volume for s in self.searches if hasattr(s, "best")), default=0)
        volume = self.volume_before + best
        self.progress(
            {
                **self.figures,
                "fraction": 1.0 if final else min(self.fraction(now), 0.99),
                "seconds": now - self.started,
                "nodes": self.nodes_before + self.nodes(),
                "volume": volume,
                "utilisation": volume / self.container_volume,
            }
        )


def _search(searches: list[BlockSearch], budget: _Budget) -> int:
    """Run the variants, widening their beams in turn, until the budget or the search space
    is used up; the index of the best."""
    for search in searches:
        search.start()
    width = 1
    stopped = False
    while not stopped and not all(s.exhausted for s in searches):
        for k, search in enumerate(searches):
            if search.exhausted:
                continue
            budget.figures.update(variant=k, width=width)
            if budget.out() or not search.run_pass(width, budget.out):
                stopped = True
                break
        width *= 2
    return max(range(len(searches)), key=lambda k: (searches[k].best.score, -k))


@dataclass(frozen=True)
class _Job:
    """One search problem: cartons into the free spaces ``start`` (None: the empty container)
    in the given variants."""

    container: Container
    cartons: list[CartonType]
    variants: list[dict[str, Any]]
    seed: int
    support: bool
    start: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    start_weight: float

    def search(self, k: int) -> BlockSearch:
        return BlockSearch(
            self.container,
            self.cartons,
            support=self.support,
            seed=self.seed,
            start=self.start,
            start_weight=self.start_weight,
            **self.variants[k],
        )


def _phase(
    job: _Job, budget: _Budget, share: float, group: tuple[int, int], workers: int
) -> tuple[BlockSearch, Any, int]:
    """Search one job with ``share`` of what is left of the budget: the search, the state of
    its best load and the index of the variant that found it."""
    n = len(job.variants)
    mine = list(range(0, n, workers))
    searches = [job.search(k) for k in mine]
    budget.phase(searches, share, *group)
    remote = []
    if workers > 1:
        pool = _pool(workers - 1)
        deadline = time.time() + (budget.phase_deadline - time.perf_counter())
        for w in range(1, workers):
            ks = list(range(w, n, workers))
            nodes = None
            if budget.max_nodes is not None:
                nodes = max(1, math.floor(budget.phase_nodes * len(ks) / n))
            remote.append(pool.submit(_remote_search, job, ks, deadline, nodes))
        if budget.max_nodes is not None:
            budget.phase_nodes = max(1, math.floor(budget.phase_nodes * len(mine) / n))
    best = _search(searches, budget)
    state = searches[best].best
    budget.end_phase(0)
    winner: tuple[Any, int, BlockSearch | None] = (state.score, -mine[best], searches[best])
    volume = state.volume
    for fut in remote:
        r = fut.result()
        budget.nodes_before += r["nodes"]
        budget.passes += r["passes"]
        if (r["score"], -r["variant"]) > winner[:2]:
            winner = (r["score"], -r["variant"], None)
            state = _State(
                np.zeros((0, 6), dtype=np.int64),
                np.zeros(0, dtype=np.int64),
                np.zeros(0),
                np.zeros(0, dtype=np.int64),
                r["weight"],
                r["score"],
                r["volume"],
                [tuple(t) for t in r["placed"]],
            )
            volume = r["volume"]
    budget.volume_before += volume
    k = -winner[1]
    search = winner[2] if winner[2] is not None else job.search(k)
    return search, state, k


def _remote_search(
    job: _Job, variants: list[int], deadline: float, max_nodes: int | None
) -> dict[str, Any]:
    """A share of a job's variants in a worker process, until the wall-clock ``deadline``."""
    budget = _Budget(max(deadline - time.time(), 0.0), max_nodes, None)
    searches = [job.search(k) for k in variants]
    budget.phase(searches, 1.0, 0, 1)
    best = _search(searches, budget)
    st = searches[best].best
    return {
        "variant": variants[best],
        "score": st.score,
        "volume": st.volume,
        "weight": st.weight,
        "placed": st.placed,
        "nodes": sum(s.nodes for s in searches),
        "passes": sum(s.passes for s in searches),
    }


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(size: int) -> ProcessPoolExecutor:
    """The worker processes (spawned, with the kernels loaded), kept for the next plans."""
    if size not in _POOLS:
        _POOLS[size] = ProcessPoolExecutor(
            size, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up
        )
    return _POOLS[size]


def shutdown_workers() -> None:
    """End the worker processes of ``plan_container(..., workers=n)``."""
    for pool in _POOLS.values():
        pool.shutdown(cancel_futures=True)
    _POOLS.clear()


atexit.register(shutdown_workers)


def plan_container(
    container: Container,
    cartons: list[CartonType],
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_nodes: int | None = None,
    seed: int = 0,
    support: bool = True,
    progress: Progress | None = None,
    group_order: list[str] | None = None,
    workers: int = 1,
) -> Plan:
    """Plan one container. Stops at ``time_limit`` seconds or after ``max_nodes`` greedy
    completions, whichever comes first (give ``max_nodes`` alone for a result that depends on
    nothing but the input and the seed). The plan is checked by the validator before it is
    returned; a plan that fails is a bug and raises ``PlanValidationError``.

    ``group_order``: the groups (``CartonType.group``: orders or drops) in delivery order; the
    cartons of each group are then loaded together, the last drop first (at the back) and the
    first drop last (nearest the door), every carton of a group with a free way to the door
    past the groups loaded before it; ``loading_sequence`` lists the walls group by group.
    Every carton's group must be in the list. None: no grouping.

    ``progress`` is called about every 0.2 s (and once at the end) with a dict: ``fraction``
    (0..1, of the time or node budget used; 1.0 only in the last call), ``seconds``,
    ``nodes`` (greedy completions so far), ``volume`` (the best loaded volume so far) and
    ``utilisation`` (that volume / the container's), ``group`` and ``groups`` (the group being
    planned, counted in loading order, and how many), ``variant`` and ``width`` (the search
    variant and beam width running).

    ``workers``: processes to search in (at most one per search variant, three). With more
    than one, the variants are shared out among the processes (this one and ``workers - 1``
    spawned ones, kept for the next plans; ``shutdown_workers()`` ends them), each variant gets
    the whole time limit and each process its share of ``max_nodes``, and the best load wins.
    The plan is the same for the same input, seed, node budget and number of workers.

    ``support=False`` lets cartons overhang (the benchmark's unsupported variant only); a plan
    for real cartons always uses full support."""
    if time_limit is None and max_nodes is None:
        raise ValueError("give a time limit or a node budget")
    budget = _Budget(time_limit, max_nodes, progress)
    budget.container_volume = container.volume
    workers = max(1, min(int(workers), len(VARIANTS)))
    if group_order is None:
        search, state, best = _phase(
            _Job(container, cartons, VARIANTS, seed, support, None, 0.0),
            budget,
            1.0,
            (0, 1),
            workers,
        )
        placements = search.to_placements(state)
        variant: object = best
    else:
        placements, variant = _plan_groups(
            container, cartons, group_order, budget, seed=seed, support=support, workers=workers
        )
    plan = Plan(
        container=container,
        cartons=list(cartons),
        placements=placements,
        group_order=list(group_order) if group_order is not None else None,
        stats={
            "nodes": budget.nodes_before,
            "passes": budget.passes,
            "seconds": round(time.perf_counter() - budget.started, 3),
            "variant": variant,  # type: ignore[dict-item]
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
    budget.report(time.perf_counter(), final=True)
    return plan


def _plan_groups(
    container: Container,
    cartons: list[CartonType],
    group_order: list[str],
    budget: _Budget,
    *,
    seed: int,
    support: bool,
    workers: int,
) -> tuple[list[Placement], list[int]]:
    """Plan the groups one after the other, the last drop first: each group's search starts
    from the free spaces the groups before it left that have a free way to the door, and grows
    from the back wall. The budget is shared out by the volume of the groups still to plan."""
    known = set(group_order)
    stray = sorted({c.group for c in cartons if c.group not in known})
    if stray:
        raise ValueError(f"cartons of groups not in group_order: {', '.join(stray)}")
    if len(known) != len(group_order):
        raise ValueError("group_order names a group twice")
    loading = [
        [i for i, c in enumerate(cartons) if c.group == g and c.quantity > 0]
        for g in reversed(group_order)
    ]
    loading = [idx for idx in loading if idx]
    volume_left = [sum(cartons[i].volume * cartons[i].quantity for i in idx) for idx in loading]
    min_dim = min((min(c.dims) for c in cartons if c.quantity > 0), default=0)
    spaces = (
        np.array([[0, 0, 0, container.length, container.width, container.height]], np.int64),
        np.array([UNLIMITED_LAYERS], dtype=np.int64),
        np.array([np.inf]),
    )
    placements: list[Placement] = []
    variants: list[int] = []
    weight = 0.0
    total = sum(volume_left)
    # The cross-section a group can fill: cartons that may not be stacked to the roof (a
    # stacking limit, fragile) fill only the height of their tallest allowed stack.
    sections = [
        container.width
        * sum(_stack_height(cartons[i], container.height) * cartons[i].quantity for i in idx)
        / sum(cartons[i].quantity for i in idx)
        for idx in loading
    ]
    for g, idx in enumerate(loading):
        sub = [cartons[i] for i in idx]
        # The group's search sees the spaces up to the depth its cartons (with those behind
        # them) would fill at GROUP_FILL, or their share of the length when the container is
        # over-full, so that it forms a slab behind the next group instead of a strip along
        # the whole length. The last group sees everything.
        room = spaces
        cut = container.length
        if g + 1 < len(loading):
            planned = total - sum(volume_left[g + 1 :])
            slabs = sum(volume_left[k] / sections[k] for k in range(g + 1)) / GROUP_FILL
            depth = slabs
            if sum(v / a for v, a in zip(volume_left, sections, strict=True)) > (
                container.length * GROUP_FILL
            ):  # over-full: each group gets its share of the length
                depth = min(slabs, container.length * planned / total)
            cut = min(math.ceil(depth) + GROUP_MARGIN, container.length)
            room = _cut_at(spaces, cut, min_dim)
        search, state, best = _phase(
            _Job(container, sub, GROUPED_VARIANTS, seed, support, room, weight),
            budget,
            volume_left[g] / max(sum(volume_left[g:]), 1),
            (g, len(loading)),
            workers,
        )
        variants.append(best)
        first_block = (placements[-1].block + 1) if placements else 0
        mine = [
            Placement(idx[p.carton], p.x, p.y, p.z, p.dx, p.dy, p.dz, p.block + first_block)
            for p in search.to_placements(state)
        ]
        placements.extend(mine)
        # (a state's weight does not count its greedy completion)
        weight = sum(cartons[p.carton].weight for p in placements)
        if g + 1 < len(loading):
            try:
                spaces = replay(search, spaces, state.placed, min_dim)
            except RuntimeError:
                # A block in a space of the cut room that no uncut space holds: replay in the
                # room the search saw and add the uncut spaces' parts in front of the cut.
                front = _front_of(spaces, cut, min_dim)
                spaces = replay(search, room, state.placed, min_dim)
                spaces = tuple(np.concatenate([a, b]) for a, b in zip(spaces, front, strict=True))  # type: ignore[assignment]
            boxes = np.array(
                [(p.x, p.y, p.z, p.x1, p.y1, p.z1) for p in placements], dtype=np.int64
            ).reshape(-1, 6)
            spaces = clear_to_door(spaces, boxes, container.length)
    return placements, variants


def _stack_height(carton: CartonType, height: int) -> int:
    """The tallest stack of this carton the container allows (its stacking limit and the
    tallest way it may stand)."""
    limit = carton.effective_stack_limit
    if limit is None:
        return height
    return min(height, max(o[2] for o in carton.orientations()) * (limit + 1))


def _front_of(
    spaces: tuple[np.ndarray, np.ndarray, np.ndarray], x: int, min_dim: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The parts of the spaces in front of depth x."""
    S, SL, SP = (a.copy() for a in spaces)
    S[:, 0] = np.maximum(S[:, 0], x)
    keep = S[:, 3] - S[:, 0] >= min_dim
    return S[keep], SL[keep], SP[keep]


def _cut_at(
    spaces: tuple[np.ndarray, np.ndarray, np.ndarray], x: int, min_dim: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spaces cut off at depth x (a part of a free space with a free way to the door keeps
    that way: what lies in front of it is the rest of the space)."""
    S, SL, SP = (a.copy() for a in spaces)
    S[:, 3] = np.minimum(S[:, 3], x)
    keep = S[:, 3] - S[:, 0] >= min_dim
    return S[keep], SL[keep], SP[keep]


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
    return Plan(c, plan.cartons, placements, stats=plan.stats, group_order=plan.group_order)
