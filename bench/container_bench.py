#!/usr/bin/env python3
"""Container loading benchmark: the planner over Bischoff & Ratcliff BR0-BR15.

Runs the planner one problem at a time, writes each class's plans in the benchmark's plan
JSON, has the benchmark's own check.py judge them in both variants (plain and --support 1.0),
and writes a per-class table (JSON and markdown) beside the published figures. With
--packingsolver it also runs packingsolver's box solver (no support rule) as the reference.

    PYTHONPATH=src python bench/container_bench.py --problems 1-10 --time-limit 5
    PYTHONPATH=src python bench/container_bench.py --classes BR1,BR8 --problems 1-2 \\
        --time-limit 1 --out-dir var/bench-quick          # the quick run

The data stays in ../shared/benchmarks/container (never copied into the repository).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from gendan.engines.container.cli import parse_range  # noqa: E402
from gendan.engines.container.planner import plan_container, warm_up  # noqa: E402
from gendan.engines.container.thpack import parse_thpack, plan_to_json  # noqa: E402

BENCH_DIR = REPO / ".." / "shared" / "benchmarks" / "container"
ALL_CLASSES = [f"BR{i}" for i in range(16)]

# The published figures, from the benchmark's README (mean utilisation %).
PUBLISHED = [
    ("greedy wall-building floor (full support)", 86.80, 80.30, 83.33, "< 1 s"),
    ("Parreño et al. 2008, GRASP (unsupported)", None, None, 91.05, "100 s"),
    ("Fanslau & Bortfeldt 2010, CLTRS (unsupported)", None, None, 93.88, "320 s"),
    ("Gonçalves & Resende 2012, BRKGA (unsupported)", None, None, 94.54, "147 s"),
    ("Zhu & Lim 2012, ID-GLTS (unsupported)", None, None, 94.98, "500 s"),
    ("Araya & Riff 2014, BSG (unsupported)", None, None, 95.40, "500 s"),
    ("Araya, Guerrero & Nuñez 2017, VCS (unsupported)", 96.19, 94.95, 95.53, "30 s"),
    ("Araya, Guerrero & Nuñez 2017, VCS (full support)", 94.95, 91.14, 92.92, "30 s"),
    ("Araya, Guerrero & Nuñez 2017, VCS (full support)", 95.21, 91.76, 93.37, "150 s"),
    ("Guesser et al. 2026 (unsupported; the record)", None, None, 95.91, "30 s"),
]


def machine() -> dict[str, object]:
    mem_gb = None
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def check(data: Path, plans: Path, support: bool, max_errors: int = 10) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(BENCH_DIR / "check.py"),
        str(data),
        str(plans),
        "--json",
        "--max-errors",
        str(max_errors),
    ]
    if support:
        cmd += ["--support", "1.0"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode == 2:
        raise SystemExit(f"check.py could not read its input: {proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def packingsolver_plans(problems: list, time_limit: float) -> list[dict[str, object]] | None:
    """Plans of packingsolver's box solver (no support rule), or None without the package."""
    try:
        import packingsolver.box as psb
    except ImportError:
        return None
    out = []
    axes = {"X": 0, "Y": 1, "Z": 2}
    for prob in problems:
        ib = psb.InstanceBuilder()
        ib.set_objective(psb.Objective.Knapsack)
        c = prob.container
        ib.add_bin_type(c.length, c.width, c.height)
        for ct in prob.cartons:
            rots = [r for name, r in psb.Rotation.__members__.items() if ct.vertical[axes[name[2]]]]
            ib.add_item_type(ct.length, ct.width, ct.height, rotations=rots, copies=ct.quantity)
        params = psb.OptimizeParameters()
        params.time_limit = time_limit
        params.verbosity_level = 0
        sol = psb.optimize(ib.build(), params).solution
        placements = []
        for b in range(sol.number_of_different_bins()):
            for it in sol.bin(b).items:
                ct = prob.cartons[it.item_type_id]
                name = it.rotation.name
                dims = ct.dims
                dx, dy, dz = (dims[axes[name[k]]] for k in range(3))
                placements.append(
                    {
                        "type": prob.type_ids[it.item_type_id],
                        "x": it.x,
                        "y": it.y,
                        "z": it.z,
                        "dx": dx,
                        "dy": dy,
                        "dz": dz,
                    }
                )
            break  # one container
        out.append(
            {"problem": prob.number, "solver": "packingsolver box", "placements": placements}
        )
    return out


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classes", default=",".join(ALL_CLASSES))
    ap.add_argument("--problems", default="1-10")
    ap.add_argument("--time-limit", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--packingsolver",
        action="store_true",
        help="also run packingsolver's box solver (if installed)",
    )
    ap.add_argument("--out-dir", type=Path, default=REPO / "var" / "bench-container")
    args = ap.parse_args(argv)
    if not (BENCH_DIR / "check.py").exists():
        print(f"benchmark not found at {BENCH_DIR.resolve()}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    numbers = parse_range(args.problems)
    warm_up()
    rows = []
    started = time.time()
    for cls in args.classes.split(","):
        data = BENCH_DIR / "data" / f"{cls}.txt"
        problems = {p.number: p for p in parse_thpack(data.read_text(encoding="ascii"))}
        chosen = [problems[n] for n in numbers]
        plans = []
        for prob in chosen:
            plan = plan_container(
                prob.container, prob.cartons, time_limit=args.time_limit, seed=args.seed
            )
            plans.append(plan_to_json(prob, plan))
            print(
                f"{cls} problem {prob.number}: {plan.utilisation * 100:.2f}% "
                f"({plan.stats['nodes']:.0f} nodes)",
                flush=True,
            )
        plan_file = args.out_dir / f"{cls}-plans.json"
        plan_file.write_text(json.dumps({"plans": plans}), encoding="utf-8")
        plain = check(data, plan_file, support=False)["summary"]
        full = check(data, plan_file, support=True)["summary"]
        row = {
            "class": cls,
            "problems": len(chosen),
            "utilisation": round(full["mean_utilization_valid"], 2),
            "invalid_plain": plain["invalid"],
            "invalid_support": full["invalid"],
        }
        ps = packingsolver_plans(chosen, args.time_limit) if args.packingsolver else None
        if ps is not None:
            ps_file = args.out_dir / f"{cls}-packingsolver.json"
            ps_file.write_text(json.dumps({"plans": ps}), encoding="utf-8")
            ps_plain = check(data, ps_file, support=False)
            ps_full = check(data, ps_file, support=True, max_errors=100000)
            floating = sum(
                len([e for e in r["errors"] if "supported" in e]) for r in ps_full["results"]
            )
            boxes = sum(r["boxes"] for r in ps_full["results"])
            row["packingsolver"] = round(ps_plain["summary"]["mean_utilization_valid"], 2)
            row["packingsolver_invalid_plain"] = ps_plain["summary"]["invalid"]
            row["packingsolver_unsupported_share"] = round(100 * floating / max(boxes, 1), 1)
        rows.append(row)
        print(f"== {cls}: {row}", flush=True)
    by = {r["class"]: r["utilisation"] for r in rows}
    summary = {
        "BR1-7": mean([by[c] for c in ALL_CLASSES[1:8] if c in by]),
        "BR8-15": mean([by[c] for c in ALL_CLASSES[8:] if c in by]),
        "BR1-15": mean([by[c] for c in ALL_CLASSES[1:] if c in by]),
        "invalid_plain": sum(r["invalid_plain"] for r in rows),
        "invalid_support": sum(r["invalid_support"] for r in rows),
    }
    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "time_limit_s": args.time_limit,
        "problems": args.problems,
        "seed": args.seed,
        "machine": machine(),
        "wall_clock_s": round(time.time() - started),
        "classes": rows,
        "summary": summary,
    }
    stem = f"container-bench-{args.time_limit:g}s-{args.problems}"
    (args.out_dir / f"{stem}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (args.out_dir / f"{stem}.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0 if summary["invalid_plain"] == 0 and summary["invalid_support"] == 0 else 1


def markdown(report: dict) -> str:
    rows = report["classes"]
    has_ps = any("packingsolver" in r for r in rows)
    m = report["machine"]
    lines = [
        f"Measured {report['date']}: problems {report['problems']} of each class, "
        f"{report['time_limit_s']:g} s per problem, one at a time, seed {report['seed']}; "
        f"machine: {m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}, Python {m['python']}.",
        "",
        "| class | problems | gendan, full support (%) | invalid plain | invalid support 1.0 |"
        + (
            " packingsolver box, no support (%) | its cartons not fully supported (%) |"
            if has_ps
            else ""
        ),
        "|---|---|---|---|---|" + ("---|---|" if has_ps else ""),
    ]
    for r in rows:
        line = (
            f"| {r['class']} | {r['problems']} | {r['utilisation']:.2f} | "
            f"{r['invalid_plain']} | {r['invalid_support']} |"
        )
        if has_ps:
            line += (
                f" {r.get('packingsolver', '')} | {r.get('packingsolver_unsupported_share', '')} |"
            )
        lines.append(line)
    s = report["summary"]
    lines += [
        "",
        "| method | BR1–7 | BR8–15 | BR1–15 | time per problem |",
        "|---|---|---|---|---|",
        f"| **gendan block search (full support), this run** | {s['BR1-7']} | {s['BR8-15']} | "
        f"{s['BR1-15']} | {report['time_limit_s']:g} s |",
    ]
    for name, a, b, c, t in PUBLISHED:
        lines.append(f"| {name} | {a or ''} | {b or ''} | {c or ''} | {t} |")
    lines.append("")
    lines.append(
        f"Invalid plans: {s['invalid_plain']} (plain check), {s['invalid_support']} "
        "(check with --support 1.0)."
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
