"""Finance over HTTP (/api/v1/finance/...): the receivables aging, a customer's sales ledger and
statement of account, the credit notes (issue, confirm) and the chase of an overdue amount.
Every operation needs the receivables permission, which only roles that see prices hold."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.errors import invalid
from gendan.finance import permissions as p
from gendan.finance import selectors, services, statements
from gendan.finance.errors import Code
from gendan.finance.models import CreditNote
from gendan.parties.selectors import get_customer_for

router = Router(tags=["finance"])

Bucket = Literal["not_due", "d0_30", "d31_60", "d61_90", "over_90"]


class AgingFilterIn(Schema):
    salesperson: str = Field("", max_length=150, description="username of the order's salesperson")
    region: str = Field("", max_length=100, description="the customer's region")
    channel: str = Field("", max_length=20)
    customer: str = Field("", max_length=30, description="a customer's code")


class BucketsOut(Schema):
    not_due: Decimal
    d0_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    over_90: Decimal


class AgingRowOut(Schema):
    customer: str
    customer_name: str
    region: str
    currency: str
    buckets: BucketsOut
    unapplied_credit: Decimal
    receivable: Decimal
    credit_limit: Decimal
    credit_limit_used_percent: Decimal | None
    orders: int


class AgingTotalOut(Schema):
    currency: str
    buckets: BucketsOut
    unapplied_credit: Decimal
    receivable: Decimal


class ReceivableOrderOut(Schema):
    number: str
    customer: str
    salesperson: str
    merchandiser: str
    currency: str
    total: Decimal
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    booked_on: date
    due_on: date
    days_past_due: int
    bucket: Bucket


class AgingOut(Schema):
    today: date
    rows: list[AgingRowOut]
    totals: list[AgingTotalOut]
    orders: list[ReceivableOrderOut]


def _row(r: selectors.AgingRow) -> dict:
    return {
        "customer": r.customer_code,
        "customer_name": r.customer_name,
        "region": r.region,
        "currency": r.currency,
        "buckets": r.buckets,
        "unapplied_credit": r.unapplied,
        "receivable": r.total,
        "credit_limit": r.credit_limit,
        "credit_limit_used_percent": r.limit_use,
        "orders": r.orders,
    }


def _order(o: selectors.ReceivableOrder) -> dict:
    return {
        "number": o.number,
        "customer": o.customer_code,
        "salesperson": o.salesperson,
        "merchandiser": o.merchandiser,
        "currency": o.currency,
        "total": o.total,
        "paid": o.paid,
        "credited": o.credited,
        "outstanding": o.outstanding,
        "booked_on": o.booked_on,
        "due_on": o.due_on,
        "days_past_due": o.days_past_due,
        "bucket": o.bucket,
    }


@router.get("/aging", response={200: AgingOut, **errors(403)})
def receivables_aging(request: HttpRequest, filters: Query[AgingFilterIn]):
    """应收账款账龄: per customer and currency, the amounts not yet due and 0-30, 31-60, 61-90
    and over 90 days past due (from the customer's credit terms), the unapplied credit, the
    receivable, the credit limit used, and the orders behind each amount."""
    actor = caller(request)
    p.require_money(actor, p.VIEW_RECEIVABLES)
    report = selectors.aging(actor, filters=selectors.AgingFilter(**filters.dict()))
    return {
        "today": report.today,
        "rows": [_row(r) for r in report.rows],
        "totals": [
            {
                "currency": cur,
                "buckets": t.buckets,
                "unapplied_credit": t.unapplied,
                "receivable": t.total,
            }
            for cur, t in report.totals.items()
        ],
        "orders": [_order(o) for o in report.orders],
    }


class RangeIn(Schema):
    since: date | None = Field(None, description="default: a year before `until`")
    until: date | None = Field(None, description="default: today")


class LedgerEntryOut(Schema):
    on: date
    kind: Literal["invoice", "payment", "credit_note"]
    reference: str
    order: str
    note: str
    currency: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class BalanceOut(Schema):
    currency: str
    amount: Decimal


class LedgerOut(Schema):
    customer: str
    since: date
    until: date
    opening: list[BalanceOut]
    entries: list[LedgerEntryOut]
    closing: list[BalanceOut]


def _ledger(request: HttpRequest, code: str, r: RangeIn) -> selectors.Ledger:
    actor = caller(request)
    p.require_money(actor, p.VIEW_RECEIVABLES)
    customer = get_customer_for(actor, code)
    until = r.until or timezone.localdate()
    since = r.since or until - timedelta(days=365)
    if since > until:
        raise invalid(Code.BAD_RANGE, "`since` is after `until`.", field="since")
    if (until - since).days > selectors.MAX_RANGE_DAYS:
        raise invalid(
            Code.RANGE_TOO_LONG,
            f"A ledger covers at most {selectors.MAX_RANGE_DAYS} days.",
            field="since",
        )
    return selectors.ledger(customer, since=since, until=until)


@router.get("/customers/{code}/ledger", response={200: LedgerOut, **errors(403, 404)})
def customer_ledger(request: HttpRequest, code: str, r: Query[RangeIn]):
    """销售台账: the opening balance, every booking (the order's amount when it became
    receivable), payment and confirmed credit note of the range with the running balance, and
    the closing balance, per currency."""
    ledger = _ledger(request, code, r)
    return {
        "customer": ledger.customer.code,
        "since": ledger.since,
        "until": ledger.until,
        "opening": [{"currency": c, "amount": a} for c, a in sorted(ledger.opening.items())],
        "entries": [vars(e) for e in ledger.entries],
        "closing": [{"currency": c, "amount": a} for c, a in sorted(ledger.closing.items())],
    }


class StatementIn(RangeIn):
    lang: Literal["zh-hans", "en"] = "zh-hans"


@router.get("/customers/{code}/statement.pdf", response={200: None, **errors(403, 404)})
def customer_statement(request: HttpRequest, code: str, r: Query[StatementIn]):
    """The statement of account (对账单) of the range as a PDF, in Chinese or English."""
    ledger = _ledger(request, code, r)
    content = statements.statement_pdf(actor=caller(request), ledger=ledger, language=r.lang)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="statement-{ledger.customer.code}.pdf"'
    return response


class CreditNoteIn(Schema):
    customer: str = Field(..., max_length=30)
    order: str | None = Field(None, max_length=20)
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    reason: str = Field(..., max_length=2000)
    source: str = Field("", max_length=40, description="what asked for it: aftersales.complaint")
    source_ref: str = Field(
        "",
        max_length=60,
        description="its reference; issuing again with the same reference returns the same note",
    )


class CreditNoteOut(Schema):
    number: str
    customer: str
    order: str | None
    amount: Decimal
    currency: str
    reason: str
    source: str
    source_ref: str
    status: str
    issued_by: str
    confirmed_on: date | None


def _note(n: CreditNote) -> dict:
    return {
        "number": n.number,
        "customer": n.customer.code,
        "order": n.order.number if n.order else None,
        "amount": n.amount,
        "currency": n.currency,
        "reason": n.reason,
        "source": n.source,
        "source_ref": n.source_ref,
        "status": n.status,
        "issued_by": n.issued_by.username,
        "confirmed_on": n.confirmed_on,
    }


class CreditNotePage(Schema):
    items: list[CreditNoteOut]
    next_cursor: str | None


@router.get("/credit-notes", response={200: CreditNotePage, **errors(403)})
def list_credit_notes(
    request: HttpRequest,
    status: str | None = Query(None, max_length=10),
    customer: str | None = Query(None, max_length=30),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Credit notes of the customers the caller sees, newest first. Pass `after` =
    `next_cursor` for the next page."""
    actor = caller(request)
    p.require_money(actor, p.VIEW_RECEIVABLES)
    qs = selectors.visible_credit_notes(actor)
    if status:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer__code=customer)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {"items": [_note(n) for n in rows], "next_cursor": cursor}


@router.post("/credit-notes", response={201: CreditNoteOut, **errors(403, 404, 409)})
def create_credit_note(request: HttpRequest, data: CreditNoteIn):
    """Issue a credit note (it reduces the receivable once finance confirms it)."""
    note = services.issue_credit_note(actor=caller(request), **data.dict())
    return Status(201, _note(note))


@router.post("/credit-notes/{number}/confirm", response={200: CreditNoteOut, **errors(403, 404)})
def confirm_credit_note(request: HttpRequest, number: str):
    """Finance confirms a credit note; confirming it again changes nothing."""
    note = services.confirm_credit_note(actor=caller(request), number=number)
    return _note(note)


class ChaseIn(Schema):
    customer: str = Field(..., max_length=30)
    order: str | None = Field(None, max_length=20)
    kind: Literal["call", "letter", "fax", "email", "chat", "visit"] = "call"
    summary: str = Field(..., max_length=2000)
    follow_up_on: date | None = None


class ChaseOut(Schema):
    communication: int
    customer: str
    order: str | None
    follow_up_on: date | None


@router.post("/chases", response={201: ChaseOut, **errors(403, 404)})
def log_chase(request: HttpRequest, data: ChaseIn):
    """Log the chase of an overdue amount in the customer's communication log (回收跟进)."""
    comm = services.log_collection_chase(actor=caller(request), **data.dict())
    return Status(
        201,
        {
            "communication": comm.pk,
            "customer": comm.customer.code,
            "order": comm.order.number if comm.order else None,
            "follow_up_on": comm.follow_up_on,
        },
    )
