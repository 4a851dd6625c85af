"""The demo's receivables: the demo's orders are driven through their life today, so nothing
would be aged; this moves the receivable ones back in time (booked, shipped, their deposits
received) by 3 to 120 days, so that the aging shows every bucket. Then a credit note issued by
the sales manager and confirmed by finance, and a chase logged by finance with a follow-up."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from gendan.finance import selectors, services
from gendan.finance.models import Payment
from gendan.orders.models import Order
from gendan.orders.workflow import RECEIVABLE

#: days back each receivable order was booked, in turn
AGES = (3, 25, 50, 80, 120, 40, 70, 100)


def seed_receivables(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    receivable = list(
        Order.objects.filter(status__in=RECEIVABLE, total_amount__gt=F("paid_amount")).order_by(
            "id"
        )
    )
    for k, order in enumerate(receivable):
        booked = today - timedelta(days=AGES[k % len(AGES)])
        booked_at = timezone.datetime.combine(booked, timezone.datetime.min.time(), tzinfo=tz)
        contract = min(order.contract_date, booked - timedelta(days=20))
        changes: dict[str, Any] = {
            "production_done_at": booked_at + timedelta(hours=10),
            "contract_date": contract,
            "delivery_date": max(order.delivery_date, contract),
        }
        if order.shipped_at is not None:
            changes["shipped_at"] = booked_at + timedelta(days=2, hours=15)
        Order.objects.filter(pk=order.pk).update(**changes)
        Payment.objects.filter(order=order, kind="deposit").update(
            received_on=contract + timedelta(days=3)
        )
    store = next((o for o in receivable if o.customer.code == "STORE01"), None)
    if store is None:
        return
    note = services.issue_credit_note(
        actor=users["manager"],
        customer="STORE01",
        order=store.number,
        amount=min(Decimal("200.00"), store.balance_due),
        reason="门店反馈部分纸箱破损，补偿货款",
        source="demo",
        source_ref="DEMO-CN-1",
    )
    services.confirm_credit_note(actor=users["finance"], number=note.number)
    aged = selectors.aging(users["finance"])
    late = next((o for o in aged.orders if o.days_past_due > 0), None)
    if late is not None:
        services.log_collection_chase(
            actor=users["finance"],
            customer=late.customer_code,
            order=late.number,
            kind="call",
            summary="电话催款：客户答应本周内安排付款",
            follow_up_on=today + timedelta(days=3),
        )
