"""Periodic jobs: the scheduler's tick and the worker's run, each once per (job, period).

The scheduler (`gendan scheduler`) calls `enqueue_due_jobs` every half minute: for each job the
latest due period gets its JobRun row (unique per job and period, so two schedulers make one) and
one task on the worker queue. The worker's task calls `run_job`, which locks that row, returns at
once when the period is done, and otherwise does the work and marks the row done in the same
transaction: two workers (or a task sent twice) never double a job. A failure rolls the work back
and is kept on the row; the scheduler sends the period again after the job's `retry_after`, up to
`max_attempts`.

Both are system steps, not user verbs: no person acts, so there is no actor to check.
"""

from __future__ import annotations

import logging
import time as clock
from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gendan.accounts.guards import step
from gendan.jobs import errors, locks, registry
from gendan.jobs.models import JobRun, RunStatus, WorkerHeartbeat

log = logging.getLogger(__name__)


@step
def enqueue_due_jobs(*, now: datetime | None = None) -> list[JobRun]:
    """The scheduler's tick: send each job's due period to the worker, unless it is sent already."""
    now = now or timezone.now()
    sent = []
    for job in registry.all_jobs():
        run = _enqueue_due(job, now)
        if run is not None:
            sent.append(run)
    return sent


def _enqueue_due(job: registry.Job, now: datetime) -> JobRun | None:
    period = job.schedule.due(now)
    with transaction.atomic(durable=True):
        run, created = JobRun.objects.get_or_create(
            job=job.name, period=period.key, defaults={"enqueued_at": now}
        )
        if not created:
            if not _to_send_again(run, job, now):
                return None
            # Only one scheduler moves the row on (the one whose update finds it as it read it).
            moved = JobRun.objects.filter(
                pk=run.pk, status=run.status, enqueued_at=run.enqueued_at
            ).update(status=RunStatus.QUEUED, enqueued_at=now)
            if not moved:
                return None
            run.status, run.enqueued_at = RunStatus.QUEUED, now
        transaction.on_commit(partial(_send, run.pk, job.name, period.key))
    return run


def _to_send_again(run: JobRun, job: registry.Job, now: datetime) -> bool:
    if run.status == RunStatus.QUEUED:  # sent, but no worker ran it (a lost or purged task)
        return run.enqueued_at <= now - job.requeue_after
    if run.status == RunStatus.FAILED:
        last = run.finished_at or run.enqueued_at
        return run.attempts < job.max_attempts and last <= now - job.retry_after
    return False


def _send(pk: int, job: str, period: str) -> None:
    from gendan.jobs.tasks import run_periodic_job

    result = run_periodic_job.enqueue(job, period)
    JobRun.objects.filter(pk=pk).update(task_id=str(result.id)[:64])


@step
def run_job(*, job: str, period: str) -> JobRun | None:
    """Run `job` for `period` exactly once. Returns the run this call did, None when the period
    was done already (by another worker, or by an earlier call)."""
    spec = registry.get(job)
    if spec is None:
        raise errors.unknown_job(job)
    try:
        when = spec.schedule.period(period)
    except ValueError as exc:
        raise errors.unknown_period(job, period) from exc
    started_at, started = timezone.now(), clock.perf_counter()
    try:
        with transaction.atomic(durable=True):
            run = locks.run_for_update(job, period)
            if run.status == RunStatus.DONE:
                return None
            started_at, started = timezone.now(), clock.perf_counter()
            result = spec.run(when) or {}
            run.status = RunStatus.DONE
            run.attempts = F("attempts") + 1
            run.started_at = started_at
            run.finished_at = timezone.now()
            run.duration_ms = round((clock.perf_counter() - started) * 1000)
            run.result = result
            run.error = ""
            run.save(
                update_fields=[
                    "status",
                    "attempts",
                    "started_at",
                    "finished_at",
                    "duration_ms",
                    "result",
                    "error",
                ]
            )
    except Exception as exc:
        log.exception("Periodic job %s for %s failed", job, period)
        _record_failure(job, period, started_at, started, exc)
        raise
    run.refresh_from_db()
    return run


def _record_failure(
    job: str, period: str, started_at: datetime, started: float, exc: Exception
) -> None:
    """Keep the failure on the row (the work itself was rolled back), unless a run succeeded."""
    try:
        with transaction.atomic(durable=True):
            run = locks.run_for_update(job, period)
            if run.status == RunStatus.DONE:
                return
            run.status = RunStatus.FAILED
            run.attempts = F("attempts") + 1
            run.started_at = started_at
            run.finished_at = timezone.now()
            run.duration_ms = round((clock.perf_counter() - started) * 1000)
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.save(
                update_fields=[
                    "status",
                    "attempts",
                    "started_at",
                    "finished_at",
                    "duration_ms",
                    "error",
                ]
            )
    except Exception:
        log.exception("Could not record the failure of %s for %s", job, period)


@step
def record_heartbeat(
    *,
    worker_id: str,
    hostname: str,
    pid: int,
    task_id: str = "",
    done: int = 0,
    failed: int = 0,
    restarts: int = 0,
    last_error: str = "",
    last_error_at: datetime | None = None,
    started: bool = False,
    stopped: bool = False,
) -> None:
    """A worker's heartbeat: its row says it is alive now (`started`: its loop began now;
    `stopped`: it exited)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            **({"started_at": now} if started else {}),
            "hostname": hostname[:255],
            "pid": pid,
            "beat_at": now,
            "stopped_at": now if stopped else None,
            "task_id": task_id[:64],
            "tasks_done": done,
            "tasks_failed": failed,
            "restarts": restarts,
            "last_error": last_error,
            "last_error_at": last_error_at,
        },
        create_defaults={"started_at": now},
    )
