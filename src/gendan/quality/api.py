"""Quality over HTTP (/api/v1/quality/...): inspections (record, read, list in keyset pages),
the concession after a failed final inspection, and the inspection plans. No price in any."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from gendan.apiconventions import caller, errors, page_by_key
from gendan.prices import redact_text
from gendan.quality import selectors, services
from gendan.quality.models import (
    DefectKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    Method,
    Result,
)

router = Router(tags=["quality"])


class ConcessionOut(Schema):
    reason: str
    accepted_by: str
    accepted_at: datetime


class ChecklistTick(Schema):
    item: str
    ok: bool


class InspectionOut(Schema):
    id: int
    number: str
    kind: str
    order: str | None
    work_order: str | None
    receipt: int | None
    method: str
    aql: Decimal | None
    lot_size: int
    sample_size: int
    accept_number: int
    checklist: list[ChecklistTick]
    defects: dict[str, int]
    defective: int
    result: str
    note: str
    inspector: str
    inspected_at: datetime
    concession: ConcessionOut | None


def inspection_out(i: Inspection, actor: Any) -> dict[str, Any]:
    concession = getattr(i, "concession", None)
    return {
        "id": i.pk,
        "number": i.number,
        "kind": i.kind,
        "order": i.order.number if i.order_id else None,
        "work_order": i.work_order.number if i.work_order_id else None,
        "receipt": i.receipt_id,
        "method": i.method,
        "aql": i.aql,
        "lot_size": i.lot_size,
        "sample_size": i.sample_size,
        "accept_number": i.accept_number,
        "checklist": i.checklist,
        "defects": i.defects,
        "defective": i.defective,
        "result": i.result,
        "note": redact_text(i.note, actor),
        "inspector": i.inspector.username,
        "inspected_at": i.inspected_at,
        "concession": (
            {
                "reason": redact_text(concession.reason, actor),
                "accepted_by": concession.accepted_by.username,
                "accepted_at": concession.accepted_at,
            }
            if concession is not None
            else None
        ),
    }


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_cursor: str | None


class InspectionIn(Schema):
    kind: Literal[*InspectionKind.values]  # type: ignore[valid-type]
    order: str | None = Field(None, max_length=30, description="Final and in-process: the order.")
    receipt: int | None = Field(None, ge=1, description="Outsourced receipt: the receipt's id.")
    lot_size: int | None = Field(
        None, ge=1, le=100_000_000, description="Default: the order's or the receipt's quantity."
    )
    defects: dict[Literal[*DefectKind.values], int] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Defectives found in the sample, by kind."
    )
    checklist: dict[str, bool] = Field(
        default_factory=dict, description="Checklist plans: each item ticked or not."
    )
    note: str = Field("", max_length=500)


class ConcessionIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


def _one(request: HttpRequest, inspection_id: int) -> Inspection:
    return selectors.inspection_for(caller(request), inspection_id)


@router.get("/inspections", response={200: InspectionPage, **errors()})
def list_inspections(
    request: HttpRequest,
    order: str | None = Query(None, max_length=30),
    kind: str | None = Query(None, max_length=12),
    result: str | None = Query(None, max_length=6),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Inspections of the orders you see, newest first."""
    qs = selectors.inspections(caller(request))
    if order:
        qs = qs.filter(order__number=order)
    if kind:
        qs = qs.filter(kind=kind)
    if result in Result.values:
        qs = qs.filter(result=result)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {"items": [inspection_out(i, caller(request)) for i in rows], "next_cursor": cursor}


@router.post("/inspections", response={201: InspectionOut, **errors(403, 404, 409)})
def create_inspection(request: HttpRequest, data: InspectionIn):
    """Record an inspection: the sampling comes from the plan of the goods' family, the result
    from the defectives found (or the checklist)."""
    made = services.record_inspection(actor=caller(request), **data.dict())
    return Status(201, inspection_out(_one(request, made.pk), caller(request)))


@router.get("/inspections/{inspection_id}", response={200: InspectionOut, **errors(404)})
def get_inspection(request: HttpRequest, inspection_id: int):
    return inspection_out(_one(request, inspection_id), caller(request))


@router.post(
    "/inspections/{inspection_id}/concession",
    response={201: InspectionOut, **errors(403, 404, 409)},
)
def concede(request: HttpRequest, inspection_id: int, data: ConcessionIn):
    """The sales manager accepts the goods after the order's last final inspection failed."""
    services.accept_concession(inspection=inspection_id, reason=data.reason, actor=caller(request))
    return Status(201, inspection_out(_one(request, inspection_id), caller(request)))


class InspectionPlanIn(Schema):
    final_required: bool = True
    in_process_required: bool = False
    method: Literal[*Method.values] = "aql"  # type: ignore[valid-type]
    aql: Decimal | None = Field(Decimal("2.5"), description="0.65, 1.0, 1.5, 2.5, 4.0 or 6.5")
    checklist: list[str] = Field(default_factory=list)


class InspectionPlanOut(InspectionPlanIn):
    family: str


def plan_out(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "family": plan.family,
        "final_required": plan.final_required,
        "in_process_required": plan.in_process_required,
        "method": plan.method,
        "aql": plan.aql,
        "checklist": plan.checklist,
    }


class InspectionPlanPage(Schema):
    items: list[InspectionPlanOut]
    next_cursor: str | None


@router.get("/plans", response={200: InspectionPlanPage, **errors()})
def list_plans(
    request: HttpRequest,
    after: str | None = Query(None, max_length=100, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    rows, cursor = page_by_key(InspectionPlan.objects.all(), key="family", after=after, limit=limit)
    return {"items": [plan_out(p) for p in rows], "next_cursor": cursor}


@router.put("/plans/{family}", response={200: InspectionPlanOut, **errors(403)})
def put_plan(request: HttpRequest, family: str, data: InspectionPlanIn):
    """Create or change a family's inspection plan."""
    plan = services.save_plan(
        family=family,
        final_required=data.final_required,
        in_process_required=data.in_process_required,
        method=data.method,
        aql_level=data.aql,
        checklist=data.checklist,
        actor=caller(request),
    )
    return plan_out(plan)
