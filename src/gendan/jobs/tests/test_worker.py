"""The supervised worker: database trouble does not end its loop, a failing task is recorded as
failed with its error, and its heartbeat tells /healthz and the admin whether it is alive."""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from gendan.jobs import worker as worker_module
from gendan.jobs.models import WorkerHeartbeat
from gendan.jobs.worker import SupervisedWorker


@task()
def echo(value: str) -> str:
    return value


@task()
def boom(value: str) -> str:
    raise ValueError(f"no good: {value}")


@task()
def cut_my_connection() -> str:
    """Terminate this worker's own PostgreSQL session from outside, as a failover would."""
    pid = connection.cursor().connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    return "cut"


def a_worker(**kw) -> SupervisedWorker:
    options = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
        "heartbeat": 0,
        "backoff_first": 0.01,
    }
    return SupervisedWorker(**{**options, **kw})


def outcome(result) -> tuple[str, object]:
    row = DBTaskResult.objects.get(pk=result.id)
    return row.status, row.return_value


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_or_a_lost_connection_does_not_end_the_loop(monkeypatch):
    first, failing, second = echo.enqueue("a"), boom.enqueue("b"), echo.enqueue("c")
    calls = {"n": 0}
    troubles = {
        1: OperationalError("database is locked"),
        3: OperationalError("server closed the connection unexpectedly"),
    }

    @contextlib.contextmanager
    def flaky(using=None):
        calls["n"] += 1
        if calls["n"] in troubles:
            raise troubles[calls["n"]]
        with exclusive_transaction(using):
            yield

    monkeypatch.setattr(worker_module, "exclusive_transaction", flaky)
    worker = a_worker()
    worker.run()
    assert outcome(first) == ("SUCCESSFUL", "a")
    assert outcome(second) == ("SUCCESSFUL", "c")
    failed = DBTaskResult.objects.get(pk=failing.id)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "builtins.ValueError"
    assert "ValueError: no good: b" in failed.traceback
    assert (worker.restarts, worker.done, worker.failed) == (2, 2, 1)
    assert worker.last_error == "OperationalError: server closed the connection unexpectedly"


@pytest.mark.django_db(transaction=True)
def test_a_task_that_cannot_be_loaded_is_marked_failed_and_the_next_one_runs():
    gone, after = echo.enqueue("x"), echo.enqueue("after")
    DBTaskResult.objects.filter(pk=gone.id).update(task_path="gendan.jobs.tests.nowhere.task")
    worker = a_worker()
    worker.run()
    failed = DBTaskResult.objects.get(pk=gone.id)
    assert failed.status == "FAILED" and "nowhere" in failed.traceback
    assert outcome(after) == ("SUCCESSFUL", "after")


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_connection_is_cut_is_still_recorded_and_the_next_one_runs():
    if connection.vendor != "postgresql":
        pytest.skip("a server-side cut of the connection is PostgreSQL's")
    cut, after = cut_my_connection.enqueue(), echo.enqueue("after")
    worker = a_worker()
    worker.run()
    assert outcome(cut) == ("SUCCESSFUL", "cut")
    assert outcome(after) == ("SUCCESSFUL", "after")


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_tasks_and_leaves_its_heartbeat_row():
    done = echo.enqueue("via the command")
    call_command(
        "worker",
        "--batch",
        "--no-startup-delay",
        "--heartbeat",
        "0.2",
        "--worker-id",
        "cmd-worker",
        stdout=StringIO(),
    )
    assert outcome(done) == ("SUCCESSFUL", "via the command")
    beat = WorkerHeartbeat.objects.get(worker_id="cmd-worker")
    assert beat.stopped_at is not None and beat.tasks_done == 1 and beat.pid


def test_the_heartbeat_stops_when_the_loop_stops_turning():
    worker = a_worker(heartbeat=5)
    assert worker.alive()
    worker.last_turn -= 3600  # a loop that stopped (or hangs) an hour ago
    assert not worker.alive()
    worker.running_task = True  # a long task keeps it alive
    assert worker.alive()


def beat(worker_id: str, age: timedelta, *, stopped: bool = False) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, beat_at=now - age, stopped_at=now if stopped else None
    )


@pytest.mark.django_db
def test_healthz_reports_a_stale_heartbeat(client):
    assert client.get("/healthz").json()["worker"]["status"] == "absent"
    beat("w1", timedelta(minutes=5))
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "degraded"
    assert (body["worker"]["status"], body["worker"]["fresh"], body["worker"]["stale"]) == (
        "stale",
        0,
        1,
    )
    beat("w2", timedelta(seconds=3))
    body = client.get("/healthz").json()
    assert (body["status"], body["worker"]["status"], body["worker"]["fresh"]) == ("ok", "ok", 1)
    WorkerHeartbeat.objects.filter(worker_id="w2").update(stopped_at=timezone.now())
    assert client.get("/healthz").json()["worker"]["status"] == "stale"


@pytest.mark.django_db
def test_the_admin_lists_workers_with_their_state(client, users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    beat("quiet-one", timedelta(minutes=5))
    beat("lively-one", timedelta(seconds=1))
    page = client.get("/admin/jobs/workerheartbeat/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "quiet-one" in text and "lively-one" in text
    assert text.count(">stale<") == 1 and text.count(">ok<") == 1
