"""Background tasks of orders (django.tasks; `gendan worker` runs them)."""

from __future__ import annotations

from django.tasks import task

from gendan.orders.imports import run_import


@task()
def run_order_import(run_id: int) -> str:
    """Check, or import, an uploaded workbook; the run shows its progress while it works."""
    return run_import(run_id)
