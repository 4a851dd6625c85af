"""The import at speed: the bulk entry writes what enter_order writes, the sheet reads as openpyxl
reads it, and the statements per workbook do not grow with its orders."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from gendan.accounts.assignment import ASSIGN_ORDERS
from gendan.errors import DomainError
from gendan.orders import imports
from gendan.orders.api import OrderIn
from gendan.orders.bulk_entry import enter_orders
from gendan.orders.entry import LineInput
from gendan.orders.excel import HEADER
from gendan.orders.imports import import_orders
from gendan.orders.models import Order, OrderLine
from gendan.orders.services import enter_order
from gendan.orders.tests.test_excel import row, workbook
from gendan.parties.models import Customer
from gendan.timeline.models import Event, EventKind
from gendan.timeline.services import history_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _rows(orders: int, lines: int = 3) -> list[list[object]]:
    products = ["BC-101", "FN-101", "BC-202"]
    return [
        row(f"R{o:03d}", products[i % len(products)], quantity=1 + i + o, price=f"{3 + o}.25")
        for o in range(orders)
        for i in range(lines)
    ]


# ---- the same rows as enter_order ----------------------------------------------------------------

_NOT_COMPARED = {"id", "created_at", "updated_at", "history_id", "history_date", "at"}


def _fields(obj: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in _NOT_COMPARED
    }


def _written() -> dict[str, Any]:
    """Everything an entry writes, ids and times left out, each row keyed by its order's number."""
    orders = {o.pk: o.number for o in Order.objects.all()}
    lines = sorted(
        (orders[line.order_id], line.line_no, _fields(line) | {"order_id": None})
        for line in OrderLine.objects.all()
    )
    events = sorted(
        (orders[e.order_id], e.kind, _fields(e) | {"order_id": None})
        for e in Event.objects.exclude(kind=EventKind.ORDERS_IMPORTED)
    )
    history = sorted(
        (h.number, h.history_type, _fields(h)) for h in history_model(Order).objects.all()
    )
    return {
        "orders": sorted((o.number, _fields(o)) for o in Order.objects.all()),
        "lines": [(n, no, sorted(f.items())) for n, no, f in lines],
        "events": [(n, k, sorted(f.items(), key=str)) for n, k, f in events],
        "history": [(n, t, sorted(f.items(), key=str)) for n, t, f in history],
        "line_history": history_model(OrderLine).objects.count(),
    }


def _entered_one_by_one(data: bytes, actor: Any) -> dict[str, Any]:
    """The workbook's orders through enter_order, one by one (the import before the bulk
    entry), then rolled back."""
    report = imports.ImportReport()
    sheet = imports.read_sheet(io.BytesIO(data), report)
    groups = imports._groups(sheet, report)
    assert not report.failed()

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            for group in groups.values():
                order_in = OrderIn.model_validate(imports._order_in(group))
                enter_order(actor=actor, **imports._entry_fields(order_in))
            written = _written()
            raise Undo
    except Undo:
        pass
    return written


def test_the_bulk_entry_writes_the_rows_enter_order_writes(world):
    # given a workbook of orders with and without a named salesperson, currency and channel
    rows = _rows(4)
    rows[3][HEADER.index("salesperson")] = None
    rows[4][HEADER.index("salesperson")] = None
    rows[5][HEADER.index("salesperson")] = None
    rows[6][HEADER.index("currency")] = None
    rows[7][HEADER.index("currency")] = None
    rows[8][HEADER.index("currency")] = None
    data = workbook(rows).getvalue()
    actor = world.users["merch"]
    # when it is entered order by order through enter_order (and undone), then imported in bulk
    one_by_one = _entered_one_by_one(data, actor)
    report = import_orders(io.BytesIO(data), actor=actor)
    # then the same orders, lines, events and history rows are written, field for field
    assert not report.errors and len(report.imported) == 4
    bulk = _written()
    assert len(bulk["orders"]) == 4 and len(bulk["lines"]) == 12
    assert len(bulk["events"]) == 4 and len(bulk["history"]) == 4
    assert bulk == one_by_one
    # and the numbers follow on from the series, consecutive, in the file's order
    assert report.imported == sorted(report.imported)
    assert [n for n, _ in bulk["orders"]] == report.imported


def test_the_bulk_entry_refuses_what_enter_order_refuses_and_writes_nothing(world):
    # given a salesperson (who may not name another) entering three orders: one names another
    # salesperson (the assignment rule), one an unknown product, one is good
    actor = world.users["sales"]
    assert not actor.can(ASSIGN_ORDERS)
    good = {
        "customer": "EXP001",
        "merchandiser": "merch",
        "contract_date": date(2026, 11, 1),
        "delivery_date": date(2026, 12, 20),
        "lines": [LineInput(product="BC-101", quantity=2, unit_price=Decimal("3.5"))],
    }
    orders = [
        good | {"salesperson": "merch"},
        good | {"lines": [LineInput(product="NOPE", quantity=2, unit_price=Decimal("1"))]},
        good,
    ]
    # when entered in bulk, and each alone through enter_order
    results = enter_orders(actor=actor, orders=orders)
    alone = []
    for fields in orders[:2]:
        with pytest.raises(DomainError) as refused:
            enter_order(actor=actor, **fields)
        alone.append(refused.value)
    # then the same refusals (code, message, fields), the good order not written either
    for bulk, one in zip(results[:2], alone, strict=True):
        assert isinstance(bulk, DomainError)
        assert (bulk.code, bulk.message, bulk.details) == (one.code, one.message, one.details)
    assert alone[0].code == "assign_not_allowed"
    assert isinstance(results[2], Order) and results[2].pk is None
    assert Order.objects.count() == 0 and Event.objects.count() == 0


def test_the_bulk_entry_sees_only_the_customers_its_actor_sees(world, users):
    # given a salesperson, and a customer of someone else's they have no order of
    actor = world.users["sales"]
    code = "OTHER01"
    Customer.objects.create(code=code, name="Other", salesperson=world.users["manager"])
    # when they enter an order for a customer they do not see
    results = enter_orders(
        actor=actor,
        orders=[
            {
                "customer": code,
                "merchandiser": "merch",
                "contract_date": date(2026, 11, 1),
                "delivery_date": date(2026, 12, 20),
                "lines": [LineInput(product="BC-101", quantity=2, unit_price=Decimal("3.5"))],
            }
        ],
    )
    # then it is unknown to them, as enter_order says
    assert isinstance(results[0], DomainError)
    assert results[0].details["fields"]["customer"] == f"Unknown customer “{code}”."


# ---- statements per workbook ---------------------------------------------------------------------


def _statements(data: bytes, actor: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = import_orders(io.BytesIO(data), actor=actor)
    assert not report.errors
    return len(captured.captured_queries)


def test_the_statements_of_an_import_do_not_grow_with_its_orders(world):
    # given two workbooks, of 2 and of 20 orders (3 lines each)
    actor = world.users["merch"]
    small, large = workbook(_rows(2)).getvalue(), workbook(_rows(20)).getvalue()
    _statements(small, actor)  # warm: the actor's permissions, read once per user object
    # when each is imported
    # then both take the same statements: savepoint, customers, people, products, the block of
    # numbers, then one INSERT each of orders, lines, events and history rows, the import's
    # event, release
    assert _statements(small, actor) == _statements(large, actor) == 11


# ---- the sheet read as openpyxl reads it ---------------------------------------------------------


def _openpyxl_rows(data: bytes, last: int, width: int) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book[imports.SHEET] if imports.SHEET in book.sheetnames else book.worksheets[0]
    return list(sheet.iter_rows(min_row=1, max_row=last, max_col=width, values_only=True))


def _ours(data: bytes, last: int, width: int) -> list[tuple[Any, ...]]:
    return list(imports._sheet_rows(imports._open_book(data), last, width))


VALUES: list[Any] = [
    "text",
    " spaced ",
    "五层纸箱",
    0,
    -7,
    12.5,
    1e20,
    True,
    False,
    date(2026, 11, 1),
    datetime(2026, 11, 1, 13, 45, 10),
    time(8, 30),
    timedelta(hours=30),
    "=1+1",
    "#N/A",
    None,
    "",
]


def _book(write_only: bool, epoch_1904: bool = False) -> bytes:
    book = Workbook(write_only=write_only)
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.create_sheet("orders") if write_only else book.active
    if not write_only:
        sheet.title = "orders"
    sheet.append(list(HEADER))
    for i, value in enumerate(VALUES):
        sheet.append([value, i, *VALUES[: i % 5]])
    if not write_only:
        sheet.append([])
        sheet["C40"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
        sheet["E45"] = 3
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewritten(data: bytes, change: Any) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = change(content)
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("epoch_1904", [False, True])
def test_the_sheet_reads_as_openpyxl_reads_it(write_only, epoch_1904):
    data = _book(write_only, epoch_1904)
    assert _ours(data, 60, 50) == _openpyxl_rows(data, 60, 50)
    assert _ours(data, 5, 3) == _openpyxl_rows(data, 5, 3)


def test_cells_and_rows_without_their_references_read_as_openpyxl_reads_them():
    # given a sheet whose cells name no reference, a row numbered "7.0", and inline strings
    data = _book(write_only=True)
    data = _rewritten(data, lambda x: re.sub(rb' r="[A-Z]+\d+"', b"", x))
    data = _rewritten(data, lambda x: x.replace(b'<row r="7"', b'<row r="7.0"'))
    # then the values are openpyxl's
    assert _ours(data, 60, 50) == _openpyxl_rows(data, 60, 50)


def test_a_sheet_whose_rows_start_late_is_read_event_by_event_alike(monkeypatch):
    # given a sheet whose head is longer than the first read (the rows then are read event by
    # event, as openpyxl reads them)
    data = _book(write_only=False)
    fast = _ours(data, 60, 50)
    monkeypatch.setattr(imports, "_CHUNK", 64)
    # then the rows are the same
    assert _ours(data, 60, 50) == fast == _openpyxl_rows(data, 60, 50)
