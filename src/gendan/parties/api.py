from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from gendan.accounts.permissions import Perm
from gendan.accounts.selectors import active_user
from gendan.apiconventions import caller, errors, page_by_key
from gendan.codes import CODE_PATTERN
from gendan.errors import invalid
from gendan.finance.selectors import customer_receivable
from gendan.parties import selectors, services
from gendan.parties.models import Channel, CommunicationKind
from gendan.prices import redact_text

router = Router(tags=["customers"])


class ContactSchema(Schema):
    name: str = Field(min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)
    im: str = Field("", max_length=100)


#: the longest free texts a customer keeps (the model's are unbounded text fields)
ADDRESS_MAX = 500
NOTES_MAX = 4000


def currency_field(default: str | None) -> Any:
    return Field(
        default,
        min_length=3,
        max_length=3,
        pattern="^[A-Za-z]{3}$",
        description="An ISO 4217 code such as CNY or USD, in any case (kept upper-case).",
    )


class CustomerIn(Schema):
    code: str = Field(
        min_length=1,
        max_length=30,
        pattern=CODE_PATTERN,
        description="Letters, digits, “-”, “_” and “.”, starting with a letter or a digit.",
    )
    name: str = Field(min_length=1, max_length=200)
    channel: Channel
    region: str = Field("", max_length=100)
    province: str = Field("", max_length=100)
    currency: str = currency_field("CNY")
    deposit_percent: Decimal = Field(Decimal("30"), ge=0, le=100, max_digits=5, decimal_places=2)
    credit_days: int = Field(0, ge=0, le=3650)
    credit_limit: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    salesperson: str | None = Field(
        None,
        max_length=150,
        description=(
            "Username; absent: you. Only a merchandiser or a sales manager may name another "
            "salesperson (GET /api/v1/people?role=salesperson)."
        ),
    )
    address: str = Field("", max_length=ADDRESS_MAX)
    notes: str = Field("", max_length=NOTES_MAX)
    contacts: list[ContactSchema] = Field([], max_length=50)


class CustomerPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    channel: Channel | None = None
    region: str | None = Field(None, max_length=100)
    province: str | None = Field(None, max_length=100)
    currency: str | None = currency_field(None)
    deposit_percent: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    credit_days: int | None = Field(None, ge=0, le=3650)
    credit_limit: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    address: str | None = Field(None, max_length=ADDRESS_MAX)
    notes: str | None = Field(None, max_length=NOTES_MAX)


class CustomerOut(Schema):
    code: str
    name: str
    channel: str
    region: str
    province: str
    currency: str
    deposit_percent: Decimal
    credit_days: int
    credit_limit: Decimal | None = None
    receivable: Decimal | None = Field(
        None, description="What the customer owes on orders past production, to the cent."
    )
    salesperson: str | None
    address: str
    notes: str
    contacts: list[ContactSchema]


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


def customer_out(customer, actor, *, receivable: bool = False) -> dict:
    out = {
        "code": customer.code,
        "name": customer.name,
        "channel": customer.channel,
        "region": customer.region,
        "province": customer.province,
        "currency": customer.currency,
        "deposit_percent": customer.deposit_percent,
        "credit_days": customer.credit_days,
        "salesperson": customer.salesperson.username if customer.salesperson else None,
        "address": customer.address,
        "notes": customer.notes,
        "contacts": [
            {"name": c.name, "title": c.title, "phone": c.phone, "email": c.email, "im": c.im}
            for c in customer.contacts.all()
        ],
    }
    if actor.can(Perm.VIEW_PRICES):
        out["credit_limit"] = customer.credit_limit
        if receivable:
            out["receivable"] = customer_receivable(customer)
    return out


@router.get("/customers", response={200: CustomerPage, **errors()}, exclude_unset=True)
def list_customers(
    request: HttpRequest,
    q: str | None = Query(None, max_length=100),
    channel: Channel | None = None,
    after: str | None = Query(None, max_length=30),
    limit: int = Query(50, ge=1, le=200),
):
    """Customers you may see, ordered by code; pass `after` = the last code for the next page."""
    actor = caller(request)
    qs = (
        selectors.visible_customers(actor)
        .select_related("salesperson")
        .prefetch_related("contacts")
        .order_by("code")
    )
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    if channel:
        qs = qs.filter(channel=channel)
    if after:
        qs = qs.filter(code__gt=after)
    rows = list(qs[: limit + 1])
    return {
        "items": [customer_out(c, actor) for c in rows[:limit]],
        "next_cursor": rows[limit - 1].code if len(rows) > limit else None,
    }


@router.post("/customers", response={201: CustomerOut, **errors(403)}, exclude_unset=True)
def create_customer(request: HttpRequest, data: CustomerIn):
    actor = caller(request)
    values = data.dict(exclude={"code", "salesperson", "contacts"})
    salesperson = active_user(data.salesperson) if data.salesperson else None
    if data.salesperson and salesperson is None:
        raise invalid(
            "unknown_user",
            gettext("Unknown user “%(name)s”.") % {"name": data.salesperson},
            field="salesperson",
        )
    customer = services.create_customer(
        actor=actor,
        code=data.code,
        salesperson=salesperson,
        contacts=[c.dict() for c in data.contacts],
        **values,
    )
    return Status(201, customer_out(customer, actor))


@router.get("/customers/{code}", response={200: CustomerOut, **errors(404)}, exclude_unset=True)
def get_customer(request: HttpRequest, code: str):
    actor = caller(request)
    return customer_out(selectors.get_customer_for(actor, code), actor, receivable=True)


@router.patch(
    "/customers/{code}",
    response={200: CustomerOut, **errors(403, 404)},
    exclude_unset=True,
)
def update_customer(request: HttpRequest, code: str, data: CustomerPatch):
    actor = caller(request)
    customer = services.update_customer(actor=actor, code=code, **data.dict(exclude_unset=True))
    return customer_out(customer, actor)


class CommunicationIn(Schema):
    customer: str = Field(min_length=1, max_length=30)
    kind: CommunicationKind
    summary: str = Field(min_length=1, max_length=NOTES_MAX)
    order: str | None = Field(None, max_length=20)
    occurred_at: datetime | None = None
    follow_up_on: date | None = None


class CommunicationOut(Schema):
    id: int
    customer: str
    order: str | None
    kind: str
    summary: str
    occurred_at: datetime
    follow_up_on: date | None
    done: bool
    created_by: str


def communication_out(c, actor) -> dict:
    return {
        "id": c.pk,
        "customer": c.customer.code,
        "order": c.order.number if c.order else None,
        "kind": c.kind,
        "summary": redact_text(c.summary, actor),
        "occurred_at": c.occurred_at,
        "follow_up_on": c.follow_up_on,
        "done": c.done,
        "created_by": c.created_by.username,
    }


class CommunicationPage(Schema):
    items: list[CommunicationOut]
    next_cursor: str | None


@router.get(
    "/communications",
    response={200: CommunicationPage, **errors()},
    tags=["communications"],
)
def list_communications(
    request: HttpRequest,
    customer: str | None = Query(None, max_length=30),
    order: str | None = Query(None, max_length=20),
    due_by: date | None = None,
    open_only: bool = False,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """The communication log, the last logged first; `due_by` with `open_only` gives the follow-ups due.
    Pass `after` = `next_cursor` for the next page."""
    qs = selectors.visible_communications(caller(request))
    if customer:
        qs = qs.filter(customer__code=customer)
    if order:
        qs = qs.filter(order__number=order)
    if due_by:
        qs = qs.filter(follow_up_on__lte=due_by)
    if open_only:
        qs = qs.filter(done=False)
    items, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {
        "items": [communication_out(c, caller(request)) for c in items],
        "next_cursor": cursor,
    }


@router.post(
    "/communications",
    response={201: CommunicationOut, **errors(403, 404)},
    tags=["communications"],
)
def create_communication(request: HttpRequest, data: CommunicationIn):
    comm = services.log_communication(actor=caller(request), **data.dict())
    return Status(201, communication_out(comm, caller(request)))


@router.post(
    "/communications/{comm_id}/done",
    response={200: CommunicationOut, **errors(403, 404)},
    tags=["communications"],
)
def complete_communication(request: HttpRequest, comm_id: int):
    comm = services.complete_follow_up(actor=caller(request), communication_id=comm_id)
    return communication_out(comm, caller(request))
