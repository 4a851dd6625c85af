"""`gendan worker`: run the background tasks, supervised (gendan.jobs.worker).

django-tasks-db's `db_worker` with its options, whose loop survives a locked database or a lost
connection, records every task's outcome and writes a heartbeat (--heartbeat seconds) that
/healthz and the admin's list of workers read. --reload is off unless asked for: a reloaded
worker runs in a thread of its own, which a supervisor outside (systemd) cannot see.
"""

from __future__ import annotations

import os
import signal
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from gendan.jobs.worker import SupervisedWorker


class Command(DbWorkerCommand):
    help = "Run the background tasks (supervised, with a heartbeat)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=5.0,
            help="seconds between heartbeats (0: none) (default: %(default)r)",
        )

    def handle(self, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SupervisedWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            heartbeat=options["heartbeat"],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
            return
        caught = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]
        before = {s: signal.getsignal(s) for s in caught}
        worker.configure_signals()
        try:
            worker.run()
        finally:
            for sig, handler in before.items():  # a command called in-process leaves them be
                signal.signal(sig, handler)
