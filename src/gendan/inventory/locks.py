from __future__ import annotations

from collections.abc import Iterable

from gendan.inventory.models import StockLevel


def stock_for_update(product_ids: Iterable[int]) -> list[StockLevel]:
    """Stock rows of these products, locked in primary-key order (no deadlock between writers)."""
    return list(
        StockLevel.objects.select_for_update()
        .filter(product_id__in=set(product_ids))
        .order_by("pk")
    )
