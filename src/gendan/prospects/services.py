"""Every write of prospects and stock offers.

Prospects: add one (its source, contacts, products of interest, owner), log a contact, move its
status (new, contacted, sample sent, quoted; lost only with a reason), and win it: it becomes a
parties customer (through parties' own verb) keeping its history — the prospect stays linked to
the customer and its contact log is copied to the customer's communication log.

Stock offers: offer stock that waited to a scattered or store customer (logged in the
communication log through parties' ``write_communication``, mailed through the outbox where the
customer has an address), and link the order that followed. A refusal changes nothing; each
write keeps its history and an event on the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, invalid
from gendan.numbering.services import next_number
from gendan.orders.selectors import visible_orders
from gendan.outbox.services import customer_language, send_mail
from gendan.parties.models import Channel, CommunicationKind, Customer
from gendan.parties.selectors import get_customer_for
from gendan.parties.services import create_customer, write_communication
from gendan.prospects import permissions as p
from gendan.prospects import selectors
from gendan.prospects.errors import Code
from gendan.prospects.models import (
    NEXT,
    WINNABLE,
    Prospect,
    ProspectContact,
    ProspectNote,
    ProspectSource,
    ProspectStatus,
    StockOffer,
)
from gendan.timeline.services import record

TEXT = 2000
MAX_CONTACTS = 10
MAX_PRODUCTS = 50


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


def _bad(message: str, field: str) -> DomainError:
    return invalid(Code.BAD_INPUT, message, field=field)


def _event(prospect: Prospect, actor: Any, kind: str, **payload: Any) -> None:
    record(
        kind=kind,
        actor=actor,
        customer=prospect.customer if prospect.customer_id else None,
        subject=prospect,
        to_status=prospect.status,
        payload={"prospect": prospect.number, **payload},
    )


def _products(codes: list[str]) -> list[Product]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))[:MAX_PRODUCTS]
    found = list(Product.objects.filter(code__in=codes))
    missing = set(codes) - {x.code for x in found}
    if missing:
        raise _bad(
            gettext("Unknown product “%(code)s”.") % {"code": sorted(missing)[0]}, "products"
        )
    return found


@verb(p.MANAGE_PROSPECTS)
def add_prospect(
    *,
    actor: Any,
    name: str,
    source: str,
    channel: str = Channel.DOMESTIC,
    region: str = "",
    address: str = "",
    products: list[str] | None = None,
    contacts: list[dict[str, str]] | None = None,
    owner: str = "",
    notes: str = "",
) -> Prospect:
    """A company not yet a customer; its owner is the actor unless one who sees every order
    names another salesperson."""
    name = (name or "").strip()[:200]
    if not name:
        raise _bad(gettext("The name is required."), "name")
    if source not in ProspectSource.values:
        raise _bad(gettext("Say where the prospect came from."), "source")
    if channel not in Channel.values:
        raise _bad(gettext("Unknown channel."), "channel")
    who = actor
    if owner and owner != actor.username:
        if not actor.can(Perm.VIEW_ALL):
            raise DomainError(
                Code.BAD_INPUT,
                gettext("You may add prospects only for yourself."),
                kind=Kind.FORBIDDEN,
            )
        who = User.objects.filter(username=owner, is_active=True).first()
        if who is None:
            raise _bad(gettext("Unknown person “%(n)s”.") % {"n": owner}, "owner")
    found = _products(products or [])
    people = [c for c in (contacts or []) if (c.get("name") or "").strip()][:MAX_CONTACTS]
    with transaction.atomic(durable=True):
        prospect = Prospect(
            number=next_number("PR"),
            name=name,
            source=source,
            channel=channel,
            region=(region or "").strip()[:100],
            address=(address or "").strip()[:TEXT],
            owner=who,
            notes=(notes or "").strip()[:TEXT],
            created_by=actor,
        )
        _save(prospect, actor)
        prospect.products.set(found)
        for c in people:
            ProspectContact.objects.create(
                prospect=prospect,
                name=c["name"].strip()[:100],
                title=(c.get("title") or "").strip()[:100],
                phone=(c.get("phone") or "").strip()[:50],
                email=(c.get("email") or "").strip()[:254],
            )
        _event(prospect, actor, p.PROSPECT_ADDED, source=source)
    return prospect


def _for_update(actor: Any, number: str) -> Prospect:
    selectors.get_prospect_for(actor, number)  # visibility first: the same 404
    return Prospect.objects.select_for_update().get(number=number)


@verb(p.MANAGE_PROSPECTS)
def log_prospect_contact(
    *, actor: Any, number: str, kind: str, summary: str, occurred_at: datetime | None = None
) -> ProspectNote:
    """A call, mail or visit with the prospect; a first contact moves a new prospect on."""
    if kind not in CommunicationKind.values:
        raise _bad(gettext("Unknown kind “%(value)s”.") % {"value": kind}, "kind")
    text = (summary or "").strip()[:TEXT]
    if not text:
        raise _bad(gettext("A summary is required."), "summary")
    with transaction.atomic(durable=True):
        prospect = _for_update(actor, number)
        if prospect.status in (ProspectStatus.WON, ProspectStatus.LOST):
            raise DomainError(
                Code.WRONG_STEP,
                gettext("The prospect is closed: log with the customer."),
                kind=Kind.REFUSED,
            )
        note = ProspectNote.objects.create(
            prospect=prospect,
            kind=kind,
            summary=text,
            occurred_at=occurred_at or timezone.now(),
            created_by=actor,
        )
        if prospect.status == ProspectStatus.NEW:
            prospect.status = ProspectStatus.CONTACTED
        prospect.updated_at = timezone.now()
        _save(prospect, actor)
        _event(prospect, actor, p.PROSPECT_NOTE, note=note.pk, via=kind)
    return note


@verb(p.MANAGE_PROSPECTS)
def move_prospect(*, actor: Any, number: str, status: str, reason: str = "") -> Prospect:
    """new → contacted → sample sent → quoted (back and forth), or lost with a reason. Won is
    ``win_prospect``."""
    with transaction.atomic(durable=True):
        prospect = _for_update(actor, number)
        allowed = NEXT.get(ProspectStatus(prospect.status), set())
        if status not in allowed:
            raise DomainError(
                Code.WRONG_STEP,
                gettext("A prospect “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": prospect.get_status_display(),
                    "to": dict(ProspectStatus.choices).get(status, status),
                },
                kind=Kind.REFUSED,
            )
        reason = (reason or "").strip()[:TEXT]
        if status == ProspectStatus.LOST and not reason:
            raise DomainError(
                Code.LOST_NEEDS_REASON,
                gettext("Say why the prospect was lost."),
                kind=Kind.INVALID,
                details={"field": "reason"},
            )
        before = prospect.status
        prospect.status = status
        prospect.lost_reason = reason if status == ProspectStatus.LOST else ""
        prospect.updated_at = timezone.now()
        _save(prospect, actor)
        _event(prospect, actor, p.PROSPECT_STATUS, before=before, reason=reason)
    return prospect


@verb(p.MANAGE_PROSPECTS)
def win_prospect(*, actor: Any, number: str, code: str) -> Prospect:
    """The prospect becomes a customer (parties' ``create_customer``: its rules and event), with
    its contacts, owned by the prospect's owner; the contact log is copied to the customer's
    communication log with its dates, and the prospect stays linked to the customer."""
    prospect = selectors.get_prospect_for(actor, number)
    if prospect.status not in WINNABLE:
        raise DomainError(
            Code.WRONG_STEP,
            gettext("Only a prospect contacted, sent a sample or quoted can be won."),
            kind=Kind.REFUSED,
        )
    contacts = [
        {"name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
        for c in prospect.contacts.all()
    ]
    customer = create_customer(
        actor=actor,
        code=code,
        name=prospect.name,
        channel=prospect.channel,
        region=prospect.region,
        address=prospect.address,
        salesperson=prospect.owner,
        contacts=contacts,
        notes=gettext("From prospect %(n)s") % {"n": prospect.number},
    )
    with transaction.atomic(durable=True):
        prospect = _for_update(actor, number)
        prospect.status = ProspectStatus.WON
        prospect.customer = customer
        prospect.updated_at = timezone.now()
        _save(prospect, actor)
        for note in prospect.log.order_by("occurred_at", "id"):
            comm = write_communication(
                actor=actor,
                customer=customer.code,
                kind=note.kind,
                summary=note.summary,
                occurred_at=note.occurred_at,
                payload={"prospect": prospect.number},
            )
            note.communication = comm
            note.save(update_fields=["communication"])
        _event(prospect, actor, p.PROSPECT_WON, customer=customer.code)
    return prospect


# ---- stock offers ------------------------------------------------------------------------------


def _emails(customer: Customer) -> list[str]:
    return [c.email for c in customer.contacts.all() if c.email]


@verb(p.OFFER_STOCK)
def send_offer(
    *,
    actor: Any,
    customer: str,
    product: str,
    quantity: int,
    days: int = 0,
    note: str = "",
) -> StockOffer:
    """Offer stock that waits to a scattered or store customer: the offer is logged in the
    customer's communication log and mailed to the customer's addresses (when there are)."""
    cust = get_customer_for(actor, customer)
    if cust.channel not in selectors.OFFER_CHANNELS:
        raise DomainError(
            Code.NOT_SCATTERED,
            gettext("Stock offers are for scattered and store customers."),
            kind=Kind.REFUSED,
        )
    prod = Product.objects.filter(code=product).first()
    if prod is None:
        raise _bad(gettext("Unknown product “%(code)s”.") % {"code": product}, "product")
    if not isinstance(quantity, int) or quantity < 1:
        raise _bad(gettext("The quantity must be a whole number above zero."), "quantity")
    from django.db.models import F, Sum

    available = (
        prod.stock_levels.filter(on_hand__gt=F("reserved"))
        .aggregate(n=Sum(F("on_hand") - F("reserved")))
        .get("n")
        or 0
    )
    if quantity > available:
        raise DomainError(
            Code.NOT_IN_STOCK,
            gettext("Only %(n)s are in stock and not reserved.") % {"n": available},
            kind=Kind.REFUSED,
        )
    text = (note or "").strip()[:TEXT]
    addresses = _emails(cust)
    summary = gettext("Stock offer: %(qty)s × %(code)s %(name)s from stock.") % {
        "qty": quantity,
        "code": prod.code,
        "name": prod.name,
    }
    if text:
        summary = f"{summary} {text}"
    with transaction.atomic(durable=True):
        offer = StockOffer(
            number=next_number("OF"),
            customer=cust,
            product=prod,
            quantity=quantity,
            stock_age_days=max(0, days),
            note=text,
            offered_by=actor,
            mailed_to=", ".join(addresses)[:500],
        )
        _save(offer, actor)
        offer.communication = write_communication(
            actor=actor,
            customer=cust.code,
            kind=CommunicationKind.EMAIL if addresses else CommunicationKind.CALL,
            summary=summary,
            payload={"offer": offer.number},
        )
        _save(offer, actor)
        if addresses:
            send_mail(
                template="stock_offer",
                context={"offer": offer, "customer": cust, "product": prod, "note": text},
                actor=actor,
                to_addresses=addresses,
                address_language=customer_language(cust),
                record=offer,
            )
        record(
            kind=p.OFFER_SENT,
            actor=actor,
            customer=cust,
            subject=offer,
            payload={
                "offer": offer.number,
                "product": prod.code,
                "quantity": quantity,
                "mailed": bool(addresses),
            },
        )
    return offer


@verb(p.OFFER_STOCK)
def link_offer_order(*, actor: Any, number: str, order: str) -> StockOffer:
    """The order that followed the offer: the same customer's, entered after the offer, with a
    line of the offered product."""
    offer = selectors.get_offer_for(actor, number)
    found = visible_orders(actor).filter(number=order).first()
    if found is None:
        raise _bad(gettext("Unknown order “%(n)s”.") % {"n": order}, "order")
    follows = (
        found.customer_id == offer.customer_id
        and found.created_at >= offer.offered_at
        and found.lines.filter(product_id=offer.product_id).exists()
    )
    if not follows:
        raise DomainError(
            Code.ORDER_NOT_FOLLOWING,
            gettext(
                "That order does not follow the offer: it must be the customer's, entered "
                "after the offer, with the offered product."
            ),
            kind=Kind.REFUSED,
        )
    with transaction.atomic(durable=True):
        offer = StockOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.order_id and offer.order_id != found.pk:
            raise DomainError(
                Code.ALREADY_LINKED,
                gettext("The offer is already linked to another order."),
                kind=Kind.REFUSED,
            )
        offer.order = found
        offer.linked_by = actor
        offer.linked_at = timezone.now()
        _save(offer, actor)
        record(
            kind=p.OFFER_ORDER,
            actor=actor,
            order=found,
            customer=offer.customer,
            subject=offer,
            payload={"offer": offer.number, "order": found.number},
        )
    return offer
