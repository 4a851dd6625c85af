"""The life of an order as data: the states, their groups, and one table of transitions.

Services and `available_actions` read this table; nothing else knows the transitions.
A gate returns the coded reasons it refuses (empty = open); it never refuses silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan.accounts.permissions import Perm
from gendan.errors import Reason
from gendan.orders.errors import Code

if TYPE_CHECKING:
    from gendan.orders.models import Order


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED = "signed", _("Signed")
    DEPOSIT_REQUESTED = "deposit_requested", _("Deposit requested")
    DEPOSIT_CONFIRMED = "deposit_confirmed", _("Deposit confirmed")
    RELEASED = "released", _("In production")
    PRODUCED = "produced", _("Production done")
    BALANCE_REQUESTED = "balance_requested", _("Balance requested")
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")


S = Status
FINISHED = frozenset({S.CLOSED, S.CANCELLED})
OPEN = frozenset(set(S) - FINISHED)
BEFORE_RELEASE = frozenset(
    {S.DRAFT, S.SUBMITTED, S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED}
)
AMENDABLE = BEFORE_RELEASE
BEFORE_SHIPPING = BEFORE_RELEASE | {S.RELEASED, S.PRODUCED, S.BALANCE_REQUESTED, S.READY_TO_SHIP}
CANCELLABLE = BEFORE_SHIPPING
HOLDABLE = OPEN - {S.ON_HOLD}
SHIPPABLE = frozenset({S.READY_TO_SHIP, S.PARTIALLY_SHIPPED})
IN_TRANSIT = frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED})
AWAITING_BALANCE = frozenset({S.PRODUCED, S.BALANCE_REQUESTED})
RECEIVABLE = AWAITING_BALANCE | {S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED}


@dataclass
class Context:
    """What a gate looks at: the order, the actor, the action's parameters, loaded once."""

    order: Order
    actor: Any
    params: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[Any]:
        return list(self.order.lines.all())

    @cached_property
    def notices(self) -> list[Any]:
        from gendan.shipping.selectors import notices_of

        return notices_of(self.order)

    def open_notices(self) -> list[Any]:
        return [n for n in self.notices if n.status == "issued"]

    def unshipped_not_noticed(self) -> int:
        on_notices = sum(nl.quantity for n in self.open_notices() for nl in n.lines.all())
        return sum(line.quantity - line.shipped_qty for line in self.lines) - on_notices


Gate = Callable[[Context], list[Reason]]


def _open(_: Context) -> list[Reason]:
    return []


def entry_complete(ctx: Context) -> list[Reason]:
    reasons = []
    if not ctx.lines:
        reasons.append(Reason(Code.NO_LINES, gettext("The order has no lines.")))
    elif ctx.order.total_amount <= 0:
        reasons.append(Reason(Code.ZERO_TOTAL, gettext("The order total is zero.")))
    return reasons


def finance_not_signed(ctx: Context) -> list[Reason]:
    if ctx.order.finance_signed_at:
        return [Reason(Code.ALREADY_SIGNED, gettext("Finance has already signed this order."))]
    return []


def manager_not_signed(ctx: Context) -> list[Reason]:
    if ctx.order.manager_signed_at:
        return [
            Reason(Code.ALREADY_SIGNED, gettext("The sales manager has already signed this order."))
        ]
    return []


def deposit_due(ctx: Context) -> list[Reason]:
    if ctx.order.deposit_due <= 0:
        return [Reason(Code.NO_DEPOSIT_DUE, gettext("This customer's terms ask no deposit."))]
    if ctx.order.deposit_outstanding <= 0:
        return [Reason(Code.NO_DEPOSIT_DUE, gettext("The deposit has been received in full."))]
    return []


def _amount_fits(ctx: Context) -> list[Reason]:
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


def deposit_receivable(ctx: Context) -> list[Reason]:
    return deposit_due(ctx) or _amount_fits(ctx)


def signed_and_deposit_paid(ctx: Context) -> list[Reason]:
    order, reasons = ctx.order, []
    if not order.finance_signed_at:
        reasons.append(Reason(Code.NOT_SIGNED, gettext("Waiting for the finance signature.")))
    if not order.manager_signed_at:
        reasons.append(
            Reason(Code.NOT_SIGNED, gettext("Waiting for the sales manager's signature."))
        )
    if order.deposit_outstanding > 0:
        reasons.append(
            Reason(
                Code.DEPOSIT_NOT_RECEIVED,
                gettext("Deposit not received: %(amount)s %(currency)s outstanding.")
                % {"amount": order.deposit_outstanding, "currency": order.currency},
            )
        )
    return reasons


def balance_due(ctx: Context) -> list[Reason]:
    if ctx.order.balance_due <= 0:
        return [Reason(Code.NO_BALANCE_DUE, gettext("The order is paid in full."))]
    return []


def balance_receivable(ctx: Context) -> list[Reason]:
    return balance_due(ctx) or _amount_fits(ctx)


def credit_allowed(ctx: Context) -> list[Reason]:
    from gendan.finance.selectors import customer_receivable

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


def something_to_notice(ctx: Context) -> list[Reason]:
    if ctx.unshipped_not_noticed() <= 0:
        return [
            Reason(
                Code.NOTHING_TO_SHIP,
                gettext("Every unshipped quantity is already on a shipping notice."),
            )
        ]
    return []


def notice_without_slip(ctx: Context) -> list[Reason]:
    notices = ctx.open_notices()
    if not notices:
        return [Reason(Code.NO_OPEN_NOTICE, gettext("There is no open shipping notice."))]
    if all(hasattr(n, "outbound_slip") for n in notices):
        return [Reason(Code.SLIP_EXISTS, gettext("The outbound slip has already been issued."))]
    return []


def notice_without_delivery_note(ctx: Context) -> list[Reason]:
    notices = ctx.open_notices()
    if not notices:
        return [Reason(Code.NO_OPEN_NOTICE, gettext("There is no open shipping notice."))]
    if all(hasattr(n, "delivery_note") for n in notices):
        return [
            Reason(Code.DELIVERY_NOTE_EXISTS, gettext("The delivery note has already been issued."))
        ]
    return []


def notice_ready_to_ship(ctx: Context) -> list[Reason]:
    notices = ctx.open_notices()
    if not notices:
        return [Reason(Code.NO_OPEN_NOTICE, gettext("There is no open shipping notice."))]
    reasons = []
    if not any(hasattr(n, "outbound_slip") for n in notices):
        reasons.append(
            Reason(Code.SLIP_MISSING, gettext("Finance has not issued the outbound slip."))
        )
    if not any(hasattr(n, "delivery_note") for n in notices):
        reasons.append(
            Reason(Code.DELIVERY_NOTE_MISSING, gettext("The delivery note has not been issued."))
        )
    return reasons


def shipment_to_deliver(ctx: Context) -> list[Reason]:
    if not any(n.status == "shipped" for n in ctx.notices):
        return [
            Reason(
                Code.NOTHING_TO_DELIVER, gettext("No shipment is waiting for proof of delivery.")
            )
        ]
    return []


def cod_to_reconcile(ctx: Context) -> list[Reason]:
    if not unreconciled_cod(ctx):
        return [
            Reason(
                Code.NO_COD_TO_RECONCILE, gettext("No cash on delivery waits for reconciliation.")
            )
        ]
    return []


def unreconciled_cod(ctx: Context) -> list[Any]:
    return [
        n.delivery_note
        for n in ctx.notices
        if n.status == "delivered"
        and hasattr(n, "delivery_note")
        and n.delivery_note.cod_collected > 0
        and n.delivery_note.cod_reconciled_at is None
    ]


def owed_beyond_cod(ctx: Context) -> Decimal:
    """What the customer still owes apart from the cash a driver holds for the cashier."""
    pending = sum((note.cod_collected for note in unreconciled_cod(ctx)), Decimal("0"))
    return ctx.order.balance_due - pending


def closable(ctx: Context) -> list[Reason]:
    reasons = []
    if any(line.delivered_qty < line.quantity for line in ctx.lines):
        reasons.append(Reason(Code.NOT_DELIVERED, gettext("Not everything has been delivered.")))
    if ctx.order.balance_due > 0:
        reasons.append(
            Reason(
                Code.NOT_PAID,
                gettext("Not paid in full: %(amount)s %(currency)s outstanding.")
                % {"amount": ctx.order.balance_due, "currency": ctx.order.currency},
            )
        )
    if unreconciled_cod(ctx):
        reasons.append(
            Reason(
                Code.COD_UNRECONCILED, gettext("Cash on delivery not reconciled by the cashier.")
            )
        )
    return reasons


def reason_given(ctx: Context) -> list[Reason]:
    if not str(ctx.params.get("reason") or "").strip():
        return [Reason(Code.REASON_REQUIRED, gettext("A reason is required."))]
    return []


def nothing_shipped(ctx: Context) -> list[Reason]:
    if any(line.shipped_qty for line in ctx.lines):
        return [Reason(Code.GOODS_SHIPPED, gettext("Goods have already shipped."))]
    return []


def cancellable(ctx: Context) -> list[Reason]:
    order = ctx.order
    if order.status == S.ON_HOLD and order.held_from not in CANCELLABLE:
        return [Reason(Code.WRONG_STATUS, gettext("Goods have already shipped."))]
    return nothing_shipped(ctx)


# ---- where each transition lands, when it depends on the order -------------------------------


def _after_signature(order: Order) -> str:
    return S.SIGNED if order.both_signed else S.SUBMITTED


def _after_deposit(order: Order) -> str:
    return S.DEPOSIT_CONFIRMED if order.deposit_outstanding <= 0 else order.status


def _after_production(order: Order) -> str:
    return S.READY_TO_SHIP if order.balance_due <= 0 else S.PRODUCED


def _after_release(order: Order) -> str:
    pending = order.production_notices.filter(status="issued").exists()
    return S.RELEASED if pending else _after_production(order)


def _after_balance(order: Order) -> str:
    if order.status in AWAITING_BALANCE and order.balance_due <= 0:
        return S.READY_TO_SHIP
    return order.status


def _after_shipment(order: Order) -> str:
    lines = list(order.lines.all())
    return (
        S.SHIPPED
        if all(line.shipped_qty >= line.quantity for line in lines)
        else S.PARTIALLY_SHIPPED
    )


def _after_delivery(order: Order) -> str:
    lines = list(order.lines.all())
    if all(line.delivered_qty >= line.quantity for line in lines):
        return S.DELIVERED
    return order.status


def _resume(order: Order) -> str:
    return order.held_from


Target = str | Callable[["Order"], str] | None


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: Target
    perm: str
    gate: Gate
    label: Any
    params: tuple[str, ...] = ()

    def target_for(self, order: Order) -> str:
        if self.target is None:
            return order.status
        if callable(self.target):
            return self.target(order)
        return self.target


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T("submit", frozenset({S.DRAFT}), S.SUBMITTED, Perm.ENTER_ORDER, entry_complete, _("Submit")),
    T(
        "sign_finance",
        frozenset({S.SUBMITTED}),
        _after_signature,
        Perm.SIGN_AS_FINANCE,
        finance_not_signed,
        _("Sign (finance)"),
    ),
    T(
        "sign_manager",
        frozenset({S.SUBMITTED}),
        _after_signature,
        Perm.SIGN_AS_MANAGER,
        manager_not_signed,
        _("Sign (sales manager)"),
    ),
    T(
        "request_deposit",
        frozenset({S.SIGNED}),
        S.DEPOSIT_REQUESTED,
        Perm.REQUEST_PAYMENT,
        deposit_due,
        _("Request deposit"),
    ),
    T(
        "confirm_deposit",
        frozenset({S.SIGNED, S.DEPOSIT_REQUESTED}),
        _after_deposit,
        Perm.CONFIRM_PAYMENT,
        deposit_receivable,
        _("Confirm deposit received"),
        ("amount", "reference", "received_on"),
    ),
    T(
        "release",
        frozenset({S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED}),
        _after_release,
        Perm.RELEASE_ORDER,
        signed_and_deposit_paid,
        _("Release to stock and production"),
    ),
    T(
        "complete_production",
        frozenset({S.RELEASED}),
        _after_production,
        Perm.RECORD_PRODUCTION,
        _open,
        _("Record production done"),
    ),
    T(
        "request_balance",
        frozenset({S.PRODUCED}),
        S.BALANCE_REQUESTED,
        Perm.REQUEST_PAYMENT,
        balance_due,
        _("Request balance"),
    ),
    T(
        "confirm_balance",
        RECEIVABLE,
        _after_balance,
        Perm.CONFIRM_PAYMENT,
        balance_receivable,
        _("Confirm balance received"),
        ("amount", "reference", "received_on"),
    ),
    T(
        "allow_credit",
        AWAITING_BALANCE,
        S.READY_TO_SHIP,
        Perm.ALLOW_CREDIT,
        credit_allowed,
        _("Ship on credit terms"),
    ),
    T(
        "issue_shipping_notice",
        SHIPPABLE,
        None,
        Perm.ISSUE_SHIPPING_NOTICE,
        something_to_notice,
        _("Issue shipping notice"),
        ("lines", "ship_date"),
    ),
    T(
        "issue_outbound_slip",
        SHIPPABLE,
        None,
        Perm.ISSUE_OUTBOUND_SLIP,
        notice_without_slip,
        _("Issue outbound slip"),
        ("notice",),
    ),
    T(
        "issue_delivery_note",
        SHIPPABLE,
        None,
        Perm.ISSUE_DELIVERY_NOTE,
        notice_without_delivery_note,
        _("Issue delivery note"),
        ("notice", "cod_amount"),
    ),
    T(
        "ship",
        SHIPPABLE,
        _after_shipment,
        Perm.SHIP_GOODS,
        notice_ready_to_ship,
        _("Ship"),
        ("notice",),
    ),
    T(
        "deliver",
        IN_TRANSIT,
        _after_delivery,
        Perm.CONFIRM_DELIVERY,
        shipment_to_deliver,
        _("Confirm delivery"),
        ("notice", "received_by", "proof_reference", "cod_collected"),
    ),
    T(
        "reconcile_cod",
        IN_TRANSIT | {S.DELIVERED},
        None,
        Perm.RECONCILE_COD,
        cod_to_reconcile,
        _("Reconcile cash on delivery"),
        ("notice", "amount"),
    ),
    T("close", frozenset({S.DELIVERED}), S.CLOSED, Perm.CLOSE_ORDER, closable, _("Close")),
    T("hold", HOLDABLE, S.ON_HOLD, Perm.HOLD_ORDER, reason_given, _("Put on hold"), ("reason",)),
    T("resume", frozenset({S.ON_HOLD}), _resume, Perm.HOLD_ORDER, _open, _("Resume")),
    T(
        "cancel",
        CANCELLABLE | {S.ON_HOLD},
        S.CANCELLED,
        Perm.CANCEL_ORDER,
        lambda ctx: reason_given(ctx) + cancellable(ctx),
        _("Cancel"),
        ("reason",),
    ),
    T("amend", AMENDABLE, None, Perm.AMEND_ORDER, _open, _("Amend"), ("changes", "reason")),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
ACTIONS: tuple[str, ...] = tuple(BY_ACTION)


def reasons_for(transition: Transition, ctx: Context) -> list[Reason]:
    """Every reason the actor may not take this action now (empty = allowed)."""
    reasons: list[Reason] = []
    if ctx.actor is None or not ctx.actor.can(transition.perm):
        reasons.append(
            Reason(
                Code.PERMISSION_DENIED,
                gettext("You do not have the permission: %(perm)s.")
                % {"perm": Perm(transition.perm).label},
            )
        )
    if ctx.order.status not in transition.sources:
        reasons.append(
            Reason(
                Code.WRONG_STATUS,
                gettext("Not possible while the order is “%(status)s”.")
                % {"status": Status(ctx.order.status).label},
            )
        )
        return reasons
    return reasons + transition.gate(ctx)
