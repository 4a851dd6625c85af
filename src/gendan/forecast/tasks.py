"""Background task of the forecast (django.tasks; `gendan worker` runs it)."""

from __future__ import annotations

from django.tasks import task


@task()
def refresh_orders(order_ids: list[int]) -> int:
    """Refresh the forecast of the orders a fact touched (idempotent: a second run finds
    nothing changed and warns nobody)."""
    from gendan.forecast.services import refresh

    return refresh(orders=order_ids).changed
