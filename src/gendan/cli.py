"""The `gendan` command: Django's manage.py with the project's own verbs.

gendan demo [--port 8000]     migrate, load the demo data (idempotent), serve on 127.0.0.1
gendan serve [--port 8000]    serve (development server; use gunicorn in production)
gendan worker                 run background tasks (supervised, with a heartbeat); one or more
gendan scheduler              enqueue the periodic jobs when due (one is enough; more are harmless)
gendan create-token USERNAME  print a new API token for a user
gendan import-orders FILE     import an .xlsx of orders (all or nothing)
gendan export-orders FILE     export orders to .xlsx in the import format
gendan load-demo              load the demo data
gendan plan-container ...     plan container loads on a benchmark file
gendan seed --orders N [--seed S] [--append]   a realistic company for benchmarks (bench/run.py)
gendan backtest-forecast --seed N [--days D ...]   replay a factory history, score the forecast
gendan <any manage.py command>
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys

ALIASES = {
    "create-token": "create_token",
    "import-orders": "import_orders",
    "export-orders": "export_orders",
    "load-demo": "load_demo",
    "backtest-forecast": "backtest_forecast",
}


def _port(args: list[str]) -> str:
    if "--port" in args:
        return args[args.index("--port") + 1]
    return os.environ.get("PORT", "8000")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    command = argv[1] if len(argv) > 1 else "help"
    if command == "plan-container":
        from gendan.engines.container.cli import main as plan

        return plan(argv[2:])
    from django.core.exceptions import ImproperlyConfigured

    try:
        return _run(argv, command)
    except ImproperlyConfigured as exc:  # the settings refuse to load (no secret key, say)
        print(f"gendan: {exc}", file=sys.stderr)
        return 2


def _run(argv: list[str], command: str) -> int:
    from django.core.management import execute_from_command_line

    if command == "demo":
        os.environ.setdefault("GENDAN_DEBUG", "1")
        from django.conf import settings

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        port = _port(argv)
        execute_from_command_line([argv[0], "migrate", "--no-input", "-v", "0"])
        execute_from_command_line([argv[0], "load_demo"])
        # The demo runs one background worker beside the server (loading plans), and the
        # scheduler that sends it the periodic jobs.
        worker = subprocess.Popen([sys.executable, "-m", "gendan.cli", "worker"])
        atexit.register(worker.terminate)
        scheduler = subprocess.Popen([sys.executable, "-m", "gendan.cli", "scheduler"])
        atexit.register(scheduler.terminate)
        print(
            f"\nGendan is serving at http://127.0.0.1:{port}/  (API docs: http://127.0.0.1:{port}/api/v1/docs)\n"
        )
        execute_from_command_line(
            [argv[0], "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
        )
        return 0
    if command == "serve":
        execute_from_command_line([argv[0], "runserver", f"127.0.0.1:{_port(argv)}", "--noreload"])
        return 0
    argv[1:2] = [ALIASES.get(command, command)]
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
