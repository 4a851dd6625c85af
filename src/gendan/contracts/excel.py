"""The sales contracts list as .xlsx (logged in the export log): numbers, versions and dates,
no price (the figures are in each contract's PDF)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.contracts import permissions as p
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row

MAX_ROWS = 10_000


@verb(p.ISSUE)
def export_contracts(contracts: list[Any], *, actor: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Sales contracts")[:31]
    append_row(
        sheet,
        [
            gettext("Contract"),
            gettext("Order"),
            gettext("Customer"),
            gettext("Version"),
            gettext("Status"),
            gettext("Issued"),
            gettext("Signed by the customer on"),
        ],
    )
    for c in contracts[:MAX_ROWS]:
        append_row(
            sheet,
            [
                c.number,
                c.order.number,
                c.order.customer.name,
                c.version,
                c.get_status_display(),
                timezone.localtime(c.issued_at).replace(tzinfo=None),
                c.countersigned_on,
            ],
        )
    out = BytesIO()
    book.save(out)
    record_export(
        actor=actor, what="sales_contracts", filters={}, rows=len(contracts), fmt=ExportFormat.XLSX
    )
    return out.getvalue()
