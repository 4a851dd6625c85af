"""Gendan's order life beside the Tryton peer's, alternating: `python bench/tryton_peer.py`.

Each pair runs the two sides one after the other in fresh processes (the order of the two swaps
from pair to pair, so neither always runs on a warmer or quieter machine):
- Gendan: `--lives` whole lives (create .. closed through the services, 12 durable transactions,
  5 lines) on a copy of a seeded SQLite database, after one warm-up life; the rate is the lives
  over the seconds they took, start-up and warm-up not counted;
- Tryton: `../shared/benchmarks/tryton/bench_orders.py` (its README) with `--orders` and `--batch`,
  its `full_life_orders_per_s` (its set-up is not counted either).
The ratio of each pair is Gendan's rate over Tryton's; the median of the pairs is the figure to
quote. The Tryton side needs its own virtual environment (`--tryton-python`, by default
`var/tryton-venv/bin/python`, made as its README says); without it the script says so and stops.
`bench/run.py --tryton PAIRS` runs the same comparison and puts the ratio in its table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TRYTON_BENCH = Path(
    os.environ.get("GENDAN_TRYTON_BENCH", ROOT.parent / "shared/benchmarks/tryton/bench_orders.py")
)
TRYTON_PYTHON = Path(os.environ.get("GENDAN_TRYTON_PYTHON", ROOT / "var/tryton-venv/bin/python"))
SEEDED = ROOT / "var/peer-seeded.sqlite3"


def _setup_django(url: str) -> None:
    os.environ["GENDAN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ.setdefault("GENDAN_SECRET_KEY", "bench-only-key-not-a-secret")
    import django

    django.setup()


def seeded_database(orders: int = 200) -> Path:
    """A SQLite database with `orders` seeded orders, made once and copied for each run."""
    if not SEEDED.exists():
        subprocess.run(
            [sys.executable, __file__, "seed", "--orders", str(orders)], check=True, cwd=ROOT
        )
    return SEEDED


def _seed(orders: int) -> None:
    SEEDED.parent.mkdir(exist_ok=True)
    _setup_django(f"sqlite:///{SEEDED}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed", orders=orders, verbosity=0)


def _gendan_life(url: str, lives: int) -> dict[str, Any]:
    _setup_django(url)
    sys.path.insert(0, str(HERE))
    import gendan_bench as gb

    inputs = gb._life_inputs()
    gb.one_life(*inputs)  # warm-up: permissions and templates read once per process
    start = time.perf_counter()
    cpu = time.process_time()
    for _ in range(lives):
        gb.one_life(*inputs)
    seconds = time.perf_counter() - start
    return {
        "lives": lives,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "orders_per_s": round(lives / seconds, 2),
    }


def run_gendan(lives: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "life.sqlite3"
        shutil.copyfile(seeded_database(), db)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "gendan-life",
                "--db",
                f"sqlite:///{db}",
                "--lives",
                str(lives),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_tryton(orders: int, batch: int) -> dict[str, Any]:
    out = subprocess.run(
        [str(TRYTON_PYTHON), str(TRYTON_BENCH), "--orders", str(orders), "--batch", str(batch)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def tryton_available() -> str:
    """Why the peer cannot run here, or '' when it can."""
    if not TRYTON_BENCH.exists():
        return f"no Tryton benchmark at {TRYTON_BENCH.name} (GENDAN_TRYTON_BENCH)"
    if not TRYTON_PYTHON.exists():
        return "no Tryton environment (make var/tryton-venv as the peer's README says)"
    return ""


def compare(pairs: int, lives: int, orders: int, batch: int) -> dict[str, Any]:
    """`pairs` alternations of the two sides; each pair's ratio and their median."""
    rows = []
    for i in range(pairs):
        sides = ["gendan", "tryton"] if i % 2 == 0 else ["tryton", "gendan"]
        got: dict[str, Any] = {}
        for side in sides:
            got[side] = run_gendan(lives) if side == "gendan" else run_tryton(orders, batch)
        g = got["gendan"]["orders_per_s"]
        t = got["tryton"]["full_life_orders_per_s"]
        rows.append({"first": sides[0], "gendan": g, "tryton": t, "ratio": round(g / t, 1)})
        print(f"pair {i + 1}: Gendan {g:.2f}/s, Tryton {t:.2f}/s, ratio {g / t:.1f}", flush=True)
    return {
        "pairs": rows,
        "median_ratio": round(statistics.median(r["ratio"] for r in rows), 1),
        "gendan_lives": lives,
        "tryton_orders": orders,
        "tryton_batch": batch,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "mode", nargs="?", default="compare", choices=["compare", "gendan-life", "seed"]
    )
    parser.add_argument("--db", help="gendan-life: the database URL")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--lives", type=int, default=60, help="Gendan lives per run")
    parser.add_argument("--orders", type=int, default=100, help="Tryton orders per run")
    parser.add_argument("--batch", type=int, default=100, help="Tryton orders per transaction")
    parser.add_argument("--out", help="write the comparison as JSON")
    args = parser.parse_args()
    if args.mode == "seed":
        _seed(args.orders)
        return 0
    if args.mode == "gendan-life":
        print(json.dumps(_gendan_life(args.db, args.lives)))
        return 0
    missing = tryton_available()
    if missing:
        print(f"The Tryton peer cannot run: {missing}.", file=sys.stderr)
        return 2
    result = compare(args.pairs, args.lives, args.orders, args.batch)
    print(f"median ratio over {args.pairs} pairs: {result['median_ratio']}x")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
