"""Two schedulers, two workers at the same moment: each (job, period) is sent once and run once.

Real threads, each with its own database connection. PostgreSQL only: SQLite takes one writer at
a time for the whole file, so the row locks under test do not exist there (the sequential tests
in test_services.py cover SQLite).
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django_tasks_db.models import DBTaskResult

from gendan.jobs import registry
from gendan.jobs.models import JobRun, RunStatus
from gendan.jobs.registry import Daily, Job, Period
from gendan.jobs.services import enqueue_due_jobs, run_job

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="parallel writers need PostgreSQL: SQLite serialises every write on the whole file",
    ),
]


def in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=30)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a run is still blocked"
    return results


class SlowWork:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, period: Period) -> dict:
        with self.lock:
            self.calls.append(period.key)
        Group.objects.create(name=f"job-{period.key}-{len(self.calls)}")
        clock.sleep(0.5)  # the other worker arrives while this one holds the claim
        return {}


@pytest.mark.parametrize("scheduled_first", [True, False], ids=["row-made-by-scheduler", "no-row"])
def test_two_workers_running_the_same_period_at_once_run_it_once(scheduled_first):
    work = SlowWork()
    with registry.only(Job(name="test.slow", label="slow", schedule=Daily(at=time(1)), run=work)):
        if scheduled_first:
            JobRun.objects.create(job="test.slow", period="2026-05-02")
        results = in_parallel(*[lambda: run_job(job="test.slow", period="2026-05-02")] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(r is not None for r in results) == 1
    assert work.calls == ["2026-05-02"]
    assert Group.objects.filter(name__startswith="job-").count() == 1
    run = JobRun.objects.get()
    assert (run.status, run.attempts) == (RunStatus.DONE, 1)


def test_two_schedulers_ticking_at_once_send_the_period_once():
    with registry.only(
        Job(name="test.slow", label="slow", schedule=Daily(at=time(1)), run=SlowWork())
    ):
        results = in_parallel(*[enqueue_due_jobs] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(len(r) for r in results) == 1
    assert JobRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
