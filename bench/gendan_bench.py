"""The measuring functions of the benchmark (bench/run.py drives them; a test runs them small).

Server time is measured in-process with Django's test Client and CaptureQueriesContext: it is the
time of the view and its queries, without the network or a web server in front.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# The budgets of issue 5 (at 1,000,000 orders on PostgreSQL): ms at p95, or a rate, or MB.
BUDGETS: dict[str, tuple[str, float]] = {
    "today": ("p95_ms<=", 200),
    "list_first_page": ("p95_ms<=", 100),
    "list_deep_page": ("p95_ms<=", 150),
    "cockpit": ("p95_ms<=", 100),
    "api_read": ("p95_ms<=", 50),
    "api_list": ("p95_ms<=", 100),
    "daily_sales": ("p95_ms<=", 300),
    "life_statements": ("queries<=", 100),
    "life_1_worker": ("per_s>=", 150),
    "life_2_workers": ("per_s>=", 150),
    "excel_import": ("per_s>=", 5000),
    "worker_peak_memory": ("mb<=", 300),
}


@dataclass
class Result:
    name: str
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    per_s: float | None = None
    mb: float | None = None
    status: int | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)

    def verdict(self) -> str:
        budget = BUDGETS.get(self.name)
        if budget is None:
            return ""
        kind, limit = budget
        value = {
            "p95_ms<=": self.p95_ms,
            "per_s>=": self.per_s,
            "mb<=": self.mb,
            "queries<=": self.queries,
        }[kind]
        if value is None:
            return "not measured"
        ok = value <= limit if kind.endswith("<=") else value >= limit
        return (
            "met" if ok else "MISSED"
        ) + f" ({kind.split('<')[0].split('>')[0]} {kind[-2:]} {limit:g})"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["budget"] = self.verdict()
        return d


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(name: str, call: Callable[[], Any], repeat: int, *, note: str = "") -> Result:
    """p50/p95 of `call` over `repeat` runs after one warm-up, with the queries of the last run."""
    status = call()
    samples, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            status = call()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return Result(
        name,
        p50_ms=round(statistics.median(samples), 2),
        p95_ms=round(_percentile(samples, 0.95), 2),
        queries=queries,
        status=status if isinstance(status, int) else None,
        note=note,
        samples=[round(s, 2) for s in samples],
    )


# ---- what is measured ---------------------------------------------------------------------------


@dataclass
class Subjects:
    """The orders and people the measures look at, chosen once from the seeded data."""

    merch: Any
    manager: Any
    open_order: str
    list_query: dict[str, Any]
    deep_cursor: str
    deep_position: int
    list_size: int
    sales_day: Any
    merch_open: int


def subjects() -> Subjects:
    from django.utils import timezone

    from gendan.accounts.models import User
    from gendan.orders import selectors
    from gendan.orders.models import Order
    from gendan.orders.workflow import OPEN, Status

    merch = User.objects.get(username="merch")
    manager = User.objects.get(username="manager")
    open_order = (
        Order.objects.filter(merchandiser=merch, status=Status.RELEASED)
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
        or Order.objects.order_by("-id").values_list("number", flat=True).first()
    )
    today = timezone.localdate()
    query = {
        "status": [Status.CLOSED],
        "due_after": (today - timedelta(days=365)).isoformat(),
        "due_before": today.isoformat(),
    }
    qs = selectors.filter_orders(
        manager,
        selectors.OrderFilter(
            status=query["status"], due_after=today - timedelta(days=365), due_before=today
        ),
    ).order_by("delivery_date", "id")
    size = qs.count()
    position = max(0, size * 4 // 5)
    deep = qs[position] if size else Order.objects.order_by("id").first()
    busiest_day = (
        Order.objects.values_list("contract_date", flat=True)
        .filter(contract_date__lte=today - timedelta(days=30))
        .order_by("-contract_date")
        .first()
    ) or today
    return Subjects(
        merch=merch,
        manager=manager,
        open_order=open_order or "",
        list_query=query,
        deep_cursor=selectors.encode_cursor(deep) if deep else "",
        deep_position=position,
        list_size=size,
        sales_day=busiest_day,
        merch_open=Order.objects.filter(merchandiser=merch, status__in=OPEN).count(),
    )


def _get(client: Client, url: str, data: Any = None) -> Callable[[], int]:
    def call() -> int:
        response = client.get(url, data)
        assert response.status_code == 200, (url, response.status_code)
        return response.status_code

    return call


def daily_sales(day: Any, actor: Any) -> Any:
    """The daily sales list of the busiest day as its page reads it: the selector that sums per
    currency, salesperson and region in the database and reads one page of orders with lines."""
    from gendan.reports.selectors import daily_sales as selector

    return selector(actor, day)


def page_measures(repeat: int, s: Subjects | None = None) -> list[Result]:
    s = s or subjects()
    merch_client, manager_client = Client(), Client()
    merch_client.force_login(s.merch)
    manager_client.force_login(s.manager)
    results = [
        timed(
            "today",
            _get(merch_client, reverse("web:today")),
            repeat,
            note=f"merchandiser 'merch' with {s.merch_open} open orders",
        )
    ]
    list_url = reverse("web:order_list")
    results.append(
        timed(
            "list_first_page",
            _get(manager_client, list_url, s.list_query),
            repeat,
            note=f"closed, due in the last 365 days: {s.list_size} orders",
        )
    )
    results.append(
        timed(
            "list_deep_page",
            _get(manager_client, list_url, {**s.list_query, "cursor": s.deep_cursor}),
            repeat,
            note=f"keyset cursor at row {s.deep_position}",
        )
    )
    try:
        reverse("web:order_detail", args=[s.open_order])
        from gendan.orders.views import cockpit  # noqa: F401

        results.append(
            timed(
                "cockpit",
                _get(merch_client, reverse("web:order_detail", args=[s.open_order])),
                repeat,
                note=f"{s.open_order} (released)",
            )
        )
    except ImportError:
        results.append(Result("cockpit", note="skipped: the cockpit view is not there yet"))
    results.append(timed("api_read", _get(merch_client, f"/api/v1/orders/{s.open_order}"), repeat))
    results.append(
        timed(
            "api_list",
            _get(manager_client, "/api/v1/orders", {**s.list_query, "limit": 50}),
            repeat,
            note="same filter as the list",
        )
    )

    def sales() -> int:
        daily_sales(s.sales_day, s.manager)
        return 200

    results.append(
        timed(
            "daily_sales",
            sales,
            repeat,
            note=f"reports.selectors.daily_sales (SQL sums, a page of 50 with lines): {s.sales_day}",
        )
    )
    return results


def peak_memory() -> Result:
    """ru_maxrss of this process, which served every page above in-process like a web worker."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Result(
        "worker_peak_memory", mb=round(kb / 1024, 1), note="ru_maxrss of the bench process"
    )


# ---- the life of an order through the services --------------------------------------------------


class Statements:
    """Counts the statements a block sends to the database, by one code path on both databases:
    ``with connection.execute_wrapper(counter):``. The wrapper sees every statement the ORM and
    the services' cursors send. BEGIN and COMMIT do not all pass there (PostgreSQL's driver
    opens and commits without a cursor; SQLite's BEGIN goes through one), so the wrapper counts
    them as two per transaction: at the first statement of a transaction it hooks the
    transaction's end (``on_commit``), and a statement that finds no hook of its own starts a
    new one. ``total`` is what PostgreSQL's statement log shows: data statements, savepoints,
    BEGIN and COMMIT."""

    def __init__(self, conn: Any = connection) -> None:
        self.connection = conn
        self.sql: list[str] = []
        self.transactions = 0

    def _end(self) -> None:
        """The on_commit hook that marks a counted transaction (it has nothing to do)."""

    def _counted(self) -> bool:
        return any(func == self._end for _, func, _ in self.connection.run_on_commit)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        from django.db import transaction

        text = sql.lstrip()
        if text[:5].upper() == "BEGIN":
            return execute(sql, params, many, context)  # counted with its transaction
        if self.connection.in_atomic_block and not self._counted():
            self.transactions += 1
            transaction.on_commit(self._end, using=self.connection.alias)
        self.sql.append(text)
        return execute(sql, params, many, context)

    @property
    def total(self) -> int:
        return len(self.sql) + 2 * self.transactions


def life_statements(users: dict[str, Any], customer: str, products: list[str]) -> Statements:
    """The statements of one whole life (create .. closed) through the services."""
    counter = Statements()
    with connection.execute_wrapper(counter):
        one_life(users, customer, products)
    return counter


def one_life(users: dict[str, Any], customer: str, products: list[str]) -> str:
    from django.utils import timezone

    from gendan.orders import services
    from gendan.orders.entry import LineInput
    from gendan.orders.workflow import Status
    from gendan.shipping import services as shipping_services

    today = timezone.localdate()
    order = services.create_order(
        actor=users["merch"],
        customer=customer,
        contract_date=today,
        delivery_date=today + timedelta(days=30),
        lines=[LineInput(product=p, quantity=12, unit_price=Decimal("9.50")) for p in products],
        merchandiser="merch",
        submit=True,
    )
    n = order.number
    services.sign_as_finance(order_number=n, actor=users["finance"])
    order = services.sign_as_manager(order_number=n, actor=users["manager"])
    if order.deposit_outstanding > 0:
        services.confirm_deposit(order_number=n, actor=users["finance"], reference="TT")
    order = services.release_order(order_number=n, actor=users["merch"])
    if order.status == Status.RELEASED:
        services.complete_production(order_number=n, actor=users["production"])
    services.confirm_balance(order_number=n, actor=users["finance"], reference="TT")
    shipping_services.issue_shipping_notice(order_number=n, actor=users["merch"])
    shipping_services.issue_outbound_slip(order_number=n, actor=users["finance"])
    shipping_services.issue_delivery_note(order_number=n, actor=users["warehouse"])
    shipping_services.ship_order(order_number=n, actor=users["warehouse"])
    order = shipping_services.confirm_delivery(
        order_number=n, actor=users["driver"], received_by="收货人", proof_reference="POD"
    )
    assert order.status == Status.CLOSED, order.status
    return n


def _life_inputs() -> tuple[dict[str, Any], str, list[str]]:
    from gendan.accounts.models import User
    from gendan.catalog.models import Product
    from gendan.parties.models import Customer

    names = ("merch", "finance", "manager", "production", "warehouse", "driver")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    customer = Customer.objects.filter(channel="export", credit_days=0).order_by("id").first()
    from gendan.production.models import Routing

    # products bought in ready-made (no routing): the life is the paperwork's, as the peer's
    products = list(
        Product.objects.exclude(series__in=Routing.objects.values("family"))
        .order_by("id")
        .values_list("code", flat=True)[:5]
    )
    assert customer is not None and len(products) == 5
    return users, customer.code, products


def lives(count: int) -> float:
    """Run `count` whole lives in this process; returns the seconds taken."""
    users, customer, products = _life_inputs()
    start = time.perf_counter()
    for _ in range(count):
        one_life(users, customer, products)
    return time.perf_counter() - start


def _worker(count: int, url: str, queue: Any) -> None:
    os.environ["GENDAN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    # a local measurement: the settings want a key when DEBUG is off (as measured)
    os.environ.setdefault("GENDAN_SECRET_KEY", "bench-only-key-not-a-secret")
    import django

    django.setup()
    queue.put(lives(count))


def life_measure(count: int, workers: int, url: str | None) -> Result:
    name = f"life_{workers}_worker" + ("s" if workers > 1 else "")
    if workers == 1:
        seconds = lives(count)
        total = count
    else:
        if not url or connection.vendor != "postgresql":
            return Result(name, note="skipped: concurrent workers are measured on PostgreSQL")
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        procs = [ctx.Process(target=_worker, args=(count, url, queue)) for _ in range(workers)]
        start = time.perf_counter()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        seconds = time.perf_counter() - start  # wall time including the workers' start-up
        total = count * workers
        for _ in procs:
            queue.get(timeout=5)
    return Result(
        name,
        per_s=round(total / seconds, 1),
        note=f"{total} orders, {workers} process(es), 5 lines, create → closed, wall time",
    )


# ---- the Excel import ----------------------------------------------------------------------------


# The imported drafts follow their own merchandiser, so a second run's Today of `merch` is not
# swollen by the first run's 2,000 imported orders.
IMPORT_MERCHANDISER = "bench_import"


def _import_merchandiser() -> None:
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User
    from gendan.accounts.permissions import Role

    user, _ = User.objects.get_or_create(username=IMPORT_MERCHANDISER)
    user.groups.add(Group.objects.get(name=Role.MERCHANDISER))


def import_workbook(lines: int, lines_per_order: int = 5) -> bytes:
    from django.utils import timezone
    from openpyxl import Workbook

    from gendan.catalog.models import Product
    from gendan.orders.excel import HEADER, SHEET
    from gendan.parties.models import Customer

    customers = list(Customer.objects.order_by("id").values_list("code", flat=True)[:50])
    products = list(Product.objects.order_by("id").values_list("code", flat=True)[:500])
    today = timezone.localdate()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(list(HEADER))
    for i in range(lines):
        ref = f"IMP{i // lines_per_order:06d}"
        row = {
            "order_ref": ref,
            "customer": customers[(i // lines_per_order) % len(customers)],
            "merchandiser": IMPORT_MERCHANDISER,
            "contract_date": today,
            "delivery_date": today + timedelta(days=40),
            "product": products[i % len(products)],
            "quantity": 10 + i % 90,
            "unit_price": 12.5,
        }
        sheet.append([row.get(h) for h in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_measure(lines: int) -> Result:
    """A confirmed upload through the worker's task (`run_import`): reading, checks, entry and
    the report kept on the run, as the worker does it (the queue's own wait is not counted)."""
    from gendan.accounts.models import User
    from gendan.orders.imports import run_import
    from gendan.orders.models import ImportStatus, OrderImport

    _import_merchandiser()
    data = import_workbook(lines)
    actor = User.objects.get(username="merch")
    run = OrderImport.objects.create(created_by=actor, name="bench.xlsx", data=data, confirmed=True)
    import gendan.orders.api  # noqa: F401 - imported once per worker process, not per import

    counter = Statements()  # the import's transaction's BEGIN and COMMIT included
    with connection.execute_wrapper(counter):
        start, cpu = time.perf_counter(), time.process_time()
        status = run_import(run.pk)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    run.refresh_from_db()
    assert status == ImportStatus.DONE, (status, run.failure, run.errors[:3])
    return Result(
        "excel_import",
        per_s=round(lines / seconds, 1),
        queries=counter.total,
        note=(
            f"{lines} lines, {len(run.imported)} orders, all or nothing, through run_import; "
            f"{seconds:.2f} s wall, {cpu:.2f} s of this process's CPU ({lines / cpu:,.0f} lines "
            "per CPU second)"
        ),
    )
