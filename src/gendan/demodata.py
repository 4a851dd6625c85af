"""The demo company: one login per role, three customers, twenty products, forty orders in every
state. The orders are driven through the real services, so the demo obeys every rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.accounts.roles import sync_roles
from gendan.catalog.models import Product
from gendan.inventory.models import StockLevel
from gendan.inventory.services import default_warehouse
from gendan.loading.models import ContainerType
from gendan.loading.standard_types import ensure_standard_types
from gendan.orders import services, stages
from gendan.orders.entry import LineInput
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.parties.models import Channel, Communication, CommunicationKind, Contact, Customer
from gendan.production import demo as production_demo

DEMO_PASSWORD = "gendan-demo"
USERS = [
    ("sales", Role.SALESPERSON, "王业务"),
    ("merch", Role.MERCHANDISER, "李跟单"),
    ("manager", Role.SALES_MANAGER, "张经理"),
    ("finance", Role.FINANCE, "陈财务"),
    ("cashier", Role.CASHIER, "刘出纳"),
    ("production", Role.PRODUCTION, "赵生产"),
    ("warehouse", Role.WAREHOUSE, "孙仓管"),
    ("purchaser", Role.PURCHASER, "周采购"),
    ("qc", Role.QC, "吴品检"),
    ("driver", Role.DRIVER, "郑司机"),
    ("regional", Role.REGIONAL_MANAGER, "冯区域"),
    ("service", Role.CUSTOMER_SERVICE, "何客服"),
    ("admin", Role.ADMIN, "管理员"),
]
BABY = [
    ("BC-101", "婴儿湿巾 80抽", "湿巾系列", "W80", "80抽", "20x15cm", "白"),
    ("BC-102", "婴儿湿巾 10抽 便携", "湿巾系列", "W10", "10抽", "15x10cm", "白"),
    ("BC-201", "纸尿裤 S码", "纸尿裤系列", "D-S", "S 4-8kg", "S", "白"),
    ("BC-202", "纸尿裤 M码", "纸尿裤系列", "D-M", "M 6-11kg", "M", "白"),
    ("BC-203", "纸尿裤 L码", "纸尿裤系列", "D-L", "L 9-14kg", "L", "白"),
    ("BC-301", "婴儿奶瓶 240ml", "喂养系列", "B240", "PPSU", "240ml", "透明"),
    ("BC-302", "婴儿奶瓶 150ml", "喂养系列", "B150", "PPSU", "150ml", "透明"),
    ("BC-401", "婴儿棉柔巾", "棉柔系列", "C100", "100抽", "20x20cm", "白"),
    ("BC-501", "婴儿爽身粉", "护理系列", "P140", "140g", "140g", "白"),
    ("BC-502", "婴儿润肤乳", "护理系列", "L200", "200ml", "200ml", "白"),
]
FURNITURE = [
    ("FN-101", "实木餐椅", "北欧系列", "C-01", "橡木", "45x50x85cm", "原木"),
    ("FN-102", "实木餐桌 1.4m", "北欧系列", "T-14", "橡木", "140x80x75cm", "原木"),
    ("FN-201", "布艺沙发 三人位", "客厅系列", "S-3", "科技布", "210x90x85cm", "灰"),
    ("FN-202", "布艺沙发 单人位", "客厅系列", "S-1", "科技布", "90x90x85cm", "灰"),
    ("FN-301", "儿童床 1.2m", "儿童系列", "K-12", "松木", "120x200cm", "白"),
    ("FN-302", "儿童书桌", "儿童系列", "K-D", "松木", "100x60x75cm", "白"),
    ("FN-401", "衣柜 两门", "卧室系列", "W-2", "板式", "100x55x200cm", "胡桃"),
    ("FN-402", "床头柜", "卧室系列", "N-1", "板式", "45x40x50cm", "胡桃"),
    ("FN-501", "电视柜 1.8m", "客厅系列", "TV-18", "板式", "180x40x50cm", "胡桃"),
    ("FN-502", "茶几", "客厅系列", "CT-1", "钢化玻璃", "120x60x45cm", "黑"),
]
TARGETS = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.SIGNED,
    Status.DEPOSIT_REQUESTED,
    Status.DEPOSIT_CONFIRMED,
    Status.RELEASED,
    Status.PRODUCED,
    Status.BALANCE_REQUESTED,
    Status.READY_TO_SHIP,
    Status.PARTIALLY_SHIPPED,
    Status.SHIPPED,
    Status.DELIVERED,
    Status.CLOSED,
    Status.ON_HOLD,
    Status.CANCELLED,
]


def ensure_users() -> dict[str, User]:
    sync_roles()
    users = {}
    for username, role, name in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": name, "email": f"{username}@gendan.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


# How some demo cartons must be handled when loaded: bottles this side up and at most four
# high, the sofa carries no more than 60 kg, the bedside table is fragile.
HANDLING: dict[str, dict[str, Any]] = {
    "BC-301": {"upright_only": True, "stack_limit": 4},
    "BC-302": {"upright_only": True, "stack_limit": 4},
    "FN-201": {"max_load_kg": Decimal("60")},
    "FN-402": {"fragile": True},
}

# Two export orders of one customer whose shipping notices wait for the container (装柜): a
# 40HQ's worth of baby care, the goods of the first order at the door (first drop).
EXPORT_SHIPMENT = [
    [("BC-101", 4800), ("BC-201", 2400)],
    [("BC-301", 1200)],
]


def _catalog() -> list[Product]:
    products = []
    for i, (code, name, series, model, spec, size, colour) in enumerate(BABY + FURNITURE):
        furniture = code.startswith("FN")
        product, _ = Product.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "series": series,
                "model": model,
                "spec": spec,
                "size": size,
                "colour": colour,
                "unit": "件" if furniture else "箱",
                "units_per_carton": 1 if furniture else 12,
                "carton_length_cm": Decimal(60 + i * 3),
                "carton_width_cm": Decimal(40 + i),
                "carton_height_cm": Decimal(30 + i * 2),
                "carton_gross_weight_kg": Decimal(8 + i),
                **HANDLING.get(code, {}),
            },
        )
        products.append(product)
    warehouse = default_warehouse()
    for product in products[::3]:
        StockLevel.objects.get_or_create(
            product=product, warehouse=warehouse, defaults={"on_hand": 500}
        )
    return products


def _customers(sales: User) -> list[Customer]:
    specs = [
        (
            "EXP001",
            "Nordic Home AB",
            Channel.EXPORT,
            "欧洲",
            "",
            "USD",
            Decimal("30"),
            0,
            Decimal("0"),
        ),
        (
            "STORE01",
            "杭州西湖专卖店",
            Channel.STORE,
            "华东",
            "浙江",
            "CNY",
            Decimal("0"),
            30,
            Decimal("2000000"),
        ),
        (
            "DIST01",
            "广州宝贝母婴批发",
            Channel.DOMESTIC,
            "华南",
            "广东",
            "CNY",
            Decimal("50"),
            0,
            Decimal("0"),
        ),
    ]
    customers = []
    for code, name, channel, region, province, currency, deposit, days, limit in specs:
        customer, created = Customer.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "channel": channel,
                "region": region,
                "province": province,
                "currency": currency,
                "deposit_percent": deposit,
                "credit_days": days,
                "credit_limit": limit,
                "salesperson": sales,
            },
        )
        if created:
            Contact.objects.create(
                customer=customer,
                name="Anna" if channel == Channel.EXPORT else "王店长",
                phone="13800000000",
                email=f"{code.lower()}@customer.example",
            )
        customers.append(customer)
    return customers


#: who takes each step in the demo (each holds the permission the workflow table asks)
ACTORS: dict[str, str] = {
    "submit": "merch",
    "sign_finance": "finance",
    "sign_manager": "manager",
    "request_deposit": "merch",
    "confirm_deposit": "finance",
    "release": "merch",
    "complete_production": "production",
    "request_balance": "merch",
    "confirm_balance": "finance",
    "allow_credit": "finance",
    "issue_shipping_notice": "merch",
    "issue_outbound_slip": "finance",
    "issue_delivery_note": "warehouse",
    "ship": "warehouse",
    "deliver": "driver",
    "reconcile_cod": "cashier",
    "hold": "merch",
    "cancel": "manager",
    "agree_new_date": "manager",
}
#: where the demo holds and cancels orders
DETOURS_FROM: dict[str, str] = {Status.ON_HOLD: Status.RELEASED, Status.CANCELLED: Status.SIGNED}


def _inputs(action: str, order: Order, plan: stages.Plan) -> dict[str, Any]:
    """What the demo types into each step (the rest is what the verb takes by default)."""
    if action == "confirm_deposit":
        return {"reference": "TT-DEMO"}
    if action == "issue_shipping_notice" and plan.partial:
        first = order.lines.order_by("line_no").first()
        return {"lines": {first.line_no: max(1, first.quantity // 2)}}
    if action == "issue_delivery_note" and plan.cod:
        return {"cod_amount": order.balance_due}
    if action == "deliver":
        collected = {"cod_collected": order.balance_due} if plan.cod else {}
        return {"received_by": "收货人", "proof_reference": "POD-DEMO", **collected}
    if action == "reconcile_cod":
        return {"amount": order.balance_due}
    if action == "hold":
        return {"reason": "客户要求暂缓生产，等待新包装设计"}
    if action == "cancel":
        return {"reason": "客户取消订单"}
    if action == "agree_new_date":
        return {"new_date": order.delivery_date + timedelta(days=7)}
    return {}


def plan_for(order: Order, target: str, *, cod: bool) -> stages.Plan:
    """The facts of a demo order that decide its way: its customer's deposit, whether the
    balance is cash on delivery on credit terms, and a half shipment for PARTIALLY_SHIPPED.
    Whether production is needed shows only at release (the stock decides); it is assumed."""
    return stages.Plan(
        deposit=order.deposit_due > 0,
        prepaid=order.deposit_due >= order.total_amount,
        credit=cod,
        cod=cod,
        # the demo's partial notice carries half of the first line: more than one piece is needed
        partial=target == Status.PARTIALLY_SHIPPED
        and sum(line.quantity for line in order.lines.all()) > 1,
    )


def take(
    number: str,
    steps: tuple[stages.Step, ...],
    u: dict[str, User],
    plan: stages.Plan,
    start: int = 0,
) -> tuple[int, str]:
    """Take the steps from `start` through the service verbs, with the right login for each;
    a step the services take themselves (closing an order done) is checked, not called. Stops
    after the first step that lands elsewhere than the way says. Returns how many steps are
    done and the order's status then."""
    done = start
    status = Order.objects.values_list("status", flat=True).get(number=number)
    while done < len(steps):
        step = steps[done]
        order = Order.objects.get(number=number)
        services.ACTION_VERBS[step.action](
            order_number=number, actor=u[ACTORS[step.action]], **_inputs(step.action, order, plan)
        )
        done += 1
        while done < len(steps) and steps[done].auto:
            done += 1
        status = Order.objects.values_list("status", flat=True).get(number=number)
        if status != steps[done - 1].target:
            break
    return done, status


def drive(number: str, target: str, u: dict[str, User], *, cod: bool, last: str = "") -> None:
    """Take the order along `stages.path_toward(target)` through the service verbs (until the
    action `last`, when given): to `target`, or as far toward it as the order's facts allow.
    If the stock covers every line at release, the order skips production; when that puts
    `target` behind it or out of reach, it stays where release left it. A step that lands
    elsewhere than the declared way says raises."""
    order = Order.objects.get(number=number)
    plan = plan_for(order, target, cod=cod)
    via = DETOURS_FROM.get(target, "")
    steps = stages.path_toward(target, plan, via=via, last=last)
    done, status = take(number, steps, u, plan)
    if done and status != steps[done - 1].target and steps[done - 1].action == "release":
        plan = replace(plan, production=False)  # the stock covered every line
        before = steps[:done]
        try:
            steps = stages.path_toward(target, plan, via=via, last=last)
        except stages.Unreachable:
            return
        if len(steps) < done:
            return  # the target lies behind: the order stays where release left it
        if [s.action for s in steps[:done]] == [s.action for s in before]:
            done, status = take(number, steps, u, plan, start=done)
    if done and status != steps[done - 1].target:
        raise RuntimeError(
            f"{steps[done - 1].action} took {number} to {status}; the declared way says "
            f"{steps[done - 1].target}"
        )


def load_demo() -> tuple[bool, list[tuple[str, str]]]:
    logins = [(username, str(role.label)) for username, role, _ in USERS]
    with transaction.atomic():
        users = ensure_users()
        ensure_standard_types(ContainerType)
        if Customer.objects.filter(code="EXP001").exists():
            return False, logins
        products = _catalog()
        customers = _customers(users["sales"])
    today = timezone.localdate()
    for i in range(40):
        target = TARGETS[i % len(TARGETS)]
        customer = customers[i % 3]
        if target == Status.DEPOSIT_CONFIRMED:
            customer = customers[0]  # a customer with deposit terms
        if target == Status.DELIVERED:
            customer = customers[1]  # cash on delivery, waiting for the cashier
        base = products[(i * 7) % 20]
        lines = [
            LineInput(
                product=products[(i * 7 + k * 3) % 20].code,
                quantity=50 + ((i * 13 + k * 29) % 400),
                unit_price=Decimal(str(12 + (i * 3 + k) % 40))
                if base.code.startswith("BC")
                else Decimal(str(180 + (i * 11 + k * 7) % 900)),
                packing_requirement="唛头：客户标志；纸箱五层瓦楞" if k == 0 else "",
            )
            for k in range(1 + i % 4)
        ]
        contract = today - timedelta(days=60 - i)
        delivery = contract + timedelta(days=20 + (i * 5) % 45)
        order = services.create_order(
            actor=users["merch"],
            customer=customer.code,
            contract_date=contract,
            delivery_date=delivery,
            lines=lines,
            incoterm="FOB" if customer.channel == Channel.EXPORT else "",
            customer_po=f"PO-{1000 + i}",
        )
        drive(order.number, target, users, cod=customer.code == "STORE01")
        if i % 5 == 0:
            Communication.objects.create(
                customer=customer,
                order=order,
                kind=[CommunicationKind.CALL, CommunicationKind.EMAIL, CommunicationKind.FAX][
                    i % 3
                ],
                summary="客户来电确认交货期与包装要求",
                follow_up_on=today - timedelta(days=1) + timedelta(days=i % 3),
                created_by=users["merch"],
            )
    _export_shipment(users, customers[0], today)
    _customer_fax(users)
    production_demo.seed_factory(users, today, password=DEMO_PASSWORD)
    from gendan.quality import demo as quality_demo

    quality_demo.seed_plans(users)
    from gendan.reports import demo as reports_demo

    reports_demo.seed(users)
    from gendan.aftersales import demo as aftersales_demo

    aftersales_demo.seed_aftersales(users)
    from gendan.purchasing import demo as purchasing_demo

    purchasing_demo.seed_purchasing(users, today)
    from gendan.contracts import demo as contracts_demo
    from gendan.logistics import demo as logistics_demo
    from gendan.patrol import demo as patrol_demo
    from gendan.prospects import demo as prospects_demo

    # logistics releases and ships orders of its own: before DIST01's contract terms (which
    # hold a release until the countersigned contract) are set
    logistics_demo.seed_logistics(users)
    contracts_demo.seed_contracts(users)
    patrol_demo.seed_patrol(users)
    prospects_demo.seed_prospects(users)
    # last: the forecast reads what every app above has seeded
    from gendan.forecast import demo as forecast_demo

    forecast_demo.seed_forecast(users, today)
    return True, logins + production_demo.LOGINS


def _customer_fax(users: dict[str, User]) -> None:
    """The customer's fax of the first demo order, made as a PDF here (no file in the repo)."""
    from django.core.files.base import ContentFile
    from django.utils.html import escape

    from gendan.attachments.services import attach_file
    from gendan.shipping.documents import font_url, render_pdf

    order = Order.objects.select_related("customer").order_by("number").first()
    if order is None:
        return
    lines = "".join(
        f"<tr><td>{escape(line.product.code)}</td><td>{escape(line.product.name)}</td>"
        f"<td>{line.quantity}</td></tr>"
        for line in order.lines.select_related("product")
    )
    html = (
        f"<html><head><style>@font-face{{font-family:cjk;src:url({font_url(for_pdf=True)})}} body{{font-family:cjk}}"
        "table{border-collapse:collapse} td{border:1px solid #444;padding:4px}</style></head>"
        f"<body><h1>传真 FAX</h1><p>致：跟单部 李跟单　来自：{escape(order.customer.name)}</p><p>订单号：{escape(order.customer_po)}　交货期：{order.delivery_date}</p>"
        f"<table>{lines}</table><p>请按以上数量安排生产，纸箱五层瓦楞，唛头见附件。</p></body></html>"
    )
    fax = ContentFile(render_pdf(html), name=f"传真-{order.customer_po or order.number}.pdf")
    attach_file(actor=users["merch"], model="orders.order", key=order.number, file=fax)


def _export_shipment(users: dict[str, User], customer: Customer, today: date) -> None:
    """Orders shipped together in one container: their shipping notices are issued and wait
    for the loading plan and the count."""
    for k, lines in enumerate(EXPORT_SHIPMENT):
        order = services.create_order(
            actor=users["merch"],
            customer=customer.code,
            contract_date=today - timedelta(days=40),
            delivery_date=today + timedelta(days=5 + k),
            lines=[
                LineInput(product=code, quantity=qty, unit_price=Decimal("20"))
                for code, qty in lines
            ],
            incoterm="FOB",
            customer_po=f"PO-CNTR-{k + 1}",
        )
        drive(order.number, Status.READY_TO_SHIP, users, cod=False, last="issue_shipping_notice")
