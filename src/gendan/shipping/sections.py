"""The Today sections shipping contributes: the outbound slips finance issues, the goods the
warehouse prepares and ships, the deliveries a driver confirms, the cash the cashier counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.orders.selectors import visible_orders
from gendan.shipping.models import DeliveryNote, ShippingNotice

NOTICE_TEMPLATE = "shipping/_section_notices.html"


def _notices(actor: Any) -> QuerySet[ShippingNotice]:
    return (
        ShippingNotice.objects.filter(order__in=visible_orders(actor).values("pk"))
        .select_related("order__customer", "outbound_slip", "delivery_note")
        .order_by("ship_date", "id")
    )


def slips_to_issue(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = _notices(actor).filter(status="issued", outbound_slip__isnull=True)
    return SectionData.page(qs, limit)


def notes_to_issue(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = _notices(actor).filter(status="issued", delivery_note__isnull=True)
    return SectionData.page(qs, limit)


def goods_to_ship(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Notices whose papers are ready: the warehouse prepares the goods and ships them."""
    qs = _notices(actor).filter(
        status="issued", outbound_slip__isnull=False, delivery_note__isnull=False
    )
    return SectionData.page(qs, limit)


def deliveries(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """Shipments on the road, waiting for the proof of delivery."""
    return SectionData.page(_notices(actor).filter(status="shipped"), limit)


def cash_to_reconcile(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    qs = (
        DeliveryNote.objects.filter(
            notice__order__in=visible_orders(actor).values("pk"),
            notice__status="delivered",
            cod_collected__gt=0,
            cod_reconciled_at__isnull=True,
        )
        .select_related("notice__order__customer", "delivered_by")
        .order_by("delivered_at", "id")
    )
    data = SectionData.page(qs, limit)
    data.extra["cod"] = True
    return data


def register() -> None:
    add = extensions.add_today_section
    add(
        key="outbound_slips",
        title=_("Outbound slips to issue"),
        description=_("Shipping notices waiting for finance's outbound slip."),
        roles={"finance"},
        build=slips_to_issue,
        template=NOTICE_TEMPLATE,
        app="shipping",
        order=50,
    )
    add(
        key="delivery_notes",
        title=_("Delivery notes to issue"),
        description=_("Shipping notices without the delivery note for the customer."),
        roles={"warehouse"},
        build=notes_to_issue,
        template=NOTICE_TEMPLATE,
        app="shipping",
        order=20,
    )
    add(
        key="goods_to_ship",
        title=_("Goods to prepare and ship"),
        description=_("The papers are ready: prepare the load and ship it."),
        roles={"warehouse"},
        build=goods_to_ship,
        template=NOTICE_TEMPLATE,
        app="shipping",
        order=10,
    )
    add(
        key="deliveries",
        title=_("Deliveries"),
        description=_("Shipments on the road: confirm each delivery with its proof."),
        roles={"driver"},
        build=deliveries,
        template=NOTICE_TEMPLATE,
        app="shipping",
        order=10,
    )
    add(
        key="reconcile_cod",
        title=_("Cash on delivery to reconcile"),
        description=_("Cash the drivers collected: count it and reconcile it."),
        roles={"cashier"},
        build=cash_to_reconcile,
        template="shipping/_section_cod.html",
        app="shipping",
        order=10,
    )
