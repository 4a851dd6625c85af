"""Production over HTTP (/api/v1/production/...): lines and their calendars, routings, work
orders, daily reports (create, correct), closing a notice short, the day's plan, and an
order's plan against actual per step. No price is in any of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.apiconventions import ErrorOut, caller, errors, page_by_key
from gendan.errors import DomainError, Kind, not_found
from gendan.orders.selectors import get_order_for
from gendan.production import selectors
from gendan.production.models import (
    DailyReport,
    DayPlan,
    ProductionLine,
    Routing,
    SlipReason,
    WorkOrder,
)
from gendan.production.services import closing, masterdata, plans, reports

router = Router(tags=["production"])


# ---- lines and calendars -------------------------------------------------------------------


class LineCapacityOut(Schema):
    family: str
    units_per_hour: Decimal


class LineExceptionOut(Schema):
    day: date
    hours: Decimal
    note: str


class ProductionLineBase(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(min_length=1, max_length=40, description="cutting, sewing, packing...")
    shifts_per_day: int = Field(1, ge=0, le=3)
    hours_per_shift: Decimal = Field(Decimal("8"), ge=0, le=12, max_digits=4, decimal_places=2)
    days_off: list[int] = Field(
        default_factory=lambda: [5, 6], description="Weekdays off, 0 = Monday."
    )
    active: bool = True


class ProductionLineIn(ProductionLineBase):
    code: str = Field(min_length=1, max_length=20)


class ProductionLinePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: str | None = Field(None, min_length=1, max_length=40)
    shifts_per_day: int | None = Field(None, ge=0, le=3)
    hours_per_shift: Decimal | None = Field(None, ge=0, le=12, max_digits=4, decimal_places=2)
    days_off: list[int] | None = None
    active: bool | None = None


class ProductionLineOut(ProductionLineBase):
    code: str
    capacities: list[LineCapacityOut]
    exceptions: list[LineExceptionOut]


def line_out(line: ProductionLine) -> dict[str, Any]:
    return {
        "code": line.code,
        "name": line.name,
        "kind": line.kind,
        "shifts_per_day": line.shifts_per_day,
        "hours_per_shift": line.hours_per_shift,
        "days_off": line.days_off,
        "active": line.active,
        "capacities": [
            {"family": c.family, "units_per_hour": c.units_per_hour} for c in line.capacities.all()
        ],
        "exceptions": [
            {"day": e.day, "hours": e.hours, "note": e.note} for e in line.exceptions.all()
        ],
    }


def _line(code: str) -> ProductionLine:
    line = selectors.lines().filter(code=code).first()
    if line is None:
        raise not_found("production_line")
    return line


class ProductionLinePage(Schema):
    items: list[ProductionLineOut]
    next_cursor: str | None


@router.get("/lines", response={200: ProductionLinePage, **errors()})
def list_lines(
    request: HttpRequest,
    after: str | None = Query(None, max_length=20, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """The production lines by code, a page at a time (as every list of the API)."""
    rows, cursor = page_by_key(selectors.lines(), key="code", after=after, limit=limit)
    return {"items": [line_out(line) for line in rows], "next_cursor": cursor}


@router.post("/lines", response={201: ProductionLineOut, **errors(403)})
def create_line(request: HttpRequest, data: ProductionLineIn):
    line = masterdata.create_line(actor=caller(request), **data.dict())
    return Status(201, line_out(_line(line.code)))


@router.patch("/lines/{code}", response={200: ProductionLineOut, **errors(403, 404)})
def update_line(request: HttpRequest, code: str, data: ProductionLinePatch):
    masterdata.update_line(code=code, actor=caller(request), **data.dict(exclude_unset=True))
    return line_out(_line(code))


class LineExceptionIn(Schema):
    hours: Decimal = Field(ge=0, le=24, max_digits=4, decimal_places=2)
    note: str = Field("", max_length=200)


@router.put("/lines/{code}/exceptions/{day}", response={200: ProductionLineOut, **errors(403, 404)})
def set_exception(request: HttpRequest, code: str, day: date, data: LineExceptionIn):
    """The line works `hours` that day whatever its calendar says (0 = closed)."""
    masterdata.set_line_exception(
        line=code, day=day, hours=data.hours, note=data.note, actor=caller(request)
    )
    return line_out(_line(code))


class LineCapacityIn(Schema):
    units_per_hour: Decimal = Field(gt=0, max_digits=10, decimal_places=2)


@router.put(
    "/lines/{code}/capacities/{family}", response={200: ProductionLineOut, **errors(403, 404)}
)
def set_capacity(request: HttpRequest, code: str, family: str, data: LineCapacityIn):
    masterdata.set_capacity(
        line=code, family=family, units_per_hour=data.units_per_hour, actor=caller(request)
    )
    return line_out(_line(code))


class CompanyHolidayIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class CompanyHolidayOut(Schema):
    day: date
    name: str


@router.put("/holidays/{day}", response={200: CompanyHolidayOut, **errors(403)})
def set_holiday(request: HttpRequest, day: date, data: CompanyHolidayIn):
    holiday = masterdata.set_holiday(day=day, name=data.name, actor=caller(request))
    return {"day": holiday.day, "name": holiday.name}


# ---- routings ------------------------------------------------------------------------------


class RoutingStepIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    line_kind: str = Field("", max_length=40)
    rate_per_hour: Decimal | None = Field(None, gt=0, max_digits=10, decimal_places=2)
    outsourced: bool = False
    supplier: str | None = Field(None, max_length=30, description="The supplier's code.")
    lead_time_days: int | None = Field(None, ge=0, le=365)


class RoutingStepOut(RoutingStepIn):
    seq: int


class RoutingIn(Schema):
    name: str = Field("", max_length=100)
    steps: list[RoutingStepIn] = Field(min_length=1, max_length=30)


class RoutingOut(Schema):
    family: str
    name: str
    steps: list[RoutingStepOut]


def routing_out(routing: Routing) -> dict[str, Any]:
    return {
        "family": routing.family,
        "name": routing.name,
        "steps": [
            {
                "seq": s.seq,
                "name": s.name,
                "line_kind": s.line_kind,
                "rate_per_hour": s.rate_per_hour,
                "outsourced": s.outsourced,
                "supplier": s.supplier.code if s.supplier else None,
                "lead_time_days": s.lead_time_days,
            }
            for s in routing.steps.all()
        ],
    }


class RoutingPage(Schema):
    items: list[RoutingOut]
    next_cursor: str | None


@router.get("/routings", response={200: RoutingPage, **errors()})
def list_routings(
    request: HttpRequest,
    after: str | None = Query(None, max_length=100, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """The routings, keyed by product family: the products' series (the catalog's field)."""
    rows, cursor = page_by_key(selectors.routings(), key="family", after=after, limit=limit)
    return {"items": [routing_out(r) for r in rows], "next_cursor": cursor}


@router.put("/routings/{family}", response={200: RoutingOut, **errors(403)})
def save_routing(request: HttpRequest, family: str, data: RoutingIn):
    masterdata.save_routing(
        family=family,
        name=data.name,
        steps=[s.dict() for s in data.steps],
        actor=caller(request),
    )
    return routing_out(selectors.routings().get(family=family))


# ---- work orders and reports ---------------------------------------------------------------


class WorkOrderOut(Schema):
    number: str
    order: str
    line_no: int
    product: str
    seq: int
    step: str
    last: bool
    routed: bool
    outsourced: bool
    line: str | None
    quantity: int
    good_qty: int
    defect_qty: int
    scrap_qty: int
    status: str


def work_order_out(wo: WorkOrder) -> dict[str, Any]:
    return {
        "number": wo.number,
        "order": wo.order.number,
        "line_no": wo.notice_line.line.line_no,
        "product": wo.notice_line.line.product.code,
        "seq": wo.seq,
        "step": wo.step_name,
        "last": wo.last,
        "routed": wo.routed,
        "outsourced": wo.outsourced,
        "line": wo.line.code if wo.line else None,
        "quantity": wo.quantity,
        "good_qty": wo.good_qty,
        "defect_qty": wo.defect_qty,
        "scrap_qty": wo.scrap_qty,
        "status": wo.status,
    }


class WorkOrderPage(Schema):
    items: list[WorkOrderOut]
    next_cursor: str | None


@router.get("/work-orders", response={200: WorkOrderPage, **errors()})
def list_work_orders(
    request: HttpRequest,
    order: str | None = Query(None, max_length=30),
    line: str | None = Query(None, max_length=20),
    status: str | None = Query(None, max_length=12),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Work orders of the orders you see, by order, line or status."""
    qs = selectors.work_orders_for(caller(request))
    if order:
        qs = qs.filter(order__number=order)
    if line:
        qs = qs.filter(line__code=line)
    if status:
        qs = qs.filter(status=status)
    rows, cursor = page_by_key(qs, key="id", after=after, limit=limit)
    return {"items": [work_order_out(w) for w in rows], "next_cursor": cursor}


class DailyReportIn(Schema):
    good_qty: int = Field(ge=0, le=10_000_000)
    defect_qty: int = Field(0, ge=0, le=10_000_000)
    scrap_qty: int = Field(0, ge=0, le=10_000_000)
    hours: Decimal = Field(Decimal("0"), ge=0, le=24, max_digits=5, decimal_places=2)
    slip_reason: Literal["", *SlipReason.values] = Field(  # type: ignore[valid-type]
        "", description="Required, with a note, when the day falls short of its plan."
    )
    note: str = Field("", max_length=500)


class NewDailyReportIn(DailyReportIn):
    work_order: str = Field(min_length=1, max_length=30)
    day: date


class DailyReportOut(Schema):
    work_order: str
    day: date
    good_qty: int
    defect_qty: int
    scrap_qty: int
    hours: Decimal
    planned_qty: int
    slip_reason: str
    note: str
    reported_by: str
    order_status: str


def report_out(report: DailyReport) -> dict[str, Any]:
    report = DailyReport.objects.select_related("work_order__order", "reported_by").get(
        pk=report.pk
    )
    return {
        "work_order": report.work_order.number,
        "day": report.day,
        "good_qty": report.good_qty,
        "defect_qty": report.defect_qty,
        "scrap_qty": report.scrap_qty,
        "hours": report.hours,
        "planned_qty": report.planned_qty,
        "slip_reason": report.slip_reason,
        "note": report.note,
        "reported_by": report.reported_by.username,
        "order_status": report.work_order.order.status,
    }


@router.post("/reports", response={201: DailyReportOut, **errors(403, 404, 409)})
def create_report(request: HttpRequest, data: NewDailyReportIn):
    """A work order's day (生产日报表). The report completing the order's last step moves the
    order to produced; a day short of its plan is refused without a slip reason and a note."""
    values = data.dict()
    report = reports.record_report(actor=caller(request), **values)
    return Status(201, report_out(report))


@router.put("/reports/{work_order}/{day}", response={200: DailyReportOut, **errors(403, 404, 409)})
def correct_report(request: HttpRequest, work_order: str, day: date, data: DailyReportIn):
    """A report set right; its history keeps what it said before."""
    report = reports.correct_report(
        work_order=work_order, day=day, actor=caller(request), **data.dict()
    )
    return report_out(report)


class CloseShortIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class NoticeClosureOut(Schema):
    notice: str
    reason: str
    shortfall: dict[str, int]


@router.post(
    "/notices/{number}/close-short", response={201: NoticeClosureOut, **errors(403, 404, 409)}
)
def close_short(request: HttpRequest, number: str, data: CloseShortIn):
    closure = closing.close_notice_short(notice=number, reason=data.reason, actor=caller(request))
    return Status(201, {"notice": number, "reason": closure.reason, "shortfall": closure.shortfall})


class StepProgressOut(Schema):
    seq: int
    step: str
    quantity: int
    good: int
    planned: int
    behind: int
    defects: int
    scrap: int


class OrderProgressOut(Schema):
    order: str
    closed_short: bool
    steps: list[StepProgressOut]


@router.get("/orders/{number}/progress", response={200: OrderProgressOut, **errors(404)})
def order_progress(request: HttpRequest, number: str):
    """Plan against actual per step of an order (its notice lines added up)."""
    order = get_order_for(caller(request), number)
    progress = selectors.progress_of(order)
    return {
        "order": order.number,
        "closed_short": progress.closed_short,
        "steps": [
            {
                "seq": s.seq,
                "step": s.name,
                "quantity": s.quantity,
                "good": s.good,
                "planned": s.planned,
                "behind": s.behind,
                "defects": s.defects,
                "scrap": s.scrap,
            }
            for s in progress.steps
        ],
    }


# ---- the day's plan ------------------------------------------------------------------------


class DayPlanItemOut(Schema):
    work_order: str
    step: str
    order: str
    planned_qty: int


class DayPlanOut(Schema):
    line: str
    day: date
    confirmed: bool
    merchandiser: str | None
    workshop_supervisor: str | None
    packing_supervisor: str | None
    items: list[DayPlanItemOut]


def plan_out(plan: DayPlan) -> dict[str, Any]:
    plan = (
        DayPlan.objects.select_related(
            "line", "merchandiser", "workshop_supervisor", "packing_supervisor"
        )
        .prefetch_related("items__work_order__order")
        .get(pk=plan.pk)
    )

    def who(user: Any) -> str | None:
        return user.username if user else None

    return {
        "line": plan.line.code,
        "day": plan.day,
        "confirmed": plan.confirmed,
        "merchandiser": who(plan.merchandiser),
        "workshop_supervisor": who(plan.workshop_supervisor),
        "packing_supervisor": who(plan.packing_supervisor),
        "items": [
            {
                "work_order": i.work_order.number,
                "step": i.work_order.step_name,
                "order": i.work_order.order.number,
                "planned_qty": i.planned_qty,
            }
            for i in plan.items.all()
        ],
    }


@router.get("/plans/{line}/{day}", response={200: DayPlanOut, **errors(404)})
def read_plan(request: HttpRequest, line: str, day: date):
    plan = DayPlan.objects.filter(line__code=line, day=day).first()
    if plan is None:
        raise not_found("day_plan")
    return plan_out(plan)


@router.post("/plans/{line}/{day}/propose", response={201: DayPlanOut, **errors(403, 404, 409)})
def propose_plan(request: HttpRequest, line: str, day: date):
    return Status(201, plan_out(plans.propose_plan(line=line, day=day, actor=caller(request))))


class DayPlanItemIn(Schema):
    planned_qty: int = Field(ge=0, le=10_000_000)
    note: str = Field("", max_length=500)


@router.put(
    "/plans/{line}/{day}/items/{work_order}", response={200: DayPlanOut, **errors(403, 404, 409)}
)
def edit_plan_item(
    request: HttpRequest, line: str, day: date, work_order: str, data: DayPlanItemIn
):
    item = plans.edit_plan_item(
        line=line,
        day=day,
        work_order=work_order,
        planned_qty=data.planned_qty,
        note=data.note,
        actor=caller(request),
    )
    return plan_out(item.plan)


class DayPlanConfirmIn(Schema):
    as_: Literal["merchandiser", "workshop_supervisor", "packing_supervisor"] = Field(alias="as")


@router.post("/plans/{line}/{day}/confirm", response={200: DayPlanOut, **errors(403, 404, 409)})
def confirm_plan(request: HttpRequest, line: str, day: date, data: DayPlanConfirmIn):
    plan = plans.confirm_plan(line=line, day=day, as_=data.as_, actor=caller(request))
    return plan_out(plan)


# ---- outsourced processing (外发加工) ----------------------------------------------------------


class OutsourceShipmentOut(Schema):
    quantity: int
    supplier: str
    sent_on: date
    expected_back: date
    note: str


class OutsourceReceiptOut(Schema):
    id: int
    quantity: int
    received_on: date
    status: str
    good_qty: int
    note: str


class OutsourcedOut(Schema):
    work_order: str
    order: str
    step: str
    quantity: int
    good_qty: int
    sent: int
    received: int
    out: int
    expected_back: date | None
    days_late: int
    shipments: list[OutsourceShipmentOut]
    receipts: list[OutsourceReceiptOut]


def outsourced_out(row: selectors.Outsourced, today: date, actor: Any) -> dict[str, Any]:
    from gendan.prices import redact_text

    wo = row.work_order
    return {
        "work_order": wo.number,
        "order": wo.order.number,
        "step": wo.step_name,
        "quantity": wo.quantity,
        "good_qty": wo.good_qty,
        "sent": row.sent,
        "received": row.received,
        "out": row.out,
        "expected_back": row.expected_back,
        "days_late": row.days_late(today),
        "shipments": [
            {
                "quantity": s.quantity,
                "supplier": s.supplier.name,
                "sent_on": s.sent_on,
                "expected_back": s.expected_back,
                "note": redact_text(s.note, actor),
            }
            for s in row.shipments
        ],
        "receipts": [
            {
                "id": r.pk,
                "quantity": r.quantity,
                "received_on": r.received_on,
                "status": r.status,
                "good_qty": r.good_qty,
                "note": redact_text(r.note, actor),
            }
            for r in row.receipts
        ],
    }


class OutsourcedPage(Schema):
    items: list[OutsourcedOut]
    next_cursor: str | None


class OutsourceIn(Schema):
    quantity: int = Field(ge=1, le=10_000_000)
    day: date | None = Field(None, description="Default: today.")
    note: str = Field("", max_length=500)


def _outsourced_one(request: HttpRequest, work_order: str) -> dict[str, Any]:
    from django.utils import timezone

    from gendan.orders.selectors import visible_orders

    mine = visible_orders(caller(request)).values("pk")
    for row in selectors.outsourced(mine):
        if row.work_order.number == work_order:
            return outsourced_out(row, timezone.localdate(), caller(request))
    raise not_found("work_order")


@router.get("/outsourcing", response={200: OutsourcedPage, **errors()})
def list_outsourced(
    request: HttpRequest,
    late_only: bool = Query(False, description="Only the goods expected back before today."),
    after: str | None = Query(None, max_length=30, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Open outsourced work orders of the orders you see: sent, back, still out, expected back."""
    from django.utils import timezone

    from gendan.orders.selectors import visible_orders

    today = timezone.localdate()
    rows = sorted(
        selectors.outsourced(visible_orders(caller(request)).values("pk")),
        key=lambda r: r.work_order.number,
    )
    if late_only:
        rows = [r for r in rows if r.days_late(today) > 0]
    if after:
        rows = [r for r in rows if r.work_order.number > after]
    page = rows[:limit]
    cursor = page[-1].work_order.number if len(rows) > limit else None
    return {
        "items": [outsourced_out(r, today, caller(request)) for r in page],
        "next_cursor": cursor,
    }


@router.post(
    "/work-orders/{work_order}/send", response={201: OutsourcedOut, **errors(403, 404, 409)}
)
def send_outsourced(request: HttpRequest, work_order: str, data: OutsourceIn):
    """Send goods of an outsourced step to its supplier (expected back after the lead time)."""
    from gendan.production.services import outsourcing

    outsourcing.send_out(
        work_order=work_order,
        quantity=data.quantity,
        sent_on=data.day,
        note=data.note,
        actor=caller(request),
    )
    return Status(201, _outsourced_one(request, work_order))


@router.post(
    "/work-orders/{work_order}/receive", response={201: OutsourcedOut, **errors(403, 404, 409)}
)
def receive_outsourced(request: HttpRequest, work_order: str, data: OutsourceIn):
    """Count goods back from the supplier; QC's inspection of the receipt settles the good."""
    from gendan.production.services import outsourcing

    outsourcing.receive_back(
        work_order=work_order,
        quantity=data.quantity,
        received_on=data.day,
        note=data.note,
        actor=caller(request),
    )
    return Status(201, _outsourced_one(request, work_order))


# ---- daily reports from Excel ------------------------------------------------------------------


class ReportImportOut(Schema):
    rows: int
    imported: int
    completed_orders: list[str] = Field(description="Orders the file completed, moved to produced.")
    not_completed: dict[str, str] = Field(
        description="Orders the file completed that could not move to produced, and why."
    )


@router.post(
    "/reports/import",
    response={201: ReportImportOut, **errors(403), 413: ErrorOut},
)
def import_reports(request: HttpRequest, file: File[UploadedFile]):
    """Daily reports from an .xlsx in the template of `/production/reports/import/template.xlsx`
    (at most 2 MB, 1,000 rows, 20 columns; refused with 413 or 422 before a row is read). Every
    row or none: a 422 `production_import_refused` names each bad cell in `details.errors`
    (sheet, row, column, cell, reason)."""
    from gendan.production.services import report_import

    actor = caller(request)
    if file.size is not None and file.size > report_import.MAX_BYTES:
        return Status(413, report_import.too_large(file.size).as_dict())
    result = report_import.import_reports(data=file.read(), actor=actor)
    if result.failed():
        raise DomainError(
            report_import.Code.IMPORT_REFUSED,
            gettext("%(n)s errors: nothing was imported.") % {"n": result.error_count},
            kind=Kind.INVALID,
            details={
                "errors": result.errors,
                "error_count": result.error_count,
                "more_errors": result.more_errors,
            },
        )
    return Status(
        201,
        {
            "rows": result.rows,
            "imported": result.imported,
            "completed_orders": result.completed_orders,
            "not_completed": result.not_completed,
        },
    )


# ---- the weekly schedule ----------------------------------------------------------------------


class ScheduleRunOut(Schema):
    id: int
    week: date
    last_day: date
    status: str
    method: str
    generated_by: str | None
    total_tardiness: int = Field(description="Days late, summed over the notice lines.")
    late_orders: int
    lower_bound: int | None = Field(description="Proven by CP-SAT once it has run.")
    solve_seconds: float | None
    unplanned: int = Field(description="Notice lines that do not fit in the weeks planned.")


def run_out(run: Any) -> dict[str, Any]:
    return {
        "id": run.pk,
        "week": run.week_start,
        "last_day": run.week_end,
        "status": run.status,
        "method": run.method,
        "generated_by": run.generated_by.username if run.generated_by_id else None,
        "total_tardiness": run.total_tardiness,
        "late_orders": run.late_orders,
        "lower_bound": run.lower_bound,
        "solve_seconds": run.solve_seconds,
        "unplanned": len(run.unplanned),
    }


class ScheduleGenerateIn(Schema):
    week: date = Field(description="Any day of the week; the schedule starts on its Monday.")


@router.post("/schedule/generate", response={201: ScheduleRunOut, **errors(403)})
def generate_schedule(request: HttpRequest, data: ScheduleGenerateIn):
    """The week's constructive schedule at once; CP-SAT improves it in the worker (see
    `GET /production/schedule/weeks/{week}/status`)."""
    from gendan.production.services import schedule

    run = schedule.generate_schedule(week=data.week, actor=caller(request))
    return Status(201, run_out(run))


def _covering(request: HttpRequest, week: date) -> Any:
    from gendan.accounts.guards import require
    from gendan.production import permissions
    from gendan.production.services import schedule

    require(caller(request), permissions.PLAN)
    run = schedule.run_covering(schedule.week_of(week))
    if run is None:
        raise not_found("schedule")
    return run


@router.get("/schedule/weeks/{week}/status", response={200: ScheduleRunOut, **errors(403, 404)})
def schedule_status(request: HttpRequest, week: date):
    """The schedule covering the week: the improvement's status and the solver's report."""
    return run_out(_covering(request, week))


class ScheduleBlockOut(Schema):
    id: int
    work_order: str
    order: str
    step: str
    line: str | None = Field(description="None: an outsourced step (at the supplier).")
    day: date
    hours: float
    quantity: int
    step_start: date
    step_end: date


class ScheduleWeekOut(Schema):
    items: list[ScheduleBlockOut]
    next_cursor: str | None


@router.get("/schedule/weeks/{week}", response={200: ScheduleWeekOut, **errors(403, 404)})
def read_schedule(
    request: HttpRequest,
    week: date,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(200, ge=1, le=1000),
):
    """The blocks of the week (Monday to Sunday, `week` any day of it) of the schedule covering
    it, a page at a time; the run itself: `GET /production/schedule/weeks/{week}/status`."""
    from datetime import timedelta

    from gendan.production.models import ScheduleBlock
    from gendan.production.services import schedule

    run = _covering(request, week)
    monday = schedule.week_of(week)
    qs = ScheduleBlock.objects.filter(
        run=run, day__range=(monday, monday + timedelta(days=6))
    ).select_related("work_order__order", "line")
    rows, cursor = page_by_key(qs, key="id", after=after, limit=limit)
    items = [
        {
            "id": b.pk,
            "work_order": b.work_order.number,
            "order": b.work_order.order.number,
            "step": b.work_order.step_name,
            "line": b.line.code if b.line else None,
            "day": b.day,
            "hours": round(b.minutes / 60, 2),
            "quantity": b.quantity,
            "step_start": b.step_start,
            "step_end": b.step_end,
        }
        for b in rows
    ]
    return {"items": items, "next_cursor": cursor}


class ScheduleMoveIn(Schema):
    block: int = Field(ge=1, description="A block of the step to move (the whole step moves).")
    line: str | None = Field(None, max_length=20, description="None for an outsourced step.")
    day: date = Field(description="The step starts on this day.")


class DueDateEffectOut(Schema):
    order: str
    due: date
    finish_before: date | None
    finish_after: date | None
    late_before: int
    late_after: int


@router.post("/schedule/move", response={200: DueDateEffectOut, **errors(403, 404, 409)})
def move_schedule_block(request: HttpRequest, data: ScheduleMoveIn):
    """Move a step by hand: its effect on the order's finish against its delivery date, or
    409 with the reason (precedence, capacity, calendar) when it cannot."""
    from gendan.production.services import schedule

    effect = schedule.move_block(
        block=data.block, line=data.line, day=data.day, actor=caller(request)
    )
    return effect.as_dict()


# the first article's endpoints live in their own module, under the same prefix
from gendan.production.api_first_articles import router as first_articles_router  # noqa: E402

router.add_router("", first_articles_router)
