"""`gendan worker`'s own loop in a thread, for tests that drive a page while a task runs."""

from __future__ import annotations

import threading
from collections.abc import Callable

from gendan.jobs.worker import SupervisedWorker


def run_worker_until(done: Callable[[], bool], *, tries: int = 120) -> threading.Thread:
    """Take the queued tasks, again every half second, until `done()` (the task row is written
    just after the request's commit, so the first turn may find none). A thread: no signal
    handlers, no heartbeat thread."""

    def work() -> None:
        from django.db import connection

        worker = SupervisedWorker(
            queue_names=["default"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            heartbeat=0,
        )
        try:
            for _ in range(tries):
                worker.running = True
                worker.run()
                if done():
                    break
                threading.Event().wait(0.5)
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread
