"""The demo's reports: the regional manager answers for 华东 (the store's region), and
yesterday's daily reports were produced by the evening job and mailed (the demo's worker
writes the mails under var/mail)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from gendan.finance import demo as finance_demo
from gendan.jobs.services import run_job
from gendan.reports import services
from gendan.reports.contributions import JOB


def seed(users: dict[str, Any]) -> None:
    finance_demo.seed_receivables(users)
    services.assign_region(actor=users["manager"], manager="regional", region="华东")
    yesterday = timezone.localdate() - timedelta(days=1)
    _yesterday_s_business(yesterday)
    run_job(job=JOB, period=yesterday.isoformat())


def _yesterday_s_business(day: date) -> None:
    """The demo's orders were all driven today: some are dated yesterday so that yesterday's
    report has the day's orders, a shipment to the store and payments to tell."""
    from gendan.finance.models import Payment
    from gendan.orders.models import Order
    from gendan.orders.workflow import BEFORE_RELEASE

    tz = timezone.get_current_timezone()
    early = list(Order.objects.filter(status__in=BEFORE_RELEASE).order_by("id")[:4])
    for order in early:
        Order.objects.filter(pk=order.pk).update(
            contract_date=day, delivery_date=max(order.delivery_date, day)
        )
    store = (
        Order.objects.filter(customer__code="STORE01", shipped_at__isnull=False)
        .order_by("-id")
        .first()
    )
    if store is not None:
        at = datetime.combine(day, time(15), tzinfo=tz)
        Order.objects.filter(pk=store.pk).update(shipped_at=at)
    paid = list(Payment.objects.order_by("-id").values_list("pk", flat=True)[:3])
    Payment.objects.filter(pk__in=paid).update(received_on=day)
