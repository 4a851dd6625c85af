"""The exceptions register as .xlsx (logged in the export log). No price in it."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.patrol import permissions as p

WHAT = "production_exceptions"
MAX_ROWS = 10_000


@verb(p.RAISE)
def export_exceptions(rows: list[Any], *, actor: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Exceptions")[:31]
    append_row(
        sheet,
        [
            gettext("Number"),
            gettext("Day"),
            gettext("Kind"),
            gettext("Status"),
            gettext("Line"),
            gettext("Order"),
            gettext("Work order"),
            gettext("What was seen"),
            gettext("Who must act"),
            gettext("Act by"),
            gettext("What was done"),
            gettext("Closed by"),
            gettext("Closed at"),
        ],
    )
    for e in rows[:MAX_ROWS]:
        append_row(
            sheet,
            [
                e.number,
                e.day,
                e.get_kind_display(),
                e.get_status_display(),
                e.line.code if e.line_id else "",
                e.order.number if e.order_id else "",
                e.work_order.number if e.work_order_id else "",
                e.description,
                str(e.assignee) if e.assignee_id else "",
                e.due_on,
                e.action_taken,
                str(e.closed_by) if e.closed_by_id else "",
                timezone.localtime(e.closed_at).replace(tzinfo=None) if e.closed_at else None,
            ],
        )
    out = BytesIO()
    book.save(out)
    record_export(actor=actor, what=WHAT, filters={}, rows=len(rows), fmt=ExportFormat.XLSX)
    return out.getvalue()
