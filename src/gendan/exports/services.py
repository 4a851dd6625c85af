"""Writing the export log. Every export calls `record_export` with what it wrote."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from gendan.accounts.guards import step
from gendan.exports.models import ExportRecord
from gendan.timeline.models import EventKind
from gendan.timeline.services import record


def _plain(value: Any) -> Any:
    """A filter value as JSON keeps it: dates as ISO text, empty values left out."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v not in (None, "", [], ())}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@step
def record_export(
    *, actor: Any, what: str, filters: dict[str, Any] | None, rows: int, fmt: str
) -> ExportRecord:
    """Log one export (who, what, the filters, how many rows, when) and its timeline event.

    A step: the export that calls it has checked the actor's permission to export."""
    with transaction.atomic():
        export = ExportRecord.objects.create(
            actor=actor, what=what, fmt=fmt, filters=_plain(filters or {}), rows=rows
        )
        record(
            kind=EventKind.DATA_EXPORTED,
            actor=actor,
            payload={
                "what": what,
                "format": fmt,
                "rows": rows,
                "filters": export.filters,
                "export": export.pk,
            },
        )
    return export
