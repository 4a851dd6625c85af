"""Reads of prospects and stock offers. A salesperson sees the prospects they own; whoever sees
every order sees every prospect. Stock offers follow the customer's visibility."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.errors import not_found
from gendan.inventory.models import StockLevel
from gendan.orders.workflow import Status
from gendan.parties.models import Channel, Customer
from gendan.parties.selectors import visible_customers
from gendan.prospects.models import Prospect, StockOffer

#: who a stock offer is for (零散客户 and the stores)
OFFER_CHANNELS = (Channel.SCATTERED, Channel.STORE)
#: an order that says the customer bought the product: signed, not cancelled
BOUGHT = frozenset(Status.values) - {Status.DRAFT, Status.SUBMITTED, Status.CANCELLED}
STALE_ROWS = 200


def prospects(actor: Any) -> QuerySet[Prospect]:
    qs = Prospect.objects.select_related("owner", "customer")
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.can(Perm.VIEW_ALL):
        return qs
    return qs.filter(owner=actor)


def get_prospect_for(actor: Any, number: str) -> Prospect:
    found = prospects(actor).filter(number=number).first()
    if found is None:
        raise not_found("prospect")
    return found


def samples_of(prospect: Prospect) -> list[Any]:
    """After-sales' samples requested for the prospect (by its name) or, once won, for the
    customer it became."""
    from gendan.aftersales.models import Sample

    q = Q(customer__isnull=True, prospect=prospect.name)
    if prospect.customer_id:
        q |= Q(customer_id=prospect.customer_id)
    return list(Sample.objects.filter(q).select_related("product").order_by("-id")[:50])


@dataclass
class StaleStock:
    product: Product
    warehouse: str
    available: int
    last_in: date | None
    age_days: int | None
    buyers: list[Customer] = field(default_factory=list)


def stale_stock(actor: Any, *, days: int, today: date | None = None) -> list[StaleStock]:
    """Finished goods not reserved (on hand above reserved) and not received for ``days`` days,
    each with the scattered and store customers the actor sees who bought the product before
    (on an order signed and not cancelled; two queries)."""
    today = today or timezone.localdate()
    cutoff = timezone.now() - timedelta(days=days)
    levels = list(
        StockLevel.objects.filter(on_hand__gt=F("reserved"), product__active=True)
        .annotate(last_in=Max("moves__at", filter=Q(moves__quantity__gt=0)))
        .filter(Q(last_in__lt=cutoff) | Q(last_in__isnull=True))
        .select_related("product", "warehouse")
        .order_by("product__code", "warehouse__code")[:STALE_ROWS]
    )
    if not levels:
        return []
    ids = {s.product_id for s in levels}
    buyers: dict[int, list[Customer]] = {}
    pairs = (
        visible_customers(actor)
        .filter(
            channel__in=OFFER_CHANNELS,
            orders__lines__product_id__in=ids,
            orders__status__in=BOUGHT,
        )
        .annotate(product_id=F("orders__lines__product_id"))
        .order_by("code")
        .distinct()
    )
    for customer in pairs:
        found = buyers.setdefault(customer.product_id, [])
        if all(c.pk != customer.pk for c in found):
            found.append(customer)
    out = []
    for s in levels:
        last = timezone.localtime(s.last_in).date() if s.last_in else None
        out.append(
            StaleStock(
                product=s.product,
                warehouse=s.warehouse.code,
                available=s.on_hand - s.reserved,
                last_in=last,
                age_days=(today - last).days if last else None,
                buyers=buyers.get(s.product_id, []),
            )
        )
    return out


def offers(actor: Any) -> QuerySet[StockOffer]:
    return StockOffer.objects.filter(
        customer__in=visible_customers(actor).values("pk")
    ).select_related("customer", "product", "order", "offered_by")


def get_offer_for(actor: Any, number: str) -> StockOffer:
    found = offers(actor).filter(number=number).first()
    if found is None:
        raise not_found("offer")
    return found


def hit_rate(actor: Any) -> list[dict[str, Any]]:
    """Per product: offers sent, offers an order followed, and the rate (%)."""
    rows = (
        offers(actor)
        .values("product__code", "product__name")
        .annotate(sent=Count("id"), won=Count("id", filter=Q(order__isnull=False)))
        .order_by("product__code")
    )
    return [
        {**row, "rate": round(100 * row["won"] / row["sent"]) if row["sent"] else 0} for row in rows
    ]
