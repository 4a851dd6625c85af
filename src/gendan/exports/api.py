"""The export log over HTTP: GET /api/v1/exports/ for those who may read it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gendan.apiconventions import caller, errors
from gendan.exports import selectors
from gendan.exports.models import ExportKind

router = Router(tags=["exports"])


class ExportFilterIn(Schema):
    actor: str | None = Field(None, max_length=150, description="username of who exported")
    what: ExportKind | None = None
    since: date | None = None
    until: date | None = None
    limit: int = Field(200, ge=1, le=1000)


class ExportOut(Schema):
    id: int
    at: datetime
    actor: str
    what: str
    format: str
    rows: int
    filters: dict[str, Any]


@router.get("/", response={200: list[ExportOut], **errors(403)})
def list_exports(request: HttpRequest, filters: Query[ExportFilterIn]):
    """The latest exports first: who, what, the filters, how many rows, when."""
    f = selectors.ExportFilter(**filters.dict(exclude={"limit"}))
    return [
        {
            "id": r.pk,
            "at": r.at,
            "actor": r.actor.username,
            "what": r.what,
            "format": r.fmt,
            "rows": r.rows,
            "filters": r.filters,
        }
        for r in selectors.exports(caller(request), f)[: filters.limit]
    ]
