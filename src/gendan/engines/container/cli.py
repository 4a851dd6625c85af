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
from gendan.engines.container.thpack import (
    BenchmarkProblem,
    ThpackError,
    cartons_that_cannot_fit,
    parse_thpack,
    plan_to_json,
)


def parse_range(text: str) -> list[int]:
    """'1-10', '3', '1,4,7-9' -> problem numbers (ValueError on anything else)."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def _problem_range(text: str) -> list[int]:
    try:
        wanted = parse_range(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of problem numbers: {text!r}") from None
    if not wanted:
        raise argparse.ArgumentTypeError("no problem numbers given")
    return wanted


def read_problems(path: Path) -> dict[int, BenchmarkProblem]:
    """The problems of a file by number; ThpackError (with the file named) on a bad one."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise ThpackError(None, "no such file") from None
    except UnicodeDecodeError as exc:
        raise ThpackError(None, f"not a text file (byte {exc.start} is not ASCII)") from None
    except OSError as exc:
        raise ThpackError(None, exc.strerror or str(exc)) from None
    return {p.number: p for p in parse_thpack(text)}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plan-container", description=__doc__.splitlines()[0])
    p.add_argument("--br", required=True, type=Path, help="problem file (thpack/BR format)")
    p.add_argument(
        "--problems",
        default="1-100",
        type=_problem_range,
        help="problem numbers, e.g. 1-10 or 1,5,9",
    )
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
    try:
        problems = read_problems(args.br)
    except ThpackError as exc:
        print(f"plan-container: {args.br}: {exc}", file=sys.stderr)
        return 2
    wanted = args.problems
    missing = [n for n in wanted if n not in problems]
    if missing:
        print(f"plan-container: {args.br}: problems not in the file: {missing}", file=sys.stderr)
        return 2
    for number in wanted:
        for tid, ct in cartons_that_cannot_fit(problems[number]):
            c = problems[number].container
            print(
                f"plan-container: warning: {args.br}: problem {number}, box {tid} "
                f"({ct.length}x{ct.width}x{ct.height}, {ct.quantity} cartons) fits the "
                f"container ({c.length}x{c.width}x{c.height}) in no allowed orientation; "
                "it is left out",
                file=sys.stderr,
            )
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
