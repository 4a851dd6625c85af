"""`gendan worker`: django-tasks-db's database worker, supervised.

The library's loop lets an OperationalError out of its claim (SQLite's "database is locked" at
BEGIN EXCLUSIVE, a PostgreSQL connection that went away) and out of recording a task's
outcome; its process stays up, without a loop, and tasks wait for ever. Here:

- each turn of the loop that meets a database error (or any other error) drops the
  connection, waits (0.5 s doubling to 30 s, reset by the next good turn) and goes on: the loop
  never ends but by a signal, --batch or --max-tasks;
- a task that raises is marked failed with its error and traceback; writing a task's outcome
  is retried through a locked database or a lost connection, so no task stays "running";
- a heartbeat thread writes the worker's row (jobs.WorkerHeartbeat) every few seconds while the
  loop turns or runs a task, with the task it runs and its last error: a worker whose loop
  stopped (or hangs) goes stale on /healthz and in the admin's list of workers.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connection as db_connection
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from gendan.jobs import services

log = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)
BACKOFF_FIRST = 0.5
BACKOFF_MOST = 30.0


class SupervisedWorker(Worker):
    def __init__(
        self, *, heartbeat: float = 5.0, backoff_first: float = BACKOFF_FIRST, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.heartbeat = heartbeat
        self.backoff_first = backoff_first
        self.wake = threading.Event()  # set on shutdown: cuts a backoff or idle wait short
        self.troubles = 0  # failed turns in a row (the backoff's exponent)
        self.restarts = 0
        self.done = 0
        self.failed = 0
        self.last_turn = time.monotonic()
        self.task_id = ""
        self.last_error = ""
        self.last_error_at: Any = None

    # ---- the loop ----

    def run(self) -> None:
        log.info("worker %s: starting (queues %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # spreads workers started together
        beating = self._start_heartbeat()
        try:
            while self.running:
                try:
                    ran, found = self.turn()
                except Exception as exc:  # the loop restarts; it never leaves a dead thread
                    self._trouble(exc)
                    continue
                self.troubles = 0
                if self.batch and not found:
                    log.info("worker %s: no more tasks, exiting (--batch)", self.worker_id)
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    log.info("worker %s: ran %d tasks, exiting", self.worker_id, self._run_tasks)
                    return
                if self.running and not ran:
                    self.wake.wait(self.interval)
        finally:
            self.running = False
            self.wake.set()
            if beating is not None:
                beating.join(timeout=self.heartbeat + 5)
            self._beat(stopped=True)

    def turn(self) -> tuple[bool, bool]:
        """One turn: claim a ready task and run it. Returns (ran a task, the queue was read)."""
        self.last_turn = time.monotonic()
        close_old_connections()  # a long-lived process: drop a connection that broke or aged
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)  # no other worker takes it now
        if task_result is None:
            return False, False
        self.run_task(task_result)
        return True, True

    def _trouble(self, exc: Exception) -> None:
        """Note the error, drop the connection, and wait before the next turn."""
        self.troubles += 1
        self.restarts += 1
        self.last_error, self.last_error_at = f"{type(exc).__name__}: {exc}"[:2000], timezone.now()
        wait = min(BACKOFF_MOST, self.backoff_first * 2 ** min(self.troubles - 1, 16))
        if isinstance(exc, DB_ERRORS):
            log.warning("worker %s: %s; retrying in %.1f s", self.worker_id, exc, wait)
        else:
            log.exception(
                "worker %s: the loop failed; restarting it in %.1f s", self.worker_id, wait
            )
        _drop_connection()
        self.wake.wait(wait)

    # ---- one task ----

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run a claimed task and record its outcome: successful with its value, or failed with
        its error; the record is retried through database trouble."""
        self.running_task = True
        self.task_id = str(db_task_result.id)
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                sender = type(task.get_backend())
            except Exception as exc:  # the task cannot be loaded (moved, renamed, bad arguments)
                self.failed += 1
                log.exception("worker %s: task %s cannot be loaded", self.worker_id, self.task_id)
                self._record(partial(db_task_result.set_failed, exc))
                return
            task_started.send(sender=sender, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as exc:
                self.failed += 1
                log.warning("worker %s: task %s failed: %r", self.worker_id, self.task_id, exc)
                self._record(partial(db_task_result.set_failed, exc))
                task_finished.send(sender=sender, task_result=db_task_result.task_result)
                if not isinstance(exc, Exception):
                    raise  # a second Ctrl+C, SystemExit: after the outcome is written
                return
            try:
                self._record(partial(db_task_result.set_successful, value))
                self.done += 1
            except DB_ERRORS:
                raise
            except Exception as exc:  # the value cannot be stored (not JSON)
                self.failed += 1
                self._record(partial(db_task_result.set_failed, exc))
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self.task_id = ""
            self._run_tasks += 1

    def _record(self, write: Callable[[], None], attempts: int = 12) -> None:
        """Write a task's outcome, retried (with the backoff) through a locked database or a lost
        connection; the last error is raised after `attempts` (about five minutes)."""
        for attempt in range(1, attempts + 1):
            try:
                write()
                return
            except DB_ERRORS as exc:
                if attempt == attempts:
                    raise
                wait = min(BACKOFF_MOST, self.backoff_first * 2 ** (attempt - 1))
                log.warning(
                    "worker %s: recording task %s: %s; retrying in %.1f s",
                    self.worker_id,
                    self.task_id,
                    exc,
                    wait,
                )
                _drop_connection()
                time.sleep(wait)

    # ---- the heartbeat ----

    def alive(self) -> bool:
        """Whether the loop is taking tasks: running one, or turned within a few heartbeats."""
        if self.running_task:
            return True
        quiet = time.monotonic() - self.last_turn
        return quiet <= max(3 * self.heartbeat, self.interval + BACKOFF_MOST + self.heartbeat)

    def _start_heartbeat(self) -> threading.Thread | None:
        if self.heartbeat <= 0:
            return None
        self._beat(started=True)
        thread = threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True)
        thread.start()
        return thread

    def _heartbeat_loop(self) -> None:
        try:
            while not self.wake.wait(self.heartbeat):
                if self.alive():
                    self._beat()
        finally:
            db_connection.close()  # this thread's own connection

    def _beat(self, *, started: bool = False, stopped: bool = False) -> None:
        try:
            services.record_heartbeat(
                worker_id=self.worker_id,
                hostname=socket.gethostname(),
                pid=os.getpid(),
                task_id=self.task_id,
                done=self.done,
                failed=self.failed,
                restarts=self.restarts,
                last_error=self.last_error,
                last_error_at=self.last_error_at,
                started=started,
                stopped=stopped,
            )
        except DatabaseError as exc:  # the next beat tries again; a stale row is the alarm
            log.warning("worker %s: heartbeat not written: %s", self.worker_id, exc)
            _drop_connection()


def _drop_connection() -> None:
    try:
        db_connection.close()
    except DatabaseError:
        pass
