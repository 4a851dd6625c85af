from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Sum

from gendan.orders.models import Order
from gendan.orders.workflow import RECEIVABLE


def customer_receivable(customer: Any) -> Decimal:
    """What the customer owes on orders past production (应收账款)."""
    total = (
        Order.objects.filter(customer=customer, status__in=RECEIVABLE)
        .aggregate(due=Sum(F("total_amount") - F("paid_amount")))
        .get("due")
    )
    return total or Decimal("0")
