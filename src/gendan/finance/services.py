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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan import rows
from gendan.accounts.guards import step, verb
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.finance import permissions as p
from gendan.finance.errors import Code as FinanceCode
from gendan.finance.models import CreditNote, CreditNoteStatus, Payment
from gendan.finance.selectors import visible_credit_notes
from gendan.numbering.services import next_numbers
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


# ---- credit notes ------------------------------------------------------------------------------


@verb(p.ISSUE_CREDIT_NOTE)
@transaction.atomic(durable=True)
def issue_credit_note(
    *,
    actor: Any,
    customer: str,
    amount: Decimal,
    reason: str,
    order: str | None = None,
    source: str = "",
    source_ref: str = "",
) -> CreditNote:
    """Issue a credit note to a customer (optionally for one of its orders); it reduces the
    receivable once finance confirms it. Idempotent on (source, source_ref): issuing again for
    the same reference returns the note already issued (the same details), else refuses."""
    p.require_money(actor, p.ISSUE_CREDIT_NOTE)
    from gendan.orders.selectors import visible_orders
    from gendan.parties.selectors import get_customer_for

    cust = get_customer_for(actor, customer)
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise invalid(
            FinanceCode.AMOUNT_REQUIRED,
            gettext("The amount must be greater than zero, to the cent."),
            field="amount",
        )
    if not reason.strip():
        raise invalid(FinanceCode.REASON_REQUIRED, gettext("A reason is required."), field="reason")
    order_obj = None
    if order:
        order_obj = visible_orders(actor).filter(number=order).first()
        if order_obj is None or order_obj.customer_id != cust.pk:
            raise invalid(
                FinanceCode.WRONG_CUSTOMER,
                gettext("The customer has no order %(n)s.") % {"n": order},
                field="order",
            )
    if source_ref:
        known = CreditNote.objects.filter(source=source, source_ref=source_ref).first()
        if known is not None:
            same = (
                known.customer_id == cust.pk
                and known.amount == amount
                and known.order_id == (order_obj.pk if order_obj else None)
            )
            if not same:
                raise DomainError(
                    FinanceCode.SOURCE_REUSED,
                    gettext("A credit note was already issued for %(ref)s, with other details.")
                    % {"ref": source_ref},
                    kind=Kind.REFUSED,
                    details={"credit_note": known.number},
                )
            return known
    note = CreditNote(
        number=next_numbers("CN", 1)[0],
        customer=cust,
        order=order_obj,
        amount=amount,
        currency=order_obj.currency if order_obj else cust.currency,
        reason=reason.strip(),
        source=source[:40],
        source_ref=source_ref[:60],
        issued_by=actor,
    )
    note.save()
    record(
        kind=p.CREDIT_NOTE_ISSUED,
        actor=actor,
        customer=cust,
        order=order_obj,
        subject=note,
        comment=note.reason,
        payload={"credit_note": note.number, "amount": str(amount), "source_ref": source_ref},
    )
    return note


@verb(p.CONFIRM_CREDIT_NOTE)
@transaction.atomic(durable=True)
def confirm_credit_note(*, actor: Any, number: str, confirmed_on: date | None = None) -> CreditNote:
    """Finance confirms a credit note: from then on it reduces the customer's receivable.
    Confirming a confirmed note changes nothing (idempotent)."""
    p.require_money(actor, p.CONFIRM_CREDIT_NOTE)
    note = visible_credit_notes(actor).select_for_update(of=("self",)).filter(number=number).first()
    if note is None:
        raise not_found("credit_note")
    if note.status == CreditNoteStatus.CONFIRMED:
        return note
    note.status = CreditNoteStatus.CONFIRMED
    note.confirmed_by, note.confirmed_at = actor, timezone.now()
    note.confirmed_on = confirmed_on or timezone.localdate()
    note.save(update_fields=["status", "confirmed_by", "confirmed_at", "confirmed_on"])
    record(
        kind=p.CREDIT_NOTE_CONFIRMED,
        actor=actor,
        customer=note.customer,
        order=note.order,
        subject=note,
        payload={"credit_note": note.number, "amount": str(note.amount)},
    )
    return note


# ---- collection follow-up ------------------------------------------------------------------------


@verb(p.CHASE_RECEIVABLES)
@transaction.atomic(durable=True)
def log_collection_chase(
    *,
    actor: Any,
    customer: str,
    summary: str,
    follow_up_on: date | None,
    order: str | None = None,
    kind: str = "call",
) -> Any:
    """Log the chase of an overdue amount (回收跟进) in the customer's communication log, with
    the day to follow it up: the follow-up then waits on the chaser's Today like any other."""
    p.require_money(actor, p.CHASE_RECEIVABLES)
    from gendan.parties.services import write_communication

    if not summary.strip():
        raise invalid(
            FinanceCode.SUMMARY_REQUIRED, gettext("A summary is required."), field="summary"
        )
    if follow_up_on is not None and follow_up_on < timezone.localdate():
        raise invalid(
            "follow_up_in_past",
            gettext("The follow-up date cannot be in the past."),
            field="follow_up_on",
        )
    # the log's own entry and event (parties' one writer of it), under finance's permission
    comm = write_communication(
        actor=actor,
        customer=customer,
        kind=kind,
        summary=summary,
        order=order,
        follow_up_on=follow_up_on,
        payload={"chase": True},
    )
    payload = {
        "communication": comm.pk,
        "kind": kind,
        "follow_up_on": follow_up_on.isoformat() if follow_up_on else None,
        "chase": True,
    }
    record(
        kind=p.CHASE_LOGGED, actor=actor, customer=comm.customer, order=comm.order, payload=payload
    )
    return comm
