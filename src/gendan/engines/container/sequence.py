"""The loading sequence: the cartons in the order the crew puts them in, grouped into walls from
the back wall to the door, each wall described in the crew's words.

A wall is a slice of the load across the container: the rows (cartons side by side and on top of
each other at one depth) whose back face starts within it. A row whose supporting cartons fall
in a later wall is moved to that wall, and inside a wall rows go bottom up, so no carton is
ever placed before the cartons it stands on.
"""

from __future__ import annotations

from dataclasses import dataclass

from gendan.engines.container.model import Plan
from gendan.engines.container.validation import support_graph


@dataclass(frozen=True)
class LoadStep:
    """Identical cartons loaded together: ``across`` side by side, ``layers`` high, ``rows``
    deep."""

    carton: int
    name: str
    upright: bool
    lengthwise: bool
    across: int
    layers: int
    rows: int
    placements: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.placements)

    def words_zh(self) -> str:
        how = (
            ("竖放" if self.lengthwise else "横放")
            if self.upright
            else ("侧放（顺）" if self.lengthwise else "侧放（横）")
        )
        shape = f"{self.across} x {self.layers} 层"
        if self.rows > 1:
            shape += f" x {self.rows} 排"
        return f"产品 {self.name} {how} {shape}，共 {self.count} 箱"

    def words_en(self) -> str:
        how = "upright" if self.upright else "on its side"
        how += ", long side along the container" if self.lengthwise else ", long side across"
        shape = f"{self.across} across x {self.layers} layers"
        if self.rows > 1:
            shape += f" x {self.rows} rows deep"
        return f"product {self.name} {how}, {shape}, {self.count} cartons"


@dataclass(frozen=True)
class Wall:
    number: int
    x_from: int
    x_to: int
    steps: tuple[LoadStep, ...]
    # The order or drop the wall's cartons belong to, when the plan kept groups together.
    group: str = ""

    @property
    def count(self) -> int:
        return sum(s.count for s in self.steps)

    def description_zh(self) -> str:
        head = f"第{self.number}面墙（{self.group}）" if self.group else f"第{self.number}面墙"
        return head + "：" + "；".join(s.words_zh() for s in self.steps)

    def description_en(self) -> str:
        head = f"Wall {self.number} ({self.group})" if self.group else f"Wall {self.number}"
        return head + ": " + "; ".join(s.words_en() for s in self.steps)


def loading_sequence(plan: Plan) -> list[Wall]:
    """The walls of a plan, from the back wall (x = 0) to the door. When the plan kept groups
    together (``plan.group_order``), the walls come group by group, the last drop first; the
    walls are numbered through."""
    pl = plan.placements
    if not pl:
        return []
    graph = support_graph(plan)
    if plan.group_order is None:
        parts = [("", list(range(len(pl))))]
    else:
        group_of = [plan.cartons[p.carton].group for p in pl]
        parts = [
            (g, [i for i in range(len(pl)) if group_of[i] == g]) for g in reversed(plan.group_order)
        ]
    walls: list[Wall] = []
    for group, members in parts:
        if members:
            walls.extend(_walls(plan, members, graph, len(walls) + 1, group))
    return walls


def _walls(
    plan: Plan,
    members: list[int],
    graph: list[list[tuple[int, int]]],
    first_number: int,
    group: str,
) -> list[Wall]:
    """The walls of the placements ``members`` (loaded after every carton not among them that
    they stand on)."""
    pl = plan.placements
    # Rows: cartons of one block (or one carton type and orientation) at one depth x.
    rows: dict[tuple[int, int, int, int, int, int], list[int]] = {}
    for i in members:
        p = pl[i]
        block = p.block if p.block >= 0 else -1 - i
        rows.setdefault((block, p.x, p.carton, p.dx, p.dy, p.dz), []).append(i)
    row_list = sorted(
        rows.values(), key=lambda r: (pl[r[0]].x, min(pl[i].z for i in r), min(pl[i].y for i in r))
    )
    # Walls by depth: a wall starts at the first unassigned row and ends at the front face of
    # the shallowest row starting there.
    wall_of_row: list[int] = []
    wall_bounds: list[tuple[int, int]] = []
    k = 0
    while k < len(row_list):
        start = pl[row_list[k][0]].x
        end = min(pl[r[0]].x1 for r in row_list[k:] if pl[r[0]].x == start)
        wall = len(wall_bounds)
        x_to = end
        while k < len(row_list) and pl[row_list[k][0]].x < end:
            wall_of_row.append(wall)
            x_to = max(x_to, pl[row_list[k][0]].x1)
            k += 1
        wall_bounds.append((start, x_to))
    # No row before the rows it stands on: move a row to the latest wall of its supporters.
    row_of = {}
    for r_idx, row in enumerate(row_list):
        for i in row:
            row_of[i] = r_idx
    for r_idx in sorted(range(len(row_list)), key=lambda r: min(pl[i].z for i in row_list[r])):
        for i in row_list[r_idx]:
            for j, _ in graph[i]:
                if j in row_of:
                    wall_of_row[r_idx] = max(wall_of_row[r_idx], wall_of_row[row_of[j]])
    walls: list[Wall] = []
    for w, (x_from, x_to) in enumerate(wall_bounds):
        members = [r for r in range(len(row_list)) if wall_of_row[r] == w]
        if not members:
            continue
        members.sort(
            key=lambda r: (
                min(pl[i].z for i in row_list[r]),
                min(pl[i].y for i in row_list[r]),
                pl[row_list[r][0]].x,
            )
        )
        steps: list[LoadStep] = []
        for r in members:
            cells = sorted(row_list[r], key=lambda i: (pl[i].z, pl[i].y))
            p0 = pl[cells[0]]
            ct = plan.cartons[p0.carton]
            prev = steps[-1] if steps else None
            across = len({pl[i].y for i in cells})
            layers = len({pl[i].z for i in cells})
            if (
                prev is not None
                and prev.carton == p0.carton
                and prev.across == across
                and prev.layers == layers
                and prev.upright == (p0.dz == ct.height)
                and prev.lengthwise == (p0.dx > p0.dy)
                and pl[prev.placements[0]].z == p0.z
                and pl[prev.placements[0]].y == p0.y
            ):
                steps[-1] = LoadStep(
                    prev.carton,
                    prev.name,
                    prev.upright,
                    prev.lengthwise,
                    across,
                    layers,
                    prev.rows + 1,
                    prev.placements + tuple(cells),
                )
                continue
            steps.append(
                LoadStep(
                    p0.carton,
                    ct.name,
                    p0.dz == ct.height,
                    p0.dx > p0.dy,
                    across,
                    layers,
                    1,
                    tuple(cells),
                )
            )
        walls.append(Wall(first_number + len(walls), x_from, x_to, tuple(steps), group))
    return walls


def loading_order(walls: list[Wall]) -> list[int]:
    """All placement indices in the order they are loaded."""
    return [i for w in walls for s in w.steps for i in s.placements]
