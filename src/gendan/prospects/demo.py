"""The demo's prospects and stock offers: two prospects of 王业务 (one new, one quoted: the walk
takes one to won), a scattered customer (零散客户) who bought the oak dining table before, and the
stock offer page's rows (the demo's stock has no receipt: it waited longer than any N)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.orders import services as order_services
from gendan.orders.entry import LineInput
from gendan.orders.workflow import Status
from gendan.parties.models import Channel, Contact, Customer
from gendan.prospects import services

SELLING_POINTS = {
    "湿巾系列": (
        "纯水配方，无酒精无香精\n加厚珍珠纹，湿而不滴\n独立密封盖，开合百次不干",
        "Pure-water formula, no alcohol, no fragrance\nThick pearl weave: moist, never dripping\n"
        "Resealable lid stays moist for 100 openings",
    ),
    "纸尿裤系列": (
        "3D 立体护围，防侧漏\n12 小时干爽\n透气底膜，减少红屁屁",
        "3D leak guards\n12 hours dry\nBreathable back sheet against nappy rash",
    ),
    "喂养系列": (
        "PPSU 材质，耐高温可消毒\n防胀气奶嘴\n宽口径，易清洗",
        "PPSU: heat-proof, sterilisable\nAnti-colic teat\nWide neck, easy to clean",
    ),
    "北欧系列": (
        "FSC 认证橡木实木\n榫卯结构，十年不松动\n水性漆，环保 E0",
        "FSC-certified solid oak\nMortise-and-tenon joints that stay tight\nWater-based E0 finish",
    ),
    "客厅系列": (
        "科技布防水防污\n高回弹海绵\n可拆洗外套",
        "Water- and stain-proof tech fabric\nHigh-resilience foam\nRemovable, washable covers",
    ),
}


def seed_selling_points() -> None:
    from gendan.catalog.models import Product

    for series, (zh, en) in SELLING_POINTS.items():
        Product.objects.filter(series=series, selling_points_zh="").update(
            selling_points_zh=zh, selling_points_en=en
        )


def seed_prospects(users: dict[str, Any]) -> None:
    sales, merch = users["sales"], users["merch"]
    seed_selling_points()
    services.add_prospect(
        actor=sales,
        name="成都宝宝乐母婴连锁",
        source="fair",
        channel=Channel.DOMESTIC,
        region="西南",
        products=["BC-101", "BC-201"],
        contacts=[{"name": "刘老板", "phone": "13900000001", "email": "liu@baobaole.example"}],
        notes="广交会认识，关注湿巾和纸尿裤",
    )
    quoted = services.add_prospect(
        actor=sales,
        name="Oslo Baby AS",
        source="website",
        channel=Channel.EXPORT,
        region="欧洲",
        products=["BC-301"],
        contacts=[{"name": "Ingrid", "email": "ingrid@oslobaby.example"}],
    )
    services.log_prospect_contact(
        actor=sales, number=quoted.number, kind="email", summary="Sent the catalogue and prices"
    )
    services.move_prospect(actor=sales, number=quoted.number, status="quoted")
    customer, created = Customer.objects.get_or_create(
        code="SCAT01",
        defaults={
            "name": "温州零售客户 陈先生",
            "channel": Channel.SCATTERED,
            "region": "华东",
            "province": "浙江",
            "currency": "CNY",
            "deposit_percent": Decimal("0"),
            "salesperson": sales,
        },
    )
    if created:
        Contact.objects.create(
            customer=customer, name="陈先生", phone="13700000000", email="chen@scattered.example"
        )
    today = timezone.localdate()
    bought = order_services.create_order(
        actor=merch,
        customer="SCAT01",
        contract_date=today - timedelta(days=120),
        delivery_date=today - timedelta(days=100),
        lines=[
            LineInput(product="FN-102", quantity=4, unit_price=Decimal("980")),
        ],
    )
    from gendan.demodata import drive

    drive(bought.number, Status.SIGNED, users, cod=False)
    # 30 oak dining tables left over from a cancelled order, counted into the warehouse four
    # months ago (the demo's other stock was all made today, so it is not "old")
    from gendan.catalog.models import Product
    from gendan.inventory.models import MoveReason, StockLevel, StockMove
    from gendan.inventory.services import default_warehouse

    level, made = StockLevel.objects.get_or_create(
        product=Product.objects.get(code="FN-102"), warehouse=default_warehouse()
    )
    if made or level.on_hand == level.reserved:
        level.on_hand += 30
        level.save(update_fields=["on_hand"])
        StockMove.objects.create(
            stock=level,
            quantity=30,
            reason=MoveReason.ADJUSTMENT,
            note="退单余货入库",
            actor=users["warehouse"],
            at=timezone.now() - timedelta(days=120),
        )
