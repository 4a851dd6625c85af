"""A realistic company at any size, deterministic for a seed: `gendan seed --orders N [--seed S]`.

It writes in bulk (PostgreSQL COPY, SQLite executemany) and bypasses the services, but it takes
each order along the way the workflow declares (`orders/stages.py::path_to`, the way the demo
takes through the service verbs) and every row is one the services would have written: the same status fields and stamps, amounts, payments,
reservations, notices and shipping documents, and one `order.transition` event per action with its
from and to status (plus `order.created` and `order.amended`). What it does not write, to stay
within its time budget, is said in docs/benchmarks.md: the services' detail events (payment,
stock, notice and shipping facts; they are implied by the transition events), stock moves and the
simple-history rows.

The shape of the company: about N/200 customers over the four channels and 31 provinces (export
customers abroad), about 2,000 products, 1 to 12 lines per order (mean 5), orders spread over three
years like a working factory: most closed, some cancelled, about 10% open across every open state,
some late, some on hold, some amended. One merchandiser follows about 500 open orders (N/5000
merchandisers, at least one; the first is the demo user `merch`).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC as _UTC
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.catalog.models import Product
from gendan.demodata import DEMO_PASSWORD, ensure_users
from gendan.inventory.models import StockLevel
from gendan.inventory.services import default_warehouse
from gendan.numbering.models import DocumentSequence
from gendan.orders.models import Order
from gendan.orders.stages import FORWARD, SIGNER_FIELDS, STAMP_FIELDS, Plan, Step, path_to
from gendan.orders.workflow import OPEN, Status
from gendan.parties.models import Contact, Customer

S = Status
DAY = 86400
SPAN_DAYS = 3 * 365
OPEN_WINDOW_DAYS = 65  # orders created this recently are still moving through their life
CHUNK = 10_000  # orders per transaction

PROVINCES = (
    "广东 浙江 江苏 山东 福建 河北 河南 湖北 湖南 四川 安徽 江西 辽宁 吉林 黑龙江 陕西 山西 "
    "云南 贵州 广西 海南 重庆 北京 上海 天津 内蒙古 新疆 甘肃 宁夏 青海 西藏"
).split()
COUNTRIES = ("US", "DE", "GB", "FR", "AU", "JP", "KR", "AE", "BR", "RU", "CA", "NL")
SERIES = ("湿巾系列", "纸尿裤系列", "喂养系列", "北欧系列", "客厅系列", "儿童系列", "卧室系列")
#: the series bought in ready-made (no routing: "Record production done" finishes them)
TRADED_SERIES = "配件系列"
COLOURS = ("白", "灰", "黑", "原木", "胡桃", "透明", "蓝", "粉")
WORDS = ("婴儿湿巾", "纸尿裤", "奶瓶", "棉柔巾", "餐椅", "餐桌", "沙发", "儿童床", "衣柜", "茶几")
QUANTITIES = (10, 20, 24, 36, 48, 50, 60, 100, 120, 200, 240, 300, 500, 1000)
CHANNELS = (("export", 25), ("domestic", 40), ("store", 20), ("scattered", 15))
# The statuses an order passes on its way forward, in order (read from stages.LIFE); a target
# status cuts the way.
PATH = FORWARD
OPEN_STATES = tuple(s for s in PATH if s in OPEN)


# ---- writing rows in bulk ----------------------------------------------------------------------


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


@dataclass
class Table:
    model: type[models.Model]
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    written: int = 0

    @property
    def name(self) -> str:
        return self.model._meta.db_table


def table(label: str, columns: str) -> Table:
    """A table and the columns the seed writes, checked against the model so it cannot rot."""
    model = _model(label)
    cols = tuple(columns.split())
    concrete = {f.column for f in model._meta.concrete_fields}
    if set(cols) != concrete:
        raise RuntimeError(
            f"seed columns of {label} differ from the model: missing {sorted(concrete - set(cols))}, "
            f"unknown {sorted(set(cols) - concrete)}"
        )
    return Table(model, cols)


class Sink:
    """Rows per table, written with COPY (PostgreSQL) or executemany (SQLite) on flush."""

    def __init__(self, tables: Sequence[Table]) -> None:
        self.tables = list(tables)
        self.pg = connection.vendor == "postgresql"

    def flush(self) -> None:
        connection.ensure_connection()
        raw = connection.connection
        for t in self.tables:
            if not t.rows:
                continue
            cols = ", ".join(f'"{c}"' for c in t.columns)
            if self.pg:
                with raw.cursor() as cur:
                    with cur.copy(f'COPY "{t.name}" ({cols}) FROM STDIN') as copy:
                        for row in t.rows:
                            copy.write_row(row)
            else:
                marks = ", ".join("?" * len(t.columns))
                raw.executemany(f'INSERT INTO "{t.name}" ({cols}) VALUES ({marks})', t.rows)
            t.written += len(t.rows)
            t.rows = []


def _next_ids(tables: Iterable[Table]) -> dict[str, int]:
    return {t.name: (t.model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1 for t in tables}


# ---- the company: users, customers, products, stock --------------------------------------------


@dataclass
class Company:
    users: dict[str, int]  # role username -> id (the demo users)
    merchandisers: list[int]
    salespeople: list[int]
    customers: list[
        tuple[int, str, str, int, int, int]
    ]  # id, channel, currency, deposit%, credit days, sales id
    products: list[tuple[int, int]]  # id, list price in cents
    stock: dict[int, int]  # product id -> stock level id


def _people(count: int, prefix: str, role: str, name: str) -> list[int]:
    """`count` users of a role, the demo one first (merch, sales), created in bulk."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=role)
    wanted = [f"{prefix}{i:02d}" for i in range(2, count + 1)]
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)
    new = [
        User(username=u, display_name=f"{name}{u[len(prefix) :]}", password=password)
        for u in wanted
        if u not in have
    ]
    User.objects.bulk_create(new)
    ids = list(
        User.objects.filter(username__in=[prefix, *wanted])
        .order_by("username")
        .values_list("id", flat=True)
    )
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=i, group_id=group.pk) for i in ids], ignore_conflicts=True
    )
    return ids


def _company(
    rng: random.Random, orders: int, products: int, append: bool, out: Callable[[str], None]
) -> Company:
    demo = ensure_users()
    users = {name: u.pk for name, u in demo.items()}
    merch = _people(max(1, round(orders / 5000)), "merch", Role.MERCHANDISER, "跟单")
    sales = _people(max(1, round(orders / 10000)), "sales", Role.SALESPERSON, "业务")
    if append:
        merch = (
            list(
                User.objects.filter(groups__name=Role.MERCHANDISER)
                .order_by("username")
                .values_list("id", flat=True)
            )
            or merch
        )
    warehouse = default_warehouse()

    existing = Customer.objects.filter(code__startswith="C").count()
    wanted = 0 if append and existing else max(4, orders // 200)
    channels = [c for c, w in CHANNELS for _ in range(w)]
    new_customers = []
    for i in range(existing + 1, existing + wanted + 1):
        channel = CHANNELS[i - 1][0] if i <= 4 else rng.choice(channels)
        export = channel == "export"
        credit = channel in ("domestic", "store") and rng.random() < 0.4
        new_customers.append(
            Customer(
                code=f"C{i:06d}",
                name=f"{'Trading Co.' if export else '商贸有限公司'} {i}",
                channel=channel,
                region=rng.choice(COUNTRIES)
                if export
                else rng.choice(("华南", "华东", "华北", "西南", "华中")),
                province="" if export else rng.choice(PROVINCES),
                currency=rng.choice(("USD", "USD", "EUR")) if export else "CNY",
                deposit_percent={
                    "export": 30,
                    "domestic": rng.choice((0, 30)),
                    "store": 0,
                    "scattered": 50,
                }[channel],
                credit_days=rng.choice((30, 60)) if credit else 0,
                credit_limit=rng.choice((100000, 500000, 2000000)) if credit else 0,
                salesperson_id=rng.choice(sales),
            )
        )
    Customer.objects.bulk_create(new_customers, batch_size=2000)
    Contact.objects.bulk_create(
        [
            Contact(customer=c, name=f"联系人 {c.code}", phone=f"138{rng.randrange(10**8):08d}")
            for c in Customer.objects.filter(code__in=[c.code for c in new_customers])
        ],
        batch_size=2000,
    )
    have_products = Product.objects.filter(code__startswith="P").count()
    Product.objects.bulk_create(
        [
            Product(
                code=f"P{i:05d}",
                name=f"{rng.choice(WORDS)} {i}",
                series=TRADED_SERIES if rng.random() < 0.1 else rng.choice(SERIES),
                model=f"M-{i}",
                spec=f"{rng.randrange(1, 200)}",
                size=rng.choice(("S", "M", "L", "XL", "80抽", "240ml", "120x60cm")),
                colour=rng.choice(COLOURS),
                unit=rng.choice(("pcs", "箱", "件")),
                units_per_carton=rng.choice((1, 6, 12, 24)),
                carton_length_cm=rng.randrange(20, 120),
                carton_width_cm=rng.randrange(20, 80),
                carton_height_cm=rng.randrange(10, 90),
                carton_gross_weight_kg=rng.randrange(2, 40),
            )
            for i in range(have_products + 1, max(products, have_products) + 1)
        ],
        batch_size=2000,
    )
    product_ids = list(
        Product.objects.filter(active=True).order_by("id").values_list("id", flat=True)
    )
    have_stock = set(
        StockLevel.objects.filter(warehouse=warehouse).values_list("product_id", flat=True)
    )
    StockLevel.objects.bulk_create(
        [StockLevel(product_id=p, warehouse=warehouse) for p in product_ids if p not in have_stock],
        batch_size=2000,
    )
    stock = dict(StockLevel.objects.filter(warehouse=warehouse).values_list("product_id", "id"))
    customers = [
        (
            c.pk,
            c.channel,
            c.currency,
            int(c.deposit_percent),
            c.credit_days,
            c.salesperson_id or sales[0],
        )
        for c in Customer.objects.order_by("id")
    ]
    # a list price per product, stable for a seed (a product's price is not stored on it)
    prices = [
        (p, rng.choice((150, 280, 450, 900, 1500, 3200, 8800, 25000, 68000))) for p in product_ids
    ]
    out(
        f"company: {len(customers)} customers, {len(product_ids)} products, "
        f"{len(merch)} merchandisers, {len(sales)} salespeople, {len(users)} role users"
    )
    return Company(users, merch, sales, customers, prices, stock)


# ---- one order's life --------------------------------------------------------------------------


def cents(c: int) -> str:
    return f"{c // 100}.{c % 100:02d}"


class Clock:
    """Timestamps as text in the form each database stores them (UTC)."""

    def __init__(self, pg: bool) -> None:
        self.suffix = "+00" if pg else ""

    def ts(self, seconds: int) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + self.suffix


@dataclass
class Counters:
    numbers: dict[tuple[str, int], int]  # (prefix, year) -> last number given
    reserved: Counter[int] = field(default_factory=Counter)  # stock id -> open reservation qty
    on_hand_extra: Counter[int] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)

    def number(self, prefix: str, seconds: int) -> str:
        year = time.gmtime(seconds).tm_year
        last = self.numbers.get((prefix, year), 0) + 1
        self.numbers[(prefix, year)] = last
        return f"{prefix}-{year}-{last:06d}"


def _target(rng: random.Random, age_days: float) -> str:
    """The status an order of this age has reached, like a working factory."""
    if age_days > OPEN_WINDOW_DAYS:
        r = rng.random()
        if r < 0.04:
            return S.CANCELLED
        if r < 0.043:
            return S.DELIVERED  # on credit, the balance still unpaid
        if r < 0.045:
            return S.ON_HOLD
        return S.CLOSED
    r = rng.random()
    if r < 0.03:
        return S.ON_HOLD
    if r < 0.05:
        return S.CANCELLED
    progress = age_days / OPEN_WINDOW_DAYS
    index = int(progress * len(PATH) + rng.gauss(0, 1.5))
    return PATH[max(0, min(len(PATH) - 1, index))]


class Life:
    """One order on its way: the steps of `stages.path_to`, each writing the rows the service
    verb of its action would write. Timestamps come from the step (`workflow.STAMPS` and the
    milestones it passes), the event's action and statuses from the step's source and target."""

    __slots__ = (
        "amended", "cancel_reason", "clock", "credit_days", "currency", "delivery", "deposit_due",
        "end", "events", "hold_reason", "last_actor", "last_at", "lines", "merch_id", "notices",
        "on_credit", "paid", "partial", "payments", "pn", "reservations", "revision", "rng",
        "sales_id", "signers", "stamps", "status", "total", "version", "w",
    )  # fmt: skip

    def __init__(self, w: Writer, **facts: Any) -> None:
        self.w, self.rng = w, w.rng
        for name, value in facts.items():
            setattr(self, name, value)
        self.status: str = S.DRAFT
        self.version, self.revision = 1, 1
        self.stamps: dict[str, int] = {}
        self.signers: dict[str, int] = {}
        self.paid = 0
        self.payments: list[tuple[str, int, int, int]] = []  # kind, amount, at, actor
        self.reservations: list[list[Any]] = []  # line index, qty, consumed, status, at
        self.pn: list[Any] | None = None  # id, number, issued at, done at[, "cancelled"]
        self.notices: list[dict[str, Any]] = []
        self.amended: tuple[int, int, int] | None = None
        self.on_credit = False
        self.hold_reason = self.cancel_reason = ""
        self.last_actor, self.last_at = 0, 0

    def time(self) -> int:
        # an action happens some hours to days after the previous one, never after `end`
        gap = int((self.end - self.clock) * self.rng.uniform(0.05, 0.25))
        self.clock = min(self.end, self.clock + max(60, gap))
        return self.clock

    def move(
        self,
        step: Step,
        actor: int,
        when: int,
        payload: dict[str, Any] | None = None,
        comment: str = "",
    ) -> int:
        self.events.append(
            (
                "order.transition",
                when,
                actor,
                step.source,
                step.target,
                comment,
                {"action": step.action, **(payload or {})},
            )
        )
        for stamp in step.stamps:
            self.stamps[stamp] = when
        for signer in step.signers:
            self.signers[signer] = actor
        self.status = step.target
        self.version += 1
        self.last_actor, self.last_at = actor, when
        return when

    def walk(self, steps: Sequence[Step]) -> None:
        for step in steps:
            STEPS[step.action](self, step)

    # ---- one method per action: the rows its service verb writes --------------------------------

    def submit(self, step: Step) -> None:
        self.move(step, self.sales_id, self.time())

    def sign_finance(self, step: Step) -> None:
        if self.rng.random() < 0.05:  # amended before signing: a kept revision
            old = self.delivery
            self.delivery += self.rng.randrange(3, 15) * DAY
            when = self.time()
            self.amended = (when, old, self.delivery)
            self.events.append(
                (
                    "order.amended",
                    when,
                    self.sales_id,
                    S.SUBMITTED,
                    S.SUBMITTED,
                    "客户要求改交期",
                    {"revision": 2, "changed": ["delivery_date"], "signatures_cleared": False},
                )
            )
            self.version += 1
            self.revision = 2
        self.move(step, self.w.co.users["finance"], self.time(), {"signed_as": "finance"})

    def sign_manager(self, step: Step) -> None:
        self.move(step, self.w.co.users["manager"], self.time(), {"signed_as": "manager"})

    def request_deposit(self, step: Step) -> None:
        payload = {"deposit_due": cents(self.deposit_due), "currency": self.currency}
        self.move(step, self.w.co.users["finance"], self.time(), payload)

    def confirm_deposit(self, step: Step) -> None:
        finance, due = self.w.co.users["finance"], self.deposit_due
        when = self.move(step, finance, self.time(), {"amount": cents(due), "paid": cents(due)})
        self.payments.append(("deposit", due, when, finance))
        self.paid = due

    def release(self, step: Step) -> None:
        when = self.time()
        for i, ln in enumerate(self.lines):
            if ln[6]:
                self.reservations.append([i, ln[3], 0, "active", when])
        if step.target == S.RELEASED:  # what stock does not cover goes to production
            self.pn = [self.w._id("pn"), self.w.c.number("PN", when), when, None]
        reserved = sum(ln[3] for ln in self.lines if ln[6])
        payload = {"reserved": reserved, "production_notice": self.pn[1] if self.pn else None}
        self.move(step, self.merch_id, when, payload)

    def complete_production(self, step: Step) -> None:
        assert self.pn is not None
        when = self.move(
            step, self.w.co.users["production"], self.time(), {"notices": [self.pn[1]]}
        )
        self.pn[3] = when
        for i, ln in enumerate(self.lines):
            if not ln[6]:
                ln[7] = ln[3]
                self.reservations.append([i, ln[3], 0, "active", when])

    def request_balance(self, step: Step) -> None:
        payload = {"balance_due": cents(self.total - self.paid), "currency": self.currency}
        self.move(step, self.w.co.users["finance"], self.time(), payload)

    def allow_credit(self, step: Step) -> None:
        payload = {"receivable": cents(self.total - self.paid), "credit_days": self.credit_days}
        self.move(step, self.w.co.users["manager"], self.time(), payload)
        self.on_credit = True

    def confirm_balance(self, step: Step) -> None:
        finance, due = self.w.co.users["finance"], self.total - self.paid
        when = self.time()
        self.move(step, finance, when, {"amount": cents(due), "paid": cents(self.total)})
        self.payments.append(("balance", due, when, finance))
        self.paid = self.total

    def issue_shipping_notice(self, step: Step) -> None:
        when = self.time()
        qtys = [(ln[3] + 1) // 2 if self.partial else ln[3] for ln in self.lines]
        number = self.w.c.number("SN", when)
        self.notices.append(
            {"id": self.w._id("sn"), "number": number, "at": when, "qtys": qtys, "status": "issued"}
        )
        self.move(step, self.merch_id, when, {"notice": number})

    def issue_outbound_slip(self, step: Step) -> None:
        when, n = self.time(), self.notices[-1]
        n["slip"] = (self.w._id("slip"), self.w.c.number("OS", when), when)
        payload = {"notice": n["number"], "slip": n["slip"][1]}
        self.move(step, self.w.co.users["finance"], when, payload)

    def issue_delivery_note(self, step: Step) -> None:
        when, n = self.time(), self.notices[-1]
        n["dn"] = (self.w._id("dn"), self.w.c.number("DN", when), when)
        self.move(step, self.merch_id, when, {"notice": n["number"], "delivery_note": n["dn"][1]})

    def ship(self, step: Step) -> None:
        when, n = self.time(), self.notices[-1]
        for i, q in enumerate(n["qtys"]):
            self.lines[i][8] += q
        for r in self.reservations:
            if r[3] == "active":
                r[2] = n["qtys"][r[0]]
                r[3] = "consumed" if r[2] == r[1] else "active"
        n["status"], n["shipped_at"] = "shipped", when
        self.move(step, self.w.co.users["warehouse"], when, {"notice": n["number"]})

    def deliver(self, step: Step) -> None:
        when, n = self.time(), self.notices[0]
        for ln in self.lines:
            ln[9] = ln[8]
        n["status"], n["delivered_at"] = "delivered", when
        self.move(step, self.w.co.users["driver"], when, {"notice": n["number"]})

    def close(self, step: Step) -> None:
        # the services close an order delivered and paid in full at the end of the step that
        # made it so, by that step's actor
        comment = "Closed: delivered in full and paid in full."
        self.move(step, self.last_actor, self.last_at, comment=comment)

    def hold(self, step: Step) -> None:
        reason = self.hold_reason = self.rng.choice(
            ("客户暂停", "等待客户确认包装", "质量问题待处理")
        )
        self.move(step, self.merch_id, self.time(), {"reason": reason}, comment=reason)

    def cancel(self, step: Step) -> None:
        reason = self.cancel_reason = self.rng.choice(("客户取消", "价格未谈妥", "重复下单"))
        released = 0
        for r in self.reservations:
            if r[3] == "active":
                r[3] = "released"
                released += r[1] - r[2]
        payload = {"reason": reason, "released": released, "paid": cents(self.paid)}
        self.move(step, self.w.co.users["manager"], self.time(), payload, comment=reason)
        if self.pn is not None and self.pn[3] is None:
            self.pn.append("cancelled")


#: The action each step of a seeded life runs; `tests/test_stages.py` checks every action of
#: `stages.LIFE` and `stages.DETOURS` has one here or is named in NOT_SEEDED.
STEPS: dict[str, Callable[[Life, Step], None]] = {
    name: getattr(Life, name)
    for name in (
        "submit", "sign_finance", "sign_manager", "request_deposit", "confirm_deposit", "release",
        "complete_production", "request_balance", "allow_credit", "confirm_balance",
        "issue_shipping_notice", "issue_outbound_slip", "issue_delivery_note", "ship", "deliver",
        "close", "hold", "cancel",
    )
}  # fmt: skip
#: the actions the seed does not write (said in docs/benchmarks.md): no cash on delivery
NOT_SEEDED = frozenset({"reconcile_cod"})


class Writer:
    """Generates the rows of orders and appends them to the sink's tables."""

    def __init__(
        self,
        rng: random.Random,
        company: Company,
        counters: Counters,
        tables: dict[str, Table],
        ids: dict[str, int],
        clock: Clock,
        now: int,
        today: date,
    ) -> None:
        self.rng, self.co, self.c, self.t, self.ids, self.clock = (
            rng,
            company,
            counters,
            tables,
            ids,
            clock,
        )
        self.now, self.today = now, today
        self.epoch_today = int(
            datetime(today.year, today.month, today.day, tzinfo=_UTC).timestamp()
        )

    def _id(self, key: str) -> int:
        value = self.ids[self.t[key].name]
        self.ids[self.t[key].name] = value + 1
        return value

    def day(self, seconds: int) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(seconds))

    def order(self, created: int) -> None:
        rng, co, ts = self.rng, self.co, self.clock.ts
        age_days = (self.now - created) / DAY
        target = _target(rng, age_days)
        held_from = cancelled_from = ""
        if target == S.ON_HOLD:
            held_from = rng.choice([s for s in OPEN_STATES if s != S.DELIVERED])
        if target == S.CANCELLED:
            cancelled_from = rng.choice(
                (S.SUBMITTED, S.SUBMITTED, S.SIGNED, S.DEPOSIT_REQUESTED, S.RELEASED, S.PRODUCED)
            )
        reach = held_from or cancelled_from or target
        cust_id, channel, currency, deposit_pct, credit_days, sales_id = rng.choice(co.customers)
        if reach in (S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED) and not deposit_pct:
            deposit_pct = 30
        merch_id = co.merchandisers[rng.randrange(len(co.merchandisers))]
        order_id = self._id("order")
        contract = created - created % DAY
        lead = rng.randrange(20, 76)
        delivery = contract + lead * DAY

        # lines
        n_lines = max(1, min(12, round(rng.gauss(5, 2.6))))
        lines = []
        total = 0
        products = co.products
        for no in range(1, n_lines + 1):
            pid, price = products[int(rng.random() ** 2 * len(products))]
            qty = rng.choice(QUANTITIES)
            price = price * rng.randrange(90, 111) // 100
            amount = qty * price
            total += amount
            lines.append(
                [self._id("line"), no, pid, qty, price, amount, rng.random() < 0.4, 0, 0, 0]
            )
        deposit_due = total * deposit_pct // 100

        # the facts that decide the order's way through its life (stages.LIFE)
        ask_deposit = reach == S.DEPOSIT_REQUESTED or rng.random() < 0.5
        production = reach == S.RELEASED or any(not ln[6] for ln in lines)
        if production and reach == S.RELEASED:
            lines[0][6] = False
        ask_balance = reach == S.BALANCE_REQUESTED or rng.random() < 0.5
        on_credit = credit_days > 0 and rng.random() < 0.5 and reach != S.BALANCE_REQUESTED
        if reach == S.DELIVERED:
            on_credit = True  # delivered and not closed: the balance is still open
        plan = Plan(
            deposit=deposit_due > 0,
            ask_deposit=ask_deposit,
            production=production,
            prepaid=deposit_due >= total,
            ask_balance=ask_balance and not on_credit,
            credit=on_credit,
            partial=reach == S.PARTIALLY_SHIPPED,
        )
        steps = path_to(target, plan, via=reach) if reach != target else path_to(target, plan)
        end = (
            self.now
            if (reach in OPEN or target in (S.ON_HOLD,))
            else min(self.now, delivery + rng.randrange(3, 20) * DAY)
        )
        events: list[tuple[str, int, int, str, str, str, dict[str, Any]]] = [
            (
                "order.created",
                created,
                sales_id,
                "",
                S.DRAFT,
                "",
                {"lines": n_lines, "total": cents(total)},
            )
        ]
        life = Life(
            self,
            sales_id=sales_id,
            merch_id=merch_id,
            currency=currency,
            credit_days=credit_days,
            lines=lines,
            total=total,
            deposit_due=deposit_due,
            partial=plan.partial,
            delivery=delivery,
            events=events,
            end=max(end, created + 3600),
            clock=created,
        )
        life.walk(steps)
        self.c.statuses[life.status] += 1

        # ---- rows ----
        payments, reservations, pn, notices = (
            life.payments,
            life.reservations,
            life.pn,
            life.notices,
        )
        amended, delivery, paid, finance = (
            life.amended,
            life.delivery,
            life.paid,
            co.users["finance"],
        )
        st, signers = life.stamps, life.signers
        last_at = max(e[1] for e in events)
        number = self.c.number("SO", created)
        self.t["order"].rows.append(
            (
                order_id,
                number,
                life.revision,
                life.version,
                life.status,
                held_from,
                cust_id,
                sales_id,
                merch_id,
                channel,
                currency,
                "FOB" if channel == "export" else "",
                self.day(contract),
                self.day(delivery),
                f"PO{order_id}" if channel == "export" else "",
                "",
                cents(total),
                f"{deposit_pct}.00",
                cents(deposit_due),
                cents(paid),
                life.on_credit,
                life.cancel_reason,
                life.hold_reason,
                sales_id,
                ts(created),
                ts(last_at),
                "standard",
                *(ts(st[k]) if k in st else None for k in STAMP_FIELDS),
                *(signers.get(k) for k in SIGNER_FIELDS),
            )
        )
        lrows = self.t["line"].rows
        for ln in lines:
            lid, no, pid, qty, price, amount, _stock, produced, shipped, delivered = ln
            lrows.append(
                (
                    lid,
                    order_id,
                    no,
                    pid,
                    "",
                    "",
                    qty,
                    0,
                    f"{cents(price)}00",
                    cents(amount),
                    "",
                    "",
                    produced,
                    shipped,
                    delivered,
                )
            )
        if amended:
            when, old, new = amended
            snapshot = {
                "revision": 1,
                "status": S.SUBMITTED,
                "contract_date": self.day(contract),
                "delivery_date": self.day(old),
                "currency": currency,
                "total_amount": cents(total),
                "deposit_due": cents(deposit_due),
                "lines": [
                    {"line_no": ln[1], "quantity": ln[3], "unit_price": f"{cents(ln[4])}00"}
                    for ln in lines
                ],
            }
            self.t["revision"].rows.append(
                (
                    self._id("revision"),
                    order_id,
                    1,
                    json.dumps(snapshot),
                    json.dumps({"delivery_date": [self.day(old), self.day(new)]}),
                    "客户要求改交期",
                    sales_id,
                    ts(when),
                )
            )
        for kind, amount, when, actor in payments:
            self.t["payment"].rows.append(
                (
                    self._id("payment"),
                    order_id,
                    kind,
                    cents(amount),
                    currency,
                    self.day(when),
                    f"TT{order_id}{kind[0]}",
                    actor,
                    ts(when),
                )
            )
        if pn is not None:
            status = "cancelled" if len(pn) > 4 else ("done" if pn[3] else "issued")
            self.t["pn"].rows.append(
                (
                    pn[0],
                    pn[1],
                    order_id,
                    status,
                    merch_id,
                    ts(pn[2]),
                    co.users["production"] if pn[3] else None,
                    ts(pn[3]) if pn[3] else None,
                )
            )
            for ln in lines:
                if not ln[6]:
                    self.t["pnline"].rows.append((self._id("pnline"), pn[0], ln[0], ln[3]))
        for li, qty, consumed, status, when in reservations:
            stock = co.stock[lines[li][2]]
            self.t["reservation"].rows.append(
                (self._id("reservation"), lines[li][0], stock, qty, consumed, status, ts(when))
            )
            if status == "active":
                self.c.reserved[stock] += qty - consumed
        for n in notices:
            self.t["sn"].rows.append(
                (
                    n["id"],
                    n["number"],
                    order_id,
                    n["status"],
                    self.day(n["at"] + DAY),
                    merch_id,
                    ts(n["at"]),
                    co.users["warehouse"] if "shipped_at" in n else None,
                    ts(n["shipped_at"]) if "shipped_at" in n else None,
                )
            )
            for i, q in enumerate(n["qtys"]):
                self.t["snline"].rows.append((self._id("snline"), n["id"], lines[i][0], q))
            sid, snum, sat = n["slip"]
            self.t["slip"].rows.append((sid, snum, n["id"], finance, ts(sat)))
            did, dnum, dat = n["dn"]
            delivered = "delivered_at" in n
            self.t["dn"].rows.append(
                (
                    did,
                    dnum,
                    n["id"],
                    merch_id,
                    ts(dat),
                    "0.00",
                    ts(n["delivered_at"]) if delivered else None,
                    co.users["driver"] if delivered else None,
                    "收货人" if delivered else "",
                    f"POD-{dnum}" if delivered else "",
                    "0.00",
                    None,
                    None,
                )
            )
        erows = self.t["event"].rows
        for kind, when, actor, frm, to, comment, payload in events:
            erows.append(
                (
                    self._id("event"),
                    kind,
                    ts(when),
                    actor,
                    order_id,
                    cust_id,
                    frm,
                    to,
                    comment,
                    json.dumps(payload, ensure_ascii=False),
                    None,
                    "",
                )
            )
        # the communication log: open orders often have a follow-up due, closed ones a past call
        r = rng.random()
        if (life.status in OPEN and r < 0.35) or r < 0.08:
            follow = self.epoch_today + rng.randrange(-5, 8) * DAY if life.status in OPEN else None
            done = follow is None or rng.random() < 0.3
            when = rng.randrange(created, max(created + 1, min(self.now, last_at + 1)))
            self.t["comm"].rows.append(
                (
                    self._id("comm"),
                    cust_id,
                    order_id,
                    rng.choice(("call", "email", "chat", "fax", "visit", "letter")),
                    ts(when),
                    rng.choice(
                        (
                            "客户询问交期",
                            "确认包装要求",
                            "催款",
                            "客户反馈质量",
                            "Customer asked for the ETD",
                        )
                    ),
                    self.day(follow) if follow else None,
                    done,
                    ts(when + DAY) if done else None,
                    merch_id,
                    ts(when),
                )
            )


# ---- the command's body ------------------------------------------------------------------------


class SeedRefused(Exception):
    pass


TABLES = {
    "order": (
        "orders.Order",
        "id number revision version status held_from customer_id salesperson_id merchandiser_id channel currency incoterm contract_date delivery_date customer_po notes total_amount deposit_percent deposit_due paid_amount on_credit cancel_reason hold_reason created_by_id created_at updated_at kind "
        # the stamps and signatures the steps set, as the workflow declares them
        + " ".join(STAMP_FIELDS)
        + " "
        + " ".join(Order._meta.get_field(f).column for f in SIGNER_FIELDS),
    ),
    "line": (
        "orders.OrderLine",
        "id order_id line_no product_id colour size quantity packs unit_price amount special_material packing_requirement produced_qty shipped_qty delivered_qty",
    ),
    "revision": (
        "orders.OrderRevision",
        "id order_id revision snapshot changes reason created_by_id created_at",
    ),
    "payment": (
        "finance.Payment",
        "id order_id kind amount currency received_on reference recorded_by_id recorded_at",
    ),
    "pn": (
        "production.ProductionNotice",
        "id number order_id status issued_by_id issued_at done_by_id done_at",
    ),
    "pnline": ("production.ProductionNoticeLine", "id notice_id line_id quantity"),
    "reservation": (
        "inventory.Reservation",
        "id line_id stock_id quantity consumed status created_at",
    ),
    "sn": (
        "shipping.ShippingNotice",
        "id number order_id status ship_date issued_by_id issued_at shipped_by_id shipped_at",
    ),
    "snline": ("shipping.ShippingNoticeLine", "id notice_id line_id quantity"),
    "slip": ("shipping.OutboundSlip", "id number notice_id issued_by_id issued_at"),
    "dn": (
        "shipping.DeliveryNote",
        "id number notice_id issued_by_id issued_at cod_amount delivered_at delivered_by_id received_by proof_reference cod_collected cod_reconciled_at cod_reconciled_by_id",
    ),
    "event": (
        "timeline.Event",
        "id kind at actor_id order_id customer_id from_status to_status comment payload subject_type_id subject_id",
    ),
    "comm": (
        "parties.Communication",
        "id customer_id order_id kind occurred_at summary follow_up_on done done_at created_by_id created_at",
    ),
}


@dataclass
class SeedReport:
    orders: int
    rows: dict[str, int]
    statuses: dict[str, int]
    seconds: float


def _fast_session(pg: bool) -> None:
    with connection.cursor() as cur:
        if pg:
            cur.execute("SET synchronous_commit = off")
            try:
                with transaction.atomic():
                    cur.execute("SET session_replication_role = replica")  # no FK triggers
            except Exception:  # not a superuser: the deferred FK checks run per chunk
                pass
        elif not connection.in_atomic_block:  # SQLite refuses it inside a transaction
            cur.execute("PRAGMA synchronous = OFF")


def seed(
    *,
    orders: int,
    seed: int = 1,
    append: bool = False,
    products: int = 2000,
    today: date | None = None,
    out: Callable[[str], None] = print,
    defer_indexes_from: int = 100_000,
    factory: bool = True,
) -> SeedReport:
    """Generate `orders` orders of a realistic company (see the module docstring)."""
    if Order.objects.exists() and not append:
        raise SeedRefused(
            "The database already has orders; seed an empty database, or pass --append to add to it."
        )
    started = time.monotonic()
    rng = random.Random(seed)
    pg = connection.vendor == "postgresql"
    company = _company(rng, orders, products, append, out)
    tables = {key: table(label, cols) for key, (label, cols) in TABLES.items()}
    sink = Sink(list(tables.values()))
    ids = _next_ids(tables.values())
    numbers = {
        (p, y): last
        for p, y, last in DocumentSequence.objects.values_list("prefix", "year", "last")
    }
    counters = Counters(numbers=dict(numbers))
    today = today or timezone.localdate()
    now = (
        int(time.time())
        if today == timezone.localdate()
        else int(datetime(today.year, today.month, today.day, 12, tzinfo=_UTC).timestamp())
    )
    writer = Writer(rng, company, counters, tables, ids, Clock(pg), now, today)
    # creation times over three years, rising like a growing company, in order (ids follow time)
    span = SPAN_DAYS * DAY
    created = sorted(now - int(span * (1 - math.sqrt(rng.random()))) - 60 for _ in range(orders))
    _fast_session(pg)
    deferred = _drop_indexes(tables) if pg and not append and orders >= defer_indexes_from else []
    if deferred:
        out(f"deferred {len(deferred)} secondary indexes until the rows are in")
    done = 0
    for start in range(0, orders, CHUNK):
        for when in created[start : start + CHUNK]:
            writer.order(when)
        with transaction.atomic():
            sink.flush()
        done = min(orders, start + CHUNK)
        elapsed = time.monotonic() - started
        rows = sum(t.written for t in tables.values())
        out(
            f"{done:>9,} orders {100 * done / orders:5.1f}%  {rows:>11,} rows  {done / elapsed:8,.0f} orders/s  {rows / elapsed:9,.0f} rows/s  {elapsed:7.1f}s"
        )
    if deferred:
        _create_indexes(deferred, out)
    _finish(pg, tables, counters, company)
    written = {t.name: t.written for t in tables.values()}
    if factory:  # lines, routings, the open notices' work orders and their daily reports
        from gendan.production.seeding import seed_factory

        made = seed_factory(users=ensure_users(), today=today, rng=random.Random(seed + 1), out=out)
        written["production_workorder"] = made.work_orders
        written["production_dailyreport"] = made.reports
    seconds = time.monotonic() - started
    report = SeedReport(orders, written, dict(counters.statuses), seconds)
    for name, count in report.rows.items():
        out(f"  {name:<32} {count:>11,}")
    out(
        f"seeded {orders:,} orders in {seconds:.1f}s; open by status: "
        + ", ".join(f"{k}={v}" for k, v in sorted(report.statuses.items()))
    )
    return report


def _drop_indexes(tables: dict[str, Table]) -> list[str]:
    """Drop the non-unique indexes of the seeded tables (PostgreSQL, empty database, large seed):
    building them once at the end is several times cheaper than maintaining them row by row.
    Returns their definitions; unique indexes and primary keys stay. If the seed dies midway the
    indexes are missing: drop that database and seed again."""
    names = [t.name for t in tables.values()]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [names],
        )
        found = cur.fetchall()
        for name, _definition in found:
            cur.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _create_indexes(definitions: list[str], out: Callable[[str], None]) -> None:
    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cur.execute(definition)
    out(f"re-created {len(definitions)} indexes in {time.monotonic() - started:.1f}s")


def _finish(pg: bool, tables: dict[str, Table], counters: Counters, company: Company) -> None:
    """Stock that covers every open reservation, the number series, the id sequences."""
    from django.core.management.color import no_style

    rng = random.Random(len(company.stock))
    with transaction.atomic():
        with connection.cursor() as cur:
            rows = [
                (
                    counters.reserved.get(sid, 0) + rng.choice((0, 0, 50, 200, 1000)),
                    counters.reserved.get(sid, 0),
                    sid,
                )
                for sid in company.stock.values()
            ]
            cur.executemany(
                f'UPDATE "{StockLevel._meta.db_table}" SET on_hand = on_hand + %s, reserved = reserved + %s WHERE id = %s',
                rows,
            )
        for (prefix, year), last in counters.numbers.items():
            DocumentSequence.objects.update_or_create(
                prefix=prefix, year=year, defaults={"last": last}
            )
        if pg:
            with connection.cursor() as cur:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [t.model for t in tables.values()]
                ):
                    cur.execute(sql)
                cur.execute("SET session_replication_role = DEFAULT")
    if pg:
        with connection.cursor() as cur:
            for t in tables.values():
                cur.execute(f'ANALYZE "{t.name}"')
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
