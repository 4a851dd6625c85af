"""Background tasks of loading (django.tasks; `gendan worker` runs them)."""

from __future__ import annotations

from django.tasks import task

from gendan.loading.services.plans import compute_plan


@task()
def compute_loading_plan(plan_id: int) -> str:
    """Compute a requested loading plan; the plan row shows its progress while it runs."""
    plan = compute_plan(plan_id)
    return plan.status if plan is not None else "skipped"
