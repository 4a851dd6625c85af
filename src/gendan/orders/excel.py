"""Orders to and from Excel: one row per order line, the order's header repeated on each row.

The import checks every row, and every order through the same entry rules as the API, inside one
transaction; with any error it rolls everything back and reports sheet, row, column and reason.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from gendan.accounts.guards import verb
from gendan.accounts.permissions import Perm
from gendan.errors import DomainError
from gendan.exports.models import ExportFormat, ExportKind
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.orders.entry import LineInput
from gendan.orders.services import enter_order
from gendan.prices import sees_prices
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

SHEET = "orders"
HEADER = (
    "order_ref",
    "customer",
    "salesperson",
    "merchandiser",
    "channel",
    "currency",
    "incoterm",
    "contract_date",
    "delivery_date",
    "customer_po",
    "product",
    "colour",
    "size",
    "quantity",
    "packs",
    "unit_price",
    "special_material",
    "packing_requirement",
)
ORDER_COLUMNS = HEADER[:10]
REQUIRED = (
    "order_ref",
    "customer",
    "contract_date",
    "delivery_date",
    "product",
    "quantity",
    "unit_price",
)
HELP = {
    "order_ref": "订单参考：同一订单的行填写相同的参考 / rows with the same ref form one order",
    "customer": "客户代码 / customer code",
    "salesperson": "业务员用户名（可空）/ salesperson username (optional)",
    "merchandiser": "跟单员用户名 / merchandiser username",
    "channel": "export | domestic | store | scattered（可空，默认客户渠道）",
    "currency": "币种，如 CNY、USD（可空）",
    "incoterm": "EXW FCA FOB CFR CIF DAP DDP（可空）",
    "contract_date": "合同日期 YYYY-MM-DD",
    "delivery_date": "交货期 YYYY-MM-DD",
    "customer_po": "客户订单号（可空）",
    "product": "产品代码 / product code",
    "colour": "颜色（可空）",
    "size": "尺寸（可空）",
    "quantity": "数量（整数 ≥ 1）",
    "packs": "包数（整数 ≥ 0，可空）",
    "unit_price": "单价（≥ 0）",
    "special_material": "特殊原材料要求（可空）",
    "packing_requirement": "包装要求：唛头、装法、纸箱品质、箱规（可空）",
}


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, reason: str) -> None:
        letter = get_column_letter(HEADER.index(column) + 1) if column in HEADER else ""
        self.errors.append(
            {
                "sheet": SHEET,
                "row": row,
                "column": column,
                "cell": f"{letter}{row}",
                "reason": reason,
            }
        )


class _Rollback(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _read_rows(source: BinaryIO, report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:
        report.add(1, "", gettext("The file is not an Excel .xlsx workbook."))
        return []
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        for column in missing:
            report.add(
                1,
                column,
                gettext("The column “%(c)s” is missing from the header row.") % {"c": column},
            )
        return []
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or _text(v) == "" for v in values):
            continue
        out.append((number, {h: v for h, v in zip(header, values, strict=False) if h in HEADER}))
    return out


def _check_row(number: int, row: dict[str, Any], report: ImportReport) -> None:
    for column in REQUIRED:
        if _text(row.get(column)) == "":
            report.add(number, column, gettext("Required."))
    for column in ("contract_date", "delivery_date"):
        if _text(row.get(column)) and _date(row.get(column)) is None:
            report.add(number, column, gettext("Not a date (YYYY-MM-DD)."))
    for column, minimum in (("quantity", 1), ("packs", 0)):
        raw = _text(row.get(column))
        if raw:
            try:
                value = Decimal(raw)
                if value != value.to_integral_value() or value < minimum:
                    raise InvalidOperation
            except InvalidOperation:
                report.add(
                    number,
                    column,
                    gettext("A whole number of at least %(n)s is required.") % {"n": minimum},
                )
    raw = _text(row.get("unit_price"))
    if raw:
        try:
            if Decimal(raw) < 0:
                raise InvalidOperation
        except InvalidOperation:
            report.add(number, "unit_price", gettext("A number of at least 0 is required."))


_LINE_FIELD = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def _map_error(
    exc: DomainError, rows: list[tuple[int, dict[str, Any]]], report: ImportReport
) -> None:
    fields = exc.details.get("fields") or {exc.details.get("field", "order_ref"): str(exc.message)}
    for where, message in fields.items():
        match = _LINE_FIELD.match(where)
        if match:
            index, column = int(match.group(1)) - 1, match.group(2)
            report.add(rows[index][0], column, message)
        else:
            report.add(rows[0][0], where if where in HEADER else "order_ref", message)


@verb(Perm.IMPORT_ORDERS)
def import_orders(source: BinaryIO, *, actor: Any, dry_run: bool = False) -> ImportReport:
    """Import every order of the workbook as drafts, or none of them.

    With `dry_run` every check runs, the orders included, and everything is rolled back at the
    end: the report's errors are what a real import would report, and nothing is written.
    """
    report = ImportReport()
    rows = _read_rows(source, report)
    if not rows and not report.errors:
        report.add(2, "order_ref", gettext("The sheet has no rows."))
    for number, row in rows:
        _check_row(number, row, report)
    if report.errors:
        return report
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, row in rows:
        groups.setdefault(_text(row["order_ref"]), []).append((number, row))
    for group in groups.values():
        first = {c: _text(group[0][1].get(c)) for c in ORDER_COLUMNS}
        for number, row in group[1:]:
            for column in ORDER_COLUMNS:
                if _text(row.get(column)) != first[column]:
                    report.add(
                        number, column, gettext("Differs from the first row of the same order_ref.")
                    )
    if report.errors:
        return report
    try:
        with transaction.atomic(durable=True):
            for ref, group in groups.items():
                head = group[0][1]
                try:
                    order = enter_order(
                        actor=actor,
                        customer=_text(head["customer"]),
                        salesperson=_text(head.get("salesperson")) or None,
                        merchandiser=_text(head.get("merchandiser")) or None,
                        channel=_text(head.get("channel")) or None,
                        currency=_text(head.get("currency")) or None,
                        incoterm=_text(head.get("incoterm")),
                        contract_date=_date(head["contract_date"]),
                        delivery_date=_date(head["delivery_date"]),
                        customer_po=_text(head.get("customer_po")),
                        lines=[
                            LineInput(
                                product=_text(r["product"]),
                                quantity=int(Decimal(_text(r["quantity"]))),
                                unit_price=Decimal(_text(r["unit_price"])),
                                colour=_text(r.get("colour")),
                                size=_text(r.get("size")),
                                packs=int(Decimal(_text(r.get("packs")) or "0")),
                                special_material=_text(r.get("special_material")),
                                packing_requirement=_text(r.get("packing_requirement")),
                            )
                            for _, r in group
                        ],
                    )
                    report.imported.append(order.number)
                except DomainError as exc:
                    _map_error(exc, group, report)
                    report.errors[-1].setdefault("order_ref", ref)
            if report.errors or dry_run:
                raise _Rollback
            record(
                kind=EventKind.ORDERS_IMPORTED,
                actor=actor,
                payload={"orders": report.imported, "rows": len(rows)},
            )
    except _Rollback:
        report.imported = []
    return report


@verb(Perm.EXPORT_DATA)
def export_orders(orders: Any, *, actor: Any, filters: dict[str, Any] | None = None) -> bytes:
    """The orders as .xlsx in the import template (prices left blank for those who may not see them).

    Logged in the export log with `filters` (what the caller selected the orders by)."""
    prices = sees_prices(actor)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    append_row(sheet, list(HEADER))
    count = 0
    rows = 0
    qs = (
        orders.select_related("customer", "salesperson", "merchandiser")
        .prefetch_related("lines__product")
        .order_by("id")
    )
    for order in qs.iterator(chunk_size=500):
        count += 1
        for line in order.lines.all():
            rows += 1
            append_row(
                sheet,
                [
                    order.number,
                    order.customer.code,
                    order.salesperson.username,
                    order.merchandiser.username,
                    order.channel,
                    order.currency,
                    order.incoterm,
                    order.contract_date,
                    order.delivery_date,
                    order.customer_po,
                    line.product.code,
                    line.colour,
                    line.size,
                    line.quantity,
                    line.packs,
                    line.unit_price if prices else None,
                    line.special_material,
                    line.packing_requirement,
                ],
            )
    help_sheet = book.create_sheet("help 说明")
    for column in HEADER:
        append_row(help_sheet, [column, HELP[column]])
    buffer = io.BytesIO()
    book.save(buffer)
    record_export(
        actor=actor,
        what=ExportKind.ORDERS,
        filters={**(filters or {}), "orders": count},
        rows=rows,
        fmt=ExportFormat.XLSX,
    )
    return buffer.getvalue()
