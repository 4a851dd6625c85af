"""The forecast list as .xlsx (logged in the export log). Dates and reasons only: no price."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.forecast import permissions as p
from gendan.forecast.models import OrderForecast

WHAT = "delivery_forecast"
LIMIT = 20_000


@verb(p.VIEW)
def export_forecasts(qs: QuerySet[OrderForecast], *, actor: Any, filters: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Delivery risk")[:31]
    append_row(
        sheet,
        [
            gettext("Order"),
            gettext("Customer"),
            gettext("Risk"),
            gettext("Delivery date"),
            gettext("Expected shipment"),
            gettext("Margin (working days)"),
            gettext("Why"),
        ],
    )
    language = get_language() or "zh-hans"
    rows = list(qs[:LIMIT])
    for f in rows:
        append_row(
            sheet,
            [
                f.order.number,
                f.order.customer.name,
                f.get_risk_display(),
                f.delivery_date,
                f.expected_date,
                f.margin,
                "；".join(f.reason_texts(language)),
            ],
        )
    out = BytesIO()
    book.save(out)
    record_export(actor=actor, what=WHAT, filters=filters, rows=len(rows), fmt=ExportFormat.XLSX)
    return out.getvalue()
