"""`gendan scheduler`: send each periodic job's due period to the task worker (`gendan worker`).

One process is enough; more are harmless (each (job, period) is claimed once in the database).
It only enqueues: the work runs in the workers.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from gendan.jobs import registry
from gendan.jobs.services import enqueue_due_jobs

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due onto the task worker, every --interval seconds."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            for job in registry.all_jobs():
                self.stdout.write(f"scheduler: {job.name} ({job.schedule.describe()})")
        while True:
            try:
                for run in enqueue_due_jobs():
                    self.stdout.write(f"scheduler: sent {run.job} for {run.period}")
            except Exception:
                if once:
                    raise
                log.exception("scheduler: the tick failed; the next one tries again")
            if once:
                return
            close_old_connections()  # a long-lived process: drop a connection that broke or aged
            if stop.wait(interval):
                return
