"""Reads of finance: the receivable of a customer, the receivable orders aged by days past due
(应收账款账龄), the sales ledger of a customer with its running balance (销售台账), and the
credit notes. Each is a fixed number of queries whatever the data size.

When an order becomes receivable, and when it falls due (one rule, ``due_on``):
- it is *booked* (the invoice-equivalent of the ledger) on the day its production was done, the
  step that puts it among the workflow's ``RECEIVABLE`` orders (the balance is asked then);
- it is *due* the customer's credit terms (``credit_days``) after it shipped, or after it was
  booked while it has not shipped (no terms: due the day it shipped or was booked);
- a credit note confirmed by finance reduces the receivable: one keyed to an order is applied to
  that order's amount (up to what it still owes); the rest is the customer's unapplied credit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gendan.finance.models import CreditNote, CreditNoteStatus, Payment
from gendan.orders.models import Order
from gendan.orders.workflow import RECEIVABLE
from gendan.orders.workflow import Status as S

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: orders that were booked: receivable now, or receivable once and closed since
BOOKED = RECEIVABLE | {S.CLOSED}

NOT_DUE, D0_30, D31_60, D61_90, OVER_90 = "not_due", "d0_30", "d31_60", "d61_90", "over_90"
BUCKETS = (NOT_DUE, D0_30, D31_60, D61_90, OVER_90)
PAST_DUE = (D0_30, D31_60, D61_90, OVER_90)


def cents(value: Any) -> Decimal:
    """To the cent (SQLite sums decimals as floats)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def bucket_of(days_past_due: int) -> str:
    if days_past_due <= 0:
        return NOT_DUE
    if days_past_due <= 30:
        return D0_30
    if days_past_due <= 60:
        return D31_60
    if days_past_due <= 90:
        return D61_90
    return OVER_90


def due_on(*, booked_on: date, shipped_on: date | None, credit_days: int) -> date:
    return (shipped_on or booked_on) + timedelta(days=credit_days)


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _credited_of_order() -> Any:
    confirmed = (
        CreditNote.objects.filter(order=OuterRef("pk"), status=CreditNoteStatus.CONFIRMED)
        .values("order")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Coalesce(
        Subquery(confirmed, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def customer_receivable(customer: Any) -> Decimal:
    """What the customer owes (应收账款): on orders past production, less the credit notes
    finance confirmed; one query, to the cent."""
    from gendan.parties.models import Customer

    dec = DecimalField(max_digits=16, decimal_places=2)
    owed = (
        Order.objects.filter(customer=OuterRef("pk"), status__in=RECEIVABLE)
        .values("customer")
        .annotate(s=Sum(F("total_amount") - F("paid_amount")))
        .values("s")
    )
    credit = (
        CreditNote.objects.filter(customer=OuterRef("pk"), status=CreditNoteStatus.CONFIRMED)
        .values("customer")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    row = (
        Customer.objects.filter(pk=customer.pk)
        .annotate(owed=Subquery(owed, output_field=dec), credit=Subquery(credit, output_field=dec))
        .values_list("owed", "credit")
        .first()
    )
    if row is None:
        return ZERO
    return cents(row[0]) - cents(row[1])


# ---- the receivable orders and their age -----------------------------------------------------


@dataclass(frozen=True)
class AgingFilter:
    salesperson: str = ""  # username of the order's salesperson
    region: str = ""  # the customer's region
    channel: str = ""  # the order's channel
    customer: str = ""  # a customer's code


@dataclass(frozen=True)
class ReceivableOrder:
    number: str
    customer_code: str
    customer_name: str
    region: str
    channel: str
    salesperson: str
    merchandiser: str
    currency: str
    total: Decimal
    paid: Decimal
    credited: Decimal  # confirmed credit notes applied to this order (up to what it owed)
    outstanding: Decimal
    booked_on: date
    due_on: date
    days_past_due: int
    delivery_date: date

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_past_due)


def _receivable_orders(qs: QuerySet[Order], today: date) -> list[ReceivableOrder]:
    rows = (
        qs.filter(status__in=RECEIVABLE, total_amount__gt=F("paid_amount"))
        .annotate(credited=_credited_of_order())
        .order_by("customer__code", "production_done_at", "id")
        .values(
            "number",
            "customer__code",
            "customer__name",
            "customer__region",
            "customer__credit_days",
            "channel",
            "salesperson__username",
            "merchandiser__username",
            "currency",
            "total_amount",
            "paid_amount",
            "credited",
            "production_done_at",
            "shipped_at",
            "contract_date",
            "delivery_date",
        )
    )
    found = []
    for r in rows:
        owed = cents(r["total_amount"]) - cents(r["paid_amount"])
        applied = min(cents(r["credited"]), owed)
        booked = _local_day(r["production_done_at"]) or r["contract_date"]
        due = due_on(
            booked_on=booked,
            shipped_on=_local_day(r["shipped_at"]),
            credit_days=r["customer__credit_days"],
        )
        found.append(
            ReceivableOrder(
                number=r["number"],
                customer_code=r["customer__code"],
                customer_name=r["customer__name"],
                region=r["customer__region"],
                channel=r["channel"],
                salesperson=r["salesperson__username"],
                merchandiser=r["merchandiser__username"],
                currency=r["currency"],
                total=cents(r["total_amount"]),
                paid=cents(r["paid_amount"]),
                credited=applied,
                outstanding=owed - applied,
                booked_on=booked,
                due_on=due,
                days_past_due=(today - due).days,
                delivery_date=r["delivery_date"],
            )
        )
    return found


def _filtered(qs: QuerySet[Order], f: AgingFilter) -> QuerySet[Order]:
    if f.salesperson:
        qs = qs.filter(salesperson__username=f.salesperson)
    if f.region:
        qs = qs.filter(customer__region=f.region)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.customer:
        qs = qs.filter(customer__code=f.customer)
    return qs


@dataclass
class AgingRow:
    customer_code: str
    customer_name: str
    region: str
    currency: str
    credit_limit: Decimal
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    unapplied: Decimal = ZERO  # confirmed credit not applied to a receivable order
    orders: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO) - self.unapplied

    @property
    def overdue(self) -> Decimal:
        return sum((self.buckets[b] for b in PAST_DUE), ZERO)

    @property
    def limit_use(self) -> Decimal | None:
        """The receivable as a percentage of the credit limit (None without a limit)."""
        if self.credit_limit <= 0:
            return None
        return (self.total * 100 / self.credit_limit).quantize(Decimal("0.1"))

    @property
    def cells(self) -> list[tuple[str, Decimal]]:
        return [(b, self.buckets[b]) for b in BUCKETS]


@dataclass
class Aging:
    today: date
    filters: AgingFilter
    rows: list[AgingRow]
    orders: list[ReceivableOrder]
    totals: dict[str, AgingRow]  # per currency

    def orders_in(self, customer: str, bucket: str) -> list[ReceivableOrder]:
        return [
            o
            for o in self.orders
            if o.customer_code == customer and (not bucket or o.bucket == bucket)
        ]


def aging(actor: Any, *, today: date | None = None, filters: AgingFilter | None = None) -> Aging:
    """The receivable of every visible customer by days past due: two queries."""
    from gendan.orders.selectors import visible_orders
    from gendan.parties.selectors import visible_customers

    today = today or timezone.localdate()
    f = filters or AgingFilter()
    orders = _receivable_orders(_filtered(visible_orders(actor), f), today)
    customers = visible_customers(actor).values("pk")
    credits = CreditNote.objects.filter(status=CreditNoteStatus.CONFIRMED, customer__in=customers)
    if f.salesperson:
        credits = credits.filter(customer__salesperson__username=f.salesperson)
    if f.region:
        credits = credits.filter(customer__region=f.region)
    if f.channel:
        credits = credits.filter(customer__channel=f.channel)
    if f.customer:
        credits = credits.filter(customer__code=f.customer)
    credit_rows = credits.values(
        "customer__code", "customer__name", "customer__region", "customer__credit_limit", "currency"
    ).annotate(s=Sum("amount"))
    limits = {r["customer__code"]: cents(r["customer__credit_limit"]) for r in credit_rows}
    rows: dict[tuple[str, str], AgingRow] = {}

    def row_of(code: str, name: str, region: str, currency: str) -> AgingRow:
        key = (code, currency)
        if key not in rows:
            rows[key] = AgingRow(code, name, region, currency, limits.get(code, ZERO))
        return rows[key]

    for o in orders:
        row = row_of(o.customer_code, o.customer_name, o.region, o.currency)
        row.buckets[o.bucket] += o.outstanding
        row.unapplied -= o.credited  # applied credit is netted below from the note's total
        row.orders += 1
    for r in credit_rows:
        row = row_of(r["customer__code"], r["customer__name"], r["customer__region"], r["currency"])
        row.unapplied += cents(r["s"])
    if orders:
        _fill_limits(rows, {o.customer_code for o in orders} - set(limits))
    totals: dict[str, AgingRow] = {}
    for row in rows.values():
        total = totals.setdefault(row.currency, AgingRow("", "", "", row.currency, ZERO))
        for b in BUCKETS:
            total.buckets[b] += row.buckets[b]
        total.unapplied += row.unapplied
        total.orders += row.orders
    ordered = sorted(rows.values(), key=lambda r: (-r.overdue, -r.total, r.customer_code))
    return Aging(today, f, ordered, orders, dict(sorted(totals.items())))


def _fill_limits(rows: dict[tuple[str, str], AgingRow], codes: set[str]) -> None:
    """The credit limits of the customers the orders named (one query)."""
    from gendan.parties.models import Customer

    if not codes:
        return
    limits = dict(Customer.objects.filter(code__in=codes).values_list("code", "credit_limit"))
    for (code, _currency), row in rows.items():
        if code in limits:
            row.credit_limit = cents(limits[code])


def overdue_of(actor: Any, *, today: date, limit: int) -> tuple[int, list[ReceivableOrder]]:
    """The actor's own overdue receivable orders (as salesperson, merchandiser or the customer's
    salesperson), longest overdue first: one query."""
    mine = Order.objects.filter(
        Q(salesperson=actor) | Q(merchandiser=actor) | Q(customer__salesperson=actor)
    )
    late = [o for o in _receivable_orders(mine, today) if o.days_past_due > 0 and o.outstanding > 0]
    late.sort(key=lambda o: (-o.days_past_due, o.number))
    return len(late), late[:limit]


# ---- the sales ledger --------------------------------------------------------------------------

INVOICE, PAYMENT, CREDIT_NOTE = "invoice", "payment", "credit_note"


@dataclass(frozen=True)
class LedgerEntry:
    on: date
    kind: str
    reference: str
    order: str
    note: str
    currency: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass
class Ledger:
    customer: Any
    since: date
    until: date
    opening: dict[str, Decimal]
    entries: list[LedgerEntry]
    closing: dict[str, Decimal]

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.opening) | set(self.closing))


#: the longest range a ledger or statement covers in one read
MAX_RANGE_DAYS = 3 * 366


def ledger(customer: Any, *, since: date, until: date) -> Ledger:
    """The customer's sales ledger from ``since`` to ``until`` (inclusive): the opening balance
    per currency, every booking, payment and confirmed credit note of the range in date order
    with the running balance, and the closing balance. Six queries whatever the history.

    The caller found the customer through ``parties.selectors.get_customer_for`` (visibility)."""
    start, end = _day_start(since), _day_start(until + timedelta(days=1))
    booked = Order.objects.filter(customer=customer, status__in=BOOKED)
    before = Q(production_done_at__lt=start) | Q(
        production_done_at__isnull=True, contract_date__lt=since
    )
    within = Q(production_done_at__gte=start, production_done_at__lt=end) | Q(
        production_done_at__isnull=True, contract_date__gte=since, contract_date__lte=until
    )
    payments = Payment.objects.filter(order__in=booked.values("pk"))
    credits = CreditNote.objects.filter(customer=customer, status=CreditNoteStatus.CONFIRMED)
    opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for cur, s in booked.filter(before).values_list("currency").annotate(s=Sum("total_amount")):
        opening[cur] += cents(s)
    for cur, s in (
        payments.filter(received_on__lt=since).values_list("currency").annotate(s=Sum("amount"))
    ):
        opening[cur] -= cents(s)
    for cur, s in (
        credits.filter(confirmed_on__lt=since).values_list("currency").annotate(s=Sum("amount"))
    ):
        opening[cur] -= cents(s)
    moves: list[tuple[date, int, int, str, str, str, str, str, Decimal, Decimal]] = []
    for o in booked.filter(within).values(
        "pk",
        "number",
        "currency",
        "total_amount",
        "production_done_at",
        "contract_date",
        "customer_po",
    ):
        on = _local_day(o["production_done_at"]) or o["contract_date"]
        amount = cents(o["total_amount"])
        moves.append(
            (
                on,
                0,
                o["pk"],
                INVOICE,
                o["number"],
                o["number"],
                o["customer_po"],
                o["currency"],
                amount,
                ZERO,
            )
        )
    for p in payments.filter(received_on__gte=since, received_on__lte=until).values(
        "pk", "order__number", "kind", "reference", "currency", "amount", "received_on"
    ):
        moves.append(
            (
                p["received_on"],
                1,
                p["pk"],
                PAYMENT,
                p["reference"],
                p["order__number"],
                p["kind"],
                p["currency"],
                ZERO,
                cents(p["amount"]),
            )
        )
    for c in credits.filter(confirmed_on__gte=since, confirmed_on__lte=until).values(
        "pk", "number", "order__number", "reason", "currency", "amount", "confirmed_on"
    ):
        moves.append(
            (
                c["confirmed_on"] or until,  # a confirmed note has its day (a constraint)
                2,
                c["pk"],
                CREDIT_NOTE,
                c["number"],
                c["order__number"] or "",
                c["reason"][:80],
                c["currency"],
                ZERO,
                cents(c["amount"]),
            )
        )
    moves.sort(key=lambda m: m[:3])
    balance = dict(opening)
    entries = []
    for on, _rank, _pk, kind, ref, order, note, cur, debit, credit in moves:
        balance[cur] = balance.get(cur, ZERO) + debit - credit
        entries.append(LedgerEntry(on, kind, ref, order, note, cur, debit, credit, balance[cur]))
    return Ledger(customer, since, until, dict(opening), entries, balance)


def visible_credit_notes(actor: Any) -> QuerySet[CreditNote]:
    from gendan.parties.selectors import visible_customers

    return CreditNote.objects.filter(
        customer__in=visible_customers(actor).values("pk")
    ).select_related("customer", "order", "issued_by", "confirmed_by")
