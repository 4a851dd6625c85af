"""The payment rules of an order's life: what is owed, what may be received, when credit
may stand in for the balance. The workflow's checks of the payment actions are these
functions; the verbs and shipping ask the same ones (a rule lives once)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from gendan.errors import Reason
from gendan.orders.errors import Code


def deposit_due(ctx: Any) -> list[Reason]:
    if ctx.order.deposit_due <= 0:
        return [Reason(Code.NO_DEPOSIT_DUE, gettext("This customer's terms ask no deposit."))]
    if ctx.order.deposit_outstanding <= 0:
        return [Reason(Code.NO_DEPOSIT_DUE, gettext("The deposit has been received in full."))]
    return []


def amount_fits(ctx: Any) -> list[Reason]:
    amount = ctx.params.get("amount")
    if amount is None:
        return []
    amount = Decimal(str(amount))
    if amount <= 0:
        return [Reason(Code.AMOUNT_REQUIRED, gettext("The amount must be greater than zero."))]
    due = owed_beyond_cod(ctx)
    if amount > due:
        return [
            Reason(
                Code.OVERPAYMENT,
                gettext("Over-payment refused: %(amount)s is more than the %(due)s still owed.")
                % {"amount": amount, "due": due},
            )
        ]
    return []


def deposit_received(ctx: Any) -> list[Reason]:
    order = ctx.order
    if order.deposit_outstanding > 0:
        return [
            Reason(
                Code.DEPOSIT_NOT_RECEIVED,
                gettext("Deposit not received: %(amount)s %(currency)s outstanding.")
                % {"amount": order.deposit_outstanding, "currency": order.currency},
            )
        ]
    return []


def balance_due(ctx: Any) -> list[Reason]:
    if ctx.order.balance_due <= 0:
        return [Reason(Code.NO_BALANCE_DUE, gettext("The order is paid in full."))]
    return []


def credit_allowed(ctx: Any) -> list[Reason]:
    from gendan.finance.selectors import customer_receivable  # it reads the workflow's groups

    customer = ctx.order.customer
    if customer.credit_days <= 0:
        return [
            Reason(
                Code.NO_CREDIT_TERMS,
                gettext(
                    "The customer has no credit terms; the balance must be paid before shipping."
                ),
            )
        ]
    exposure = customer_receivable(customer)
    if exposure > customer.credit_limit:
        return [
            Reason(
                Code.CREDIT_LIMIT_EXCEEDED,
                gettext("Credit limit exceeded: receivable %(exposure)s over a limit of %(limit)s.")
                % {"exposure": exposure, "limit": customer.credit_limit},
            )
        ]
    return []


def unreconciled_cod(ctx: Any) -> list[Any]:
    """The delivery notes whose cash a driver collected and the cashier has not counted. Before
    anything has shipped (no ``shipped_at``) no driver holds cash: the notices are not read."""
    if ctx.order.shipped_at is None:
        return []
    return [
        n.delivery_note
        for n in ctx.notices
        if n.status == "delivered"
        and hasattr(n, "delivery_note")
        and n.delivery_note.cod_collected > 0
        and n.delivery_note.cod_reconciled_at is None
    ]


def owed_beyond_cod(ctx: Any) -> Decimal:
    """What the customer still owes apart from the cash a driver holds for the cashier."""
    pending = sum((note.cod_collected for note in unreconciled_cod(ctx)), Decimal("0"))
    return ctx.order.balance_due - pending
