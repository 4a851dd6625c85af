"""Blocks: cuboids of identical cartons in one orientation (rows x columns x layers).

A block has a flat, fully covered top, so whatever is put on its top is fully supported; this is
why the search builds from blocks. For each block the arrays hold what the search needs to test
it against a free space (extent, cartons used, weight, the pressure on its base, the stacking
budget and the pressure its top may carry).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gendan.engines.container.model import CartonType, Container

UNLIMITED_LAYERS = 1 << 30


@dataclass
class BlockTable:
    dx: np.ndarray
    dy: np.ndarray
    dz: np.ndarray
    carton: np.ndarray
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

    def __len__(self) -> int:
        return len(self.dx)


def priority_weights(cartons: list[CartonType]) -> np.ndarray:
    """Score weight per carton type: each more urgent priority level counts 8 times more, so a
    plan first loads what is urgent and then fills the rest."""
    levels = sorted({c.priority for c in cartons})
    rank = {p: i for i, p in enumerate(levels)}
    top = len(levels) - 1
    return np.array([8.0 ** (top - rank[c.priority]) for c in cartons], dtype=np.float64)


def build_blocks(
    container: Container, cartons: list[CartonType], *, max_blocks: int = 6000, seed: int = 0
) -> BlockTable:
    """All blocks that fit the container, best score first (ties in a seed-dependent order).

    When there are more than ``max_blocks``, the ones kept are the largest, plus for every
    carton type and orientation its single carton, rows and columns (so small spaces can
    always be filled)."""
    pw = priority_weights(cartons)
    rows: list[tuple[int, ...]] = []
    essential: list[bool] = []
    L, W, H = container.length, container.width, container.height
    for t, ct in enumerate(cartons):
        q = ct.quantity
        if q <= 0:
            continue
        limit = ct.effective_stack_limit
        for bx, by, bz in ct.orientations():
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
                        rows.append((t, bx, by, bz, nx, ny, nz))
                        essential.append((nx == 1 and ny == 1) or (nz == 1 and min(nx, ny) == 1))
    if not rows:
        return _table([], cartons, pw)
    arr = np.array(rows, dtype=np.int64)
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
    return _table([tuple(r) for r in arr.tolist()], cartons, pw, seed=seed)


def _table(
    rows: list[tuple[int, ...]], cartons: list[CartonType], pw: np.ndarray, seed: int = 0
) -> BlockTable:
    arr = np.array(rows, dtype=np.int64).reshape(-1, 7)
    t, bx, by, bz, nx, ny, nz = (arr[:, k] for k in range(7))
    count = nx * ny * nz
    volume = bx * by * bz * count
    w = np.array([c.weight for c in cartons], dtype=np.float64)[t] if len(t) else np.zeros(0)
    score = volume * pw[t] if len(t) else np.zeros(0)
    base_area = (bx * by).astype(np.float64)
    base_pressure = nz * w / base_area if len(t) else np.zeros(0)
    top_layers = np.full(len(t), UNLIMITED_LAYERS, dtype=np.int64)
    top_pressure = np.full(len(t), np.inf)
    for i in range(len(t)):
        ct = cartons[int(t[i])]
        limit = ct.effective_stack_limit
        if limit is not None:
            top_layers[i] = limit - (nz[i] - 1)
        if ct.max_load is not None:
            # 1e-9 keeps float rounding on the safe side of the validator's check.
            top_pressure[i] = (ct.max_load - (nz[i] - 1) * ct.weight) / base_area[i] * (1 - 1e-9)
    rng = np.random.default_rng(seed)
    shuffle = rng.permutation(len(t))
    order = shuffle[np.argsort(-score[shuffle], kind="stable")]
    return BlockTable(
        dx=(bx * nx)[order],
        dy=(by * ny)[order],
        dz=(bz * nz)[order],
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
        weight=(count * w)[order] if len(t) else np.zeros(0),
        base_pressure=base_pressure[order],
        top_layers=top_layers[order],
        top_pressure=top_pressure[order],
    )
