"""The one background task of periodic jobs: `gendan worker` runs it, the scheduler sends it."""

from __future__ import annotations

from django.tasks import task


@task()
def run_periodic_job(job: str, period: str) -> str:
    """Run a job for one period, once; another worker's run of the same period is skipped."""
    from gendan.jobs.services import run_job

    run = run_job(job=job, period=period)
    return "done" if run is not None else "skipped"
