from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Sum

from gendan.orders.models import Order
from gendan.orders.workflow import RECEIVABLE


def customer_receivable(customer: Any) -> Decimal:
    """What the customer owes on orders past production (应收账款), to the cent (SQLite sums
    decimals as floats: 12345.6700000001 would otherwise be answered)."""
    total = (
        Order.objects.filter(customer=customer, status__in=RECEIVABLE)
        .aggregate(due=Sum(F("total_amount") - F("paid_amount")))
        .get("due")
    )
    return Decimal(total or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
