from __future__ import annotations

from typing import Any

from gendan.shipping.models import ShippingNotice


def notices_of(order: Any) -> list[ShippingNotice]:
    """The order's shipping notices with their lines, slip and delivery note (3 queries at most)."""
    cache = getattr(order, "_prefetched_objects_cache", {})
    if "shipping_notices" in cache:
        return list(order.shipping_notices.all())
    return list(
        ShippingNotice.objects.filter(order=order)
        .select_related("outbound_slip", "delivery_note")
        .prefetch_related("lines")
    )
