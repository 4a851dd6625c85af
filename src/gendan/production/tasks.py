"""Background tasks of production (django.tasks; `gendan worker` runs them)."""

from __future__ import annotations

from django.tasks import task


@task()
def improve_schedule(run_id: int) -> str:
    """CP-SAT on a schedule run; the run shows its status while it works."""
    from gendan.production.services.schedule import improve_run

    run = improve_run(run_id)
    return run.status if run is not None else "skipped"
