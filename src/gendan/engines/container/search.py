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

from gendan.engines.container.blocks import UNLIMITED_LAYERS, BlockTable, build_blocks
from gendan.engines.container.model import CartonType, Container, Placement

PRESSURE_EPS = 1e-12


class _State:
    __slots__ = ("spaces", "layers", "pressure", "rem", "weight", "score", "volume", "placed",
                 "avail")

    def __init__(self, spaces: np.ndarray, layers: np.ndarray, pressure: np.ndarray,
                 rem: np.ndarray, weight: float, score: float, volume: int,
                 placed: list[tuple[int, int, int, int]]) -> None:
        self.spaces = spaces
        self.layers = layers
        self.pressure = pressure
        self.rem = rem
        self.weight = weight
        self.score = score
        self.volume = volume
        self.placed = placed
        self.avail: np.ndarray | None = None


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

    def __init__(self, container: Container, cartons: list[CartonType], *,
                 support: bool = True, seed: int = 0, max_blocks: int = 6000,
                 width_growth: float = 2.0, branching: int = 4,
                 diverse: bool = True) -> None:
        self.container = container
        self.cartons = cartons
        self.support = support
        self.L, self.W, self.H = container.length, container.width, container.height
        self.blocks: BlockTable = build_blocks(container, cartons, max_blocks=max_blocks,
                                               seed=seed)
        self.payload = container.max_payload if container.max_payload is not None else np.inf
        self.has_weight_rules = bool(
            container.max_payload is not None
            or any(c.max_load is not None for c in cartons))
        self.has_stack_rules = any(c.effective_stack_limit is not None for c in cartons)
        self.quantity = np.array([c.quantity for c in cartons], dtype=np.int64)
        self.min_dim = min((min(c.dims) for c in cartons if c.quantity > 0), default=0)
        self.width_growth = width_growth
        self.branching = branching
        self.nodes = 0
        self.diverse = diverse
        b = self.blocks
        self.kind = (b.carton * 8 + (b.box_dz != b.box_dz.min(initial=0)) * 0
                     + _orientation_code(b))

    # ------------------------------------------------------------------ state

    def root(self) -> _State:
        spaces = np.array([[0, 0, 0, self.L, self.W, self.H]], dtype=np.int64)
        return _State(spaces, np.array([UNLIMITED_LAYERS], dtype=np.int64),
                      np.array([np.inf]), self.quantity.copy(), 0.0, 0.0, 0, [])

    def _avail(self, st: _State) -> np.ndarray:
        if st.avail is None:
            b = self.blocks
            m = b.count <= st.rem[b.carton]
            if self.has_weight_rules:
                m &= b.weight <= self.payload - st.weight + 1e-9
            st.avail = m
        return st.avail

    def _select_space(self, st: _State) -> int:
        s = st.spaces
        if len(s) == 0:
            return -1
        d = np.sort(np.stack((np.minimum(s[:, 0], self.L - s[:, 3]),
                              np.minimum(s[:, 1], self.W - s[:, 4]), s[:, 2]), axis=1), axis=1)
        key = (d[:, 0] << 42) | (d[:, 1] << 21) | d[:, 2]
        return int(np.argmin(key))

    def _fits(self, st: _State, i: int) -> np.ndarray:
        b = self.blocks
        s = st.spaces[i]
        m = (self._avail(st) & (b.dx <= s[3] - s[0]) & (b.dy <= s[4] - s[1])
             & (b.dz <= s[5] - s[2]))
        if self.has_stack_rules:
            m &= b.nz <= st.layers[i]
        if self.has_weight_rules:
            m &= b.base_pressure <= st.pressure[i] + PRESSURE_EPS
        return m

    def _drop_space(self, st: _State, i: int) -> None:
        keep = np.ones(len(st.spaces), dtype=bool)
        keep[i] = False
        st.spaces = st.spaces[keep]
        st.layers = st.layers[keep]
        st.pressure = st.pressure[keep]

    def next_choices(self, st: _State, k: int) -> tuple[int, np.ndarray]:
        """The space to fill next and up to k blocks for it, best first (drops dead spaces)."""
        while True:
            i = self._select_space(st)
            if i < 0:
                return -1, np.zeros(0, dtype=np.int64)
            idx = np.flatnonzero(self._fits(st, i))
            if len(idx):
                if k > 1 and self.diverse:
                    # The best block of each (carton, orientation) first, then the rest.
                    key = self.kind[idx]
                    _, first = np.unique(key, return_index=True)
                    first.sort()
                    if len(first) < k:
                        rest = np.setdiff1d(np.arange(len(idx)), first)[: k - len(first)]
                        first = np.sort(np.concatenate((first, rest)))
                    return i, idx[first[:k]]
                return i, idx[:k]
            self._drop_space(st, i)

    def place(self, st: _State, i: int, bi: int) -> _State:
        """A new state: block bi put into the anchor corner of space i."""
        b = self.blocks
        s = st.spaces[i]
        bdx, bdy, bdz = int(b.dx[bi]), int(b.dy[bi]), int(b.dz[bi])
        x0 = int(s[0]) if s[0] <= self.L - s[3] else int(s[3]) - bdx
        y0 = int(s[1]) if s[1] <= self.W - s[4] else int(s[4]) - bdy
        z0 = int(s[2])
        x1, y1, z1 = x0 + bdx, y0 + bdy, z0 + bdz
        if self.has_stack_rules:
            top_layers = min(int(st.layers[i]) - int(b.nz[bi]), int(b.top_layers[bi]))
        else:
            top_layers = UNLIMITED_LAYERS
        if self.has_weight_rules:
            top_pressure = min(float(st.pressure[i]) - float(b.base_pressure[bi]),
                               float(b.top_pressure[bi]))
            top_pressure = max(top_pressure, 0.0)
        else:
            top_pressure = np.inf
        spaces, layers, pressure = self._split(st, (x0, y0, z0, x1, y1, z1), top_layers,
                                               top_pressure)
        rem = st.rem.copy()
        rem[b.carton[bi]] -= b.count[bi]
        new = _State(spaces, layers, pressure, rem, st.weight + float(b.weight[bi]),
                     st.score + float(b.score[bi]), st.volume + int(b.volume[bi]),
                     st.placed + [(bi, x0, y0, z0)])
        return new

    def _split(self, st: _State, box: tuple[int, int, int, int, int, int], top_layers: int,
               top_pressure: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        S = st.spaces
        bx0, by0, bz0, bx1, by1, bz1 = box
        hit = ((S[:, 0] < bx1) & (S[:, 3] > bx0) & (S[:, 1] < by1) & (S[:, 4] > by0)
               & (S[:, 2] < bz1) & (S[:, 5] > bz0))
        keep = ~hit
        new: list[tuple[int, int, int, int, int, int]] = []
        nl: list[int] = []
        npr: list[float] = []
        tops: list[int] = []
        md = self.min_dim
        for j in np.flatnonzero(hit):
            x0, y0, z0, x1, y1, z1 = (int(v) for v in S[j])
            lay, pr = int(st.layers[j]), float(st.pressure[j])
            parts = []
            if bx0 - x0 >= md:
                parts.append((x0, y0, z0, bx0, y1, z1))
            if x1 - bx1 >= md:
                parts.append((bx1, y0, z0, x1, y1, z1))
            if by0 - y0 >= md:
                parts.append((x0, y0, z0, x1, by0, z1))
            if y1 - by1 >= md:
                parts.append((x0, by1, z0, x1, y1, z1))
            if bz0 - z0 >= md:
                parts.append((x0, y0, z0, x1, y1, bz0))
            for p in parts:
                new.append(p)
                nl.append(lay)
                npr.append(pr)
            if z1 - bz1 >= md:
                if self.support:
                    p = (max(x0, bx0), max(y0, by0), bz1, min(x1, bx1), min(y1, by1), z1)
                    if p[3] - p[0] >= md and p[4] - p[1] >= md:
                        tops.append(len(new))
                        new.append(p)
                        nl.append(top_layers)
                        npr.append(top_pressure)
                else:
                    new.append((x0, y0, bz1, x1, y1, z1))
                    nl.append(min(lay, top_layers))
                    npr.append(min(pr, top_pressure))
        K = S[keep]
        KL = st.layers[keep]
        KP = st.pressure[keep]
        if self.support and tops:
            self._bridges(new, nl, npr, tops, K, KL, KP)
        if not new:
            return K, KL, KP
        N = np.array(new, dtype=np.int64)
        NL = np.array(nl, dtype=np.int64)
        NP = np.array(npr, dtype=np.float64)
        # Drop new spaces inside another space (kept or new) that allows at least as much.
        A = np.concatenate((K, N))
        AL = np.concatenate((KL, NL))
        AP = np.concatenate((KP, NP))
        nk = len(K)
        alive = np.ones(len(A), dtype=bool)
        for j in range(len(N)):
            n = N[j]
            inside = ((A[:, 0] <= n[0]) & (A[:, 1] <= n[1]) & (A[:, 2] <= n[2])
                      & (A[:, 3] >= n[3]) & (A[:, 4] >= n[4]) & (A[:, 5] >= n[5])
                      & (AL >= NL[j]) & (AP >= NP[j]) & alive)
            inside[nk + j] = False
            if inside.any():
                alive[nk + j] = False
        # Drop kept spaces inside a surviving new space (a bridge may contain one).
        if len(K) and tops:
            for j in np.flatnonzero(alive[nk:]):
                n = N[j]
                inside = ((K[:, 0] >= n[0]) & (K[:, 1] >= n[1]) & (K[:, 2] >= n[2])
                          & (K[:, 3] <= n[3]) & (K[:, 4] <= n[4]) & (K[:, 5] <= n[5])
                          & (KL <= NL[j]) & (KP <= NP[j]))
                alive[:nk] &= ~inside
        return A[alive], AL[alive], AP[alive]

    def _bridges(self, new: list[tuple[int, int, int, int, int, int]], nl: list[int],
                 npr: list[float], tops: list[int], K: np.ndarray, KL: np.ndarray,
                 KP: np.ndarray) -> None:
        """Add spaces spanning a new top space and a touching space with the same floor."""
        md = self.min_dim
        for t in tops:
            tx0, ty0, tz0, tx1, ty1, tz1 = new[t]
            others = [(tuple(int(v) for v in K[j]), int(KL[j]), float(KP[j]))
                      for j in np.flatnonzero(K[:, 2] == tz0)]
            others += [(new[j], nl[j], npr[j]) for j in range(len(new))
                       if j != t and new[j][2] == tz0]
            for (ux0, uy0, _uz0, ux1, uy1, uz1), ul, up in others:
                z1 = min(tz1, uz1)
                if z1 - tz0 < md:
                    continue
                lay, pr = min(nl[t], ul), min(npr[t], up)
                # Along x: x ranges touch or overlap, y ranges overlap.
                if tx0 <= ux1 and ux0 <= tx1:
                    ya, yb = max(ty0, uy0), min(ty1, uy1)
                    if yb - ya >= md:
                        p = (min(tx0, ux0), ya, tz0, max(tx1, ux1), yb, z1)
                        if p[3] - p[0] > max(tx1 - tx0, ux1 - ux0):
                            new.append(p)
                            nl.append(lay)
                            npr.append(pr)
                if ty0 <= uy1 and uy0 <= ty1:
                    xa, xb = max(tx0, ux0), min(tx1, ux1)
                    if xb - xa >= md:
                        p = (xa, min(ty0, uy0), tz0, xb, max(ty1, uy1), z1)
                        if p[4] - p[1] > max(ty1 - ty0, uy1 - uy0):
                            new.append(p)
                            nl.append(lay)
                            npr.append(pr)

    def greedy(self, st: _State) -> _State:
        """Complete a state by always taking the best block for the next space."""
        self.nodes += 1
        while True:
            i, cand = self.next_choices(st, 1)
            if i < 0:
                return st
            st = self.place(st, i, int(cand[0]))

    # ------------------------------------------------------------------ search

    def run(self, *, time_limit: float | None = None, max_nodes: int | None = None,
            progress: Callable[[dict[str, float]], None] | None = None) -> SearchResult:
        """Beam search with greedy completion, widened while the budget lasts."""
        start = time.perf_counter()
        deadline = start + time_limit if time_limit is not None else np.inf
        node_cap = max_nodes if max_nodes is not None else np.inf
        root = self.root()
        best = self.greedy(self.root())
        width = 1.0
        passes = 0

        def out_of_budget() -> bool:
            return self.nodes >= node_cap or time.perf_counter() >= deadline

        while not out_of_budget() and len(self.blocks):
            w = int(width)
            level = [root]
            exhausted = True
            while level:
                children: list[tuple[float, int, _State]] = []
                for node in level:
                    i, cand = self.next_choices(node, self.branching)
                    for bi in cand:
                        if out_of_budget():
                            exhausted = False
                            break
                        child = self.place(node, i, int(bi))
                        final = self.greedy(child)
                        if final.score > best.score:
                            best = final
                        children.append((final.score, len(children), child))
                    if not exhausted:
                        break
                if not exhausted:
                    break
                children.sort(key=lambda c: (-c[0], c[1]))
                level = [c[2] for c in children[:w]]
            passes += 1
            if progress is not None:
                progress({"pass": passes, "width": w, "nodes": self.nodes,
                          "volume": best.volume, "seconds": time.perf_counter() - start})
            if exhausted and w >= 1 << 16:
                break
            width = max(width * self.width_growth, width + 1)
        return SearchResult(self.to_placements(best), best.volume, best.score, self.nodes,
                            passes, time.perf_counter() - start)

    def to_placements(self, st: _State) -> list[Placement]:
        b = self.blocks
        out: list[Placement] = []
        for n, (bi, x0, y0, z0) in enumerate(st.placed):
            t = int(b.carton[bi])
            ddx, ddy, ddz = int(b.box_dx[bi]), int(b.box_dy[bi]), int(b.box_dz[bi])
            for kz in range(int(b.nz[bi])):
                for ky in range(int(b.ny[bi])):
                    for kx in range(int(b.nx[bi])):
                        out.append(Placement(t, x0 + kx * ddx, y0 + ky * ddy, z0 + kz * ddz,
                                             ddx, ddy, ddz, n))
        return out


def _orientation_code(b: BlockTable) -> np.ndarray:
    """0..5: which permutation of the carton's dimensions the block uses (by extent order)."""
    return ((b.box_dx > b.box_dy).astype(np.int64) * 1 + (b.box_dz > b.box_dx) * 2
            + (b.box_dz > b.box_dy) * 4) % 8
