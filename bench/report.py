"""Markdown table of result files: `python bench/report.py bench/results-*.json` (for the docs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> int:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    names: list[str] = []
    for run in runs:
        names += [r["name"] for r in run["results"] if r["name"] not in names]
    heads = [f"{r['meta']['database']} {r['meta']['orders']:,}" for r in runs]
    print("| measure | " + " | ".join(heads) + " |")
    print("|---|" + "---|" * len(runs))
    for name in names:
        cells = []
        for run in runs:
            r = next((x for x in run["results"] if x["name"] == name), None)
            if r is None:
                cells.append("—")
            elif r["p95_ms"] is not None:
                cells.append(f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms, {r['queries']} q")
            elif r["per_s"] is not None:
                cells.append(f"{r['per_s']:,.1f}/s")
            elif r["mb"] is not None:
                cells.append(f"{r['mb']:.0f} MB")
            else:
                cells.append(r["note"] or "—")
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
