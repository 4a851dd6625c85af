"""The counting-error register as .xlsx, for managers and payroll."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat, ExportKind
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.loading.models import CountingError
from gendan.loading.permissions import LoadingPerm
from gendan.prices import redact_text, sees_prices


@verb(LoadingPerm.VIEW_COUNTING_ERRORS)
def export_counting_errors(
    rows: QuerySet[CountingError], *, actor: Any, filters: dict[str, Any] | None = None
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Counting errors")[:31]
    append_row(
        sheet,
        [
            gettext("Recorded at"),
            gettext("Person"),
            gettext("Loading plan"),
            gettext("Product"),
            gettext("Source"),
            gettext("Expected"),
            gettext("Actual"),
            gettext("Difference"),
            gettext("Penalty"),
            gettext("Currency"),
            gettext("Note"),
            gettext("Recorded by"),
        ],
    )
    count = 0
    shows = sees_prices(actor)  # the penalty is an amount
    for e in rows.iterator(chunk_size=1000):
        append_row(
            sheet,
            [
                timezone.localtime(e.recorded_at).replace(tzinfo=None),
                e.person.username,
                e.plan.number,
                e.product.code if e.product else "",
                e.get_source_display(),
                e.expected,
                e.actual,
                e.difference,
                e.penalty if shows else None,
                e.currency if shows else None,
                redact_text(e.note, actor),
                e.recorded_by.username,
            ],
        )
        count += 1
    out = BytesIO()
    book.save(out)
    record_export(
        actor=actor,
        what=ExportKind.COUNTING_ERRORS,
        filters=filters,
        rows=count,
        fmt=ExportFormat.XLSX,
    )
    return out.getvalue()
