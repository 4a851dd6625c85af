"""Blocks: cuboids of identical cartons in one orientation (rows x columns x layers).

A block has a flat, fully covered top, so whatever is put on its top is fully supported; this is
why the search builds from blocks. For each block the arrays hold what the search needs to test
it against a free space (extent, cartons used, weight, the pressure on its base, the stacking
budget and the pressure its top may carry).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gendan.engines.container import kernels
from gendan.engines.container.model import CartonType, Container

UNLIMITED_LAYERS = 1 << 30


@dataclass
class BlockTable:
    dx: np.ndarray
    dy: np.ndarray
    dz: np.ndarray
    carton: np.ndarray  # the (first) carton type of the block
    count: np.ndarray
    nx: np.ndarray
    ny: np.ndarray
    nz: np.ndarray
    box_dx: np.ndarray
    box_dy: np.ndarray
    box_dz: np.ndarray
    volume: np.ndarray
    score: np.ndarray
    weight: np.ndarray
    base_pressure: np.ndarray  # kg per unit area on the block's base
    top_layers: np.ndarray  # cartons that may still be stacked on the block's top
    top_pressure: np.ndarray  # kg per unit area the block's top may carry
    top_dx: np.ndarray  # the fully covered rectangle of the top, from the block's origin
    top_dy: np.ndarray
    use_carton: np.ndarray  # (n, USES): carton types used, -1 = none
    use_count: np.ndarray  # (n, USES): how many of each
    # For a composite block: (first part, second part, offset x, y, z of the second part).
    parts: list[tuple[int, int, int, int, int] | None]

    def __len__(self) -> int:
        return len(self.dx)


USES = 4
MIN_FILL = 0.98


def priority_weights(cartons: list[CartonType]) -> np.ndarray:
    """Score weight per carton type: each more urgent priority level counts 8 times more, so a
    plan first loads what is urgent and then fills the rest."""
    levels = sorted({c.priority for c in cartons})
    rank = {p: i for i, p in enumerate(levels)}
    top = len(levels) - 1
    return np.array([8.0 ** (top - rank[c.priority]) for c in cartons], dtype=np.float64)


def build_blocks(
    container: Container,
    cartons: list[CartonType],
    *,
    max_blocks: int = 6000,
    max_composites: int = 3000,
    seed: int = 0,
) -> BlockTable:
    """All simple blocks that fit the container, then composite blocks, best score first
    (ties in a seed-dependent order).

    When there are more than ``max_blocks`` simple blocks, the ones kept are the largest, plus
    for every carton type and orientation its single carton, rows and columns (so small spaces
    can always be filled). Composite blocks (Fanslau & Bortfeldt 2010's general blocks, one
    two levels) join two blocks of different cartons or orientations side by side (equal
    height) or one on the other (the upper one standing on the lower one's top), when the
    cartons fill at least 98 % of the composite's extent; the covered rectangle of the top is
    kept, so what stands on a composite is fully supported. They are only made when no carton
    has a stacking or load limit (those budgets are counted per simple block)."""
    pw = priority_weights(cartons)
    rows: list[tuple[int, ...]] = []
    essential: list[bool] = []
    L, W, H = container.length, container.width, container.height
    for t, ct in enumerate(cartons):
        q = ct.quantity
        if q <= 0:
            continue
        limit = ct.effective_stack_limit
        for o, (bx, by, bz) in enumerate(ct.orientations()):
            if bx > L or by > W or bz > H:
                continue
            max_nz = min(H // bz, q)
            if limit is not None:
                max_nz = min(max_nz, limit + 1)
            if ct.max_load is not None and ct.weight > 0:
                max_nz = min(max_nz, int(ct.max_load // ct.weight) + 1)
            for nz in range(1, max_nz + 1):
                for ny in range(1, min(W // by, q // nz) + 1):
                    for nx in range(1, min(L // bx, q // (nz * ny)) + 1):
                        rows.append((t, bx, by, bz, nx, ny, nz, o))
                        essential.append((nx == 1 and ny == 1) or (nz == 1 and min(nx, ny) == 1))
    arr = np.array(rows, dtype=np.int64).reshape(-1, 8)
    vol = arr[:, 1] * arr[:, 2] * arr[:, 3] * arr[:, 4] * arr[:, 5] * arr[:, 6]
    if len(rows) > max_blocks:
        ess = np.array(essential)
        order = np.argsort(-vol, kind="stable")
        keep = np.zeros(len(rows), dtype=bool)
        keep[ess] = True
        budget = max_blocks - int(ess.sum())
        if budget > 0:
            rest = order[~ess[order]][:budget]
            keep[rest] = True
        arr = arr[keep]
    rules = any(c.effective_stack_limit is not None or c.max_load is not None for c in cartons)
    return _table(arr, cartons, pw, container, 0 if rules else max_composites, seed)


def _table(
    arr: np.ndarray,
    cartons: list[CartonType],
    pw: np.ndarray,
    container: Container,
    max_composites: int,
    seed: int,
) -> BlockTable:
    t, bx, by, bz, nx, ny, nz, o = (arr[:, k] for k in range(8))
    n = len(t)
    count = nx * ny * nz
    dx, dy, dz = bx * nx, by * ny, bz * nz
    volume = dx * dy * dz
    w_of = np.array([c.weight for c in cartons], dtype=np.float64)
    weight = count * w_of[t]
    base_area = (bx * by).astype(np.float64)
    base_pressure = nz * w_of[t] / base_area
    top_layers = np.full(n, UNLIMITED_LAYERS, dtype=np.int64)
    top_pressure = np.full(n, np.inf)
    for i in range(n):
        ct = cartons[int(t[i])]
        limit = ct.effective_stack_limit
        if limit is not None:
            top_layers[i] = limit - (nz[i] - 1)
        if ct.max_load is not None:
            # 1e-9 keeps float rounding on the safe side of the validator's check.
            top_pressure[i] = (ct.max_load - (nz[i] - 1) * ct.weight) / base_area[i] * (1 - 1e-9)
    use_carton = np.full((n, USES), -1, dtype=np.int64)
    use_count = np.zeros((n, USES), dtype=np.int64)
    use_carton[:, 0] = t
    use_count[:, 0] = count
    parts: list[tuple[int, int, int, int, int] | None] = [None] * n
    kind = t * 8 + o
    top_dx, top_dy = dx.copy(), dy.copy()
    if max_composites > 0 and n > 1:
        qty = np.array([c.quantity for c in cartons], dtype=np.int64)
        is_comp = np.zeros(n, dtype=np.bool_)
        for level in range(2):
            by_volume = np.argsort(-volume, kind="stable")[: 2000 if level == 0 else 1200]
            cap = max_composites // 2 if level == 0 else max_composites - (len(t) - n)
            if cap <= 0:
                break
            rows, uses = kernels.combine_pairs(
                by_volume,
                is_comp,
                level > 0,
                dx,
                dy,
                dz,
                top_dx,
                top_dy,
                volume,
                kind,
                use_carton,
                use_count,
                qty,
                container.length,
                container.width,
                container.height,
                MIN_FILL,
                cap,
            )
            cn = len(rows)
            if cn == 0:
                break
            ca, cb, cax = rows[:, 0], rows[:, 1], rows[:, 2]
            for k in range(cn):
                a, b = int(ca[k]), int(cb[k])
                off = (
                    (int(dx[a]), 0, 0)
                    if cax[k] == 0
                    else ((0, int(dy[a]), 0) if cax[k] == 1 else (0, 0, int(dz[a])))
                )
                parts.append((a, b, *off))
            cat = np.concatenate
            t = cat((t, uses[:, 0]))
            bx, by, bz = cat((bx, bx[ca])), cat((by, by[ca])), cat((bz, bz[ca]))
            nx, ny, nz = cat((nx, nx[ca])), cat((ny, ny[ca])), cat((nz, nz[ca]))
            count = cat((count, count[ca] + count[cb]))
            dx, dy, dz = cat((dx, rows[:, 3])), cat((dy, rows[:, 4])), cat((dz, rows[:, 5]))
            volume = cat((volume, volume[ca] + volume[cb]))
            weight = cat((weight, weight[ca] + weight[cb]))
            base_pressure = cat((base_pressure, np.maximum(base_pressure[ca], base_pressure[cb])))
            top_layers = cat((top_layers, np.full(cn, UNLIMITED_LAYERS, dtype=np.int64)))
            top_pressure = cat((top_pressure, np.full(cn, np.inf)))
            top_dx, top_dy = cat((top_dx, rows[:, 6])), cat((top_dy, rows[:, 7]))
            use_carton = cat((use_carton, uses[:, :USES]))
            use_count = cat((use_count, uses[:, USES:]))
            kind = cat((kind, kind[ca]))
            is_comp = cat((is_comp, np.ones(cn, dtype=np.bool_)))
    score = np.zeros(len(t))
    for u in range(USES):
        has = use_carton[:, u] >= 0
        score[has] += (
            use_count[has, u] * np.array([c.volume for c in cartons])[use_carton[has, u]]
        ) * pw[use_carton[has, u]]
    rng = np.random.default_rng(seed)
    shuffle = rng.permutation(len(t))
    order = shuffle[np.argsort(-score[shuffle], kind="stable")]
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    new_parts: list[tuple[int, int, int, int, int] | None] = []
    for i in order:
        p = parts[int(i)]
        new_parts.append(
            None if p is None else (int(inverse[p[0]]), int(inverse[p[1]]), p[2], p[3], p[4])
        )
    return BlockTable(
        dx=dx[order],
        dy=dy[order],
        dz=dz[order],
        carton=t[order],
        count=count[order],
        nx=nx[order],
        ny=ny[order],
        nz=nz[order],
        box_dx=bx[order],
        box_dy=by[order],
        box_dz=bz[order],
        volume=volume[order],
        score=score[order],
        weight=weight[order],
        base_pressure=base_pressure[order],
        top_layers=top_layers[order],
        top_pressure=top_pressure[order],
        top_dx=top_dx[order],
        top_dy=top_dy[order],
        use_carton=use_carton[order],
        use_count=use_count[order],
        parts=new_parts,
    )
