"""The reports as .xlsx: a report page's sheet, and the daily sales list of a day. Every file
goes through the export log."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.reports import permissions as p
from gendan.reports.pages import Sheet
from gendan.reports.selectors import DailySales


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_workbook(*, actor: Any, sheet: Sheet, perm: str) -> bytes:
    """A report page's table as it is shown (the same filters, the same columns)."""
    p.require(actor, perm)
    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31]
    append_row(ws, sheet.columns)
    for row in sheet.rows:
        append_row(ws, row)
    record_export(
        actor=actor,
        what=f"report_{sheet.key}",
        filters=sheet.applied,
        rows=len(sheet.rows),
        fmt=ExportFormat.XLSX,
    )
    return _bytes(book)


@verb(p.VIEW_SALES_REPORTS)
def daily_sales_workbook(*, actor: Any, sales: DailySales, lines: list[dict[str, Any]]) -> bytes:
    """The day's totals and every order with its lines (``lines``: the whole day's, read in
    pages by the caller)."""
    p.require(actor, p.VIEW_SALES_REPORTS)
    book = Workbook()
    ws = book.active
    ws.title = gettext("Totals")[:31]
    append_row(
        ws,
        [gettext("Per"), gettext("Key"), gettext("Currency"), gettext("Orders"), gettext("Amount")],
    )
    for label, totals in (
        (gettext("Currency"), sales.per_currency),
        (gettext("Salesperson"), sales.per_salesperson),
        (gettext("Region"), sales.per_region),
    ):
        for t in totals:
            append_row(ws, [label, t.key, t.currency, t.orders, t.amount])
    ol = book.create_sheet(gettext("Orders")[:31])
    append_row(
        ol,
        [
            gettext("Order"),
            gettext("Customer"),
            gettext("Region"),
            gettext("Channel"),
            gettext("Salesperson"),
            gettext("Currency"),
            gettext("Product"),
            gettext("Name"),
            gettext("Quantity"),
            gettext("Unit price"),
            gettext("Amount"),
        ],
    )
    for row in lines:
        append_row(ol, row)
    record_export(
        actor=actor,
        what="report_daily_sales",
        filters={"day": sales.day, "region": sales.region},
        rows=len(lines),
        fmt=ExportFormat.XLSX,
    )
    return _bytes(book)
