"""The benchmark's formats: OR-Library "thpack" problems in, plan JSON out.

Box type i of a problem becomes carton index i - 1 with key str(i); the three flags say which
dimension may stand vertical.
"""

from __future__ import annotations

from dataclasses import dataclass

from gendan.engines.container.model import CartonType, Container, Plan


@dataclass(frozen=True)
class BenchmarkProblem:
    number: int
    seed: int | None
    container: Container
    cartons: list[CartonType]
    type_ids: list[int]


class ThpackError(ValueError):
    """A problem file that is not the thpack format: where (line, 1-based) and what is wrong."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line else message)


def parse_thpack(text: str) -> list[BenchmarkProblem]:
    """The problems of a thpack file; a malformed file raises ThpackError naming the line."""
    lines = [(k, ln.split()) for k, ln in enumerate(text.splitlines(), 1) if ln.split()]
    pos = 0

    def take(what: str, size: int | tuple[int, ...]) -> tuple[int, list[int]]:
        nonlocal pos
        sizes = (size,) if isinstance(size, int) else size
        if pos >= len(lines):
            last = lines[-1][0] + 1 if lines else 1
            raise ThpackError(last, f"the file ends where {what} was expected")
        number, fields = lines[pos]
        pos += 1
        if len(fields) not in sizes:
            want = " or ".join(str(n) for n in sizes)
            raise ThpackError(
                number, f"{what}: expected {want} numbers, found {len(fields)} ({' '.join(fields)})"
            )
        try:
            values = [int(f) for f in fields]
        except ValueError:
            raise ThpackError(
                number, f"{what}: expected whole numbers, found {' '.join(fields)!r}"
            ) from None
        return number, values

    if not lines:
        raise ThpackError(None, "the file is empty")
    at, (count,) = take("the number of problems", 1)
    if count < 1:
        raise ThpackError(at, f"the number of problems must be at least 1, found {count}")
    problems = []
    for _ in range(count):
        _, head = take("a problem's number and seed", (1, 2))
        number, seed = head[0], (head[1] if len(head) > 1 else None)
        at, (length, width, height) = take(f"problem {number}: the container's dimensions", 3)
        if min(length, width, height) <= 0:
            raise ThpackError(at, f"problem {number}: container dimensions must be positive")
        at, (n,) = take(f"problem {number}: the number of box types", 1)
        if n < 1:
            raise ThpackError(at, f"problem {number}: the number of box types must be at least 1")
        cartons, ids = [], []
        for _ in range(n):
            at, v = take(f"problem {number}: a box line (type, 3 x (size, flag), quantity)", 8)
            tid, l_, fl, w, fw, h, fh, m = v
            if min(l_, w, h) <= 0 or m < 0:
                raise ThpackError(
                    at, f"problem {number}, box {tid}: sizes must be positive, quantity >= 0"
                )
            if {fl, fw, fh} - {0, 1} or not (fl or fw or fh):
                raise ThpackError(
                    at, f"problem {number}, box {tid}: flags are 0 or 1, at least one 1"
                )
            cartons.append(CartonType(str(tid), l_, w, h, m, vertical=(fl == 1, fw == 1, fh == 1)))
            ids.append(tid)
        problems.append(
            BenchmarkProblem(
                number,
                seed,
                Container(length, width, height, name=f"problem {number}"),
                cartons,
                ids,
            )
        )
    return problems


def cartons_that_cannot_fit(problem: BenchmarkProblem) -> list[tuple[int, CartonType]]:
    """The box types (with their ids) that fit the container in none of their orientations."""
    c = problem.container
    return [
        (tid, ct)
        for tid, ct in zip(problem.type_ids, problem.cartons, strict=True)
        if ct.quantity
        and not any(
            dx <= c.length and dy <= c.width and dz <= c.height for dx, dy, dz in ct.orientations()
        )
    ]


def plan_to_json(problem: BenchmarkProblem, plan: Plan) -> dict[str, object]:
    return {
        "problem": problem.number,
        "solver": "gendan block search",
        "utilisation": round(plan.utilisation * 100, 4),
        "stats": plan.stats,
        "placements": [
            {
                "type": problem.type_ids[p.carton],
                "x": p.x,
                "y": p.y,
                "z": p.z,
                "dx": p.dx,
                "dy": p.dy,
                "dz": p.dz,
            }
            for p in plan.placements
        ],
    }
