"""Excel import and export: all or nothing, every bad cell named, export -> import round trip."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gendan.errors import DomainError
from gendan.orders import imports
from gendan.orders.excel import HEADER, export_orders
from gendan.orders.imports import check_upload, import_orders
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
            "reason": "A whole number from 1 to 100,000,000 is required.",
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


# ---- hardening: bounded files, bounded reports, the API's bounds on every cell -------------------


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _far_cell_workbook() -> bytes:
    """A few KB whose only cell is the last one a sheet can have (XFD1048576)."""
    book = Workbook()
    book.active.title = "orders"
    book.active["XFD1048576"] = "x"
    return _save(book)


def _without_dimension(data: bytes) -> bytes:
    """The same workbook with the sheet's <dimension> removed: its size is then unknown."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(item, content)
    return out.getvalue()


def test_a_cell_at_xfd1048576_is_refused_at_once_by_the_declared_dimension(world):
    data = _far_cell_workbook()
    assert len(data) < 10_000
    start = time.monotonic()
    with pytest.raises(DomainError) as refused:
        check_upload(data)
    assert refused.value.code == "sheet_too_large"
    assert "1,048,576 rows" in str(refused.value.message)
    report = import_orders(io.BytesIO(data), actor=world.users["merch"])
    assert report.error_count == 1 and "1,048,576 rows" in report.errors[0]["reason"]
    assert time.monotonic() - start < 5
    assert Order.objects.count() == 0


def test_a_sheet_without_its_dimension_is_read_no_further_than_the_limits(world):
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(list(HEADER))
    sheet.append(row("A"))
    sheet["XFD1048576"] = "x"
    data = _without_dimension(_save(book))
    check_upload(data)  # nothing declared: the reading itself stops at the limits
    start = time.monotonic()
    report = import_orders(io.BytesIO(data), actor=world.users["merch"])
    assert time.monotonic() - start < 20
    assert report.imported == [] and Order.objects.count() == 0
    assert report.errors == [
        {
            "sheet": "orders",
            "row": 50002,
            "column": "",
            "cell": "",
            "reason": "The sheet goes on past row 50,001: at most 50,000 rows under the header "
            "are accepted. Split the file, or delete the rows after the data.",
        }
    ]


def test_a_sheet_declaring_more_rows_or_columns_than_the_limits_is_refused(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    with pytest.raises(DomainError) as refused:
        check_upload(workbook([row(f"R{i}") for i in range(6)]).getvalue())
    assert refused.value.code == "sheet_too_large"
    check_upload(workbook([row(f"R{i}") for i in range(5)]).getvalue())
    book = Workbook()
    book.active.cell(row=1, column=51, value="x")
    with pytest.raises(DomainError):
        check_upload(_save(book))


def test_the_report_keeps_the_first_200_errors_and_counts_the_rest(world):
    rows = [row(f"R{i}", quantity="many") for i in range(1000)]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert report.error_count == 1000
    assert len(report.errors) == 200 and report.more_errors == 800
    assert [e["row"] for e in report.errors] == list(range(2, 202))
    assert Order.objects.count() == 0


def test_the_api_bounds_are_the_imports_a_clear_message_per_cell(world):
    """Quantity 10^13, price 123456789012345.5 and 1e308 imported on SQLite and broke every read;
    each is now refused at its cell, like the API refuses it, and nothing is written."""
    rows = [
        row("A", quantity=10**13),
        row("B", price=Decimal("123456789012345.5")),
        row("C", price=1e308),
        row("D", price="1e308"),
        row("E", price="12.34567"),
        row("F", contract_date=date(1900, 1, 1)),
        row("G", colour="x" * 51),
        row("H", quantity=True),
        row("I", packs=-1),
        row("J", channel="nowhere"),
        row("K", currency="EURO"),
        row("L", delivery_date=1_800_000_000),  # a number, not a date (nor a Unix time)
    ]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert report.imported == [] and Order.objects.count() == 0
    price = "A number from 0 to 99,999,999.9999 with at most 4 decimal places is required."
    assert [(e["cell"], e["reason"]) for e in report.errors] == [
        ("N2", "A whole number from 1 to 100,000,000 is required."),
        ("P3", price),
        ("P4", price),
        ("P5", price),
        ("P6", price),
        ("H7", "A date from 2000-01-01 to 2099-12-31 (YYYY-MM-DD) is required."),
        ("L8", "At most 50 characters."),
        ("N9", "A whole number from 1 to 100,000,000 is required."),
        ("O10", "A whole number from 0 to 100,000,000 is required."),
        ("E11", "Unknown value; one of 'export', 'domestic', 'store' or 'scattered'."),
        ("F12", "A currency is a three-letter code such as CNY or USD."),
        ("I13", "A date from 2000-01-01 to 2099-12-31 (YYYY-MM-DD) is required."),
    ]


def test_a_line_amount_or_total_the_columns_cannot_hold_is_refused(world):
    rows = [row("A", quantity=100_000_000, price="99999999")]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert [e["cell"] for e in report.errors] == ["N2"]
    assert "at most 999,999,999,999.99 is possible" in report.errors[0]["reason"]
    rows = [row("B", quantity=10_000_000, price="60000") for _ in range(2)]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert [(e["cell"], e["column"]) for e in report.errors] == [("A2", "order_ref")]
    assert "The order's total would be 1,200,000,000,000.00" in report.errors[0]["reason"]
    assert Order.objects.count() == 0


def test_what_the_bounds_let_in_every_read_export_and_search_gives_back(world, client):
    """The largest order the bounds allow: read, exported, listed, searched, its customer shown."""
    rows = [row("A", quantity=10_000_000, price="99999.9999", colour="c" * 50)]
    rows += [row("A", "FN-101", quantity=1, price="0.0001")]
    report = import_orders(workbook(rows), actor=world.users["merch"])
    assert report.error_count == 0, report.errors
    (number,) = report.imported
    order = Order.objects.get(number=number)
    assert str(order.total_amount) == "999999999000.00"
    merch = world.users["merch"]
    export_orders(filter_orders(merch, OrderFilter(q="EXP001")), actor=merch)
    client.force_login(merch)
    for url in (
        reverse("web:order_detail", args=[number]),
        reverse("web:order_list") + "?q=EXP",
        reverse("web:order_export"),
        reverse("web:customer_detail", args=["EXP001"]),
        f"/api/v1/orders/{number}",
        "/api/v1/orders?q=EXP",
        "/api/v1/orders/export.xlsx",
        f"/api/v1/orders/{number}/actions",
    ):
        assert client.get(url).status_code == 200, url


def test_the_command_imports_in_its_own_process(world, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "orders.xlsx"
    path.write_bytes(workbook([row("A"), row("B")]).getvalue())
    call_command("import_orders", str(path), "--as", "merch")
    assert "Imported 2 orders" in capsys.readouterr().out
    path.write_bytes(workbook([row(f"R{i}", quantity="x") for i in range(205)]).getvalue())
    with pytest.raises(CommandError, match="205 error"):
        call_command("import_orders", str(path), "--as", "merch")
    assert "... and 5 more error(s)." in capsys.readouterr().err
    assert Order.objects.count() == 2
