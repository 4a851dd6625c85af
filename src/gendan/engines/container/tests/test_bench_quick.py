"""The quick benchmark run: two problems of two classes at one second each, every plan judged
by the benchmark's own check.py in both variants (plain and --support 1.0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[5]
BENCH = REPO / ".." / "shared" / "benchmarks" / "container"


def test_quick_benchmark_run_has_no_invalid_plan(tmp_path):
    if not (BENCH / "check.py").exists():
        pytest.skip(f"the benchmark is not at {BENCH.resolve()} (shared folder absent)")
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "container_bench.py"),
            "--classes",
            "BR1,BR8",
            "--problems",
            "1-2",
            "--time-limit",
            "1",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [(r["class"], r["problem"]) for r in records] == [
        ("BR1", 1),
        ("BR1", 2),
        ("BR8", 1),
        ("BR8", 2),
    ]
    assert all(r["valid_plain"] and r["valid_support"] for r in records)
    assert all(r["unsupported"] == 0 for r in records)
    assert all(80 < r["utilisation"] < 100 for r in records)
    report = json.loads((tmp_path / "container-bench-gendan-1s-1-2.json").read_text())
    assert report["summary"]["invalid_plain"] == 0
    assert report["summary"]["invalid_support"] == 0
    assert "| BR8 | 2 |" in (tmp_path / "container-bench-gendan-1s-1-2.md").read_text()
