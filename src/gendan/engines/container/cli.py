"""``plan-container``: plan benchmark problems (thpack/BR format) into the benchmark's plan JSON.

    python -m gendan.engines.container.cli --br BR7.txt --problems 1-10 --time-limit 5 \\
        --out plans.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from gendan.engines.container.planner import plan_container, warm_up
from gendan.engines.container.thpack import parse_thpack, plan_to_json


def parse_range(text: str) -> list[int]:
    """'1-10', '3', '1,4,7-9' -> problem numbers."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plan-container", description=__doc__.splitlines()[0])
    p.add_argument("--br", required=True, type=Path, help="problem file (thpack/BR format)")
    p.add_argument("--problems", default="1-100", help="problem numbers, e.g. 1-10 or 1,5,9")
    p.add_argument("--time-limit", type=float, default=5.0, help="seconds per problem")
    p.add_argument(
        "--max-nodes",
        type=int,
        default=None,
        help="greedy completions per problem (deterministic budget)",
    )
    p.add_argument(
        "--support",
        choices=("full", "none"),
        default="full",
        help="full: every carton fully supported (default); none: benchmark's unsupported variant",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--workers", type=int, default=1, help="processes per plan (search variants in parallel)"
    )
    p.add_argument("--out", required=True, type=Path, help="plans JSON file to write")
    p.add_argument("--quiet", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problems = {p.number: p for p in parse_thpack(args.br.read_text(encoding="ascii"))}
    wanted = parse_range(args.problems)
    missing = [n for n in wanted if n not in problems]
    if missing:
        print(f"problems not in {args.br}: {missing}", file=sys.stderr)
        return 2
    warm_up()
    plans = []
    total = 0.0
    for k, number in enumerate(wanted, 1):
        prob = problems[number]
        started = time.perf_counter()
        plan = plan_container(
            prob.container,
            prob.cartons,
            time_limit=args.time_limit,
            max_nodes=args.max_nodes,
            seed=args.seed,
            support=args.support == "full",
            workers=args.workers,
        )
        plans.append(plan_to_json(prob, plan))
        total += plan.utilisation * 100
        if not args.quiet:
            print(
                f"[{k}/{len(wanted)}] {args.br.name} problem {number}: "
                f"{plan.utilisation * 100:.2f}% ({len(plan.placements)} cartons, "
                f"{time.perf_counter() - started:.1f} s); mean {total / k:.2f}%",
                flush=True,
            )
    args.out.write_text(json.dumps({"plans": plans}) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
