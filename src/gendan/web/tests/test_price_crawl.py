"""The price crawl: no amount reaches a role that may not see prices, anywhere.

Given a company whose orders carry sentinel amounts (a unit price of 98765.43, a deposit payment
of 12345.67, cash on delivery of 45678.91, and every amount derived from them), each role without
VIEW_PRICES (and a user holding every permission but that one) opens every page of the workbench
(full and as an htmx partial), posts every action of every order from the cockpit, calls every
endpoint of the OpenAPI document over real HTTP (every order action posted, so the 403/409/422
bodies are read), and downloads every PDF (text extracted with pypdfium2) and every export (cells
read with openpyxl). The test fails when a sentinel, or any amount written with a currency,
reaches them. The same crawl as the merchandiser must find the sentinels: the detector works.

A new page or endpoint fails `test_every_page_is_crawled` / `test_every_endpoint_is_crawled`
until the crawl below knows how to fill its parameters.
"""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from gendan.accounts.permissions import ROLE_PERMS, Perm, Role
from gendan.demodata import DEMO_PASSWORD, _export_shipment, drive
from gendan.orders import services
from gendan.orders.entry import LineInput
from gendan.orders.models import Order, OrderLine
from gendan.orders.workflow import ACTIONS, Status

SENTINEL_PRICE = Decimal("98765.43")
SENTINEL_PAYMENT = Decimal("12345.67")
SENTINEL_COD = Decimal("45678.91")
#: what a container type costs to ship (an amount, like a price)
SENTINEL_CONTAINER_COST = Decimal("76543.21")
#: what the crawl posts as an amount: more than any order owes, so the refusal names what is owed
TOO_MUCH = "99999999.99"

#: the roles of ROLE_PERMS without VIEW_PRICES, and one user with every permission but it
BLIND_ROLES = ("production", "warehouse", "purchaser", "qc", "driver")
ALL_BUT_PRICES = "all_but_prices"

# An amount written with a currency, on either side (independent of gendan.prices on purpose).
CURRENCY = r"(?:(?<![A-Za-z])(?:USD|CNY|RMB|EUR|HKD|GBP|JPY)(?![A-Za-z])|US\$|[¥￥$€£]|元)"
AMOUNT = re.compile(rf"{CURRENCY}\s?\d|\d\s?{CURRENCY}")
# random tokens could spell "4HKD5" by chance: they are left out of what is checked
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*"')
# the single named exception to the price rule (docs/decisions.md): the cash a driver is to
# collect at their own stop, in exactly one field of the driver's page and of their stops' API
CASH_TO_COLLECT = re.compile(
    r'(<output class="cash" data-price-exception="cash_to_collect"[^>]*>)[^<]*(</output>)'
    r'|("cash_to_collect": ?)"[^"]*"'
)

#: page routes with the seeded records that fill their parameters (see `page_urls`)
POST_ONLY_PAGES = {
    "logout",
    "set_language",
    "follow_up_done",
    "order_action",
    "communication_add",
    "loading_count",
    "loading_close",
    "loading_counting_error",
    "attachment_remove",
    "notification_read",
    "notification_read_all",
    "order_mail_status",
    "order_import_confirm",
    "finance_chase",
    "contract_issue",
    "contract_terms",
    "stock_offer_link",
}


@dataclass
class Seeded:
    orders: list[str]
    documents: list[tuple[str, str, str]]  # (order, kind, doc)
    customers: list[str]
    products: list[str]
    container_types: list[str]
    communications: list[int]
    plans: list[str]
    sentinels: set[str] = field(default_factory=set)
    attachments: list[int] = field(default_factory=list)
    notifications: list[int] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # the keys of Excel uploads (merch's)
    lines: list[str] = field(default_factory=list)  # production lines (their codes)
    first_articles: list[str] = field(default_factory=list)  # their work orders' numbers
    inspections: list[int] = field(default_factory=list)  # quality's inspections (their ids)
    receipts: list[int] = field(default_factory=list)  # outsourced receipts to inspect
    outsourced: list[str] = field(default_factory=list)  # outsourced work orders (numbers)
    routings: list[str] = field(default_factory=list)  # production routings (their families)
    samples: list[str] = field(default_factory=list)  # after-sales' samples (numbers)
    complaints: list[str] = field(default_factory=list)  # after-sales' complaints (numbers)
    resolutions: list[int] = field(default_factory=list)  # their resolutions (ids)
    purchase_orders: list[str] = field(default_factory=list)  # purchasing's (their numbers)
    contracts: list[str] = field(default_factory=list)  # sales contracts (their numbers)
    exceptions: list[str] = field(default_factory=list)  # the patrol's exceptions (numbers)
    prospects: list[str] = field(default_factory=list)  # prospects (their numbers)
    offers: list[str] = field(default_factory=list)  # stock offers (their numbers)


@dataclass
class Findings:
    sentinels: set[str]
    leaks: list[str] = field(default_factory=list)
    #: what was read, by kind of answer ("html", "json", "pdf", "xlsx")
    read: Counter[str] = field(default_factory=Counter)

    def check(self, where: str, text: str, kind: str) -> None:
        self.read[kind] += 1
        text = TOKENS.sub(r'\1"', text)
        text = CASH_TO_COLLECT.sub(lambda m: (m[1] or m[3]) + "…" + (m[2] or ""), text)
        for sentinel in sorted(self.sentinels):
            if sentinel in text:
                self.leaks.append(f"{where}: sentinel {sentinel}")
        for match in AMOUNT.finditer(text):
            start = max(0, match.start() - 40)
            context = text[start : match.end() + 20].replace("\n", " ")
            self.leaks.append(f"{where}: amount with a currency …{context}…")


# ---- the company ---------------------------------------------------------------------------------


def _order(world: Any, customer: str, lines: list[tuple[str, int, Decimal]], **kw: Any) -> Order:
    today = timezone.localdate()
    order = services.create_order(
        actor=world.users["merch"],
        customer=customer,
        contract_date=today,
        delivery_date=today + timedelta(days=30),
        lines=[LineInput(product=p, quantity=q, unit_price=price) for p, q, price in lines],
        **kw,
    )
    return order


def _money(value: Decimal | None) -> list[str]:
    """How an amount may be written: 98765.43 and 98,765.43 (only distinctive amounts)."""
    if value is None or value <= 0:
        return []
    plain = f"{value:.2f}"
    if plain.endswith(".00") or len(plain) < 7:
        return []  # a round or short number would match quantities and dates
    return [plain, f"{value:,.2f}"]


def seed(world: Any) -> Seeded:
    from gendan.loading.models import ContainerType, LoadingPlan
    from gendan.loading.services import counting_errors, plans
    from gendan.loading.standard_types import ensure_standard_types
    from gendan.parties.services import log_communication
    from gendan.shipping.documents import documents_of
    from gendan.shipping.models import DeliveryNote, ShippingNotice, ShippingStatus

    u = world.users
    today = timezone.localdate()
    # cash on delivery of exactly the sentinel (a store with credit terms), delivered, not counted
    cod = _order(world, "STORE01", [("BC-101", 1, SENTINEL_COD)])
    drive(cod.number, Status.DELIVERED, u, cod=True)
    # a deposit paid in part with the sentinel payment: release waits with the amount outstanding
    deposit = _order(world, "EXP001", [("BC-101", 2, SENTINEL_PRICE)])
    drive(deposit.number, Status.DEPOSIT_REQUESTED, u, cod=False)
    services.confirm_deposit(
        order_number=deposit.number,
        actor=u["finance"],
        amount=SENTINEL_PAYMENT,
        reference="TT-CRAWL",
        comment=f"客户电汇 {SENTINEL_PAYMENT} USD",
    )
    # production done, the balance asked: shipping waits for the amount not paid
    balance = _order(
        world, "EXP001", [("FN-101", 1, SENTINEL_PRICE), ("BC-202", 3, Decimal("8.8"))]
    )
    drive(balance.number, Status.BALANCE_REQUESTED, u, cod=False)
    # credit asked over the store's limit
    credit = _order(world, "STORE01", [("FN-102", 30, SENTINEL_PRICE)])
    drive(credit.number, Status.BALANCE_REQUESTED, u, cod=True)
    # shipped, with its shipping notice, outbound slip and delivery note
    shipped = _order(world, "EXP001", [("BC-102", 4, SENTINEL_PRICE)])
    drive(shipped.number, Status.SHIPPED, u, cod=False)
    # on hold, for a reason that names an amount
    held = _order(world, "DIST01", [("BC-501", 7, SENTINEL_PRICE)])
    drive(held.number, Status.RELEASED, u, cod=False)
    services.hold_order(
        order_number=held.number, actor=u["merch"], reason=f"客户要求先退 {SENTINEL_PAYMENT} 元"
    )
    # a draft
    draft = _order(
        world, "DIST01", [("BC-401", 5, SENTINEL_PRICE)], notes=f"报价 {SENTINEL_PRICE} USD 含税"
    )
    # a container's worth waiting for its loading plan, planned (1 s of search)
    ensure_standard_types(ContainerType)
    ContainerType.objects.filter(code="45HQ").update(cost=SENTINEL_CONTAINER_COST)
    _export_shipment(u, world.customers["EXP001"], today)
    notices = list(
        ShippingNotice.objects.filter(status=ShippingStatus.ISSUED).values_list("number", flat=True)
    )
    plan = plans.request_loading_plan(
        actor=u["merch"], notices=sorted(notices), container_type="40HQ", time_limit_s=1
    )
    plans.compute_plan(plan.pk)
    counting_errors.record_counting_error(
        actor=u["merch"], plan=plan.number, person="warehouse", expected=10, actual=9
    )
    comm = log_communication(
        actor=u["merch"],
        customer="EXP001",
        kind="call",
        summary=f"客户答应下周付 {SENTINEL_PAYMENT} USD",
        order=deposit.number,
        follow_up_on=today,
    )
    # a production line, so the floor's phone page and the day's plan have one to show
    from gendan.production.services import masterdata as production_masterdata

    floor_line = production_masterdata.create_line(
        code="CRAWL-1", name="包装一线", kind="packing", days_off=[], actor=u["production"]
    )
    # quality: a final-inspection plan for the balance order's chairs, a failed inspection
    # with a concession on it; an outsourced step sent out and back, its receipt to inspect
    from gendan.production.services import outsourcing
    from gendan.production.services import reports as production_reports
    from gendan.production.tests.factories import work_orders
    from gendan.quality.services import accept_concession, record_inspection, save_plan
    from gendan.quality.tests.factories import outsourced_routing

    save_plan(family="北欧系列", actor=u["qc"])
    failed = record_inspection(
        kind="final",
        order=balance.number,
        defects={"appearance": 1},
        note=f"划痕，返工费 {SENTINEL_PAYMENT} USD",
        actor=u["qc"],
    )
    accept_concession(
        inspection=failed.pk, reason=f"客户同意折让 {SENTINEL_PAYMENT} USD", actor=u["manager"]
    )
    outsourced_routing(u["admin"])
    sofas = _order(world, "EXP001", [("FN-202", 6, SENTINEL_PRICE)])
    drive(sofas.number, Status.RELEASED, u, cod=False)
    cut, soft, _pack = work_orders(sofas)
    production_reports.record_report(
        work_order=cut.number,
        day=today - timedelta(days=1),
        good_qty=6,
        slip_reason="material",
        note="布料晚到",
        actor=u["production"],
    )
    outsourcing.send_out(work_order=soft.number, quantity=6, actor=u["production"])
    receipt = outsourcing.receive_back(work_order=soft.number, quantity=2, actor=u["production"])
    orders = [o.number for o in (cod, deposit, balance, credit, shipped, held, draft, sofas)]
    purchase_orders = _purchases(u, sofas)
    # and a routing of a family no product has, so its page has one to show
    production_masterdata.save_routing(
        family="CRAWL系列",
        name="巡检",
        steps=[{"name": "包装", "line_kind": "packing", "rate_per_hour": "10"}],
        actor=u["production"],
    )
    # and this week's schedule, so its page and endpoints have one to show
    from gendan.production.services import schedule as production_schedule

    production_schedule.generate_schedule(week=today, actor=u["production"])
    # after-sales: a sample sent, a complaint whose description names an amount, confirmed,
    # resolved by a replacement order at a reduced (sentinel) price
    from gendan.aftersales import services as aftersales

    sample = aftersales.request_sample(
        actor=u["sales"],
        customer="EXP001",
        product="BC-101",
        description=f"报价 {SENTINEL_PAYMENT} USD",
    )
    aftersales.accept_sample(actor=u["merch"], number=sample.number)
    complaint = aftersales.log_complaint(
        actor=u["service"],
        customer="EXP001",
        kind="quality",
        description=f"客户要求赔偿 {SENTINEL_PAYMENT} USD",
        quantity=2,
    )
    aftersales.confirm_complaint(actor=u["manager"], number=complaint.number)
    replacement = aftersales.issue_replacement_order(
        actor=u["merch"],
        number=complaint.number,
        lines=[aftersales.ReplacementLine(product="FN-101", quantity=2, unit_price=SENTINEL_PRICE)],
    )
    _a_trip_of_today(u, cod)
    orders += [n for n in Order.objects.order_by("number").values_list("number", flat=True)]
    orders = list(dict.fromkeys(orders))  # the sentinel orders first, then the container's
    documents: list[tuple[str, str, str]] = []
    for number in Order.objects.order_by("number").values_list("number", flat=True):
        order = Order.objects.get(number=number)
        documents += [(number, d["kind"], d["doc"]) for d in documents_of(order, u["merch"])]
    sentinels: set[str] = {
        *_money(SENTINEL_PRICE),
        *_money(SENTINEL_PAYMENT),
        *_money(SENTINEL_COD),
        *_money(SENTINEL_CONTAINER_COST),
    }
    for order in Order.objects.all():
        for value in (
            order.total_amount,
            order.deposit_due,
            order.paid_amount,
            order.balance_due,
            order.deposit_outstanding,
        ):
            sentinels.update(_money(value))
    for line in OrderLine.objects.all():
        sentinels.update(_money(line.unit_price) + _money(line.amount))
    for note in DeliveryNote.objects.all():
        sentinels.update(_money(note.cod_amount) + _money(note.cod_collected))
    # a photo of the customer's fax on the first order, whose name names an amount
    from io import BytesIO

    from PIL import Image

    from gendan.attachments.services import attach_file
    from gendan.notifications.models import Notification

    picture = BytesIO()
    Image.new("RGB", (40, 30), "white").save(picture, format="PNG")
    picture.seek(0)
    photo = attach_file(
        actor=u["merch"], model="orders.order", key=orders[0], file=picture, name="fax.png"
    )
    duties = _duties(u, orders)
    return Seeded(
        **duties,
        imports=[_an_import(u["merch"])],
        attachments=[photo.pk],
        notifications=list(Notification.objects.values_list("pk", flat=True)[:3]),
        orders=orders,
        documents=documents,
        customers=sorted(world.customers),
        products=[p.code for p in world.products],
        container_types=list(ContainerType.objects.values_list("code", flat=True)),
        communications=[comm.pk],
        plans=list(LoadingPlan.objects.values_list("number", flat=True)),
        sentinels=sentinels,
        lines=[floor_line.code],
        first_articles=[_a_first_article(u, orders[0])],
        inspections=[failed.pk],
        receipts=[receipt.pk],
        outsourced=[soft.number],
        routings=["CRAWL系列"],
        samples=[sample.number],
        complaints=[complaint.number],
        resolutions=[replacement.pk],
        purchase_orders=purchase_orders,
    )


def _duties(u: dict[str, Any], orders: list[str]) -> dict[str, list[str]]:
    """A sales contract of a signed sentinel order (its content holds the sentinel prices), an
    exception on the first order, a prospect, and a stock offer to the store."""
    from django.db.models import F

    from gendan.contracts import services as contracts
    from gendan.inventory.models import StockLevel
    from gendan.patrol import services as patrol
    from gendan.prospects import services as prospects

    signed = Order.objects.filter(number__in=orders, manager_signed_at__isnull=False)
    issued = [
        contracts.issue_contract(actor=u["merch"], order=o.number).number
        for o in signed.exclude(status=Status.CANCELLED).order_by("number")[:1]
    ]
    exc = patrol.raise_exception(
        actor=u["qc"], kind="quality", description="封口不严", order=orders[0]
    )
    prospect = prospects.add_prospect(actor=u["sales"], name="巡检客户", source="fair")
    level = StockLevel.objects.filter(on_hand__gt=F("reserved")).select_related("product").first()
    offers = []
    if level is not None:
        offers.append(
            prospects.send_offer(
                actor=u["merch"], customer="STORE01", product=level.product.code, quantity=1
            ).number
        )
    return {
        "contracts": issued,
        "exceptions": [exc.number],
        "prospects": [prospect.number],
        "offers": offers,
    }


def _a_trip_of_today(u: dict[str, Any], order: Order) -> None:
    """The driver's trip of today with a stop whose delivery note asks the sentinel cash: the
    driver's page and stops' answer show it in their one named field, and nowhere else."""
    from gendan.logistics.models import DeliveryRequest, Driver, Stop, Trip, Vehicle

    today = timezone.localdate()
    notice = order.shipping_notices.get()
    driver = Driver.objects.create(user=u["driver"], licence="L-CRAWL", phone="13900000000")
    van = Vehicle.objects.create(plate="CRAWL-1", capacity_m3=10, capacity_kg=2000)
    trip = Trip.objects.create(
        number="TR-CRAWL",
        day=today,
        vehicle=van,
        driver=driver,
        departure="07:30",
        planned_by=u["merch"],
        status="departed",
    )
    stop = Stop.objects.create(trip=trip, seq=1, customer=order.customer, address="crawl")
    DeliveryRequest.objects.create(notice=notice, day=today, requested_by=u["merch"], stop=stop)


def _purchases(u: dict[str, Any], order: Order) -> list[str]:
    """Purchasing's master data and a purchase order for the released sofas: its wood confirmed
    at a purchase price, partly shipped and received (purchase prices go to the purchaser,
    finance and managers only; they carry no currency sign anywhere)."""
    from gendan.production.models import ProductionNoticeLine
    from gendan.purchasing import services as purchasing
    from gendan.purchasing.demo import seed_master

    seed_master(u)
    nl = ProductionNoticeLine.objects.filter(notice__order=order).first()
    assert nl is not None
    po = purchasing.create_purchase_order(
        supplier="SUP-RM",
        lines=[
            purchasing.LineInput(
                material="RAW-WD", quantity=5, notice_line=nl.pk, unit_price="118.25"
            ),
            purchasing.LineInput(material="CTN-F", quantity=6, notice_line=nl.pk),
        ],
        note="crawl",
        actor=u["purchaser"],
    )
    wood = po.lines.get(line_no=1)
    purchasing.confirm_line(line=wood.pk, actor=u["purchaser"])
    purchasing.record_shipment(
        line=wood.pk,
        quantity=4,
        expected_on=timezone.localdate() + timedelta(days=2),
        actor=u["purchaser"],
    )
    purchasing.record_receipt(line=wood.pk, quantity=2, actor=u["purchaser"])
    return [po.number]


def _a_first_article(u: dict[str, Any], number: str) -> str:
    """A sample waiting on a work order of the crawl's orders, so its page and answer are read."""
    from gendan.production.models import FirstArticle, FirstArticleSample, WorkOrder

    wo = WorkOrder.objects.filter(order__number=number).order_by("pk").first()
    if wo is None:  # an order not released yet: a work order of any order
        wo = WorkOrder.objects.order_by("pk").first()
    assert wo is not None
    gate = FirstArticle.objects.create(
        work_order=wo, order=wo.order, causes=["new_customer"], sample_qty=5, status="submitted"
    )
    FirstArticleSample.objects.create(
        first_article=gate,
        number=f"{wo.number}-S1",
        round=1,
        note="首件",
        submitted_by=u["production"],
    )
    return wo.number


def _an_import(actor: Any) -> str:
    """An Excel upload the worker checked and found ready (its owner's confirm answers the
    upload's page)."""
    from openpyxl import Workbook

    from gendan.orders import imports
    from gendan.orders.excel import HEADER

    book = Workbook()
    book.active.title = "orders"
    book.active.append(list(HEADER))
    header = ["A", "EXP001", "", "merch", "", "", "", "2026-11-01", "2026-12-01", ""]
    book.active.append([*header, "BC-101", "", "", 10, 1, "12.5"])
    buffer = io.BytesIO()
    book.save(buffer)
    run = imports.start_import(actor=actor, name="crawl.xlsx", data=buffer.getvalue())
    imports.run_import(run.pk)
    return str(run.key)


def _all_but_prices(world: Any) -> Any:
    """A user holding every permission but VIEW_PRICES (not a superuser): every page, export
    and action a price-blind person could ever be given."""
    from gendan.accounts.models import User

    group, _ = Group.objects.get_or_create(name="crawl-all-but-prices")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="accounts").exclude(
            codename=Perm.VIEW_PRICES
        )
    )
    user = User.objects.create_user(ALL_BUT_PRICES, password=DEMO_PASSWORD)
    user.groups.add(group)
    return user


def _user(world: Any, who: str) -> Any:
    return _all_but_prices(world) if who == ALL_BUT_PRICES else world.users[who]


# ---- reading what came back ----------------------------------------------------------------------


def readable(content: bytes, content_type: str) -> tuple[str, str]:
    """(kind, text): the text a person gets from an answer: HTML and JSON as sent, a PDF's
    text, a workbook's cells."""
    if content_type.startswith("application/pdf"):
        import pypdfium2

        pdf = pypdfium2.PdfDocument(content)
        return "pdf", "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "xlsx", "\n".join(
            " | ".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    kind = "json" if "json" in content_type else "html"
    return kind, content.decode("utf-8", errors="replace")


# ---- the pages -----------------------------------------------------------------------------------


def web_routes() -> dict[str, list[str]]:
    """Every named route of the workbench (`web:`) with its path parameters."""
    out: dict[str, list[str]] = {}

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "web" and p.name:
                out[p.name] = sorted(p.pattern.converters)

    walk(get_resolver().url_patterns, None)
    return out


def page_urls(s: Seeded) -> Iterator[tuple[str, str]]:
    """(route, url) for every GET of every page with every seeded record."""
    for name, params in sorted(web_routes().items()):
        if name in POST_ONLY_PAGES:
            continue
        if not params:
            yield name, reverse(f"web:{name}")
            continue
        if name == "aftersales_sample":
            kwargs = [{"number": n} for n in s.samples]
        elif name == "aftersales_complaint":
            kwargs = [{"number": n} for n in s.complaints]
        elif name in ("contract_detail", "contract_pdf"):
            kwargs = [{"number": n} for n in s.contracts]
        elif name == "patrol_exception":
            kwargs = [{"number": n} for n in s.exceptions]
        elif name == "prospect":
            kwargs = [{"number": n} for n in s.prospects]
        elif name.startswith("loading") and params == ["number"]:
            kwargs = [{"number": n} for n in s.plans]
        elif params == ["number"]:
            kwargs = [{"number": n} for n in s.orders]
        elif params == ["doc", "kind", "number"]:
            kwargs = [{"number": n, "kind": k, "doc": d} for n, k, d in s.documents]
            kwargs += [{"number": n, "kind": "proforma_invoice", "doc": n} for n in s.orders]
        elif name.startswith("customer") or (name.startswith("finance_") and params == ["code"]):
            kwargs = [{"code": c} for c in s.customers]
        elif name == "finance_today_section":
            from gendan.finance.sections import LAZY as FINANCE_LAZY

            kwargs = [{"key": k} for k in sorted(FINANCE_LAZY)]
        elif name == "reports_today_section":
            from gendan.reports.contributions import LAZY as REPORTS_LAZY

            kwargs = [{"key": k} for k in sorted(REPORTS_LAZY)]
        elif name == "reports_daily_report":
            today = timezone.localdate()
            kwargs = [{"day": d.isoformat()} for d in (today, today - timedelta(days=1))]
        elif name == "reports_xlsx":
            from gendan.reports.pages import SHEETS

            kwargs = [{"key": k} for k in sorted(SHEETS)]
        elif name in ("production_floor", "production_day_plan", "production_line_edit"):
            kwargs = [{"code": c} for c in s.lines]
        elif name == "production_first_article":
            kwargs = [{"work_order": n} for n in s.first_articles]
        elif name == "production_routing_edit":
            kwargs = [{"family": f} for f in s.routings]
        elif name == "production_today_section":
            from gendan.production.sections import LAZY

            kwargs = [{"key": k} for k in sorted(LAZY)]
        elif name == "quality_today_section":
            from gendan.quality.sections import LAZY as QUALITY_LAZY

            kwargs = [{"key": k} for k in sorted(QUALITY_LAZY)]
        elif name == "logistics_today_section":
            from gendan.logistics.contributions import SECTIONS as LOGISTICS_SECTIONS

            kwargs = [{"key": k} for k in sorted(LOGISTICS_SECTIONS)]
        elif name == "aftersales_today_section":
            from gendan.aftersales.contributions import SECTIONS

            kwargs = [{"key": k} for k in sorted(SECTIONS)]
        elif name in ("purchasing_po", "purchasing_po_pdf"):
            kwargs = [{"po": n} for n in s.purchase_orders]
        elif name == "purchasing_today_section":
            from gendan.purchasing.sections import LAZY as PURCHASING_LAZY

            kwargs = [{"key": k} for k in sorted(PURCHASING_LAZY)]
        elif name.startswith("product"):
            kwargs = [{"code": c} for c in s.products]
        elif name.startswith("container_type"):
            kwargs = [{"code": c} for c in s.container_types]
        elif params == ["key"] and name.startswith("order_import"):
            kwargs = [{"key": k} for k in s.imports]
        elif name == "attachment_download":
            kwargs = [{"pk": pk} for pk in s.attachments]
        elif name == "attachment_image":
            kwargs = [{"pk": pk, "size": z} for pk in s.attachments for z in ("thumb", "page")]
        else:
            raise AssertionError(f"the crawl does not know how to fill web:{name} {params}")
        for kw in kwargs:
            yield name, reverse(f"web:{name}", kwargs=kw)
    for q in ("?q=BC", "?sort=-total_amount", "?status=draft"):
        yield "order_list", reverse("web:order_list") + q
        yield "order_export", reverse("web:order_export") + q
    yield "order_line_row", reverse("web:order_line_row") + "?index=3"
    yield "product_lookup", reverse("web:product_lookup") + "?q=BC"


def page_posts(s: Seeded) -> Iterator[tuple[str, str, dict[str, str]]]:
    """The forms a price-blind person may send: every order action (amounts too large, so the
    refusal says what is owed), the loading's count, close and counting error, a communication,
    a follow-up done."""
    form = {
        "amount": TOO_MUCH,
        "cod_amount": TOO_MUCH,
        "cod_collected": TOO_MUCH,
        "reference": "CRAWL",
        "received_by": "收货人",
        "proof_reference": "POD-CRAWL",
        "comment": "crawl",
    }
    for number in s.orders:
        for action in services.ACTION_VERBS:
            url = reverse("web:order_action", args=[number, action])
            yield "order_action", url, form
    for number in s.plans:
        yield "loading_close", reverse("web:loading_close", args=[number]), {}
        yield "loading_count", reverse("web:loading_count", args=[number]), {}
        yield (
            "loading_counting_error",
            reverse("web:loading_counting_error", args=[number]),
            {"person": "warehouse", "expected": "10", "actual": "8"},
        )
    for code in s.customers:
        yield (
            "communication_add",
            reverse("web:communication_add", args=[code]),
            {"kind": "call", "summary": "crawl"},
        )
    for pk in s.communications:
        yield "follow_up_done", reverse("web:follow_up_done", args=[pk]), {}
    for number in s.orders:
        yield "order_mail_status", reverse("web:order_mail_status", args=[number]), {}
    for pk in s.notifications:
        yield "notification_read", reverse("web:notification_read", args=[pk]), {}
    yield "notification_read_all", reverse("web:notification_read_all"), {}
    for key in s.imports:
        yield "order_import_confirm", reverse("web:order_import_confirm", args=[key]), {}
    for number in s.orders:  # an inspection with too many defectives; a concession
        url = reverse("web:quality_inspect", args=[number])
        yield "quality_inspect", url, {"what": "inspect", "kind": "final", "defect_other": "999"}
        yield "quality_inspect", url, {"what": "inspect", "kind": "final"}
        for pk in s.inspections:
            yield "quality_inspect", url, {"what": "concession", "inspection": str(pk)}
    for pk in s.receipts:
        yield "quality_home", reverse("web:quality_home"), {"receipt": str(pk)}
    yield "quality_plans", reverse("web:quality_plans"), {"family": "X", "aql": "9"}
    for number in s.outsourced:
        for what in ("send", "receive"):
            yield (
                "production_outsourcing",
                reverse("web:production_outsourcing"),
                {"work_order": number, "what": what, "quantity": "999"},
            )
    for number in s.orders[:3]:
        yield "contract_issue", reverse("web:contract_issue", args=[number]), {}
    for code in s.customers:  # the terms as they are (a release must not wait for a contract)
        yield "contract_terms", reverse("web:contract_terms"), {"customer": code}
    for number in s.offers:
        url = reverse("web:stock_offer_link", args=[number])
        yield "stock_offer_link", url, {"order": s.orders[0]}
    for code in s.customers:  # finance: a chase, a credit note of too much, its confirmation
        yield (
            "finance_chase",
            reverse("web:finance_chase"),
            {"customer": code, "summary": "crawl", "kind": "call"},
        )
        yield (
            "finance_credit_notes",
            reverse("web:finance_credit_notes"),
            {"customer": code, "amount": TOO_MUCH, "reason": "crawl"},
        )
    yield "finance_credit_notes", reverse("web:finance_credit_notes"), {"confirm": "CN-CRAWL"}
    for number in s.samples:
        url = reverse("web:aftersales_sample", args=[number])
        for what in ("accept", "made", "review", "send", "received", "order", "keep"):
            yield "aftersales_sample", url, {"what": what, "order": "SO-0", "source": "made"}
    yield "aftersales_samples", reverse("web:aftersales_samples"), {"customer": "EXP001"}
    yield "aftersales_campaigns", reverse("web:aftersales_campaigns"), {"product": "BC-101"}
    yield "aftersales_complaints", reverse("web:aftersales_complaints"), {"customer": "EXP001"}
    for number in s.complaints:
        url = reverse("web:aftersales_complaint", args=[number])
        yield "aftersales_complaint", url, {"what": "confirm"}
        yield "aftersales_complaint", url, {"what": "close"}
        yield (
            "aftersales_complaint",
            url,
            {"what": "replacement", "lines-0-product": "FN-101", "lines-0-quantity": "999999999"},
        )
        yield "aftersales_complaint", url, {"what": "credit_note", "amount": TOO_MUCH}
        for pk in s.resolutions:
            yield "aftersales_complaint", url, {"what": "close_resolution", "resolution": str(pk)}
    for pk in s.attachments:  # last: a removal takes the file away from the crawl
        yield "attachment_remove", reverse("web:attachment_remove", args=[pk]), {}


def crawl_pages(client: Client, s: Seeded, found: Findings) -> set[str]:
    seen: set[str] = set()
    for name, url in page_urls(s):
        seen.add(name)
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers, follow=True)
            assert response.status_code in (200, 403, 404, 405), (url, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            kind, text = readable(body, response.get("Content-Type", ""))
            found.check(f"GET {url}{' (htmx)' if headers else ''}", text, kind)
            if kind != "html":  # a file is the same file to htmx: read once
                break
    for name, url, data in page_posts(s):
        seen.add(name)
        response = client.post(url, data, follow=True)
        # 422: a phone form's refusal, said on the page with what was typed
        assert response.status_code in (200, 403, 404, 422), (url, response.status_code)
        kind, text = readable(response.content, response.get("Content-Type", ""))
        found.check(f"POST {url}", text, kind)
    return seen


# ---- the API -------------------------------------------------------------------------------------


#: writes the crawl does not send, and why they cannot carry an amount to a price-blind caller
API_WRITES_NOT_SENT = {
    ("POST", "/api/v1/auth/token"): "signs in (the crawl signs in with it)",
    ("DELETE", "/api/v1/auth/token/{prefix}"): "revokes a token, answers 204",
    ("POST", "/api/v1/customers"): "customer master data, no amount but the credit limit, "
    "which the crawl reads from GET /customers/{code}",
    ("PATCH", "/api/v1/customers/{code}"): "as POST /customers",
    ("POST", "/api/v1/communications"): "a communication; GET /communications reads them",
    ("POST", "/api/v1/communications/{comm_id}/done"): "marks a follow-up done",
    ("POST", "/api/v1/products"): "product master data, no amounts",
    ("PATCH", "/api/v1/products/{code}"): "as POST /products",
    ("POST", "/api/v1/stock/adjustments"): "quantities only",
    ("POST", "/api/v1/orders"): "answers the order as GET /orders/{number} does",
    ("POST", "/api/v1/orders/import"): "a file upload; answers the upload as "
    "GET /orders/import/{key} does",
    ("POST", "/api/v1/orders/import/{key}/confirm"): "as POST /orders/import",
    ("PUT", "/api/v1/loading/container-types/{code}"): "container sizes",
    ("POST", "/api/v1/loading/plans"): "answers the plan as GET /loading/plans/{number} does",
    ("POST", "/api/v1/loading/plans/{number}/counts"): "carton counts",
    ("POST", "/api/v1/loading/plans/{number}/scans"): "carton counts",
    ("POST", "/api/v1/loading/counting-errors"): "read back by GET /loading/counting-errors",
    # production's records hold quantities, hours and dates, never an amount
    ("POST", "/api/v1/production/lines"): "production master data, no amounts",
    ("PATCH", "/api/v1/production/lines/{code}"): "as POST /production/lines",
    ("PUT", "/api/v1/production/lines/{code}/exceptions/{day}"): "a line's working day",
    ("PUT", "/api/v1/production/lines/{code}/capacities/{family}"): "units per hour",
    ("PUT", "/api/v1/production/holidays/{day}"): "the company calendar",
    ("PUT", "/api/v1/production/routings/{family}"): "steps and standard rates",
    ("POST", "/api/v1/production/reports"): "quantities and hours; answers the report as "
    "GET /production/orders/{number}/progress reads it",
    ("PUT", "/api/v1/production/reports/{work_order}/{day}"): "as POST /production/reports",
    ("POST", "/api/v1/production/notices/{number}/close-short"): "quantities and a reason",
    ("POST", "/api/v1/production/reports/import"): "a file upload; answers counts and order "
    "numbers, its refusals name cells and quantities",
    ("POST", "/api/v1/production/plans/{line}/{day}/propose"): "planned quantities, read back by "
    "GET /production/plans/{line}/{day}",
    ("PUT", "/api/v1/production/plans/{line}/{day}/items/{work_order}"): "as propose",
    ("POST", "/api/v1/production/plans/{line}/{day}/confirm"): "as propose",
    ("POST", "/api/v1/production/first-articles/{work_order}/samples"): "a note and photos; "
    "answers the gate as GET /production/first-articles/{work_order} does",
    ("POST", "/api/v1/production/first-articles/{work_order}/approve"): "as the sample's POST",
    ("POST", "/api/v1/production/first-articles/{work_order}/reject"): "as the sample's POST",
    ("POST", "/api/v1/production/work-orders/{work_order}/send"): "quantities and dates; answers "
    "as GET /production/outsourcing reads it",
    ("POST", "/api/v1/production/work-orders/{work_order}/receive"): "as send",
    ("POST", "/api/v1/quality/inspections"): "counts and defects; answers the inspection as "
    "GET /quality/inspections/{inspection_id} reads it",
    ("POST", "/api/v1/quality/inspections/{inspection_id}/concession"): "a reason; answers as "
    "GET /quality/inspections/{inspection_id}",
    ("PUT", "/api/v1/quality/plans/{family}"): "sampling levels and checklist items",
    ("POST", "/api/v1/production/schedule/generate"): "the run's counts of days late, read back "
    "by GET /production/schedule/weeks/{week}/status",
    ("POST", "/api/v1/production/schedule/move"): "dates and days late of one order",
    # after-sales' writes answer the sample or complaint as their GETs read them (no price in
    # either: a replacement line's price goes in and never comes out)
    ("POST", "/api/v1/aftersales/samples"): "answers as GET /aftersales/samples/{number}",
    **{
        ("POST", f"/api/v1/aftersales/samples/{{number}}/{step}"): "as POST /aftersales/samples"
        for step in ("accept", "made", "review", "send", "received", "feedback", "order", "keep")
    },
    ("POST", "/api/v1/aftersales/samples/{number}/photos"): "a file upload; as the steps",
    ("POST", "/api/v1/aftersales/complaints/{number}/photos"): "a file upload; as confirm",
    ("POST", "/api/v1/aftersales/campaigns"): "a product, a region, quantities",
    ("POST", "/api/v1/aftersales/complaints"): "answers as GET /aftersales/complaints/{number}",
    **{
        ("POST", f"/api/v1/aftersales/complaints/{{number}}/{step}"): "as POST /complaints"
        for step in ("confirm", "reject", "replacement", "exchange", "counting-error", "close")
    },
    ("POST", "/api/v1/aftersales/resolutions/{resolution_id}/exchange-step"): "dates",
    ("POST", "/api/v1/aftersales/resolutions/{resolution_id}/close"): "dates",
    ("PUT", "/api/v1/aftersales/teams/{salesperson}"): "two usernames",
    # purchasing: quantities, dates and purchase prices; a purchase price goes only to the
    # holders of view_purchase_prices (GET /purchasing/orders/{number} reads every answer)
    ("PUT", "/api/v1/purchasing/suppliers/{code}"): "supplier master data, no amounts",
    # contracts: numbers, versions and dates; the figures are only in the PDF, for price-seers
    ("POST", "/api/v1/contracts/orders/{number}/issue"): "answers as GET /contracts/{number}",
    ("POST", "/api/v1/contracts/{number}/countersigned"): "a file upload; as the issue",
    ("PUT", "/api/v1/contracts/terms/{customer}"): "a yes/no and quality terms",
    # the patrol's exceptions: what was seen and done, never an amount
    ("POST", "/api/v1/patrol/exceptions"): "answers as GET /patrol/exceptions/{number}",
    **{
        ("POST", f"/api/v1/patrol/exceptions/{{number}}/{step}"): "as POST /patrol/exceptions"
        for step in ("photos", "action", "close", "slip")
    },
    # prospects and stock offers: names, statuses, products and quantities
    ("POST", "/api/v1/prospects/"): "answers as GET /prospects/{number}",
    **{
        ("POST", f"/api/v1/prospects/{{number}}/{step}"): "as POST /prospects/"
        for step in ("log", "status", "win")
    },
    ("POST", "/api/v1/prospects/offers"): "quantities; as GET /prospects/offers",
    ("POST", "/api/v1/prospects/offers/{number}/order"): "as POST /prospects/offers",
    ("PUT", "/api/v1/purchasing/materials/{code}"): "as GET /purchasing/materials",
    ("PUT", "/api/v1/purchasing/bom/{product}/{material}"): "quantities per unit",
    ("PUT", "/api/v1/purchasing/carton-specs/{product}"): "sizes and words",
    ("POST", "/api/v1/purchasing/carton-specs/{product}/confirm"): "as the spec's PUT",
    ("POST", "/api/v1/purchasing/plates"): "dates; as GET /purchasing/plates",
    ("POST", "/api/v1/purchasing/plates/{plate_id}/{step}"): "as POST /purchasing/plates",
    ("POST", "/api/v1/purchasing/orders"): "as GET /purchasing/orders/{number}",
    ("POST", "/api/v1/purchasing/plan/orders"): "as GET /purchasing/orders/{number}",
    ("POST", "/api/v1/purchasing/orders/{number}/confirm"): "quantities and percentages; "
    "answers as GET /purchasing/orders/{number}",
    ("POST", "/api/v1/purchasing/orders/{number}/cancel"): "as the confirm",
    ("POST", "/api/v1/purchasing/lines/{line_id}/confirm"): "as the order's confirm",
    ("POST", "/api/v1/purchasing/lines/{line_id}/override"): "as the order's confirm",
    ("PATCH", "/api/v1/purchasing/lines/{line_id}"): "as the order's confirm",
    ("POST", "/api/v1/purchasing/lines/{line_id}/shipments"): "quantities and dates",
    ("POST", "/api/v1/purchasing/lines/{line_id}/receipts"): "quantities and dates",
    # logistics: sizes, weights, dates and names; the cash of a stop only in the driver's own
    # stop's answer (the named exception), the cash handed in only to those who see prices
    ("PUT", "/api/v1/logistics/vehicles/{plate}"): "capacities; as GET /logistics/vehicles",
    ("PUT", "/api/v1/logistics/drivers/{username}"): "a licence and a phone",
    ("POST", "/api/v1/logistics/requests"): "a day and a reason; as GET /logistics/requests",
    ("POST", "/api/v1/logistics/trips"): "loads by volume and weight; as GET /logistics/trips",
    ("POST", "/api/v1/logistics/trips/{number}/add"): "as POST /logistics/trips",
    ("POST", "/api/v1/logistics/trips/{number}/prepare"): "as POST /logistics/trips",
    ("POST", "/api/v1/logistics/trips/{number}/depart"): "as POST /logistics/trips",
    ("POST", "/api/v1/logistics/stops/{stop_id}/photos"): "a file upload",
    ("POST", "/api/v1/logistics/stops/{stop_id}/deliver"): "the driver's own stop only, "
    "answered as GET /logistics/driver/stops",
    ("POST", "/api/v1/logistics/stops/{stop_id}/problem"): "as the deliver",
    ("POST", "/api/v1/logistics/cash"): "refused without view_prices before anything is read",
    ("POST", "/api/v1/logistics/scores/marks"): "points and a note; as GET /logistics/scores",
}
API_WRITES_SENT = {
    ("POST", "/api/v1/orders/{number}/actions/{action}"),
    *(("POST", f"/api/v1/orders/{{number}}/actions/{a}") for a in ACTIONS if a != "amend"),
    ("POST", "/api/v1/orders/{number}/attachments"),
    ("DELETE", "/api/v1/orders/{number}/attachments/{attachment_id}"),
    ("POST", "/api/v1/orders/{number}/payments"),
    ("PATCH", "/api/v1/orders/{number}"),
    ("POST", "/api/v1/loading/plans/{number}/close"),
    ("POST", "/api/v1/finance/credit-notes"),
    ("POST", "/api/v1/finance/credit-notes/{number}/confirm"),
    ("POST", "/api/v1/finance/chases"),
    ("POST", "/api/v1/reports/regions"),
    ("POST", "/api/v1/aftersales/complaints/{number}/credit-note"),
}


def api_operations() -> set[tuple[str, str]]:
    from gendan.api import api

    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


class Http:
    """A tiny curl: every status returned rather than raised, the body as sent."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def call(
        self, method: str, path: str, token: str | None, body: Any = None
    ) -> tuple[int, str, str]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, content, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, content, kind = error.code, error.read(), error.headers
        return status, *readable(content, kind.get("Content-Type", ""))

    def token(self, username: str) -> str:
        status, _, body = self.call(
            "POST", "/api/v1/auth/token", None, {"username": username, "password": DEMO_PASSWORD}
        )
        assert status == 201, body
        return json.loads(body)["token"]


def api_gets(s: Seeded) -> Iterator[tuple[str, str]]:
    """(operation path, url) for every GET of the OpenAPI document with real ids."""
    base = "/api/v1"
    fill = {
        "/orders/{number}": [{"number": n} for n in s.orders],
        "/customers/{code}": [{"code": c} for c in s.customers],
        "/products/{code}": [{"code": c} for c in s.products],
        "/loading/plans/{number}": [{"number": n} for n in s.plans],
        "/orders/import/{key}": [{"key": k} for k in s.imports],
        "/production/orders/{number}": [{"number": n} for n in s.orders],
        "/production/first-articles/{work_order}": [{"work_order": n} for n in s.first_articles],
        "/quality/inspections/{inspection_id}": [{"inspection_id": i} for i in s.inspections],
        "/aftersales/samples/{number}": [{"number": n} for n in s.samples],
        "/aftersales/complaints/{number}": [{"number": n} for n in s.complaints],
        "/production/plans/{line}": [
            {"line": c, "day": timezone.localdate().isoformat()} for c in s.lines
        ],
        "/production/schedule/weeks/{week}": [{"week": timezone.localdate().isoformat()}],
        "/finance/customers/{code}": [{"code": c} for c in s.customers],
        "/reports/daily/{day}": [
            {"day": (timezone.localdate() - timedelta(days=d)).isoformat()} for d in (0, 1)
        ],
        "/reports/sheets/{key}": [
            {"key": k} for k in ("on_time", "late", "workload", "slow_moving", "capacity")
        ],
        "/purchasing/bom/{product}": [{"product": c} for c in s.products],
        "/purchasing/carton-specs/{product}": [{"product": c} for c in s.products],
        "/purchasing/orders/{number}": [{"number": n} for n in s.purchase_orders],
        "/purchasing/readiness/{number}": [{"number": n} for n in s.orders],
        "/contracts/{number}": [{"number": n} for n in s.contracts],
        "/patrol/exceptions/{number}": [{"number": n} for n in s.exceptions],
        "/prospects/{number}": [{"number": n} for n in s.prospects],
    }
    queries = {
        "/orders": ["", "?limit=200", "?q=BC"],
        "/orders/export.xlsx": ["", "?status=draft"],
        "/loading/plans/{number}": ["", "?placements=true"],
        "/loading/container-types": ["", "?include_inactive=true"],
        "/people": ["?role=salesperson", "?role=merchandiser"],
        "/communications": ["", "?customer=EXP001", "?open_only=false"],
        "/reports/daily-sales": [f"?day={timezone.localdate().isoformat()}"],
        "/patrol/by-kind-and-line": [
            f"?since={timezone.localdate().isoformat()}&until={timezone.localdate().isoformat()}"
        ],
    }
    for method, path in sorted(api_operations()):
        if method != "GET":
            continue
        short = path.removeprefix(base)
        if "{" in short and short.split("}")[0] + "}" not in fill:
            raise AssertionError(f"the crawl does not know how to fill GET {path}")
        records = fill.get(short.split("}")[0] + "}", [{}]) if "{" in short else [{}]
        if short.count("{") == 2 and "/attachments/" in short:  # a file of an order
            key = short.rsplit("{", 1)[1].rstrip("}")
            records = [{"number": s.orders[0], key: pk} for pk in s.attachments]
        for kw in records:
            for q in queries.get(short, [""]):
                yield path, base + short.format(**kw) + q


def crawl_api(http: Http, token: str, s: Seeded, found: Findings) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for path, url in api_gets(s):
        seen.add(("GET", path))
        status, kind, text = http.call("GET", url, token)
        assert status in (200, 403, 404), (url, status, text[:300])
        found.check(f"GET {url}", text, kind)
    amounts = {"amount": TOO_MUCH, "cod_amount": TOO_MUCH, "cod_collected": TOO_MUCH}
    body = amounts | {
        "reference": "CRAWL",
        "received_by": "收货人",
        "proof_reference": "POD-CRAWL",
        "comment": "crawl",
    }
    for number in s.orders:
        for action in [*services.ACTION_VERBS, "no_such_action"]:
            url = f"/api/v1/orders/{number}/actions/{action}"
            route = action if action in services.ACTION_VERBS else "{action}"
            seen.add(("POST", f"/api/v1/orders/{{number}}/actions/{route}"))
            status, kind, text = http.call("POST", url, token, body)
            found.check(f"POST {url}", text, kind)
        # a file sent as JSON is refused; the refusal must not carry an amount either
        seen.add(("POST", "/api/v1/orders/{number}/attachments"))
        url = f"/api/v1/orders/{number}/attachments"
        status, kind, text = http.call("POST", url, token, body)
        found.check(f"POST {url}", text, kind)
        for payment in ("deposit", "balance"):
            seen.add(("POST", "/api/v1/orders/{number}/payments"))
            url = f"/api/v1/orders/{number}/payments"
            sent = {"kind": payment, "amount": TOO_MUCH}
            status, kind, text = http.call("POST", url, token, sent)
            found.check(f"POST {url} {payment}", text, kind)
        seen.add(("PATCH", "/api/v1/orders/{number}"))
        status, kind, text = http.call(
            "PATCH", f"/api/v1/orders/{number}", token, {"reason": "crawl", "customer_po": "CRAWL"}
        )
        found.check(f"PATCH /api/v1/orders/{number}", text, kind)
    for number in s.plans:
        seen.add(("POST", "/api/v1/loading/plans/{number}/close"))
        status, kind, text = http.call("POST", f"/api/v1/loading/plans/{number}/close", token, {})
        found.check(f"POST /api/v1/loading/plans/{number}/close", text, kind)
    for code in s.customers:  # finance's and the reports' writes, refused without prices
        for path, sent in (
            ("/api/v1/finance/credit-notes", {"customer": code, "amount": TOO_MUCH, "reason": "x"}),
            ("/api/v1/finance/chases", {"customer": code, "summary": "crawl"}),
            ("/api/v1/reports/regions", {"manager": "regional", "region": "华东"}),
        ):
            seen.add(("POST", path))
            status, kind, text = http.call("POST", path, token, sent)
            found.check(f"POST {path}", text, kind)
    for number in s.complaints:  # a credit note settling a complaint, refused without prices
        seen.add(("POST", "/api/v1/aftersales/complaints/{number}/credit-note"))
        url = f"/api/v1/aftersales/complaints/{number}/credit-note"
        status, kind, text = http.call("POST", url, token, {"amount": TOO_MUCH, "reason": "x"})
        found.check(f"POST {url}", text, kind)
    seen.add(("POST", "/api/v1/finance/credit-notes/{number}/confirm"))
    status, kind, text = http.call("POST", "/api/v1/finance/credit-notes/CN-X/confirm", token, {})
    found.check("POST /api/v1/finance/credit-notes/CN-X/confirm", text, kind)
    for pk in s.attachments:  # last: a removal takes the file away
        seen.add(("DELETE", "/api/v1/orders/{number}/attachments/{attachment_id}"))
        url = f"/api/v1/orders/{s.orders[0]}/attachments/{pk}"
        status, kind, text = http.call("DELETE", url, token, None)
        found.check(f"DELETE {url}", text, kind)
    return seen


# ---- the rule itself (gendan/prices.py) ----------------------------------------------------------


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_a_declared_reason_is_said_without_its_amount(users, english):
    from gendan.errors import DomainError, Reason, refused
    from gendan.prices import error_text, redact_error_body, redact_reasons

    reason = Reason("deposit_not_received", "Deposit not received: 1,380.60 USD outstanding.")
    error = refused([reason, Reason("other", "Over 12.50 CNY")], action="release")
    body = redact_error_body(error.as_dict(), users["warehouse"])
    assert body == {
        "code": "deposit_not_received",
        "message": "Deposit not received.",
        "details": {
            "action": "release",
            "reasons": [
                {"code": "deposit_not_received", "message": "Deposit not received."},
                {"code": "other", "message": "Over [amount hidden]"},
            ],
        },
    }
    assert redact_error_body(error.as_dict(), users["finance"]) == error.as_dict()
    assert redact_reasons([reason.as_dict()], users["driver"])[0]["message"] == (
        "Deposit not received."
    )
    overpaid = DomainError("overpayment", "Over-payment refused: 5 is more than the 3 still owed.")
    assert error_text(overpaid, users["driver"]) == "The amount is more than is still owed."
    assert error_text(overpaid, None) == "The amount is more than is still owed."


def test_payloads_and_free_text_lose_their_amounts(users, english):
    from gendan.prices import hide_amounts, redact_payload, redact_text

    payload = {"action": "deliver", "cod_collected": "45678.91", "penalty": "200.00", "n": 3}
    assert redact_payload(payload, users["driver"]) == {"action": "deliver", "n": 3}
    assert redact_payload(payload, users["cashier"]) == payload
    assert redact_text("客户电汇 12,345.67 USD，另付¥500、200元", users["qc"]) == (
        "客户电汇 [amount hidden]，另付[amount hidden]、[amount hidden]"
    )
    assert hide_amounts("BC-101 100 箱，40HQ，SO-2026-000001，2026-12-01") == (
        "BC-101 100 箱，40HQ，SO-2026-000001，2026-12-01"
    )


def test_a_code_is_declared_once():
    from gendan import prices

    with pytest.raises(ValueError, match="declared twice"):
        prices.declare({"deposit_not_received": "other words"})
    assert {"deposit_not_received", "not_paid", "overpayment", "credit_limit_exceeded"} | {
        "cod_mismatch"
    } == prices.priced_codes()


# ---- the crawl -----------------------------------------------------------------------------------


def test_every_page_is_crawled():
    """A new page without a way to fill its parameters fails here, not silently."""
    names = set(web_routes())
    assert {"today", "order_detail", "document_pdf", "loading_sheet_pdf"} <= names
    empty = Seeded(
        ["SO-1"],
        [("SO-1", "delivery_note", "DN-1")],
        ["C"],
        ["P"],
        ["T"],
        [1],
        ["L"],
        attachments=[1],
        notifications=[1],
        imports=["00000000-0000-0000-0000-000000000001"],
        lines=["CRAWL-1"],
        first_articles=["PN-1-1-1"],
        inspections=[1],
        receipts=[1],
        outsourced=["WO-1"],
        routings=["CRAWL系列"],
        samples=["SA-1"],
        complaints=["CP-1"],
        purchase_orders=["PO-1"],
        contracts=["SC-1"],
        exceptions=["EX-1"],
        prospects=["PR-1"],
        offers=["OF-1"],
    )
    covered = {name for name, _ in page_urls(empty)} | POST_ONLY_PAGES
    assert names - covered == set()


def test_every_endpoint_is_crawled():
    operations = api_operations()
    assert API_WRITES_SENT <= operations
    classified = {op for op in operations if op[0] == "GET"} | API_WRITES_SENT
    assert operations - classified - set(API_WRITES_NOT_SENT) == set()


def crawl_as(who: str, world: Any, live_server: Any) -> tuple[Findings, set[Any], set[Any]]:
    s = seed(world)
    user = _user(world, who)
    found = Findings(s.sentinels)
    client = Client(headers={"Accept-Language": "zh-hans"})
    client.force_login(user)
    pages = crawl_pages(client, s, found)
    http = Http(live_server.url)
    endpoints = crawl_api(http, http.token(user.username), s, found)
    return found, pages, endpoints


@pytest.mark.parametrize("who", [*BLIND_ROLES, ALL_BUT_PRICES])
def test_no_amount_reaches_a_price_blind_role(who, world, live_server):
    if who != ALL_BUT_PRICES:
        assert Perm.VIEW_PRICES not in ROLE_PERMS[Role(world.users[who].groups.get().name)]
    found, pages, endpoints = crawl_as(who, world, live_server)
    assert pages == set(web_routes()) - {"logout", "set_language"}
    assert endpoints == {op for op in api_operations() if op[0] == "GET"} | API_WRITES_SENT
    # every role reads a workbook: production's plan-progress sheet of an order it sees
    assert set(found.read) == {"html", "json", "pdf", "xlsx"}
    assert found.leaks == [], "\n".join(found.leaks)


def test_the_crawl_finds_the_sentinels_for_a_role_that_sees_prices(world, live_server):
    """The detector is not blind: the merchandiser reads the sentinels on the cockpit, in the
    API and in the proforma invoice's PDF."""
    found, _, _ = crawl_as("merch", world, live_server)

    def seen(where: str, sentinel: Decimal) -> bool:
        return any(
            leak.startswith(where) and leak.endswith(f"sentinel {sentinel}") for leak in found.leaks
        )

    assert seen("GET /orders/SO-", SENTINEL_PRICE)  # the cockpit
    assert seen("GET /orders/SO-", SENTINEL_PAYMENT)
    assert seen("GET /orders/SO-", SENTINEL_COD)
    assert seen("GET /api/v1/orders/SO-", SENTINEL_PRICE)
    assert seen("GET /api/v1/loading/container-types", SENTINEL_CONTAINER_COST)
    assert seen("GET /loading/container-types/", SENTINEL_CONTAINER_COST)  # the page's 费用
    assert seen("GET /orders/export.xlsx", SENTINEL_PRICE)
    proforma = [leak for leak in found.leaks if "/proforma_invoice/" in leak and ".pdf:" in leak]
    assert any(leak.endswith(f"sentinel {SENTINEL_PRICE}") for leak in proforma)
