#!/usr/bin/env python3
"""Container loading benchmark: the planner over Bischoff & Ratcliff BR0-BR15.

Plans the chosen problems (one at a time, or --jobs N at a time), has the benchmark's own
check.py judge every plan as soon as it is made, in both variants (plain and --support 1.0),
appends one JSON line per problem to results.jsonl in the output folder (an interrupted run
keeps what it did; --resume continues it), and writes a per-class table (JSON and markdown)
beside the published figures. --solver packingsolver runs packingsolver's box solver (no
support rule) instead, as the support-free reference; --report builds one table from the
results files of several runs.

    PYTHONPATH=src python bench/container_bench.py --problems 1-10 --time-limit 30 \\
        --out-dir var/bench-30s
    PYTHONPATH=src python bench/container_bench.py --problems 1-100 --time-limit 5 --jobs 2 \\
        --order interleaved --out-dir var/bench-5s
    PYTHONPATH=src python bench/container_bench.py --classes BR1,BR8 --problems 1-2 \\
        --time-limit 1 --out-dir var/bench-quick          # the quick run
    python bench/container_bench.py --report var/bench-30s/results.jsonl \\
        var/bench-ps/results.jsonl --out-dir var/bench-table

The data stays in ../shared/benchmarks/container (never copied into the repository).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

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


def parse_numbers(text: str) -> list[int]:
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


def check(data: Path, plans: Path, support: bool, max_errors: int = 10) -> dict[str, Any]:
    """The benchmark's own check.py on a plan file (plain, or with --support 1.0)."""
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


@functools.cache
def problems_of(cls: str) -> dict[int, Any]:
    from gendan.engines.container.thpack import parse_thpack

    data = BENCH_DIR / "data" / f"{cls}.txt"
    return {p.number: p for p in parse_thpack(data.read_text(encoding="ascii"))}


def packingsolver_plan(prob: Any, time_limit: float) -> dict[str, object]:
    """A plan of packingsolver's box solver (no support rule) in the benchmark's plan JSON."""
    import packingsolver.box as psb

    axes = {"X": 0, "Y": 1, "Z": 2}
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
    return {"problem": prob.number, "solver": "packingsolver box", "placements": placements}


def init_worker(solver: str, workers: int = 1) -> None:
    if solver == "gendan":
        from gendan.engines.container.model import CartonType, Container
        from gendan.engines.container.planner import plan_container, warm_up

        warm_up()
        if workers > 1:  # start the worker processes before the first timed plan
            plan_container(
                Container(4, 2, 2),
                [CartonType("a", 1, 1, 1, 3)],
                time_limit=None,
                max_nodes=5,
                workers=workers,
            )


def solve(task: dict[str, Any]) -> dict[str, Any]:
    """Plan one problem, write its plan file, judge it with check.py in both variants."""
    cls, number, solver = task["class"], task["problem"], task["solver"]
    prob = problems_of(cls)[number]
    started = time.perf_counter()
    nodes = None
    if solver == "gendan":
        from gendan.engines.container.planner import plan_container
        from gendan.engines.container.thpack import plan_to_json

        extra = {"workers": task["workers"]} if task["workers"] != 1 else {}
        plan = plan_container(
            prob.container,
            prob.cartons,
            time_limit=task["time_limit"],
            seed=task["seed"],
            **extra,
        )
        plan_json = plan_to_json(prob, plan)
        nodes = plan.stats["nodes"]
    else:
        plan_json = packingsolver_plan(prob, task["time_limit"])
    seconds = time.perf_counter() - started
    plan_dir = Path(task["out_dir"]) / "plans"
    plan_dir.mkdir(parents=True, exist_ok=True)
    plan_file = plan_dir / f"{solver}-{cls}-{number}.json"
    plan_file.write_text(json.dumps({"plans": [plan_json]}), encoding="utf-8")
    data = BENCH_DIR / "data" / f"{cls}.txt"
    plain = check(data, plan_file, support=False)["results"][0]
    full = check(data, plan_file, support=True, max_errors=100000)["results"][0]
    floating = len([e for e in full["errors"] if "supported" in e])
    return {
        **{k: task[k] for k in ("solver", "class", "problem", "time_limit", "seed", "workers")},
        "seconds": round(seconds, 2),
        "nodes": nodes,
        "utilisation": round(plain["utilization"], 4),
        "valid_plain": plain["valid"],
        "valid_support": full["valid"],
        "boxes": plain["boxes"],
        "unsupported": floating,
    }


def key(rec: dict[str, Any]) -> tuple:
    return tuple(rec[k] for k in ("solver", "class", "problem", "time_limit", "seed", "workers"))


def read_records(paths: list[Path]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.append(json.loads(line))
    return out


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def table(records: list[dict[str, Any]], classes: list[str]) -> dict[str, Any]:
    """Per-class rows and the BR1-7 / BR8-15 / BR1-15 means of gendan's records, with
    packingsolver's figures (and gendan's on the same problems) where there are any."""
    ours = [r for r in records if r["solver"] == "gendan"]
    theirs = [r for r in records if r["solver"] == "packingsolver"]
    rows = []
    for cls in classes:
        mine = [r for r in ours if r["class"] == cls]
        if not mine:
            continue
        valid = [r["utilisation"] for r in mine if r["valid_support"]]
        row: dict[str, Any] = {
            "class": cls,
            "problems": len(mine),
            "utilisation": mean(valid),
            "invalid_plain": sum(not r["valid_plain"] for r in mine),
            "invalid_support": sum(not r["valid_support"] for r in mine),
            "nodes_median": sorted(r["nodes"] for r in mine)[len(mine) // 2],
        }
        ps = [r for r in theirs if r["class"] == cls]
        if ps:
            numbers = {r["problem"] for r in ps}
            row["packingsolver_problems"] = len(ps)
            row["packingsolver"] = mean([r["utilisation"] for r in ps if r["valid_plain"]])
            row["packingsolver_unsupported_share"] = round(
                100 * sum(r["unsupported"] for r in ps) / max(sum(r["boxes"] for r in ps), 1), 1
            )
            row["gendan_same_problems"] = mean(
                [r["utilisation"] for r in mine if r["problem"] in numbers and r["valid_support"]]
            )
        rows.append(row)
    by = {r["class"]: r["utilisation"] for r in rows if r["utilisation"] is not None}
    summary = {
        "BR1-7": mean([by[c] for c in ALL_CLASSES[1:8] if c in by]),
        "BR8-15": mean([by[c] for c in ALL_CLASSES[8:] if c in by]),
        "BR1-15": mean([by[c] for c in ALL_CLASSES[1:] if c in by]),
        "plans": len(ours),
        "invalid_plain": sum(r["invalid_plain"] for r in rows),
        "invalid_support": sum(r["invalid_support"] for r in rows),
    }
    by_ps = {r["class"]: r["packingsolver"] for r in rows if r.get("packingsolver") is not None}
    if by_ps:
        summary["packingsolver_BR1-15"] = mean([by_ps[c] for c in ALL_CLASSES[1:] if c in by_ps])
        same = {r["class"]: r["gendan_same_problems"] for r in rows if "packingsolver" in r}
        summary["gendan_same_problems_BR1-15"] = mean(
            [same[c] for c in ALL_CLASSES[1:] if same.get(c) is not None]
        )
    return {"classes": rows, "summary": summary}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classes", default=",".join(ALL_CLASSES))
    ap.add_argument("--problems", default="1-10")
    ap.add_argument("--time-limit", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1, help="processes per plan (plan_container)")
    ap.add_argument("--jobs", type=int, default=1, help="problems planned at the same time")
    ap.add_argument(
        "--order",
        choices=["class", "interleaved"],
        default="class",
        help="class by class, or problem 1 of every class, then problem 2, ... (a run cut "
        "short then covers every class evenly)",
    )
    ap.add_argument("--solver", choices=["gendan", "packingsolver"], default="gendan")
    ap.add_argument("--resume", action="store_true", help="skip problems already in results")
    ap.add_argument(
        "--report",
        nargs="+",
        type=Path,
        metavar="RESULTS",
        help="no planning: one table from these results.jsonl files",
    )
    ap.add_argument("--out-dir", type=Path, default=REPO / "var" / "bench-container")
    args = ap.parse_args(argv)
    classes = args.classes.split(",")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.report:
        records = read_records(args.report)
        report = {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "sources": [str(p) for p in args.report],
            "time_limit_s": sorted({r["time_limit"] for r in records if r["solver"] == "gendan"}),
            "workers": sorted({r["workers"] for r in records if r["solver"] == "gendan"}),
            "seed": sorted({r["seed"] for r in records if r["solver"] == "gendan"}),
            "jobs": None,
            "machine": machine(),
            **table(records, classes),
        }
        write_report(report, args.out_dir, "container-bench-report")
        return 0 if report["summary"]["invalid_support"] == 0 else 1
    if not (BENCH_DIR / "check.py").exists():
        print(f"benchmark not found at {BENCH_DIR.resolve()}", file=sys.stderr)
        return 2
    numbers = parse_numbers(args.problems)
    if args.order == "class":
        pairs = [(c, n) for c in classes for n in numbers]
    else:
        pairs = [(c, n) for n in numbers for c in classes]
    tasks = [
        {
            "solver": args.solver,
            "class": c,
            "problem": n,
            "time_limit": args.time_limit,
            "seed": args.seed,
            "workers": args.workers,
            "out_dir": str(args.out_dir),
        }
        for c, n in pairs
    ]
    results = args.out_dir / "results.jsonl"
    if not args.resume:
        results.write_text("", encoding="utf-8")
    done = {key(r) for r in read_records([results])}
    todo = [t for t in tasks if key(t) not in done]
    started = time.time()

    def record(rec: dict[str, Any]) -> None:
        with results.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec) + "\n")
        flag = "" if rec["valid_plain"] and rec["valid_support"] else "  INVALID"
        print(
            f"{rec['class']} problem {rec['problem']}: {rec['utilisation']:.2f}% "
            f"({rec['nodes']} nodes, {rec['seconds']:.1f} s){flag}",
            flush=True,
        )

    if args.jobs <= 1:
        init_worker(args.solver, args.workers)
        for t in todo:
            record(solve(t))
    else:
        with ProcessPoolExecutor(
            args.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(args.solver, args.workers),
        ) as pool:
            for fut in as_completed([pool.submit(solve, t) for t in todo]):
                record(fut.result())
    wanted = {key(t) for t in tasks}
    records = [r for r in read_records([results]) if key(r) in wanted]
    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "time_limit_s": [args.time_limit],
        "problems": args.problems,
        "seed": [args.seed],
        "workers": [args.workers],
        "jobs": args.jobs,
        "machine": machine(),
        "wall_clock_s": round(time.time() - started),
        **table(records, classes),
    }
    stem = f"container-bench-{args.solver}-{args.time_limit:g}s-{args.problems}"
    write_report(report, args.out_dir, stem)
    s = report["summary"]
    return 0 if s["invalid_plain"] == 0 and s["invalid_support"] == 0 else 1


def write_report(report: dict[str, Any], out_dir: Path, stem: str) -> None:
    (out_dir / f"{stem}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (out_dir / f"{stem}.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


def markdown(report: dict[str, Any]) -> str:
    rows = report["classes"]
    has_ps = any("packingsolver" in r for r in rows)
    m = report["machine"]
    limits = "/".join(f"{t:g}" for t in report["time_limit_s"])
    jobs = report.get("jobs")
    at_a_time = "" if jobs is None else ("one at a time" if jobs == 1 else f"{jobs} at a time")
    lines = [
        f"Measured {report['date']}: {limits} s per problem, "
        + (f"{at_a_time}, " if at_a_time else "")
        + f"workers {report['workers']}, seed {report['seed']}; machine: {m['cores']} cores, "
        f"{m['memory_gb']} GB, {m['cpu']}, Python {m['python']}.",
        "",
        "| class | problems | gendan, full support (%) | invalid plain | invalid support 1.0 |"
        " median nodes |"
        + (
            " packingsolver box, no support: problems | its fill (%) |"
            " its cartons not fully supported (%) | gendan on the same problems (%) |"
            if has_ps
            else ""
        ),
        "|---|---|---|---|---|---|" + ("---|---|---|---|" if has_ps else ""),
    ]
    for r in rows:
        line = (
            f"| {r['class']} | {r['problems']} | {r['utilisation']} | "
            f"{r['invalid_plain']} | {r['invalid_support']} | {r['nodes_median']} |"
        )
        if has_ps:
            line += (
                f" {r.get('packingsolver_problems', '')} | {r.get('packingsolver', '')} |"
                f" {r.get('packingsolver_unsupported_share', '')} |"
                f" {r.get('gendan_same_problems', '')} |"
            )
        lines.append(line)
    s = report["summary"]
    lines += [
        "",
        "| method | BR1–7 | BR8–15 | BR1–15 | time per problem |",
        "|---|---|---|---|---|",
        f"| **gendan block search (full support), this run** | {s['BR1-7']} | {s['BR8-15']} | "
        f"{s['BR1-15']} | {limits} s |",
    ]
    if "packingsolver_BR1-15" in s:
        lines.append(
            f"| packingsolver box (no support), this run's subset | | | "
            f"{s['packingsolver_BR1-15']} (gendan on the same problems: "
            f"{s['gendan_same_problems_BR1-15']}) | |"
        )
    for name, a, b, c, t in PUBLISHED:
        lines.append(f"| {name} | {a or ''} | {b or ''} | {c or ''} | {t} |")
    lines.append("")
    lines.append(
        f"Plans: {s['plans']}. Invalid plans: {s['invalid_plain']} (plain check), "
        f"{s['invalid_support']} (check with --support 1.0)."
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
