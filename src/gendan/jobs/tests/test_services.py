"""Periodic jobs: due periods, one run per (job, period), failures kept and retried, housekeeping."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gendan.errors import DomainError
from gendan.jobs import housekeeping, registry
from gendan.jobs.models import JobRun, RunStatus
from gendan.jobs.registry import Daily, Every, Job, Period
from gendan.jobs.services import enqueue_due_jobs as tick_in_transaction
from gendan.jobs.services import run_job
from gendan.jobs.tasks import run_periodic_job

SHANGHAI = timezone.get_default_timezone()


def enqueue_due_jobs(*, now: datetime) -> list[JobRun]:
    """The scheduler's tick, its after-commit sends run (the test itself is one transaction)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return tick_in_transaction(now=now)


def at(text: str) -> datetime:
    """A wall-clock moment in the project's time zone."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Work:
    """A job's work that leaves a row (rolled back with a failure) and counts its calls."""

    def __init__(self, fail: int = 0) -> None:
        self.calls: list[str] = []
        self.fail = fail

    def __call__(self, period: Period) -> dict:
        self.calls.append(period.key)
        Group.objects.create(name=f"job-{period.key}-{len(self.calls)}")
        if len(self.calls) <= self.fail:
            raise RuntimeError("the printer is on fire")
        return {"day": period.day.isoformat()}


def a_job(work: Work, schedule=None, **kwargs) -> Job:
    return Job(
        name="test.daily",
        label="test",
        schedule=schedule or Daily(at=time(2, 30)),
        run=work,
        **kwargs,
    )


# ---- schedules ----------------------------------------------------------------------------------


def test_a_daily_job_is_due_from_its_time_in_shanghai_and_belongs_to_that_day():
    daily = Daily(at=time(2, 30))
    # 02:29 in Shanghai is still yesterday's period; 02:30 is today's
    assert daily.due(at("2026-05-02T02:29")).key == "2026-05-01"
    assert daily.due(at("2026-05-02T02:30")).key == "2026-05-02"
    # 2026-05-01 19:00 UTC is 2026-05-02 03:00 in Shanghai
    assert daily.due(datetime(2026, 5, 1, 19, 0, tzinfo=UTC)).key == "2026-05-02"
    period = daily.period("2026-05-02")
    assert (period.start, period.end) == (at("2026-05-02T02:30"), at("2026-05-03T02:30"))
    assert period.day.isoformat() == "2026-05-02"


def test_an_every_n_minutes_job_has_one_period_per_slot_of_the_local_day():
    quarter = Every(minutes=15)
    assert quarter.due(at("2026-05-02T10:29:59")).key == "2026-05-02T10:15"
    assert quarter.due(at("2026-05-02T10:30")).key == "2026-05-02T10:30"
    assert quarter.period("2026-05-02T10:30").end == at("2026-05-02T10:45")
    with pytest.raises(ValueError, match="must divide a day"):
        Every(minutes=7)


def test_two_jobs_may_not_share_a_name():
    first = a_job(Work())
    with registry.register_temporarily(first), pytest.raises(ValueError, match="already"):
        registry.register(a_job(Work(), schedule=Every(minutes=5)))


def test_housekeeping_is_registered_by_the_jobs_app():
    job = registry.get("jobs.housekeeping")
    assert job is housekeeping.HOUSEKEEPING
    assert job.schedule == Daily(at=time(3, 30))


# ---- the scheduler's tick -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tick_sends_the_due_period_once_however_often_it_runs():
    work = Work()
    with registry.only(a_job(work)):
        # when the scheduler ticks three times in the same day
        sent = enqueue_due_jobs(now=at("2026-05-02T09:00"))
        enqueue_due_jobs(now=at("2026-05-02T09:00:30"))
        enqueue_due_jobs(now=at("2026-05-02T09:01"))
    # then one run is queued for the day and one task waits for the worker
    assert [(r.job, r.period, r.status) for r in sent] == [("test.daily", "2026-05-02", "queued")]
    assert JobRun.objects.count() == 1
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": ["test.daily", "2026-05-02"], "kwargs": {}}
    assert JobRun.objects.get().task_id == str(task.id)
    assert work.calls == []  # the scheduler only enqueues


@pytest.mark.django_db(transaction=True)  # the worker recycles its connection
def test_a_run_still_queued_after_an_hour_is_sent_again_and_runs_once():
    work = Work()
    with registry.only(a_job(work)):
        enqueue_due_jobs(now=at("2026-05-02T09:00"))
        DBTaskResult.objects.all().delete()  # the task was lost
        assert enqueue_due_jobs(now=at("2026-05-02T09:59")) == []
        assert len(enqueue_due_jobs(now=at("2026-05-02T10:00"))) == 1
        assert DBTaskResult.objects.count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert work.calls == ["2026-05-02"]
    assert JobRun.objects.get().status == RunStatus.DONE


@pytest.mark.django_db(transaction=True)  # the worker recycles its connection
def test_the_worker_runs_what_the_scheduler_sent():
    work = Work()
    with registry.only(a_job(work)):
        enqueue_due_jobs(now=at("2026-05-02T09:00"))
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        # a later tick of the same day sends nothing more
        assert enqueue_due_jobs(now=at("2026-05-02T23:59")) == []
    run = JobRun.objects.get()
    assert (run.status, run.attempts, run.result) == ("done", 1, {"day": "2026-05-02"})
    assert run.started_at <= run.finished_at
    assert run.duration_ms >= 0
    assert work.calls == ["2026-05-02"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_the_scheduler_command_ticks_once():
    with registry.only(a_job(Work())):
        call_command("scheduler", "--once", verbosity=0)
    assert JobRun.objects.get().status == RunStatus.QUEUED


# ---- the worker's run: once per (job, period) ---------------------------------------------------


@pytest.mark.django_db
def test_the_same_period_run_twice_happens_once():
    work = Work()
    with registry.only(a_job(work)):
        first = run_job(job="test.daily", period="2026-05-02")
        second = run_job(job="test.daily", period="2026-05-02")
        third = run_job(job="test.daily", period="2026-05-03")
    assert first is not None and first.status == RunStatus.DONE
    assert second is None
    assert third is not None
    assert work.calls == ["2026-05-02", "2026-05-03"]
    assert Group.objects.filter(name__startswith="job-").count() == 2


@pytest.mark.django_db
def test_a_failed_run_rolls_its_work_back_keeps_the_error_and_is_retried_later():
    work = Work(fail=1)
    job = a_job(work, retry_after=timedelta(minutes=10), max_attempts=2)
    with registry.only(job):
        enqueue_due_jobs(now=at("2026-05-02T09:00"))
        with pytest.raises(RuntimeError):
            run_job(job="test.daily", period="2026-05-02")
        run = JobRun.objects.get()
        assert (run.status, run.attempts) == ("failed", 1)
        assert run.error == "RuntimeError: the printer is on fire"
        assert not Group.objects.filter(name__startswith="job-").exists()  # rolled back
        # not sent again before retry_after (from when it failed) ...
        failed_at = at("2026-05-02T09:05")
        JobRun.objects.filter(pk=run.pk).update(finished_at=failed_at)
        assert enqueue_due_jobs(now=failed_at + timedelta(minutes=9)) == []
        # ... then sent, and the second attempt does the work
        assert len(enqueue_due_jobs(now=failed_at + timedelta(minutes=10))) == 1
        run = run_job(job="test.daily", period="2026-05-02")
    assert (run.status, run.attempts, run.error) == ("done", 2, "")
    assert Group.objects.filter(name__startswith="job-").count() == 1


@pytest.mark.django_db
def test_a_run_that_failed_max_attempts_times_is_not_sent_again():
    job = a_job(Work(fail=5), max_attempts=1)
    with registry.only(job):
        enqueue_due_jobs(now=at("2026-05-02T09:00"))
        with pytest.raises(RuntimeError):
            run_job(job="test.daily", period="2026-05-02")
        assert enqueue_due_jobs(now=at("2026-05-02T23:00")) == []
        # the next day is a new period
        assert [r.period for r in enqueue_due_jobs(now=at("2026-05-03T09:00"))] == ["2026-05-03"]


@pytest.mark.django_db
def test_an_unknown_job_or_period_is_refused_with_a_code():
    with registry.only(a_job(Work())):
        with pytest.raises(DomainError) as unknown:
            run_job(job="nope", period="2026-05-02")
        with pytest.raises(DomainError) as bad_period:
            run_job(job="test.daily", period="yesterday")
    assert (unknown.value.code, bad_period.value.code) == ("unknown_job", "unknown_period")
    assert JobRun.objects.count() == 0


# ---- housekeeping -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_housekeeping_deletes_finished_tasks_older_than_the_kept_days(settings):
    settings.GENDAN_TASK_RESULTS_KEEP_DAYS = 14
    settings.GENDAN_JOB_RUNS_KEEP_DAYS = 365
    period = housekeeping.HOUSEKEEPING.schedule.period("2026-05-30")
    old = period.start - timedelta(days=15)
    recent = period.start - timedelta(days=13)
    ids = {}
    for name, status, finished in [
        ("old_done", "SUCCESSFUL", old),
        ("old_failed", "FAILED", old),
        ("recent_done", "SUCCESSFUL", recent),
        ("waiting", "READY", None),
    ]:
        result = run_periodic_job.enqueue("x", name)
        DBTaskResult.objects.filter(id=result.id).update(status=status, finished_at=finished)
        ids[name] = str(result.id)
    JobRun.objects.create(
        job="x", period="old", status="done", enqueued_at=period.start - timedelta(days=400)
    )
    JobRun.objects.create(
        job="x", period="new", status="done", enqueued_at=period.start - timedelta(days=300)
    )
    with registry.only(housekeeping.HOUSEKEEPING):
        run = run_job(job="jobs.housekeeping", period="2026-05-30")
    assert {str(i) for i in DBTaskResult.objects.values_list("id", flat=True)} == {
        ids["recent_done"],
        ids["waiting"],
    }
    assert sorted(JobRun.objects.values_list("period", flat=True)) == ["2026-05-30", "new"]
    assert run.result["task_results_deleted"] == 2
    assert run.result["job_runs_deleted"] == 1
