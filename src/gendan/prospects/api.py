"""Prospects and stock offers over HTTP (/api/v1/prospects/...). No price in any answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.parties.models import Channel, CommunicationKind
from gendan.prospects import selectors, services
from gendan.prospects.models import Prospect, ProspectSource, StockOffer

router = Router(tags=["prospects"])


class ProspectContactIO(Schema):
    name: str = Field(min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=254)


class ProspectOut(Schema):
    number: str
    name: str
    source: str
    channel: str
    region: str
    address: str
    owner: str
    status: str
    lost_reason: str
    customer: str | None
    products: list[str]
    contacts: list[ProspectContactIO]
    created_at: datetime


def prospect_out(x: Prospect) -> dict[str, Any]:
    return {
        "number": x.number,
        "name": x.name,
        "source": x.source,
        "channel": x.channel,
        "region": x.region,
        "address": x.address,
        "owner": x.owner.username,
        "status": x.status,
        "lost_reason": x.lost_reason,
        "customer": x.customer.code if x.customer_id else None,
        "products": [pr.code for pr in x.products.all()],
        "contacts": [
            {"name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
            for c in x.contacts.all()
        ],
        "created_at": x.created_at,
    }


class ProspectPage(Schema):
    items: list[ProspectOut]
    next_cursor: str | None


class ProspectIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    source: Literal[*ProspectSource.values]  # type: ignore[valid-type]
    channel: Literal[*Channel.values] = "domestic"  # type: ignore[valid-type]
    region: str = Field("", max_length=100)
    address: str = Field("", max_length=2000)
    products: list[str] = Field(default_factory=list, max_length=50)
    contacts: list[ProspectContactIO] = Field(default_factory=list, max_length=10)
    owner: str = Field("", max_length=150)
    notes: str = Field("", max_length=2000)


class ProspectLogIn(Schema):
    kind: Literal[*CommunicationKind.values]  # type: ignore[valid-type]
    summary: str = Field(min_length=1, max_length=2000)


class ProspectMoveIn(Schema):
    status: Literal["contacted", "sample_sent", "quoted", "lost"]
    reason: str = Field("", max_length=2000)


class WinIn(Schema):
    code: str = Field(min_length=1, max_length=30, description="The new customer's code.")


def _one(request: HttpRequest, number: str) -> dict[str, Any]:
    return prospect_out(selectors.get_prospect_for(caller(request), number))


class OfferOut(Schema):
    number: str
    customer: str
    product: str
    quantity: int
    stock_age_days: int
    note: str
    mailed: bool
    communication: int | None
    offered_by: str
    offered_at: datetime
    order: str | None


def offer_out(o: StockOffer) -> dict[str, Any]:
    return {
        "number": o.number,
        "customer": o.customer.code,
        "product": o.product.code,
        "quantity": o.quantity,
        "stock_age_days": o.stock_age_days,
        "note": o.note,
        "mailed": bool(o.mailed_to),
        "communication": o.communication_id,
        "offered_by": o.offered_by.username,
        "offered_at": o.offered_at,
        "order": o.order.number if o.order_id else None,
    }


class OfferPage(Schema):
    items: list[OfferOut]
    next_cursor: str | None


class OfferIn(Schema):
    customer: str = Field(min_length=1, max_length=30)
    product: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=10_000_000)
    days: int = Field(0, ge=0, le=3650)
    note: str = Field("", max_length=500)


class LinkIn(Schema):
    order: str = Field(min_length=1, max_length=30)


class StaleOut(Schema):
    product: str
    product_name: str
    warehouse: str
    available: int
    last_in: date | None
    age_days: int | None
    buyers: list[str]


class RateOut(Schema):
    product: str
    sent: int
    won: int
    rate: int


@router.get("/offers", response={200: OfferPage, **errors()})
def list_offers(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Stock offers to the customers you see, newest first."""
    rows, cursor = page_by_key(
        selectors.offers(caller(request)), key="-id", after=after, limit=limit
    )
    return {"items": [offer_out(o) for o in rows], "next_cursor": cursor}


@router.post("/offers", response={201: OfferOut, **errors(403, 404, 409)})
def send_offer(request: HttpRequest, data: OfferIn):
    made = services.send_offer(actor=caller(request), **data.dict())
    return Status(201, offer_out(selectors.get_offer_for(caller(request), made.number)))


@router.post("/offers/{number}/order", response={200: OfferOut, **errors(403, 404, 409)})
def link_offer_order(request: HttpRequest, number: str, data: LinkIn):
    services.link_offer_order(actor=caller(request), number=number, order=data.order)
    return offer_out(selectors.get_offer_for(caller(request), number))


@router.get("/stock", response={200: list[StaleOut], **errors()})
def stale_stock(request: HttpRequest, days: int = Query(60, ge=0, le=3650)):
    """Stock not reserved and not received for `days` days (at most 200 rows), with the
    scattered and store customers who bought each product before."""
    from gendan.prospects.permissions import OFFER_STOCK

    actor = caller(request)
    if not actor.can(OFFER_STOCK):
        return []
    return [
        {
            "product": s.product.code,
            "product_name": s.product.name,
            "warehouse": s.warehouse,
            "available": s.available,
            "last_in": s.last_in,
            "age_days": s.age_days,
            "buyers": [c.code for c in s.buyers],
        }
        for s in selectors.stale_stock(actor, days=days)
    ]


@router.get("/hit-rate", response={200: list[RateOut], **errors()})
def hit_rate(request: HttpRequest):
    """Per product: offers sent, offers an order followed, the rate in percent."""
    return [
        {"product": r["product__code"], "sent": r["sent"], "won": r["won"], "rate": r["rate"]}
        for r in selectors.hit_rate(caller(request))
    ]


@router.get("/", response={200: ProspectPage, **errors()})
def list_prospects(
    request: HttpRequest,
    status: str | None = Query(None, max_length=12),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Prospects you own (or all, for those who see every order), newest first."""
    qs = selectors.prospects(caller(request)).prefetch_related("products", "contacts")
    if status:
        qs = qs.filter(status=status)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {"items": [prospect_out(x) for x in rows], "next_cursor": cursor}


@router.post("/", response={201: ProspectOut, **errors(403)})
def add_prospect(request: HttpRequest, data: ProspectIn):
    values = data.dict()
    made = services.add_prospect(actor=caller(request), **values)
    return Status(201, _one(request, made.number))


@router.get("/{number}", response={200: ProspectOut, **errors(404)})
def get_prospect(request: HttpRequest, number: str):
    return _one(request, number)


@router.post("/{number}/log", response={201: ProspectOut, **errors(403, 404, 409)})
def log_contact(request: HttpRequest, number: str, data: ProspectLogIn):
    services.log_prospect_contact(actor=caller(request), number=number, **data.dict())
    return Status(201, _one(request, number))


@router.post("/{number}/status", response={200: ProspectOut, **errors(403, 404, 409)})
def move_prospect(request: HttpRequest, number: str, data: ProspectMoveIn):
    services.move_prospect(actor=caller(request), number=number, **data.dict())
    return _one(request, number)


@router.post("/{number}/win", response={200: ProspectOut, **errors(403, 404, 409)})
def win_prospect(request: HttpRequest, number: str, data: WinIn):
    services.win_prospect(actor=caller(request), number=number, code=data.code)
    return _one(request, number)
