"""The exceptions register over HTTP (/api/v1/patrol/...). No price in any answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.apiconventions import caller, errors, page_by_key
from gendan.patrol import selectors, services
from gendan.patrol.models import ExceptionKind, ProductionException

router = Router(tags=["patrol"])


class ExceptionOut(Schema):
    number: str
    kind: str
    status: str
    description: str
    line: str | None
    order: str | None
    work_order: str | None
    day: date
    raised_by: str
    raised_at: datetime
    assignee: str | None
    due_on: date | None
    action_taken: str
    closed_by: str | None
    closed_at: datetime | None
    slip_report: int | None


def exception_out(e: ProductionException) -> dict[str, Any]:
    return {
        "number": e.number,
        "kind": e.kind,
        "status": e.status,
        "description": e.description,
        "line": e.line.code if e.line_id else None,
        "order": e.order.number if e.order_id else None,
        "work_order": e.work_order.number if e.work_order_id else None,
        "day": e.day,
        "raised_by": e.raised_by.username,
        "raised_at": e.raised_at,
        "assignee": e.assignee.username if e.assignee_id else None,
        "due_on": e.due_on,
        "action_taken": e.action_taken,
        "closed_by": e.closed_by.username if e.closed_by_id else None,
        "closed_at": e.closed_at,
        "slip_report": e.daily_report_id,
    }


class ExceptionPage(Schema):
    items: list[ExceptionOut]
    next_cursor: str | None


class ExceptionIn(Schema):
    kind: Literal[*ExceptionKind.values]  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=2000)
    line: str = Field("", max_length=20)
    order: str = Field("", max_length=30)
    work_order: str = Field("", max_length=30)
    assignee: str = Field("", max_length=150)
    due_on: date | None = None


class ExceptionActionIn(Schema):
    action_taken: str = Field("", max_length=2000)


def _one(request: HttpRequest, number: str) -> dict[str, Any]:
    return exception_out(selectors.get_exception_for(caller(request), number))


@router.get("/exceptions", response={200: ExceptionPage, **errors()})
def list_exceptions(
    request: HttpRequest,
    status: str | None = Query(None, max_length=10),
    kind: str | None = Query(None, max_length=10),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """The exceptions register, newest first."""
    qs = selectors.exceptions(caller(request))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {"items": [exception_out(e) for e in rows], "next_cursor": cursor}


@router.post("/exceptions", response={201: ExceptionOut, **errors(403)})
def raise_exception(request: HttpRequest, data: ExceptionIn):
    made = services.raise_exception(actor=caller(request), **data.dict())
    return Status(201, _one(request, made.number))


@router.get("/exceptions/{number}", response={200: ExceptionOut, **errors(404)})
def get_exception(request: HttpRequest, number: str):
    return _one(request, number)


@router.post("/exceptions/{number}/photos", response={201: ExceptionOut, **errors(403, 404)})
def add_photo(request: HttpRequest, number: str, file: File[UploadedFile]):
    services.attach_photo(actor=caller(request), number=number, photo=file)
    return Status(201, _one(request, number))


@router.post("/exceptions/{number}/action", response={200: ExceptionOut, **errors(403, 404, 409)})
def record_action(request: HttpRequest, number: str, data: ExceptionActionIn):
    services.record_action(actor=caller(request), number=number, action_taken=data.action_taken)
    return _one(request, number)


@router.post("/exceptions/{number}/close", response={200: ExceptionOut, **errors(403, 404, 409)})
def close_exception(request: HttpRequest, number: str, data: ExceptionActionIn):
    services.close_exception(actor=caller(request), number=number, action_taken=data.action_taken)
    return _one(request, number)


@router.post("/exceptions/{number}/slip", response={200: ExceptionOut, **errors(403, 404, 409)})
def make_slip_reason(request: HttpRequest, number: str):
    """The exception becomes the slip reason of its work order's report of its day."""
    services.make_slip_reason(actor=caller(request), number=number)
    return _one(request, number)


@router.get("/by-kind-and-line", response={200: list[dict[str, Any]], **errors()})
def by_kind_and_line(request: HttpRequest, since: date, until: date):
    """Exceptions counted per line and kind between two days (and how many still open)."""
    from gendan.patrol.permissions import HANDLE, RAISE

    actor = caller(request)
    if not (actor.can(RAISE) or actor.can(HANDLE)):
        return []
    return selectors.count_by_kind_and_line(since, until)
