"""Housekeeping (清理): the daily job that keeps the task and job tables small."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from gendan.jobs.models import JobRun, RunStatus
from gendan.jobs.registry import Daily, Job, Period


def purge(period: Period) -> dict[str, Any]:
    """Delete the background tasks that finished (done or failed) more than
    GENDAN_TASK_RESULTS_KEEP_DAYS before the period began, and the job runs older than
    GENDAN_JOB_RUNS_KEEP_DAYS. Counted from the period, so a late run deletes what an on-time
    one would have."""
    task_days = settings.GENDAN_TASK_RESULTS_KEEP_DAYS
    run_days = settings.GENDAN_JOB_RUNS_KEEP_DAYS
    tasks_before = period.start - timedelta(days=task_days)
    runs_before = period.start - timedelta(days=run_days)
    tasks, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=tasks_before).delete()
    runs, _by_model = (
        JobRun.objects.exclude(status=RunStatus.QUEUED).filter(enqueued_at__lt=runs_before).delete()
    )
    return {
        "task_results_deleted": tasks,
        "task_results_before": tasks_before.isoformat(),
        "job_runs_deleted": runs,
        "job_runs_before": runs_before.isoformat(),
    }


HOUSEKEEPING = Job(
    name="jobs.housekeeping",
    label=_("Housekeeping: delete old finished background tasks and job runs"),
    schedule=Daily(at=time(3, 30)),
    run=purge,
    app="jobs",
)
