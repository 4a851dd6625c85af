"""Loading (装柜) over HTTP: container types, plans, the count, closing, the error register."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.loading import selectors
from gendan.loading.models import ContainerType, CountingError, LoadingPlan
from gendan.loading.services import container_types, counting_errors, counts, plans
from gendan.prices import redact_payload, redact_text, sees_prices

router = Router(tags=["loading"])


class ContainerTypeIn(Schema):
    name: str = Field("", max_length=100)
    kind: str = Field("container", description="container or truck")
    inside_length_mm: int = Field(ge=1, le=30_000)
    inside_width_mm: int = Field(ge=1, le=5_000)
    inside_height_mm: int = Field(ge=1, le=5_000)
    door_width_mm: int = Field(ge=1, le=5_000)
    door_height_mm: int = Field(ge=1, le=5_000)
    max_payload_kg: int = Field(ge=1, le=100_000)
    balance_tolerance_mm: int | None = Field(None, ge=0, le=30_000)
    cost: Decimal | None = Field(
        None,
        ge=0,
        max_digits=12,
        decimal_places=2,
        description="What one costs to ship (an amount); absent: unchanged (1 for a new type).",
    )
    active: bool = True


class ContainerTypeOut(Schema):
    code: str
    name: str
    kind: str
    inside_length_mm: int
    inside_width_mm: int
    inside_height_mm: int
    door_width_mm: int
    door_height_mm: int
    max_payload_kg: int
    balance_tolerance_mm: int | None
    cost: Decimal | None = Field(
        None, description="An amount: absent for those who may not see prices."
    )
    active: bool


class ContainerTypePage(Schema):
    items: list[ContainerTypeOut]
    next_cursor: str | None


def container_type_out(ct: ContainerType, actor: Any) -> dict[str, Any]:
    """A container type; its cost is an amount, left out by the price rule (loading declares
    ``cost`` a money key in its errors module) for those who may not see prices."""
    return redact_payload({f: getattr(ct, f) for f in ContainerTypeOut.model_fields}, actor)


@router.get("/container-types", response={200: ContainerTypePage, **errors()}, exclude_unset=True)
def list_container_types(
    request: HttpRequest,
    include_inactive: bool = False,
    after: str | None = Query(None, max_length=20),
    limit: int = Query(100, ge=1, le=500),
):
    """Container and truck types by code. Pass `after` = `next_cursor` for the next page."""
    qs = selectors.container_types(active_only=not include_inactive)
    rows, cursor = page_by_key(qs, key="code", after=after, limit=limit)
    actor = caller(request)
    return {"items": [container_type_out(ct, actor) for ct in rows], "next_cursor": cursor}


@router.put(
    "/container-types/{code}",
    response={200: ContainerTypeOut, **errors(403)},
    exclude_unset=True,
)
def save_container_type(request: HttpRequest, code: str, data: ContainerTypeIn):
    actor = caller(request)
    ct = container_types.save_container_type(actor=actor, code=code, **data.dict())
    return container_type_out(ct, actor)


class PlanLineIn(Schema):
    """An order line picked for a loading plan (not an order's own line: orders' LineIn)."""

    order: str = Field(min_length=1, max_length=20)
    line: int = Field(ge=1, le=100_000, description="The order's line number")
    quantity: int | None = Field(None, ge=1, le=10_000_000, description="Null: all not shipped")


class PlanIn(Schema):
    notices: list[str] = Field([], max_length=50, description="Shipping notice numbers")
    lines: list[PlanLineIn] = Field(
        [], max_length=500, description="Order lines picked before any shipping notice"
    )
    orders: list[str] = Field(
        [], max_length=50, description="Orders whose lines not yet shipped are all planned"
    )
    container_type: str | None = Field(
        None, description="A container type code; null = the cheapest set of the kind"
    )
    kind: str = Field("container", description="container or truck, when no type is given")
    time_limit_s: int = Field(5, ge=1, le=plans.MAX_TIME_LIMIT_S)
    keep_orders_together: bool = False


class WallOut(Schema):
    number: int
    count: int
    text_zh: str
    text_en: str


class PlannedContainerOut(Schema):
    index: int
    type_code: str
    volume_utilisation: float
    weight_kg: float
    weight_utilisation: float
    balance_offset_mm: int | None
    cartons: int
    walls: list[WallOut]
    placements: list[dict[str, int]] | None = Field(
        None, description="Every carton (item, x, y, z, dx, dy, dz, wall, seq), when asked"
    )


class ItemOut(Schema):
    index: int
    product: str
    order: str
    line: int
    notice: str | None
    cartons: int


class LeftBehindOut(Schema):
    item: int
    cartons: int
    reason: str


class CountRowOut(Schema):
    container: int
    wall: int | None
    product: str | None
    expected: int
    counted: int | None
    difference: int | None


class ReasonOut(Schema):
    code: str
    message: str


class CheckOut(Schema):
    matches: bool
    rows: list[CountRowOut]
    reasons: list[ReasonOut]


class PlanOut(Schema):
    number: str
    status: str
    progress: float
    error: str
    notices: list[str]
    container_type: str | None
    kind: str
    time_limit_s: int
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None
    loading_status: str
    closed_by: str | None
    closed_at: datetime | None
    accepted_difference: str
    items: list[ItemOut]
    containers: list[PlannedContainerOut]
    left_behind: list[LeftBehindOut]
    check: CheckOut | None


def check_out(check: counts.CountCheck) -> dict[str, Any]:
    return {
        "matches": check.matches,
        "rows": [
            {
                "container": r.container,
                "wall": r.wall,
                "product": r.product,
                "expected": r.expected,
                "counted": r.counted,
                "difference": r.difference,
            }
            for r in check.rows
        ],
        "reasons": [r.as_dict() for r in check.reasons],
    }


def plan_out(plan: LoadingPlan, *, placements: bool = False) -> dict[str, Any]:
    return {
        "number": plan.number,
        "status": plan.status,
        "progress": plan.progress,
        "error": plan.error,
        "notices": sorted(n.number for n in plan.notices.all()),
        "container_type": plan.container_type.code if plan.container_type else None,
        "kind": plan.kind,
        "time_limit_s": plan.time_limit_s,
        "requested_by": plan.requested_by.username,
        "requested_at": plan.requested_at,
        "finished_at": plan.finished_at,
        "loading_status": plan.loading_status,
        "closed_by": plan.closed_by.username if plan.closed_by else None,
        "closed_at": plan.closed_at,
        "accepted_difference": plan.accepted_difference,
        "items": [
            {
                "index": i.index,
                "product": i.product.code,
                "order": i.order.number,
                "line": i.order_line.line_no,
                "notice": i.notice_line.notice.number if i.notice_line else None,
                "cartons": i.cartons,
            }
            for i in sorted(plan.items.all(), key=lambda i: i.index)
        ],
        "containers": [
            {
                **{k: c[k] for k in PlannedContainerOut.model_fields if k in c},
                "cartons": len(c["placements"]),
                "placements": c["placements"] if placements else None,
            }
            for c in plan.containers
        ],
        "left_behind": plan.left_behind,
        "check": check_out(counts.count_check(plan)) if plan.is_planned else None,
    }


@router.post("/plans", response={202: PlanOut, **errors(403, 409)})
def request_plan(request: HttpRequest, data: PlanIn):
    values = data.dict()
    values["lines"] = [plans.LinePick(**line) for line in values["lines"]]
    plan = plans.request_loading_plan(actor=caller(request), **values)
    return Status(202, plan_out(selectors.get_plan(caller(request), plan.number)))


@router.get("/plans/{number}", response={200: PlanOut, **errors(403, 404)})
def read_plan(request: HttpRequest, number: str, placements: bool = False):
    return plan_out(selectors.get_plan(caller(request), number), placements=placements)


class CountIn(Schema):
    container: int = Field(1, ge=1, le=1000)
    wall: int | None = Field(None, ge=1, le=10_000)
    product: str | None = Field(None, max_length=40)
    counted: int = Field(ge=0, le=1_000_000)


@router.post("/plans/{number}/counts", response={200: CheckOut, **errors(403, 404, 409)})
def record_count(request: HttpRequest, number: str, data: CountIn):
    check = counts.record_count(actor=caller(request), plan=number, **data.dict())
    return check_out(check)


class ScanIn(Schema):
    container: int = Field(1, ge=1, le=1000)
    product: str = Field(min_length=1, max_length=40, description="The scanned product code")


@router.post("/plans/{number}/scans", response={200: CheckOut, **errors(403, 404, 409)})
def record_scan(request: HttpRequest, number: str, data: ScanIn):
    """One carton scanned as it goes in: one more of that product in that container."""
    check = counts.record_scan(actor=caller(request), plan=number, **data.dict())
    return check_out(check)


class CloseIn(Schema):
    accept_difference: str = Field(
        "", max_length=2000, description="The reason to close although the counts differ"
    )


@router.post("/plans/{number}/close", response={200: PlanOut, **errors(403, 404, 409)})
def close_loading(request: HttpRequest, number: str, data: CloseIn):
    counts.close_loading(actor=caller(request), plan=number, **data.dict())
    return plan_out(selectors.get_plan(caller(request), number))


class CountingErrorIn(Schema):
    plan: str = Field(min_length=1, max_length=20)
    person: str = Field(min_length=1, max_length=150, description="Username of who counted")
    product: str | None = Field(None, max_length=40)
    source: str = Field("recount", description="customer_receipt, recount or other")
    expected: int = Field(ge=0, le=1_000_000)
    actual: int = Field(ge=0, le=1_000_000)
    note: str = Field("", max_length=2000)


class CountingErrorOut(Schema):
    id: int
    plan: str
    person: str
    product: str | None
    source: str
    expected: int
    actual: int
    difference: int
    penalty: Decimal | None = None
    currency: str | None = None
    note: str
    recorded_by: str
    recorded_at: datetime


def counting_error_out(e: CountingError, actor: Any) -> dict[str, Any]:
    """A counting error; its penalty is an amount, absent for those who may not see prices."""
    out = {
        "id": e.pk,
        "plan": e.plan.number,
        "person": e.person.username,
        "product": e.product.code if e.product else None,
        "source": e.source,
        "expected": e.expected,
        "actual": e.actual,
        "difference": e.difference,
        "note": redact_text(e.note, actor),
        "recorded_by": e.recorded_by.username,
        "recorded_at": e.recorded_at,
    }
    if sees_prices(actor):
        out |= {"penalty": e.penalty, "currency": e.currency}
    return out


class RegisterFilter(Schema):
    person: str | None = Field(None, max_length=150)
    since: date | None = None
    until: date | None = None
    after: int | None = Field(None, ge=1, description="`next_cursor` of the page before")
    limit: int = Field(100, ge=1, le=500)


class CountingErrorPage(Schema):
    items: list[CountingErrorOut]
    next_cursor: str | None


@router.get(
    "/counting-errors",
    response={200: CountingErrorPage, **errors(403)},
    exclude_unset=True,
)
def list_counting_errors(request: HttpRequest, filters: Query[RegisterFilter]):
    """The register, the last recorded first. Pass `after` = `next_cursor` for the next page."""
    actor = caller(request)
    qs = selectors.counting_errors(actor, **filters.dict(exclude={"after", "limit"}))
    rows, cursor = page_by_key(qs, key="-id", after=filters.after, limit=filters.limit)
    return {"items": [counting_error_out(e, actor) for e in rows], "next_cursor": cursor}


@router.post(
    "/counting-errors",
    response={201: CountingErrorOut, **errors(403, 404)},
    exclude_unset=True,
)
def record_counting_error(request: HttpRequest, data: CountingErrorIn):
    error = counting_errors.record_counting_error(actor=caller(request), **data.dict())
    return Status(201, counting_error_out(error, caller(request)))
