"""The demo's purchasing: three suppliers, the materials of both industries (bags, a new-print
bag with its plate approved, cartons, labels, raw materials), a bill of materials for every
product, carton specs (the furniture's confirmed by the salesperson, the baby care's waiting
for it), some months of purchase orders received on time and late (the supplier figures), a
late line of a released order (the merchandiser's Today), and slow-moving stock. The released
orders' packaging is left for the purchaser to buy through the plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.purchasing import services
from gendan.purchasing.models import MaterialMove, PurchaseLine

SUPPLIERS = [
    ("SUP-PK", "东莞宏达包装", "王经理", "0769-8888001", "包装袋、新版包装袋、标签", 7, "月结30天"),
    ("SUP-CT", "佛山联合纸箱厂", "陈经理", "0757-6666002", "纸箱", 5, "月结30天"),
    ("SUP-RM", "江苏恒信材料", "刘经理", "0512-5555003", "无纺布、板材、面料", 14, "预付30%"),
]
#: code, name, class, unit, supplier, standard price
MATERIALS = [
    ("BAG-W", "湿巾包装袋", "bag", "pcs", "SUP-PK", "0.12"),
    ("NPB-D", "纸尿裤新版包装袋", "new_print_bag", "pcs", "SUP-PK", "0.35"),
    ("LBL-01", "产品标签", "label", "pcs", "SUP-PK", "0.02"),
    ("CTN-B", "五层瓦楞纸箱（母婴）", "carton", "pcs", "SUP-CT", "3.80"),
    ("CTN-F", "七层加强纸箱（家具）", "carton", "pcs", "SUP-CT", "18.50"),
    ("RAW-NW", "无纺布", "raw", "kg", "SUP-RM", "16.00"),
    ("RAW-WD", "橡木板材", "raw", "m2", "SUP-RM", "120.00"),
    ("SPR-PP", "食品级PP粒料", "special_raw", "kg", "SUP-RM", "22.00"),
]


def _bom(code: str, series: str) -> list[tuple[str, str, str]]:
    """(material, per unit, scrap %) of a product."""
    if code.startswith("BC"):
        rows = [("CTN-B", "0.05", "0"), ("LBL-01", "1", "2")]
        if series in ("湿巾系列", "棉柔系列"):
            rows += [("BAG-W", "1", "0"), ("RAW-NW", "0.02", "3")]
        elif series == "纸尿裤系列":
            rows += [("NPB-D", "1", "0"), ("RAW-NW", "0.04", "3")]
        elif series == "喂养系列":
            rows += [("SPR-PP", "0.05", "5")]
        return rows
    return [("CTN-F", "1", "0"), ("RAW-WD", "1.2", "5")]


def seed_master(users: dict[str, Any]) -> None:
    buyer = users["purchaser"]
    for code, name, contact, phone, supplies, lead, terms in SUPPLIERS:
        services.save_supplier(
            code=code,
            name=name,
            contact_name=contact,
            phone=phone,
            supplies=supplies,
            lead_time_days=lead,
            payment_terms=terms,
            actor=buyer,
        )
    for code, name, klass, unit, supplier, price in MATERIALS:
        services.save_material(
            code=code,
            name=name,
            klass=klass,
            unit=unit,
            supplier=supplier,
            standard_price=Decimal(price),
            lead_time_days=7,
            actor=buyer,
        )
    for product in Product.objects.order_by("code"):
        for material, per_unit, scrap in _bom(product.code, product.series):
            services.save_bom_line(
                product=product.code,
                material=material,
                per_unit=Decimal(per_unit),
                scrap_percent=Decimal(scrap),
                actor=buyer,
            )
        baby = product.code.startswith("BC")
        services.save_carton_spec(
            product=product.code,
            inner_length_mm=400 if baby else 900,
            inner_width_mm=300 if baby else 600,
            inner_height_mm=250 if baby else 500,
            wall="五层瓦楞" if baby else "七层加强",
            units_per_carton=20 if baby else 1,
            shipping_mark="客户标志 / MADE IN CHINA",
            packing_method="每袋入箱，箱内放装箱单" if baby else "整件泡沫护角",
            carton_quality="K=K 250g" if baby else "AA 加强",
            actor=buyer,
        )
        if not baby:
            services.confirm_carton_spec(product=product.code, actor=users["sales"])


def _history(users: dict[str, Any], today: date) -> None:
    """Four months of purchases of stock (labels and raw materials, for no notice), received on time or late."""
    buyer = users["purchaser"]
    plan = [
        ("SUP-PK", "LBL-01", 5000, 120, 0),
        ("SUP-PK", "LBL-01", 8000, 90, 3),
        ("SUP-RM", "RAW-NW", 600, 100, 0),
        ("SUP-RM", "RAW-NW", 400, 75, 6),
        ("SUP-RM", "RAW-WD", 80, 60, 2),
        ("SUP-PK", "LBL-01", 3000, 45, 0),
        ("SUP-RM", "RAW-WD", 150, 40, 0),
        ("SUP-PK", "LBL-01", 6000, 20, 0),
    ]
    for supplier, material, qty, days_ago, late_by in plan:
        promised = today - timedelta(days=days_ago)
        po = services.create_purchase_order(
            supplier=supplier,
            lines=[services.LineInput(material=material, quantity=qty, promised_on=promised)],
            actor=buyer,
        )
        services.confirm_purchase_order(po=po.number, actor=buyer)
        line = PurchaseLine.objects.get(po=po)
        services.record_receipt(
            line=line.pk,
            quantity=qty,
            received_on=promised + timedelta(days=late_by),
            passed=late_by < 5,
            actor=buyer,
        )
        if late_by >= 5:  # the failed lot came again
            services.record_receipt(
                line=line.pk,
                quantity=qty,
                received_on=promised + timedelta(days=late_by + 4),
                actor=buyer,
            )
    # special raw material bought long ago and never used since (呆滞)
    services.adjust_stock(material="SPR-PP", quantity=250, note="期初库存", actor=buyer)
    from django.utils import timezone

    MaterialMove.objects.filter(material__code="SPR-PP").update(
        at=timezone.now() - timedelta(days=150)
    )


def _late_line(users: dict[str, Any], today: date) -> str | None:
    """A released order's raw material ordered, confirmed, promised three days ago and not
    received: late on the purchaser's and the merchandiser's Today."""
    from gendan.production.models import ProductionNoticeLine

    buyer = users["purchaser"]
    for order in Order.objects.filter(status=Status.RELEASED).order_by("id"):
        nl = (
            ProductionNoticeLine.objects.filter(notice__order=order, notice__status="issued")
            .select_related("line__product")
            .first()
        )
        if nl is None:
            continue
        raw = "RAW-WD" if nl.line.product.code.startswith("FN") else "RAW-NW"
        if nl.line.product.series == "喂养系列":
            raw = "SPR-PP"
        po = services.create_purchase_order(
            supplier="SUP-RM",
            lines=[
                services.LineInput(
                    material=raw,
                    quantity=Decimal(nl.quantity) * Decimal("0.05") + 10,
                    promised_on=today - timedelta(days=3),
                    notice_line=nl.pk,
                )
            ],
            actor=buyer,
        )
        services.confirm_purchase_order(po=po.number, actor=buyer)
        return order.number
    return None


def seed_purchasing(users: dict[str, Any], today: date) -> None:
    seed_master(users)
    _history(users, today)
    services.order_plate(
        material="NPB-D",
        supplier="SUP-PK",
        due_on=today - timedelta(days=10),
        actor=users["purchaser"],
    )
    from gendan.purchasing.models import Plate

    plate = Plate.objects.get(material__code="NPB-D")
    services.send_plate_proof(
        plate=plate.pk, sent_on=today - timedelta(days=14), actor=users["purchaser"]
    )
    services.approve_plate_proof(plate=plate.pk, actor=users["sales"])
    _late_line(users, today)
