"""Excel import and export: all or nothing, every bad cell named, export -> import round trip."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gendan.orders.excel import HEADER, export_orders, import_orders
from gendan.orders.models import Order
from gendan.orders.selectors import OrderFilter, filter_orders
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English; the zh-hans catalogue is tested in test_locale."""
    with translation.override("en"):
        yield


def workbook(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def row(
    ref: str, product: str = "BC-101", quantity: object = 10, price: object = "12.5", **over: object
) -> list[object]:
    values = {
        "order_ref": ref,
        "customer": "EXP001",
        "salesperson": "sales",
        "merchandiser": "merch",
        "channel": "export",
        "currency": "USD",
        "incoterm": "FOB",
        "contract_date": date(2026, 11, 1),
        "delivery_date": date(2026, 12, 20),
        "customer_po": f"PO-{ref}",
        "product": product,
        "colour": "",
        "size": "",
        "quantity": quantity,
        "packs": 1,
        "unit_price": price,
        "special_material": "",
        "packing_requirement": "五层纸箱",
    } | over
    return [values[h] for h in HEADER]


def test_a_good_file_imports_every_order_as_drafts(world):
    rows = [row("A"), row("A", "FN-101", 2, "300"), row("B", "BC-202", 5, "8.8")]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert report.errors == []
    assert len(report.imported) == 2
    first = Order.objects.get(number=report.imported[0])
    assert (
        first.status == "draft" and first.lines.count() == 2 and str(first.total_amount) == "725.00"
    )
    assert Event.objects.filter(kind="orders.imported").count() == 1


def test_one_bad_row_among_many_imports_nothing_and_names_the_cell(world):
    rows = [row(f"R{i}") for i in range(30)]
    rows[17] = row("R17", quantity="ten")  # sheet row 19 (header is row 1)
    rows[22] = row("R22", product="NOPE-1")  # unknown product: found by the entry rules
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert report.imported == []
    assert Order.objects.count() == 0
    assert report.errors == [
        {
            "sheet": "orders",
            "row": 19,
            "column": "quantity",
            "cell": "N19",
            "reason": "A whole number of at least 1 is required.",
        },
    ]
    rows[17] = row("R17")
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert Order.objects.count() == 0
    assert [(e["row"], e["column"]) for e in report.errors] == [(24, "product")]
    assert "NOPE-1" in report.errors[0]["reason"]


def test_rows_of_one_order_must_agree_on_the_header(world):
    rows = [row("A"), row("A", delivery_date=date(2027, 1, 5))]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "delivery_date")]
    assert Order.objects.count() == 0


def test_a_file_that_is_not_excel_is_refused_with_a_message(world):
    report = import_orders(io.BytesIO(b"not a workbook"), actor=world.users["merch"])
    assert report.errors[0]["reason"] == "The file is not an Excel .xlsx workbook."


def test_export_then_import_is_a_round_trip(world):
    world.order()
    world.order(customer="DIST01", lines=[("FN-201", 3, "1999")])
    content = export_orders(
        filter_orders(world.users["merch"], OrderFilter()), actor=world.users["merch"]
    )
    sheet = load_workbook(io.BytesIO(content))["orders"]
    assert [c.value for c in sheet[1]] == list(HEADER)
    assert sheet.max_row == 1 + 3 + 1
    report = import_orders(io.BytesIO(content), actor=world.users["merch"])
    assert report.errors == []
    assert len(report.imported) == 2
    originals = Order.objects.exclude(number__in=report.imported).order_by("id")
    copies = Order.objects.filter(number__in=report.imported).order_by("id")
    assert [o.total_amount for o in copies] == [o.total_amount for o in originals]
    assert Event.objects.filter(kind="data.exported").count() == 1


def test_production_exports_without_prices_and_cannot_import(world):
    from gendan.errors import DomainError

    world.order()
    with pytest.raises(DomainError):
        import_orders(workbook([row("A")]), actor=world.users["production"])
    with pytest.raises(DomainError):
        export_orders(
            filter_orders(world.users["production"], OrderFilter()), actor=world.users["production"]
        )
