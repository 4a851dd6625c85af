"""The export log over HTTP: GET /api/v1/exports/ for those who may read it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gendan.apiconventions import caller, errors, page_by_key
from gendan.exports import selectors
from gendan.exports.models import ExportKind

router = Router(tags=["exports"])


class ExportFilterIn(Schema):
    actor: str | None = Field(None, max_length=150, description="username of who exported")
    what: ExportKind | None = None
    since: date | None = None
    until: date | None = None
    after: int | None = Field(None, ge=1, description="`next_cursor` of the page before")
    limit: int = Field(200, ge=1, le=1000)


class ExportOut(Schema):
    id: int
    at: datetime
    actor: str
    what: str
    format: str
    rows: int
    filters: dict[str, Any]


class ExportPage(Schema):
    items: list[ExportOut]
    next_cursor: str | None


@router.get("/", response={200: ExportPage, **errors(403)})
def list_exports(request: HttpRequest, filters: Query[ExportFilterIn]):
    """The latest exports first: who, what, the filters, how many rows, when. Pass `after` =
    `next_cursor` for the next page."""
    f = selectors.ExportFilter(**filters.dict(exclude={"limit", "after"}))
    rows, cursor = page_by_key(
        selectors.exports(caller(request), f), key="-id", after=filters.after, limit=filters.limit
    )
    items = [
        {
            "id": r.pk,
            "at": r.at,
            "actor": r.actor.username,
            "what": r.what,
            "format": r.fmt,
            "rows": r.rows,
            "filters": r.filters,
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": cursor}
