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


def parse_thpack(text: str) -> list[BenchmarkProblem]:
    lines = [ln.split() for ln in text.splitlines() if ln.split()]
    pos = 0

    def take() -> list[int]:
        nonlocal pos
        fields = [int(f) for f in lines[pos]]
        pos += 1
        return fields

    (count,) = take()
    problems = []
    for _ in range(count):
        head = take()
        number, seed = head[0], (head[1] if len(head) > 1 else None)
        length, width, height = take()
        (n,) = take()
        cartons, ids = [], []
        for _ in range(n):
            v = take()
            if len(v) != 8:
                raise ValueError(f"problem {number}: malformed box line {v}")
            tid, l_, fl, w, fw, h, fh, m = v
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
