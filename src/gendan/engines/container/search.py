"""The support-aware block-building search.

The free room of a partial load is a list of overlapping free cuboids ("spaces", as the maximal
spaces of Parreño et al. 2008 and Araya & Riff 2014) with one extra rule that keeps every plan
fully supported: the floor of every space is supported over its whole area. The container floor
is; when a block cuts a space, the parts beside and below the block keep the space's floor, and
the part above the block is cut down to the block's footprint (a block's top is flat and fully
covered). Where two supported floors at the same height touch, a "bridge" space spans both, so a
block may stand across two blocks of equal height. A block is only ever put on the floor of a
space, so it is fully supported.

Each space also carries what its floor may still bear: the cartons that may still be stacked on
it and the pressure (kg per unit area) it may still carry; each block checks them and passes the
smaller budget on to the space on its top.

The step: take the space nearest to a corner of the container (the anchor distance of Araya &
Riff), and put a block into its bottom corner nearest that container corner. The greedy takes
the block of highest score (volume, weighted by priority). The search is a beam search whose
nodes are scored by their greedy completion (Araya & Riff 2014, "BSG"), run again with a doubled
beam width while time is left; the best complete load found is the answer.

Determinism: with ``max_nodes`` (greedy completions) as the budget the result depends only on
the input and the seed. With a time limit the same work is done in the same order, and the time
only decides when to stop, so a faster or idle machine may find a better load, never a different
one for the same amount of work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gendan.engines.container import kernels
from gendan.engines.container.blocks import UNLIMITED_LAYERS, BlockTable, build_blocks
from gendan.engines.container.model import CartonType, Container, Placement


class _State:
    __slots__ = ("layers", "placed", "pressure", "rem", "score", "spaces", "volume", "weight")

    def __init__(
        self,
        spaces: np.ndarray,
        layers: np.ndarray,
        pressure: np.ndarray,
        rem: np.ndarray,
        weight: float,
        score: float,
        volume: int,
        placed: list[tuple[int, int, int, int]],
    ) -> None:
        self.spaces = spaces
        self.layers = layers
        self.pressure = pressure
        self.rem = rem
        self.weight = weight
        self.score = score
        self.volume = volume
        self.placed = placed


@dataclass
class SearchResult:
    placements: list[Placement]
    volume: int
    score: float
    nodes: int
    passes: int
    seconds: float


class BlockSearch:
    """One search over one container and one set of cartons."""

    def __init__(
        self,
        container: Container,
        cartons: list[CartonType],
        *,
        support: bool = True,
        seed: int = 0,
        max_blocks: int = 6000,
        width_growth: float = 2.0,
        branching: int = 24,
        diverse: bool = False,
        waste: bool = False,
        space_rule: int = 0,
        composites: bool = True,
        start: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        start_weight: float = 0.0,
        back_first: bool = False,
    ) -> None:
        """``start``: the free spaces (with their layer and pressure budgets) to begin from
        instead of the empty container, and ``start_weight`` the weight already loaded (a
        group planned after the groups behind it). ``back_first``: put every block at the back
        end of its space and measure anchor distances from the back wall only, so that the
        load grows from the back wall towards the door."""
        self.container = container
        self.cartons = cartons
        self.support = support
        self.L, self.W, self.H = container.length, container.width, container.height
        # The length the anchor corner is measured in: far beyond the door when back_first.
        self.anchor_L = 4 * self.L if back_first else self.L
        self.start_spaces = start
        self.start_weight = start_weight
        self.blocks: BlockTable = build_blocks(
            container,
            cartons,
            max_blocks=max_blocks,
            max_composites=3000 if composites else 0,
            seed=seed,
        )
        self.payload = float(container.max_payload) if container.max_payload is not None else np.inf
        self.has_weight_rules = bool(
            container.max_payload is not None or any(c.max_load is not None for c in cartons)
        )
        self.has_stack_rules = any(c.effective_stack_limit is not None for c in cartons)
        self.quantity = np.array([c.quantity for c in cartons], dtype=np.int64)
        self.min_dim = min((min(c.dims) for c in cartons if c.quantity > 0), default=0)
        self.width_growth = width_growth
        self.branching = branching
        self.nodes = 0
        self.diverse = diverse
        self.space_rule = space_rule
        self.waste_below = self.min_dim if waste else 0
        b = self.blocks
        self.kind = b.carton * 8 + _orientation_code(b)

    # ------------------------------------------------------------------ state

    def root(self) -> _State:
        if self.start_spaces is not None:
            spaces, layers, pressure = (a.copy() for a in self.start_spaces)
        else:
            spaces = np.array([[0, 0, 0, self.L, self.W, self.H]], dtype=np.int64)
            layers = np.array([UNLIMITED_LAYERS], dtype=np.int64)
            pressure = np.array([np.inf])
        return _State(spaces, layers, pressure, self.quantity.copy(), self.start_weight, 0.0, 0, [])

    def next_choices(self, st: _State, k: int) -> tuple[int, np.ndarray]:
        """The space to fill next and up to k blocks for it, best first (drops dead spaces)."""
        b = self.blocks
        out = np.empty(max(k, 1), dtype=np.int64)
        while True:
            if len(st.spaces) == 0:
                return -1, out[:0]
            i = kernels.select_space(st.spaces, self.anchor_L, self.W, self.space_rule)
            s = st.spaces[i]
            n = kernels.fitting_blocks(
                b.dx,
                b.dy,
                b.dz,
                b.nz,
                b.use_carton,
                b.use_count,
                b.weight,
                b.base_pressure,
                b.score,
                self.kind,
                st.rem,
                int(s[3] - s[0]),
                int(s[4] - s[1]),
                int(s[5] - s[2]),
                int(st.layers[i]),
                float(st.pressure[i]),
                float(self.payload - st.weight),
                k,
                self.diverse,
                self.waste_below,
                out,
            )
            if n:
                return i, out[:n]
            keep = np.ones(len(st.spaces), dtype=bool)
            keep[i] = False
            st.spaces = st.spaces[keep]
            st.layers = st.layers[keep]
            st.pressure = st.pressure[keep]

    def place(self, st: _State, i: int, bi: int) -> _State:
        """A new state: block bi put into the anchor corner of space i."""
        b = self.blocks
        s = st.spaces[i]
        bdx, bdy, bdz = int(b.dx[bi]), int(b.dy[bi]), int(b.dz[bi])
        x0 = int(s[0]) if s[0] <= self.anchor_L - s[3] else int(s[3]) - bdx
        y0 = int(s[1]) if s[1] <= self.W - s[4] else int(s[4]) - bdy
        z0 = int(s[2])
        if self.has_stack_rules:
            top_layers = min(int(st.layers[i]) - int(b.nz[bi]), int(b.top_layers[bi]))
        else:
            top_layers = UNLIMITED_LAYERS
        if self.has_weight_rules:
            top_pressure = max(
                min(float(st.pressure[i]) - float(b.base_pressure[bi]), float(b.top_pressure[bi])),
                0.0,
            )
        else:
            top_pressure = np.inf
        spaces, layers, pressure = kernels.split_spaces(
            st.spaces,
            st.layers,
            st.pressure,
            x0,
            y0,
            z0,
            x0 + bdx,
            y0 + bdy,
            z0 + bdz,
            top_layers,
            top_pressure,
            self.min_dim,
            self.support,
            x0 + int(b.top_dx[bi]),
            y0 + int(b.top_dy[bi]),
        )
        rem = st.rem.copy()
        for u in range(b.use_carton.shape[1]):
            if b.use_carton[bi, u] < 0:
                break
            rem[b.use_carton[bi, u]] -= b.use_count[bi, u]
        return _State(
            spaces,
            layers,
            pressure,
            rem,
            st.weight + float(b.weight[bi]),
            st.score + float(b.score[bi]),
            st.volume + int(b.volume[bi]),
            [*st.placed, (bi, x0, y0, z0)],
        )

    def greedy(self, st: _State) -> _State:
        """Complete a state by always taking the best block for the next space (compiled)."""
        self.nodes += 1
        b = self.blocks
        placed, n, score, volume = kernels.greedy_complete(
            st.spaces,
            st.layers,
            st.pressure,
            st.rem,
            float(st.weight),
            self.anchor_L,
            self.W,
            self.min_dim,
            self.support,
            self.space_rule,
            self.has_stack_rules,
            self.has_weight_rules,
            float(self.payload),
            b.dx,
            b.dy,
            b.dz,
            b.nz,
            b.use_carton,
            b.use_count,
            b.weight,
            b.base_pressure,
            b.score,
            b.volume,
            b.top_layers,
            b.top_pressure,
            b.top_dx,
            b.top_dy,
            self.kind,
            UNLIMITED_LAYERS,
        )
        done = [(int(bi), int(x), int(y), int(z)) for bi, x, y, z in placed[:n]]
        empty = np.zeros((0, 6), dtype=np.int64)
        return _State(
            empty,
            np.zeros(0, dtype=np.int64),
            np.zeros(0),
            st.rem,
            st.weight,
            st.score + score,
            st.volume + int(volume),
            st.placed + done,
        )

    # ------------------------------------------------------------------ search

    def start(self) -> None:
        """Begin a search: the plain greedy load is the first best."""
        self.root_state = self.root()
        self.best = self.greedy(self.root())
        self.passes = 0
        self.exhausted = len(self.blocks) == 0

    def run_pass(self, width: int, out_of_budget: Callable[[], bool]) -> bool:
        """One beam search pass of the given width; False when the budget ran out inside it.
        Sets ``exhausted`` when no level had to drop a child (a wider beam would repeat it)."""
        level = [self.root_state]
        truncated = False
        while level:
            children: list[tuple[float, int, _State]] = []
            for node in level:
                i, cand = self.next_choices(node, self.branching)
                for bi in cand:
                    if out_of_budget():
                        return False
                    child = self.place(node, i, int(bi))
                    final = self.greedy(child)
                    if final.score > self.best.score:
                        self.best = final
                    children.append((final.score, len(children), child))
            children.sort(key=lambda c: (-c[0], c[1]))
            level = []
            seen: set[bytes] = set()
            for c in children:
                key = c[2].rem.tobytes() + c[2].spaces.tobytes()
                if key in seen:
                    continue
                seen.add(key)
                if len(level) == width:
                    truncated = True
                    break
                level.append(c[2])
        self.passes += 1
        self.exhausted = not truncated
        return True

    def run(
        self,
        *,
        time_limit: float | None = None,
        max_nodes: int | None = None,
        progress: Callable[[dict[str, float]], None] | None = None,
    ) -> SearchResult:
        """Beam search with greedy completion, widened while the budget lasts."""
        start = time.perf_counter()
        deadline = start + time_limit if time_limit is not None else np.inf
        node_cap = max_nodes if max_nodes is not None else np.inf

        def out_of_budget() -> bool:
            return self.nodes >= node_cap or time.perf_counter() >= deadline

        self.start()
        width = 1.0
        while not self.exhausted and not out_of_budget():
            if not self.run_pass(int(width), out_of_budget):
                break
            if progress is not None:
                progress(
                    {
                        "pass": self.passes,
                        "width": int(width),
                        "nodes": self.nodes,
                        "volume": self.best.volume,
                        "seconds": time.perf_counter() - start,
                    }
                )
            width = max(width * self.width_growth, width + 1)
        return self.result(time.perf_counter() - start)

    def result(self, seconds: float) -> SearchResult:
        return SearchResult(
            self.to_placements(self.best),
            self.best.volume,
            self.best.score,
            self.nodes,
            self.passes,
            seconds,
        )

    def to_placements(self, st: _State) -> list[Placement]:
        """The cartons of a state; each simple block (a composite's parts too) gets its own block
        number, so the cartons of one block number always form a cuboid."""
        out: list[Placement] = []
        for bi, x0, y0, z0 in st.placed:
            self._expand(bi, x0, y0, z0, out)
        return out

    def _expand(self, bi: int, x0: int, y0: int, z0: int, out: list[Placement]) -> None:
        b = self.blocks
        part = b.parts[bi]
        n = (out[-1].block + 1) if out else 0
        if part is not None:
            first, second, ox, oy, oz = part
            self._expand(first, x0, y0, z0, out)
            self._expand(second, x0 + ox, y0 + oy, z0 + oz, out)
            return
        t = int(b.carton[bi])
        ddx, ddy, ddz = int(b.box_dx[bi]), int(b.box_dy[bi]), int(b.box_dz[bi])
        for kz in range(int(b.nz[bi])):
            for ky in range(int(b.ny[bi])):
                for kx in range(int(b.nx[bi])):
                    out.append(
                        Placement(t, x0 + kx * ddx, y0 + ky * ddy, z0 + kz * ddz, ddx, ddy, ddz, n)
                    )


def replay(
    search: BlockSearch,
    start: tuple[np.ndarray, np.ndarray, np.ndarray],
    placed: list[tuple[int, int, int, int]],
    min_dim: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The free spaces after the blocks ``placed`` (``(block, x, y, z)`` of ``search``'s block
    table, as in a state) are put into the spaces ``start``, in order. Unlike the search, no
    space is dropped for want of a block of this search that fits it: the spaces are for the
    cartons planned next."""
    S, SL, SP = start
    b = search.blocks
    for bi, x0, y0, z0 in placed:
        x1, y1, z1 = x0 + int(b.dx[bi]), y0 + int(b.dy[bi]), z0 + int(b.dz[bi])
        inside = np.flatnonzero(
            (S[:, 0] <= x0)
            & (S[:, 1] <= y0)
            & (S[:, 2] == z0)
            & (S[:, 3] >= x1)
            & (S[:, 4] >= y1)
            & (S[:, 5] >= z1)
        )
        if len(inside) == 0:
            raise RuntimeError("replay: a block lies in no free space (search bug)")
        # Every space that holds the block bounds what may stand on it; take the most generous.
        i = int(max(inside, key=lambda j: (SL[j], SP[j])))
        if search.has_stack_rules:
            top_layers = min(int(SL[i]) - int(b.nz[bi]), int(b.top_layers[bi]))
        else:
            top_layers = UNLIMITED_LAYERS
        if search.has_weight_rules:
            top_pressure = max(
                min(float(SP[i]) - float(b.base_pressure[bi]), float(b.top_pressure[bi])), 0.0
            )
        else:
            top_pressure = np.inf
        S, SL, SP = kernels.split_spaces(
            S,
            SL,
            SP,
            x0,
            y0,
            z0,
            x1,
            y1,
            z1,
            top_layers,
            top_pressure,
            min_dim,
            search.support,
            x0 + int(b.top_dx[bi]),
            y0 + int(b.top_dy[bi]),
        )
    return S, SL, SP


def clear_to_door(
    start: tuple[np.ndarray, np.ndarray, np.ndarray], boxes: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spaces with nothing of ``boxes`` (rows x0, y0, z0, x1, y1, z1) between them and the
    door: a carton put into one of them can be carried in, and out again, along the length
    without moving any of those boxes. (A space is free, so a box overlapping its width and
    height band and reaching beyond its front lies wholly in front of it.)"""
    S, SL, SP = start
    if len(boxes) == 0 or len(S) == 0:
        return S, SL, SP
    blocked = (
        (boxes[None, :, 3] > S[:, None, 3])
        & (boxes[None, :, 0] < length)
        & (boxes[None, :, 1] < S[:, None, 4])
        & (boxes[None, :, 4] > S[:, None, 1])
        & (boxes[None, :, 2] < S[:, None, 5])
        & (boxes[None, :, 5] > S[:, None, 2])
    ).any(axis=1)
    keep = ~blocked
    return S[keep], SL[keep], SP[keep]


def _orientation_code(b: BlockTable) -> np.ndarray:
    """0..5: which permutation of the carton's dimensions the block uses (by extent order)."""
    code: np.ndarray = (
        (b.box_dx > b.box_dy).astype(np.int64) * 1
        + (b.box_dz > b.box_dx) * 2
        + (b.box_dz > b.box_dy) * 4
    ) % 8
    return code
