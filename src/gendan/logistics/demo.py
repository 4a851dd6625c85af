"""The demo's dispatch: two vehicles and 郑司机 as the driver; a trip of today prepared and on its
way (a store with cash on delivery and a distributor), for the driver's phone and then the
cashier; and two requests for tomorrow for the merchandiser to plan, print and have prepared."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.catalog.models import Product
from gendan.errors import DomainError
from gendan.logistics import services
from gendan.orders import services as order_services
from gendan.orders.entry import LineInput
from gendan.orders.workflow import Status
from gendan.shipping import services as shipping


def _ready(users: dict[str, Any], customer: str, lines: list[tuple[str, int, str]]) -> str:
    """An order whose shipping notice has its outbound slip and delivery note; its number. The
    goods are put in stock first, so the order is served from stock (no production)."""
    from gendan.demodata import drive
    from gendan.inventory.models import StockLevel
    from gendan.inventory.services import default_warehouse

    for code, quantity, _price in lines:
        level, _ = StockLevel.objects.get_or_create(
            product=Product.objects.get(code=code), warehouse=default_warehouse()
        )
        level.on_hand += quantity
        level.save()

    today = timezone.localdate()
    order = order_services.create_order(
        actor=users["merch"],
        customer=customer,
        contract_date=today - timedelta(days=20),
        delivery_date=today + timedelta(days=1),
        lines=[
            LineInput(product=p, quantity=q, unit_price=Decimal(price)) for p, q, price in lines
        ],
    )
    drive(order.number, Status.READY_TO_SHIP, users, cod=customer == "STORE01")
    _inspected(users, order.number)
    shipping.issue_shipping_notice(order_number=order.number, actor=users["merch"])
    shipping.issue_outbound_slip(order_number=order.number, actor=users["finance"])
    order.refresh_from_db()
    shipping.issue_delivery_note(
        order_number=order.number,
        actor=users["merch"],
        cod_amount=order.balance_due if customer == "STORE01" else Decimal("0"),
    )
    return str(order.shipping_notices.order_by("-id").values_list("number", flat=True).first())


def _inspected(users: dict[str, Any], number: str) -> None:
    """The final inspection the demo's quality plans ask before a shipping notice (passed)."""
    from gendan.quality.services import record_inspection

    try:
        record_inspection(kind="final", order=number, defects={}, actor=users["qc"])
    except DomainError:
        pass  # no plan for the goods' family: nothing is asked


def seed_logistics(users: dict[str, Any]) -> None:
    merch, warehouse = users["merch"], users["warehouse"]
    from gendan.parties.models import Customer

    for code, address in (
        ("STORE01", "杭州市西湖区文三路 88 号 宝贝专卖店"),
        ("DIST01", "广州市白云区机场路 1208 号 母婴批发城 B2-16"),
    ):
        customer = Customer.objects.get(code=code)
        if not customer.address:
            customer.address = address
            customer.save(update_fields=["address"])
    services.save_vehicle(
        actor=merch, plate="粤A·D1234", capacity_m3="16", capacity_kg="1800", body="VAN-4.2"
    )
    services.save_vehicle(
        actor=merch,
        plate="粤A·H5678",
        capacity_m3="45",
        capacity_kg="9000",
        body="TRUCK-9.6",
        hired=True,
        available_days="12345",
    )
    services.save_driver(
        actor=merch, username="driver", licence="440106199001011234", phone="13900001111"
    )
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    eve = timezone.make_aware(datetime.combine(today - timedelta(days=1), time(15, 0)))
    # today's trip: asked for yesterday before the cut-off, planned, prepared and gone
    todays = [
        _ready(users, "STORE01", [("BC-101", 48, "15"), ("BC-201", 24, "22")]),
        _ready(users, "DIST01", [("FN-101", 4, "320")]),
    ]
    for notice in todays:
        services.request_delivery(actor=merch, notice=notice, day=today, now=eve)
    trip = services.plan_trip(
        actor=merch,
        day=today,
        vehicle="粤A·D1234",
        driver="driver",
        departure=time(7, 30),
        notices=todays,
    )
    services.prepare_trip(actor=warehouse, trip=trip.number)
    services.depart_trip(actor=warehouse, trip=trip.number)
    # tomorrow's requests, to plan (one after the cut-off is left for the merchandiser to try)
    now = timezone.make_aware(datetime.combine(today, time(10, 0)))
    for customer, lines in (
        ("STORE01", [("BC-102", 120, "9")]),
        ("DIST01", [("FN-102", 2, "1280"), ("FN-101", 8, "320")]),
    ):
        services.request_delivery(
            actor=merch, notice=_ready(users, customer, lines), day=tomorrow, now=now
        )
    _ready(users, "DIST01", [("BC-401", 36, "11")])  # a notice not asked yet
    seed_exports(users)


def seed_exports(users: dict[str, Any]) -> None:
    """A forwarder and a booking of the export customer's notices that wait for the container
    (装柜): its checklist from booking to the tax refund, the booking overdue."""
    from gendan.logistics import exports
    from gendan.shipping.models import ShippingNotice, ShippingStatus

    merch = users["merch"]
    exports.save_forwarder(
        actor=merch,
        code="FWD-SZ",
        name="深圳远航国际货运代理",
        contact="Lisa Chen",
        phone="0755-88886666",
        email="booking@forwarder.example",
    )
    notices = list(
        ShippingNotice.objects.filter(order__customer__code="EXP001", status=ShippingStatus.ISSUED)
        .order_by("id")
        .values_list("number", flat=True)
    )
    if notices:
        exports.open_export_shipment(
            actor=merch,
            notices=notices,
            etd=timezone.localdate() + timedelta(days=10),
            forwarder="FWD-SZ",
            vessel_voyage="COSCO SHIPPING ARIES 021E",
        )
