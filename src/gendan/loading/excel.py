"""The counting-error register as .xlsx, for managers and payroll."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.accounts.permissions import Perm
from gendan.loading.models import CountingError
from gendan.prices import redact_text, sees_prices
from gendan.timeline.models import EventKind
from gendan.timeline.services import record


@verb(Perm.VIEW_COUNTING_ERRORS)
def export_counting_errors(rows: QuerySet[CountingError], *, actor: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Counting errors")[:31]
    sheet.append(
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
        ]
    )
    count = 0
    shows = sees_prices(actor)  # the penalty is an amount
    for e in rows.iterator(chunk_size=1000):
        sheet.append(
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
            ]
        )
        count += 1
    out = BytesIO()
    book.save(out)
    record(
        kind=EventKind.DATA_EXPORTED,
        actor=actor,
        payload={"what": "counting_errors", "rows": count},
    )
    return out.getvalue()
