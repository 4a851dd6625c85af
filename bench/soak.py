"""The soak and load test: `python bench/soak.py --minutes 10 --users 20` (or `make soak`).

On PostgreSQL only, from nothing to a verdict:

1. creates a fresh database (``--db``, default ``gendan_soak_run`` on the server of
   GENDAN_SOAK_POSTGRES_URL or GENDAN_TEST_POSTGRES_URL), migrates it, loads the demo data
   (its logins) and issues one API token per role;
2. starts gunicorn with two workers and one `gendan worker`, production-like (DEBUG off);
3. runs locust headless (bench/soak_locustfile.py) with ``--users`` simulated users for
   ``--minutes`` over the real HTTP API and the Today page;
4. stops everything, then checks the database's invariants (`gendan check_invariants`:
   paid = the sum of receipts, shipped <= ordered, reserved <= on hand, every status change has
   its event, no document number twice);
5. prints and writes (``--out``, default bench/soak-results.json) the p95 of each flow, the
   requests, the count of 5xx (with their endpoint, body and the tracebacks of gunicorn's log)
   and the violations. Exit status 0 only with no 5xx, no failed request and no violation.

Needs the soak extra: `pip install -e '.[soak]'` (locust). Logs are kept under var/soak/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
ROLES = ["merch", "sales", "manager", "finance", "cashier", "production", "warehouse", "driver"]
TOKENS = f"""
import json
from gendan.accounts.models import User
from gendan.accounts.services import issue_token
tokens = {{}}
for name in {ROLES!r}:
    user = User.objects.get(username=name)
    tokens[name] = issue_token(user=user, actor=user, name="soak", days=2)[1]
print("TOKENS " + json.dumps(tokens))
"""


def _server_url() -> str:
    return (
        os.environ.get("GENDAN_SOAK_POSTGRES_URL")
        or os.environ.get("GENDAN_TEST_POSTGRES_URL")
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    )


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(url: str, name: str) -> str:
    """Drop and create `name` on the server of `url`; its URL."""
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return _with_database(url, name)


def gendan(*args: str, env: dict[str, str], log: Path | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gendan.cli", *args], env=env, capture_output=True, text=True
    )
    if log is not None:
        with log.open("a") as out:
            out.write(f"$ gendan {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    if done.returncode not in (0, 1) or (done.returncode == 1 and args[0] != "check_invariants"):
        raise SystemExit(f"gendan {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, seconds: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_stats(prefix: Path) -> list[dict[str, object]]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                continue
            rows.append(
                {
                    "flow": row["Name"],
                    "kind": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "median_ms": float(row["Median Response Time"] or 0),
                    "p95_ms": float(row["95%"] or 0) if row["95%"] != "N/A" else None,
                    "p99_ms": float(row["99%"] or 0) if row["99%"] != "N/A" else None,
                    "max_ms": float(row["Max Response Time"] or 0),
                }
            )
    return sorted(rows, key=lambda r: (r["kind"] != "FLOW", str(r["flow"])))


def read_failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as failures:
        return [
            {
                "method": r["Method"],
                "flow": r["Name"],
                "error": r["Error"][:500],
                "count": r["Occurrences"],
            }
            for r in csv.DictReader(failures)
        ]


def tracebacks(log: Path) -> list[str]:
    """Each traceback gunicorn's log holds (Django logs a 500's traceback to stderr)."""
    found, current = [], []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback") or (current and (line.startswith(" ") or not line.strip())):
            current.append(line)
            continue
        if current:
            current.append(line)  # the exception line
            found.append("\n".join(current))
            current = []
        elif line.startswith(("Internal Server Error", "ERROR")):
            found.append(line)
    if current:
        found.append("\n".join(current))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second")
    parser.add_argument("--db", default="gendan_soak_run", help="the database to (re)create")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--out", type=Path, default=HERE / "soak-results.json")
    args = parser.parse_args()

    logs = ROOT / "var" / "soak"
    shutil.rmtree(logs, ignore_errors=True)  # the previous run's logs and files
    logs.mkdir(parents=True)
    url = fresh_database(_server_url(), args.db)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gendan.settings",
        "GENDAN_DATABASE_URL": url,
        "GENDAN_VAR_DIR": str(logs / "var"),
        "GENDAN_DEBUG": "0",
        "GENDAN_SECRET_KEY": secrets.token_urlsafe(50),
        "GENDAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GENDAN_BASE_URL": f"http://127.0.0.1:{args.port}",
    }
    setup = logs / "setup.log"
    print(f"soak: fresh database {args.db}; migrating and loading the demo data ...", flush=True)
    started = time.monotonic()
    gendan("migrate", "--no-input", env=env, log=setup)
    gendan("load_demo", env=env, log=setup)
    out = gendan("shell", "-c", TOKENS, env=env)
    tokens = json.loads(next(line for line in out.splitlines() if line.startswith("TOKENS "))[7:])
    print(f"soak: ready in {time.monotonic() - started:.0f} s", flush=True)

    web_log, worker_log = logs / "gunicorn.log", logs / "worker.log"
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "gendan.wsgi",
            "-w",
            str(args.web_workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "60",
            "--error-logfile",
            str(web_log),
            "--access-logfile",
            str(logs / "access.log"),
            "--capture-output",  # the workers' stderr (Django's tracebacks of a 500) in the log
        ],
        env=env,
        cwd=ROOT,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "gendan.cli", "worker"],
        env=env,
        stdout=worker_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    host = f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()
    counts = logs / "counts.json"
    prefix = logs / "locust"
    try:
        wait_for(f"{host}/healthz")
        print(
            f"soak: {args.users} users for {args.minutes:g} min against gunicorn "
            f"({args.web_workers} workers) and one task worker at {host}",
            flush=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "soak_locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
                "--exit-code-on-error",
                "0",
            ],
            env={**env, "SOAK_TOKENS": json.dumps(tokens), "SOAK_COUNTS": str(counts)},
            check=True,
        )
    finally:
        load_after = os.getloadavg()
        stop(web)
        stop(worker, signal.SIGINT)
    print("soak: stopped; checking the invariants ...", flush=True)
    checked = json.loads(gendan("check_invariants", "--json", env=env))
    seen = json.loads(counts.read_text())
    stats = read_stats(prefix)
    failures = read_failures(prefix)
    requests = sum(int(r["requests"]) for r in stats if r["kind"] != "FLOW")
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": (
            f"python bench/soak.py --minutes {args.minutes:g} --users {args.users} "
            f"--spawn-rate {args.spawn_rate:g}"
        ),
        "setup": {
            "database": "postgresql",
            "web": f"gunicorn, {args.web_workers} workers",
            "task_workers": 1,
            "users": args.users,
            "minutes": args.minutes,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
        },
        "requests": requests,
        "server_errors": seen["server_errors"],
        "server_error_samples": seen["server_error_samples"],
        "gunicorn_tracebacks": tracebacks(web_log)[:20],
        "failed_requests": sum(int(r["failures"]) for r in stats),
        "failures": failures,
        "invariant_violations": checked["violations"],
        "invariants": checked["by_kind"],
        "violation_details": checked["details"],
        "orders_by_end_state": seen["lives"],
        "statuses": seen["statuses"],
        "flows": stats,
    }
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(f"\n{'flow':<44} {'requests':>9} {'fail':>5} {'median':>8} {'p95 ms':>8}")
    for row in stats:
        p95 = row["p95_ms"]
        print(
            f"{row['flow']:<44} {row['requests']:>9} {row['failures']:>5} "
            f"{row['median_ms']:>8.0f} {p95 if p95 is not None else '-':>8}"
        )
    print(
        f"\nrequests {requests}, 5xx {report['server_errors']}, failed {report['failed_requests']}, "
        f"invariant violations {report['invariant_violations']} {checked['by_kind']}"
    )
    print(f"written to {args.out}")
    ok = not (report["server_errors"] or report["failed_requests"] or checked["violations"])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
