"""Money received. The order row is locked by the calling verb (inside ``orders.services.transition``,
which saves the order's changed columns when the step ends), so paid is written as an exact sum.

Not `F("paid_amount") + amount`: SQLite keeps decimals as binary floats, so 1080.13 + 2520.26 came
out as 3600.3900000000003 and broke `paid <= total` on a payment of exactly what was owed. Under the
order's row lock the Decimal sum computed here is the truth, on both databases.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from gendan import rows
from gendan.accounts.guards import step
from gendan.errors import invalid
from gendan.finance.models import Payment
from gendan.orders.errors import Code
from gendan.timeline.models import EventKind
from gendan.timeline.services import history_row, record, write_history


@step
def record_payment(
    *,
    order: Any,
    kind: str,
    amount: Decimal,
    reference: str = "",
    received_on: date | None = None,
    actor: Any,
) -> Payment:
    """Add a receipt to the order; a payment above what is still owed is refused."""
    if amount <= 0:
        raise invalid(
            Code.AMOUNT_REQUIRED, gettext("The amount must be greater than zero."), field="amount"
        )
    if amount > order.balance_due:
        raise invalid(
            Code.OVERPAYMENT,
            gettext("Over-payment refused: %(amount)s is more than the %(due)s still owed.")
            % {"amount": amount, "due": order.balance_due},
            field="amount",
        )
    payment = Payment(
        order=order,
        kind=kind,
        amount=amount,
        currency=order.currency,
        received_on=received_on or timezone.localdate(),
        reference=reference,
        recorded_by=actor,
    )
    rows.insert([payment], returning="pk")
    write_history([history_row(payment, actor=actor, history_type="+")])
    # the calling verb's transition writes the order's row (its changed columns) once at its end
    order.paid_amount += amount
    record(
        kind=EventKind.PAYMENT_RECORDED,
        actor=actor,
        order=order,
        payload={
            "kind": kind,
            "amount": str(amount),
            "reference": reference,
            "paid": str(order.paid_amount),
        },
    )
    return payment
