"""Pictures of a planned container for the loading crew, as self-contained SVG strings.

Plain data in, a string out: a planned container as the product stores it (JSON dicts, sizes in
millimetres, inside dimensions) and the list of items its placements point into. The strings are
shown inline in a browser and embedded by WeasyPrint in the loading sheet PDF.

Axes: x runs from the back wall (0) to the door (length), y across the container, z up.

Every picture has a ``viewBox`` in pixels of ``width_px`` and ``width="100%"`` so it scales down on
a phone; coordinates are rounded to one decimal. In the 3D view each carton is one ``<g>`` whose
visible faces are one ``<path>`` each, in the flat views one ``<rect>``; colours are ``fill``
attributes only, and the cartons are the children of ``<g class="cartons">``, in drawing order.

Cartons (and in 3D faces of cartons) that cannot be seen at all are left out: a full container has
thousands of cartons, most of them inside the stack, and WeasyPrint spends about a second on every
150 KB of SVG. Text is in a CJK-capable font, as the loading sheet declares only that one.
"""

import functools
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

ColourBy = Literal["product", "order"]

# Twelve clearly distinct, print-friendly mid tones (Tableau 10 with the grey replaced, plus two).
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#a0cbe8",
    "#8cd17d",
    "#d37295",
)
# After the twelve, the palette comes round again lighter, then darker, and so on.
PALETTE_ROUNDS = ((0.0, "#ffffff"), (0.45, "#ffffff"), (0.35, "#000000"), (0.7, "#ffffff"))
GREY = "#c8c8c8"
DOOR_LABEL = "门 door"
OUTLINE = "#333333"
MARGIN_PX = 12
FONT_FAMILY = "Noto Sans CJK SC, sans-serif"
# Gaps between cartons narrower than this (mm) are no gaps: far below a pixel at any useful size.
TOUCHING_MM = 0.05

# The 3D view looks from the y=0 side, from above and a little from the door, so the visible faces
# of a carton are its top (+z), its y=0 side (-y) and its door side (+x).
VIEW_AZIMUTH = math.radians(30)  # from looking straight at the y=0 side towards the door
VIEW_ELEVATION = math.radians(30)


@dataclass(frozen=True, slots=True)
class _Carton:
    x1: float
    y1: float
    z1: float
    x2: float
    y2: float
    z2: float
    colour: str
    seq: int


def colour_key(
    items: Sequence[Mapping[str, Any]], by: ColourBy = "product"
) -> list[tuple[str, str]]:
    """The legend: (hex colour, label) per distinct product or order, in first-appearance order."""
    legend: dict[str, tuple[str, str]] = {}
    for item in items:
        key = _key_of(item, by)
        if key not in legend:
            label = str(item.get("label") or key) if by == "product" else key
            legend[key] = (_palette_colour(len(legend)), label)
    return list(legend.values())


def isometric_view(
    container: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    by: ColourBy = "product",
    upto_wall: int | None = None,
    highlight_wall: int | None = None,
    width_px: int = 900,
) -> str:
    """The container in 3D: cartons as shaded boxes inside a wireframe, the door on the right.

    With ``upto_wall`` only the walls up to that one are loaded (a step picture); with
    ``highlight_wall`` that wall is in colour and the others are grey.
    """
    view = _Projection(VIEW_AZIMUTH, VIEW_ELEVATION)
    length, width, height = _inside(container)
    cartons = _cartons(container, items, by=by, upto_wall=upto_wall, highlight_wall=highlight_wall)

    corners = [(x, y, z) for x in (0, length) for y in (0, width) for z in (0, height)]
    screen = [view.screen(*corner) for corner in corners]
    left = min(u for u, _ in screen)
    top = min(v for _, v in screen)
    scale = (width_px - 2 * MARGIN_PX) / max(max(u for u, _ in screen) - left, 1)
    font_px = 13
    height_px = (max(v for _, v in screen) - top) * scale + 2 * MARGIN_PX + font_px + 4

    def point(x: float, y: float, z: float) -> tuple[float, float]:
        u, v = view.screen(x, y, z)
        return (u - left) * scale + MARGIN_PX, (v - top) * scale + MARGIN_PX

    faces = {id(c): seen for c, seen in zip(cartons, _uncovered_faces(cartons), strict=True)}
    shown = [c for c in cartons if any(faces[id(c)])]
    boxes = "".join(_shaded_box(c, point, faces[id(c)]) for c in _painter_order(shown, view))
    parts = [
        _inside_walls(point, length, width, height),
        f'<g class="cartons" stroke="{OUTLINE}" stroke-width="0.3" stroke-linejoin="round">',
        boxes,
        "</g>",
        _front_edges(point, length, width, height),
    ]
    door_x, _ = point(length, width / 2, 0)
    _, door_y = point(length, 0, 0)  # under the lowest corner of the door
    parts.append(
        f'<text x="{_n(door_x)}" y="{_n(door_y + font_px + 4)}" font-size="{font_px}" '
        f'text-anchor="middle" font-family="{FONT_FAMILY}" fill="{OUTLINE}">'
        f"{escape(DOOR_LABEL)}</text>"
    )

    title = _title(container)
    if upto_wall is not None:
        title += f" · walls 1–{upto_wall}"
    return _svg(width_px, height_px, title, parts)


def side_view(
    container: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    by: ColourBy = "product",
    width_px: int = 900,
) -> str:
    """The container from its y=0 side: back wall on the left, door on the right, z up."""
    length, _, height = _inside(container)
    cartons = _cartons(container, items, by=by)
    cartons = _unhidden(cartons, lambda c: (c.y1, c.y2), lambda c: (c.x1, c.z1, c.x2, c.z2))
    # Nearest (smallest y) on top: for boxes that do not overlap, two whose pictures overlap are
    # apart in y, so drawing the larger y first is a correct painter's order.
    ordered = sorted(cartons, key=lambda c: (-c.y1, c.seq))
    rects = [(c.x1, height - c.z2, c.x2 - c.x1, c.z2 - c.z1, c.colour) for c in ordered]
    return _flat_view(_title(container), width_px, (length, height), rects)


def door_view(
    container: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    by: ColourBy = "product",
    wall: int | None = None,
    width_px: int = 400,
) -> str:
    """The container seen from the door looking in: y to the right, z up.

    With ``wall`` the picture of that wall for the loading sheet: its cartons in colour, the walls
    behind it grey, the walls in front of it left out.
    """
    _, width, height = _inside(container)
    cartons = _cartons(container, items, by=by, upto_wall=wall, highlight_wall=wall)
    cartons = _unhidden(cartons, lambda c: (-c.x2, -c.x1), lambda c: (c.y1, c.z1, c.y2, c.z2))
    # Nearest the door (largest x) on top, by the same argument as in side_view.
    ordered = sorted(cartons, key=lambda c: (c.x2, c.seq))
    rects = [(c.y1, height - c.z2, c.y2 - c.y1, c.z2 - c.z1, c.colour) for c in ordered]
    title = _title(container) + (f" · wall {wall}" if wall is not None else "")
    return _flat_view(title, width_px, (width, height), rects)


# --- colours -------------------------------------------------------------------------------------


def _key_of(item: Mapping[str, Any], by: ColourBy) -> str:
    if by == "order":
        return str(item.get("order_number") or "")
    return str(item.get("key") or item.get("label") or "")


def _palette_colour(n: int) -> str:
    amount, toward = PALETTE_ROUNDS[(n // len(PALETTE)) % len(PALETTE_ROUNDS)]
    return _mix(PALETTE[n % len(PALETTE)], toward, amount)


def _item_colours(items: Sequence[Mapping[str, Any]], by: ColourBy) -> list[str]:
    by_key: dict[str, str] = {}
    for item in items:
        by_key.setdefault(_key_of(item, by), _palette_colour(len(by_key)))
    return [by_key[_key_of(item, by)] for item in items]


def _mix(colour: str, toward: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way to ``toward``."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(toward[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(p + (q - p) * amount):02x}" for p, q in zip(a, b, strict=True))


# --- cartons and their order -----------------------------------------------------------------------


def _inside(container: Mapping[str, Any]) -> tuple[float, float, float]:
    return float(container["length"]), float(container["width"]), float(container["height"])


def _cartons(
    container: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    by: ColourBy,
    upto_wall: int | None = None,
    highlight_wall: int | None = None,
) -> list[_Carton]:
    colours = _item_colours(items, by)
    cartons = []
    for n, p in enumerate(container.get("placements") or ()):
        wall = int(p.get("wall") or 0)
        if upto_wall is not None and wall > upto_wall:
            continue
        colour = colours[p["item"]] if highlight_wall in (None, wall) else GREY
        x, y, z = float(p["x"]), float(p["y"]), float(p["z"])
        cartons.append(
            _Carton(x, y, z, x + p["dx"], y + p["dy"], z + p["dz"], colour, int(p.get("seq", n)))
        )
    return cartons


Rect = tuple[float, float, float, float]  # (a1, b1, a2, b2) in two of the three axes


def _covered(target: Rect, rects: Iterable[Rect]) -> bool:
    """Whether the union of ``rects`` covers ``target`` (up to gaps of ``TOUCHING_MM``).

    Exact: the rectangles' edges cut the target into cells, and every cell must lie in some
    rectangle.
    """
    a1, b1, a2, b2 = target
    eps = TOUCHING_MM
    inside = []
    for r1, s1, r2, s2 in rects:
        r1, s1, r2, s2 = max(r1, a1), max(s1, b1), min(r2, a2), min(s2, b2)
        if r2 - r1 <= eps or s2 - s1 <= eps:
            continue
        if r1 <= a1 + eps and s1 <= b1 + eps and r2 >= a2 - eps and s2 >= b2 - eps:
            return True
        inside.append((r1, s1, r2, s2))
    if not inside:
        return False
    cuts_a = sorted({a1, a2, *(r[0] for r in inside), *(r[2] for r in inside)})
    cuts_b = sorted({b1, b2, *(r[1] for r in inside), *(r[3] for r in inside)})
    for lo_a, hi_a in itertools.pairwise(cuts_a):
        if hi_a - lo_a <= eps:
            continue
        ma = (lo_a + hi_a) / 2
        across = [r for r in inside if r[0] <= ma <= r[2]]
        for lo_b, hi_b in itertools.pairwise(cuts_b):
            if hi_b - lo_b <= eps:
                continue
            mb = (lo_b + hi_b) / 2
            if not any(r[1] <= mb <= r[3] for r in across):
                return False
    return True


class _RectIndex:
    """Rectangles on planes, each with a number, found by plane (to 0.1 mm) and by a grid."""

    def __init__(self, cell: float) -> None:
        self.cell = max(cell, 1.0)
        self.cells: dict[tuple[float, int, int], list[tuple[Rect, float]]] = defaultdict(list)

    def _keys(self, plane: float, rect: Rect) -> Iterable[tuple[float, int, int]]:
        a1, b1, a2, b2 = rect
        key, cell = round(plane, 1), self.cell
        for ga in range(int(a1 // cell), int(a2 // cell) + 1):
            for gb in range(int(b1 // cell), int(b2 // cell) + 1):
                yield key, ga, gb

    def add(self, plane: float, rect: Rect, number: float = 0.0) -> None:
        for key in self._keys(plane, rect):
            self.cells[key].append((rect, number))

    def near(self, plane: float, rect: Rect) -> set[tuple[Rect, float]]:
        """The rectangles on ``plane`` that may overlap ``rect``, with their numbers."""
        found: set[tuple[Rect, float]] = set()
        for key in self._keys(plane, rect):
            found.update(self.cells.get(key, ()))
        return found

    def covers(self, plane: float, rect: Rect) -> bool:
        return _covered(rect, (r for r, _ in self.near(plane, rect)))


def _median_size(cartons: Sequence[_Carton]) -> float:
    sizes = sorted(max(c.x2 - c.x1, c.y2 - c.y1, c.z2 - c.z1) for c in cartons)
    return sizes[len(sizes) // 2] if sizes else 1.0


def _uncovered_faces(cartons: Sequence[_Carton]) -> list[tuple[bool, bool, bool]]:
    """Per carton whether its top, its y=0 side and its door side may be seen in the 3D view.

    A face is hidden when cartons lying against it cover it entirely: any line of sight to it
    passes through them first. (Faces hidden only by cartons farther off are kept, to be safe.)
    A carton with no face to show cannot be seen at all.
    """
    cell = _median_size(cartons)
    tops, fronts, doors = _RectIndex(cell), _RectIndex(cell), _RectIndex(cell)
    for c in cartons:
        tops.add(c.z1, (c.x1, c.y1, c.x2, c.y2))  # bottoms, lying on the tops of others
        fronts.add(c.y2, (c.x1, c.z1, c.x2, c.z2))  # far sides, against the y=0 sides of others
        doors.add(c.x1, (c.y1, c.z1, c.y2, c.z2))  # back sides, against the door sides of others
    seen = []
    for c in cartons:
        top, front, door = (
            (c.x1, c.y1, c.x2, c.y2),
            (c.x1, c.z1, c.x2, c.z2),
            (c.y1, c.z1, c.y2, c.z2),
        )
        seen.append(
            (
                not tops.covers(c.z2, top),
                not fronts.covers(c.y1, front),
                not doors.covers(c.x2, door),
            )
        )
    return seen


def _unhidden(
    cartons: Sequence[_Carton],
    depth: Callable[[_Carton], tuple[float, float]],
    rect: Callable[[_Carton], Rect],
) -> list[_Carton]:
    """The cartons of a flat view not entirely covered by nearer ones, in the order given.

    ``depth`` is a carton's (near, far) distance from the viewer, ``rect`` its picture. Going from
    the nearest, a carton is hidden when the cartons already shown that are wholly in front of it
    cover its picture (the hidden ones add nothing: what they cover is covered already).
    """
    index = _RectIndex(_median_size(cartons))
    shown: set[int] = set()
    for c in sorted(cartons, key=lambda c: (depth(c)[0], c.seq)):
        near = depth(c)[0]
        r = rect(c)
        in_front = (q for q, far in index.near(0, r) if far <= near + TOUCHING_MM)
        if not _covered(r, in_front):
            shown.add(id(c))
            index.add(0, r, depth(c)[1])
    return [c for c in cartons if id(c) in shown]


class _Projection:
    """A parallel projection from above the y=0 side, turned ``azimuth`` towards the door."""

    def __init__(self, azimuth: float, elevation: float) -> None:
        ca, sa = math.cos(azimuth), math.sin(azimuth)
        ce, se = math.cos(elevation), math.sin(elevation)
        # screen right, screen up and towards the viewer, as (x, y, z) coefficients
        self.right = (ca, sa, 0.0)
        self.up = (-se * sa, se * ca, ce)
        self.toward_viewer = (ce * sa, -ce * ca, se)

    def screen(self, x: float, y: float, z: float) -> tuple[float, float]:
        """Screen coordinates, y downwards as in SVG."""
        r, u = self.right, self.up
        return r[0] * x + r[1] * y, -(u[0] * x + u[1] * y + u[2] * z)

    def depth(self, x: float, y: float, z: float) -> float:
        t = self.toward_viewer
        return t[0] * x + t[1] * y + t[2] * z


def _drawn_before(a: _Carton, b: _Carton) -> bool | None:
    """Whether ``a`` must be drawn before ``b`` in the 3D view (None: either order is right).

    Two boxes that do not overlap are apart along at least one axis. Along such an axis the one
    farther from the viewer (smaller x, larger y, smaller z) can only be hidden by the other, never
    hide it. When two axes disagree no line of sight meets both boxes, so the order does not matter.
    """
    a_behind = a.x2 <= b.x1 or a.y1 >= b.y2 or a.z2 <= b.z1
    b_behind = b.x2 <= a.x1 or b.y1 >= a.y2 or b.z2 <= a.z1
    if a_behind != b_behind:
        return a_behind
    return None


def _painter_order(cartons: Sequence[_Carton], view: _Projection) -> list[_Carton]:
    """The cartons back to front, so that each is drawn after every carton it may hide.

    A single sort key (say the depth of a corner or of the centre) is not enough: a long carton
    can be nearer at one end and farther at the other than a small one. So the order is a
    topological sort of the "must be drawn before" relation between cartons whose pictures'
    bounding boxes overlap (found with a grid), taking the farthest ready carton first.
    """
    n = len(cartons)
    bounds = []
    for c in cartons:
        left, _ = view.screen(c.x1, c.y1, 0)
        right, _ = view.screen(c.x2, c.y2, 0)
        _, top = view.screen(c.x1, c.y2, c.z2)
        _, bottom = view.screen(c.x2, c.y1, c.z1)
        bounds.append((left, top, right, bottom))
    if n == 0:
        return []

    cell = max(sorted(max(r - lft, b - t) for lft, t, r, b in bounds)[n // 2], 1.0)
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (left, top, right, bottom) in enumerate(bounds):
        for gx in range(int(left // cell), int(right // cell) + 1):
            for gy in range(int(top // cell), int(bottom // cell) + 1):
                grid[gx, gy].append(i)

    after: list[list[int]] = [[] for _ in range(n)]
    waiting_for = [0] * n
    for (gx, gy), members in grid.items():
        for k, i in enumerate(members):
            li, ti, ri, bi = bounds[i]
            for j in members[k + 1 :]:
                lj, tj, rj, bj = bounds[j]
                if ri <= lj or rj <= li or bi <= tj or bj <= ti:
                    continue
                # each overlapping pair once: in the cell holding the corner of their overlap
                if (li if li > lj else lj) // cell != gx or (ti if ti > tj else tj) // cell != gy:
                    continue
                first = _drawn_before(cartons[i], cartons[j])
                if first is None:
                    continue
                earlier, later = (i, j) if first else (j, i)
                after[earlier].append(later)
                waiting_for[later] += 1

    def farthest_first(i: int) -> tuple[float, int, int]:
        c = cartons[i]
        centre = view.depth((c.x1 + c.x2) / 2, (c.y1 + c.y2) / 2, (c.z1 + c.z2) / 2)
        return (centre, c.seq, i)

    ready = [farthest_first(i) for i in range(n) if waiting_for[i] == 0]
    heapq.heapify(ready)
    done = [False] * n
    order: list[_Carton] = []
    while len(order) < n:
        if not ready:
            # A cycle (only possible with interlocking long cartons): break it at the farthest.
            stuck = min(farthest_first(i) for i in range(n) if not done[i])
            waiting_for[stuck[2]] = 0
            ready.append(stuck)
        _, _, i = heapq.heappop(ready)
        if done[i]:
            continue
        done[i] = True
        order.append(cartons[i])
        for j in after[i]:
            waiting_for[j] -= 1
            if waiting_for[j] == 0 and not done[j]:
                heapq.heappush(ready, farthest_first(j))
    return order


# --- SVG -------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without a needless ``.0``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _title(container: Mapping[str, Any]) -> str:
    return f"{container.get('type_code') or container.get('type_name') or ''} #{container.get('index', '')}"


def _svg(width_px: float, height_px: float, title: str, parts: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width_px)} {_n(height_px)}" '
        f'width="100%" role="img" font-family="{FONT_FAMILY}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _face(points: Sequence[tuple[float, float]], fill: str) -> str:
    (x0, y0), *rest = points
    moves = []
    px, py = x0, y0
    for x, y in rest:
        moves.append(f"{_n(x - px)} {_n(y - py)}")
        px, py = x, y
    return f'<path fill="{fill}" d="M{_n(x0)} {_n(y0)}l{" ".join(moves)}z"/>'


@functools.cache
def _shades(colour: str) -> tuple[str, str, str]:
    """The top (lighter), the y=0 side and the door side (darker) of a carton of ``colour``."""
    return (
        _mix(colour, "#ffffff", 0.25),
        _mix(colour, "#000000", 0.1),
        _mix(colour, "#000000", 0.28),
    )


def _shaded_box(c: _Carton, point: Any, seen: tuple[bool, bool, bool] = (True, True, True)) -> str:
    """A carton as its top, y=0 side and door side, leaving out those ``seen`` says are hidden."""
    top = [
        point(c.x1, c.y1, c.z2),
        point(c.x2, c.y1, c.z2),
        point(c.x2, c.y2, c.z2),
        point(c.x1, c.y2, c.z2),
    ]
    front = [
        point(c.x1, c.y1, c.z1),
        point(c.x2, c.y1, c.z1),
        point(c.x2, c.y1, c.z2),
        point(c.x1, c.y1, c.z2),
    ]
    door = [
        point(c.x2, c.y1, c.z1),
        point(c.x2, c.y2, c.z1),
        point(c.x2, c.y2, c.z2),
        point(c.x2, c.y1, c.z2),
    ]
    faces = zip((top, front, door), _shades(c.colour), seen, strict=True)
    return f"<g>{''.join(_face(face, fill) for face, fill, shown in faces if shown)}</g>"


def _inside_walls(point: Any, length: float, width: float, height: float) -> str:
    """The floor, the back wall and the far side wall, lightly shaded, behind every carton."""
    floor = [point(0, 0, 0), point(length, 0, 0), point(length, width, 0), point(0, width, 0)]
    back = [point(0, 0, 0), point(0, width, 0), point(0, width, height), point(0, 0, height)]
    far = [
        point(0, width, 0),
        point(length, width, 0),
        point(length, width, height),
        point(0, width, height),
    ]
    return (
        f'<g class="container" stroke="{OUTLINE}" stroke-width="0.8" stroke-linejoin="round">'
        + _face(floor, "#eeeeee")
        + _face(back, "#f6f6f6")
        + _face(far, "#f9f9f9")
        + "</g>"
    )


def _front_edges(point: Any, length: float, width: float, height: float) -> str:
    """The container's edges that are in front of the cartons, as a wireframe on top."""
    edges = [
        ((0, 0, 0), (length, 0, 0)),
        ((0, 0, height), (length, 0, height)),
        ((0, 0, 0), (0, 0, height)),
        ((0, 0, height), (0, width, height)),
        ((0, width, height), (length, width, height)),
        ((length, 0, 0), (length, width, 0)),
        ((length, 0, 0), (length, 0, height)),
        ((length, width, 0), (length, width, height)),
        ((length, 0, height), (length, width, height)),
    ]
    d = "".join(
        f"M{_n(ax)} {_n(ay)}L{_n(bx)} {_n(by)}"
        for (ax, ay), (bx, by) in ((point(*a), point(*b)) for a, b in edges)
    )
    return f'<path class="container" fill="none" stroke="{OUTLINE}" stroke-width="1.2" d="{d}"/>'


def _flat_view(
    title: str,
    width_px: int,
    inside: tuple[float, float],
    rects: Iterable[tuple[float, float, float, float, str]],
) -> str:
    """A straight view of the container: ``inside`` is (across, up) and each rect is
    (left, top, across, up, colour), all in millimetres from the container's top left corner."""
    scale = (width_px - 2 * MARGIN_PX) / max(inside[0], 1)
    height_px = inside[1] * scale + 2 * MARGIN_PX

    def rect(left: float, top: float, across: float, up: float) -> str:
        return (
            f'x="{_n(left * scale + MARGIN_PX)}" y="{_n(top * scale + MARGIN_PX)}" '
            f'width="{_n(across * scale)}" height="{_n(up * scale)}"'
        )

    outline = (
        f'<rect class="container" {rect(0, 0, *inside)} fill="#f6f6f6" stroke="{OUTLINE}" '
        'stroke-width="1.2"/>'
    )
    stroke = _n(max(min(scale * 8, 0.8), 0.2))  # thin, and thinner when the cartons are small
    cartons = "".join(f'<rect {rect(*r[:4])} fill="{r[4]}"/>' for r in rects)
    return _svg(
        width_px,
        height_px,
        title,
        [outline, f'<g class="cartons" stroke="{OUTLINE}" stroke-width="{stroke}">{cartons}</g>'],
    )


__all__ = ["colour_key", "door_view", "isometric_view", "side_view"]
