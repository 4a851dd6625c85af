"""The export log as .xlsx (itself an export, so it is logged too)."""

from __future__ import annotations

from dataclasses import asdict
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat, ExportKind, ExportRecord
from gendan.exports.permissions import ExportPerm
from gendan.exports.selectors import ExportFilter
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row


@verb(ExportPerm.VIEW_EXPORT_LOG)
def export_export_log(
    records: QuerySet[ExportRecord], *, actor: Any, filters: ExportFilter
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Export log")[:31]
    append_row(
        sheet,
        [
            gettext("Exported at"),
            gettext("Exported by"),
            gettext("What"),
            gettext("Format"),
            gettext("Rows"),
            gettext("Filters"),
        ],
    )
    count = 0
    for r in records.iterator(chunk_size=1000):
        append_row(
            sheet,
            [
                timezone.localtime(r.at).replace(tzinfo=None),
                r.actor.username,
                r.get_what_display(),
                r.fmt,
                r.rows,
                ", ".join(f"{k}={v}" for k, v in r.filters.items()),
            ],
        )
        count += 1
    out = BytesIO()
    book.save(out)
    record_export(
        actor=actor,
        what=ExportKind.EXPORT_LOG,
        filters=asdict(filters),
        rows=count,
        fmt=ExportFormat.XLSX,
    )
    return out.getvalue()
