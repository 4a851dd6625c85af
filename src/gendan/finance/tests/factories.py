"""Builders for finance tests: orders of the test world put straight into a receivable state
(booked, maybe shipped, maybe part-paid) without driving them through the whole life."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.finance.models import CreditNote, CreditNoteStatus, Payment
from gendan.orders.models import Order


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def book(
    order: Order,
    *,
    booked_on: date,
    shipped_on: date | None = None,
    paid: Decimal = Decimal("0"),
    paid_on: date | None = None,
    status: str | None = None,
    recorder: Any = None,
) -> Order:
    """Make `order` receivable since `booked_on` (its production done), shipped on `shipped_on`,
    with `paid` received on `paid_on` (one payment row, as the services would write it)."""
    status = status or ("shipped" if shipped_on else "balance_requested")
    Order.objects.filter(pk=order.pk).update(
        status=status,
        production_done_at=at(booked_on),
        shipped_at=at(shipped_on) if shipped_on else None,
        paid_amount=paid,
    )
    Payment.objects.filter(order=order).delete()
    if paid:
        Payment.objects.create(
            order=order,
            kind="balance",
            amount=paid,
            currency=order.currency,
            received_on=paid_on or booked_on,
            recorded_by=recorder or order.merchandiser,
        )
    order.refresh_from_db()
    return order


def credit(
    customer: Any, amount: Decimal, *, order: Order | None = None, on: date, by: Any
) -> CreditNote:
    n = CreditNote.objects.count() + 1
    return CreditNote.objects.create(
        number=f"CN-T-{n:04d}",
        customer=customer,
        order=order,
        amount=amount,
        currency=order.currency if order else customer.currency,
        reason="质量投诉补偿",
        status=CreditNoteStatus.CONFIRMED,
        issued_by=by,
        confirmed_by=by,
        confirmed_at=at(on),
        confirmed_on=on,
    )


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
