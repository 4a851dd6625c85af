"""The search's hot loops, compiled with numba when it is installed.

A profile of the pure numpy version showed the space update taking two thirds of the time at
about 110 microseconds a block; compiled, a search step costs a few microseconds. Without numba
the same functions run as plain Python (correct, many times slower).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

try:
    from numba import njit as _njit

    def njit(fn: Callable[..., Any]) -> Callable[..., Any]:
        return _njit(cache=True, nogil=True)(fn)

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only where numba is missing

    def njit(fn: Callable[..., Any]) -> Callable[..., Any]:
        return fn

    HAVE_NUMBA = False

PRESSURE_EPS = 1e-12


@njit
def select_space(S: np.ndarray, L: int, W: int, mode: int) -> int:
    """The space to fill next; ties go to the larger space, then to the first.

    mode 0: the bottom corner nearest to a container corner: the anchor distances along x, y
    and z sorted ascending and compared lexicographically (Araya & Riff 2014);
    mode 1: walls: nearest to an end wall, then lowest, then nearest to a side wall;
    mode 2: layers: lowest, then nearest to an end wall, then to a side wall."""
    best = -1
    b0 = b1 = b2 = 1 << 60
    bvol = -1
    for j in range(S.shape[0]):
        ax = min(S[j, 0], L - S[j, 3])
        ay = min(S[j, 1], W - S[j, 4])
        az = S[j, 2]
        if mode == 1:
            a, b, c = ax, az, ay
        elif mode == 2:
            a, b, c = az, ax, ay
        else:
            a, b, c = ax, ay, az
            if a > b:
                a, b = b, a
            if b > c:
                b, c = c, b
            if a > b:
                a, b = b, a
        vol = (S[j, 3] - S[j, 0]) * (S[j, 4] - S[j, 1]) * (S[j, 5] - S[j, 2])
        if a < b0 or (a == b0 and (b < b1 or (b == b1 and (c < b2 or (c == b2 and vol > bvol))))):
            best, b0, b1, b2, bvol = j, a, b, c, vol
    return best


@njit
def enough(use_carton: np.ndarray, use_count: np.ndarray, rem: np.ndarray, i: int) -> bool:
    """Whether the cartons left suffice for block i."""
    for u in range(use_carton.shape[1]):
        t = use_carton[i, u]
        if t < 0:
            return True
        if use_count[i, u] > rem[t]:
            return False
    return True


@njit
def fitting_blocks(
    bdx: np.ndarray,
    bdy: np.ndarray,
    bdz: np.ndarray,
    bnz: np.ndarray,
    use_carton: np.ndarray,
    use_count: np.ndarray,
    bweight: np.ndarray,
    bpressure: np.ndarray,
    bscore: np.ndarray,
    kind: np.ndarray,
    rem: np.ndarray,
    sx: int,
    sy: int,
    sz: int,
    layers: int,
    pressure: float,
    payload_left: float,
    k: int,
    diverse: bool,
    waste_below: int,
    out: np.ndarray,
) -> int:
    """Write into ``out`` the k best blocks that fit a space, best first; returns how many.

    A block's value is its score less the room it leaves useless beside, in front of and above
    it inside the space (a gap narrower than ``waste_below``, weighted like the block's
    volume). With ``diverse`` the best block of each kind (carton and orientation) comes
    before second-best blocks of a kind already chosen."""
    nb = bdx.shape[0]
    if waste_below == 0 and (k == 1 or not diverse):
        # The table is in score order: the first k that fit are the best k.
        n = 0
        for i in range(nb):
            if (
                bdx[i] <= sx
                and bdy[i] <= sy
                and bdz[i] <= sz
                and enough(use_carton, use_count, rem, i)
                and bnz[i] <= layers
                and bpressure[i] <= pressure + PRESSURE_EPS
                and bweight[i] <= payload_left + 1e-9
            ):
                out[n] = i
                n += 1
                if n == k:
                    break
        return n
    idx = np.empty(nb, dtype=np.int64)
    val = np.empty(nb, dtype=np.float64)
    m = 0
    for i in range(nb):
        if (
            bdx[i] <= sx
            and bdy[i] <= sy
            and bdz[i] <= sz
            and enough(use_carton, use_count, rem, i)
            and bnz[i] <= layers
            and bpressure[i] <= pressure + PRESSURE_EPS
            and bweight[i] <= payload_left + 1e-9
        ):
            v = bscore[i]
            if waste_below > 0:
                rx, ry, rz = sx - bdx[i], sy - bdy[i], sz - bdz[i]
                w = 0
                if rx < waste_below:
                    w += rx * bdy[i] * bdz[i]
                if ry < waste_below:
                    w += ry * bdx[i] * bdz[i]
                if rz < waste_below:
                    w += rz * bdx[i] * bdy[i]
                v -= w * bscore[i] / (bdx[i] * bdy[i] * bdz[i])
            idx[m] = i
            val[m] = v
            m += 1
    if m == 0:
        return 0
    order = np.argsort(-val[:m], kind="mergesort")
    n = 0
    if not diverse or k == 1:
        for j in range(min(k, m)):
            out[j] = idx[order[j]]
        return min(k, m)
    spare = np.empty(k, dtype=np.int64)
    ns = 0
    for jj in range(m):
        i = idx[order[jj]]
        seen = False
        for j in range(n):
            if kind[out[j]] == kind[i]:
                seen = True
                break
        if not seen:
            out[n] = i
            n += 1
            if n == k:
                break
        elif ns < k:
            spare[ns] = i
            ns += 1
    j = 0
    while n < k and j < ns:
        out[n] = spare[j]
        n += 1
        j += 1
    return n


@njit
def split_spaces(
    S: np.ndarray,
    SL: np.ndarray,
    SP: np.ndarray,
    bx0: int,
    by0: int,
    bz0: int,
    bx1: int,
    by1: int,
    bz1: int,
    top_layers: int,
    top_pressure: float,
    md: int,
    support: bool,
    tx1: int,
    ty1: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The free spaces after a block [b*0, b*1) is placed (see search.py for the rules)."""
    m = S.shape[0]
    cap = 6 * m + 16
    oS = np.empty((cap, 6), dtype=np.int64)
    oL = np.empty(cap, dtype=np.int64)
    oP = np.empty(cap, dtype=np.float64)
    is_top = np.zeros(cap, dtype=np.bool_)
    n = 0
    for j in range(m):
        if not (
            S[j, 0] < bx1
            and S[j, 3] > bx0
            and S[j, 1] < by1
            and S[j, 4] > by0
            and S[j, 2] < bz1
            and S[j, 5] > bz0
        ):
            oS[n] = S[j]
            oL[n] = SL[j]
            oP[n] = SP[j]
            n += 1
    nk = n
    for j in range(m):
        x0, y0, z0, x1, y1, z1 = S[j, 0], S[j, 1], S[j, 2], S[j, 3], S[j, 4], S[j, 5]
        if not (x0 < bx1 and x1 > bx0 and y0 < by1 and y1 > by0 and z0 < bz1 and z1 > bz0):
            continue
        for part in range(6):
            p0, p1, p2, p3, p4, p5 = x0, y0, z0, x1, y1, z1
            lay, pr = SL[j], SP[j]
            top = False
            if part == 0:
                p3 = bx0
            elif part == 1:
                p0 = bx1
            elif part == 2:
                p4 = by0
            elif part == 3:
                p1 = by1
            elif part == 4:
                p5 = bz0
            else:
                p2 = bz1
                if support:
                    p0, p1, p3, p4 = max(x0, bx0), max(y0, by0), min(x1, tx1), min(y1, ty1)
                    lay, pr = top_layers, top_pressure
                    top = True
                else:
                    lay, pr = min(lay, top_layers), min(pr, top_pressure)
            if p3 - p0 < md or p4 - p1 < md or p5 - p2 < md:
                continue
            oS[n, 0], oS[n, 1], oS[n, 2], oS[n, 3], oS[n, 4], oS[n, 5] = p0, p1, p2, p3, p4, p5
            oL[n] = lay
            oP[n] = pr
            is_top[n] = top
            n += 1
    # Bridges: a new top space and a touching space with the same floor height.
    nb = n
    for t in range(nk, nb):
        if not is_top[t]:
            continue
        tx0, ty0, tz0, tx1, ty1, tz1 = oS[t, 0], oS[t, 1], oS[t, 2], oS[t, 3], oS[t, 4], oS[t, 5]
        for u in range(nb):
            if u == t or oS[u, 2] != tz0:
                continue
            ux0, uy0, ux1, uy1, uz1 = oS[u, 0], oS[u, 1], oS[u, 3], oS[u, 4], oS[u, 5]
            z1 = min(tz1, uz1)
            if z1 - tz0 < md:
                continue
            lay = min(oL[t], oL[u])
            pr = min(oP[t], oP[u])
            for axis in range(2):
                if axis == 0:
                    if not (tx0 <= ux1 and ux0 <= tx1):
                        continue
                    ya, yb = max(ty0, uy0), min(ty1, uy1)
                    xa, xb = min(tx0, ux0), max(tx1, ux1)
                    if yb - ya < md or xb - xa <= max(tx1 - tx0, ux1 - ux0):
                        continue
                else:
                    if not (ty0 <= uy1 and uy0 <= ty1):
                        continue
                    xa, xb = max(tx0, ux0), min(tx1, ux1)
                    ya, yb = min(ty0, uy0), max(ty1, uy1)
                    if xb - xa < md or yb - ya <= max(ty1 - ty0, uy1 - uy0):
                        continue
                if n == cap:
                    cap2 = cap * 2
                    oS2 = np.empty((cap2, 6), dtype=np.int64)
                    oL2 = np.empty(cap2, dtype=np.int64)
                    oP2 = np.empty(cap2, dtype=np.float64)
                    oS2[:n] = oS[:n]
                    oL2[:n] = oL[:n]
                    oP2[:n] = oP[:n]
                    oS, oL, oP, cap = oS2, oL2, oP2, cap2
                oS[n, 0], oS[n, 1], oS[n, 2], oS[n, 3], oS[n, 4], oS[n, 5] = (
                    xa,
                    ya,
                    tz0,
                    xb,
                    yb,
                    z1,
                )
                oL[n] = lay
                oP[n] = pr
                n += 1
    # Drop new spaces inside another space that allows at least as much; then kept spaces
    # inside a new bridge.
    alive = np.ones(n, dtype=np.bool_)
    for j in range(nk, n):
        for a in range(n):
            if a == j or not alive[a]:
                continue
            if (
                oS[a, 0] <= oS[j, 0]
                and oS[a, 1] <= oS[j, 1]
                and oS[a, 2] <= oS[j, 2]
                and oS[a, 3] >= oS[j, 3]
                and oS[a, 4] >= oS[j, 4]
                and oS[a, 5] >= oS[j, 5]
                and oL[a] >= oL[j]
                and oP[a] >= oP[j]
            ):
                alive[j] = False
                break
    if n > nb:
        for j in range(nb, n):
            if not alive[j]:
                continue
            for a in range(nk):
                if (
                    alive[a]
                    and oS[a, 0] >= oS[j, 0]
                    and oS[a, 1] >= oS[j, 1]
                    and oS[a, 2] >= oS[j, 2]
                    and oS[a, 3] <= oS[j, 3]
                    and oS[a, 4] <= oS[j, 4]
                    and oS[a, 5] <= oS[j, 5]
                    and oL[a] <= oL[j]
                    and oP[a] <= oP[j]
                ):
                    alive[a] = False
    cnt = 0
    for j in range(n):
        if alive[j]:
            cnt += 1
    rS = np.empty((cnt, 6), dtype=np.int64)
    rL = np.empty(cnt, dtype=np.int64)
    rP = np.empty(cnt, dtype=np.float64)
    c = 0
    for j in range(n):
        if alive[j]:
            rS[c] = oS[j]
            rL[c] = oL[j]
            rP[c] = oP[j]
            c += 1
    return rS, rL, rP


@njit
def combine_pairs(
    order: np.ndarray,
    is_composite: np.ndarray,
    need_composite: bool,
    dx: np.ndarray,
    dy: np.ndarray,
    dz: np.ndarray,
    tdx: np.ndarray,
    tdy: np.ndarray,
    vol: np.ndarray,
    kind: np.ndarray,
    ut: np.ndarray,
    uc: np.ndarray,
    qty: np.ndarray,
    L: int,
    W: int,
    H: int,
    min_fill: float,
    cap: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of blocks (from ``order``, largest first) that make a composite block (see
    blocks.py). Returns rows (first, second, axis, extent x, y, z, top x, top y) with axis
    0 = side by side along x, 1 = along y, 2 = second on top of first, and the cartons used
    (type, count) per row; at most ``cap`` rows. With ``need_composite`` one of the two must
    already be a composite."""
    uses = ut.shape[1]
    rows = np.empty((cap, 8), dtype=np.int64)
    rut = np.full((cap, uses), -1, dtype=np.int64)
    ruc = np.zeros((cap, uses), dtype=np.int64)
    mt = np.empty(2 * uses, dtype=np.int64)
    mc = np.empty(2 * uses, dtype=np.int64)
    n = 0
    m = order.shape[0]
    for ii in range(m):
        a = order[ii]
        for jj in range(m):
            b = order[jj]
            if need_composite and not (is_composite[a] or is_composite[b]):
                continue
            if not is_composite[a] and not is_composite[b] and kind[a] == kind[b]:
                continue
            # Cartons used by both, merged per type.
            k = 0
            ok = True
            for src in range(2):
                blk = a if src == 0 else b
                for u in range(uses):
                    t = ut[blk, u]
                    if t < 0:
                        break
                    found = False
                    for q in range(k):
                        if mt[q] == t:
                            mc[q] += uc[blk, u]
                            found = True
                            break
                    if not found:
                        mt[k] = t
                        mc[k] = uc[blk, u]
                        k += 1
            if k > uses:
                continue
            for q in range(k):
                if mc[q] > qty[mt[q]]:
                    ok = False
            if not ok:
                continue
            boxes = vol[a] + vol[b]
            for axis in range(3):
                if axis < 2 and jj <= ii:
                    continue
                if axis == 0:
                    if dz[a] != dz[b]:
                        continue
                    ex, ey, ez = dx[a] + dx[b], max(dy[a], dy[b]), dz[a]
                    if tdx[a] == dx[a]:
                        tx, ty = dx[a] + tdx[b], min(tdy[a], tdy[b])
                    else:
                        tx, ty = tdx[a], tdy[a]
                elif axis == 1:
                    if dz[a] != dz[b]:
                        continue
                    ex, ey, ez = max(dx[a], dx[b]), dy[a] + dy[b], dz[a]
                    if tdy[a] == dy[a]:
                        tx, ty = min(tdx[a], tdx[b]), dy[a] + tdy[b]
                    else:
                        tx, ty = tdx[a], tdy[a]
                else:
                    if dx[b] > tdx[a] or dy[b] > tdy[a]:
                        continue
                    ex, ey, ez = dx[a], dy[a], dz[a] + dz[b]
                    tx, ty = tdx[b], tdy[b]
                if ex > L or ey > W or ez > H:
                    continue
                if boxes < min_fill * ex * ey * ez:
                    continue
                rows[n, 0], rows[n, 1], rows[n, 2] = a, b, axis
                rows[n, 3], rows[n, 4], rows[n, 5], rows[n, 6], rows[n, 7] = ex, ey, ez, tx, ty
                for q in range(k):
                    rut[n, q] = mt[q]
                    ruc[n, q] = mc[q]
                n += 1
                if n == cap:
                    return rows, np.concatenate((rut, ruc), axis=1)
    return rows[:n], np.concatenate((rut[:n], ruc[:n]), axis=1)


@njit
def greedy_complete(
    S: np.ndarray,
    SL: np.ndarray,
    SP: np.ndarray,
    rem: np.ndarray,
    weight: float,
    L: int,
    W: int,
    md: int,
    support: bool,
    space_rule: int,
    stack_rules: bool,
    weight_rules: bool,
    payload: float,
    bdx: np.ndarray,
    bdy: np.ndarray,
    bdz: np.ndarray,
    bnz: np.ndarray,
    use_carton: np.ndarray,
    use_count: np.ndarray,
    bweight: np.ndarray,
    bpressure: np.ndarray,
    bscore: np.ndarray,
    bvolume: np.ndarray,
    btop_layers: np.ndarray,
    btop_pressure: np.ndarray,
    btop_dx: np.ndarray,
    btop_dy: np.ndarray,
    kind: np.ndarray,
    unlimited: int,
) -> tuple[np.ndarray, int, float, int]:
    """The greedy completion of a state, compiled: always the best block for the next space.
    Returns the placed blocks (block, x, y, z) and their count, the score and volume added."""
    rem = rem.copy()
    placed = np.empty((64, 4), dtype=np.int64)
    n = 0
    score = 0.0
    volume = 0
    out = np.empty(1, dtype=np.int64)
    while S.shape[0] > 0:
        i = select_space(S, L, W, space_rule)
        found = fitting_blocks(
            bdx,
            bdy,
            bdz,
            bnz,
            use_carton,
            use_count,
            bweight,
            bpressure,
            bscore,
            kind,
            rem,
            S[i, 3] - S[i, 0],
            S[i, 4] - S[i, 1],
            S[i, 5] - S[i, 2],
            SL[i],
            SP[i],
            payload - weight,
            1,
            False,
            0,
            out,
        )
        if found == 0:
            m = S.shape[0]
            keep = np.ones(m, dtype=np.bool_)
            keep[i] = False
            S = S[keep]
            SL = SL[keep]
            SP = SP[keep]
            continue
        b = out[0]
        x0 = S[i, 0] if S[i, 0] <= L - S[i, 3] else S[i, 3] - bdx[b]
        y0 = S[i, 1] if S[i, 1] <= W - S[i, 4] else S[i, 4] - bdy[b]
        z0 = S[i, 2]
        top_layers = unlimited
        if stack_rules:
            top_layers = min(SL[i] - bnz[b], btop_layers[b])
        top_pressure = np.inf
        if weight_rules:
            top_pressure = max(min(SP[i] - bpressure[b], btop_pressure[b]), 0.0)
        S, SL, SP = split_spaces(
            S,
            SL,
            SP,
            x0,
            y0,
            z0,
            x0 + bdx[b],
            y0 + bdy[b],
            z0 + bdz[b],
            top_layers,
            top_pressure,
            md,
            support,
            x0 + btop_dx[b],
            y0 + btop_dy[b],
        )
        for u in range(use_carton.shape[1]):
            if use_carton[b, u] < 0:
                break
            rem[use_carton[b, u]] -= use_count[b, u]
        weight += bweight[b]
        score += bscore[b]
        volume += bvolume[b]
        if n == placed.shape[0]:
            bigger = np.empty((2 * n, 4), dtype=np.int64)
            bigger[:n] = placed
            placed = bigger
        placed[n, 0], placed[n, 1], placed[n, 2], placed[n, 3] = b, x0, y0, z0
        n += 1
    return placed, n, score, volume
