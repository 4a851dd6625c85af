"""Orders to and from Excel: one row per order line, the order's header repeated on each row.

This module holds the layout (the template's columns) and the export; the import, which reads
the same layout, is `orders.imports`.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.accounts.permissions import Perm
from gendan.exports.models import ExportFormat, ExportKind
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.prices import sees_prices

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
