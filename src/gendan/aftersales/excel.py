"""The daily complaint summary as .xlsx (logged in the export log). No price in it: a
complaint holds quantities only."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.aftersales import permissions as p
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.prices import redact_text

WHAT = "complaint_summary"


def _row(c: Any, actor: Any, age: bool) -> list[Any]:
    return [
        c.number,
        timezone.localtime(c.logged_at).replace(tzinfo=None),
        c.customer.name,
        c.order.number if c.order_id else "",
        c.product.code if c.product_id else "",
        c.quantity,
        c.get_kind_display(),
        c.get_status_display(),
        redact_text(c.description, actor),
        *([c.age_days] if age else []),
    ]


@verb(p.EXPORT_SUMMARY)
def export_complaint_summary(data: dict[str, Any], *, actor: Any) -> bytes:
    book = Workbook()
    head = [
        gettext("Complaint"),
        gettext("Logged at"),
        gettext("Customer"),
        gettext("Order"),
        gettext("Product"),
        gettext("Quantity affected"),
        gettext("Kind"),
        gettext("Status"),
        gettext("Description"),
    ]
    day_sheet = book.active
    day_sheet.title = gettext("Logged on the day")[:31]
    append_row(day_sheet, head)
    for c in data["logged"]:
        append_row(day_sheet, _row(c, actor, False))
    open_sheet = book.create_sheet(gettext("Open")[:31])
    append_row(open_sheet, [*head, gettext("Age (days)")])
    for c in data["open"]:
        append_row(open_sheet, _row(c, actor, True))
    out = BytesIO()
    book.save(out)
    record_export(
        actor=actor,
        what=WHAT,
        filters={"day": data["day"]},
        rows=len(data["logged"]) + len(data["open"]),
        fmt=ExportFormat.XLSX,
    )
    return out.getvalue()
