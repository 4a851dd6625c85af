"""The row a job run is claimed by, locked for the transaction of the work."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gendan.jobs.models import JobRun


def run_for_update(job: str, period: str) -> JobRun:
    """The (job, period) row, locked; created when no scheduler made it first.

    On PostgreSQL a second transaction waits here until the first commits, then reads its
    outcome; on SQLite the write lock taken at BEGIN (IMMEDIATE) serialises the two."""
    run = JobRun.objects.select_for_update().filter(job=job, period=period).first()
    if run is not None:
        return run
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job, period=period)
    except IntegrityError:
        return JobRun.objects.select_for_update().get(job=job, period=period)
