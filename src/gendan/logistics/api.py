"""Logistics over HTTP (/api/v1/logistics/...): vehicles, drivers, delivery requests (with the
cut-off), the trips of a day, the driver's own stops (with the cash to collect: the one named
exception to the price rule), proof of delivery and problems, the cash handed in, the driver
scores. Amounts reach only those who see prices, but for the driver's own stop's cash."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.accounts.guards import require
from gendan.accounts.permissions import Perm
from gendan.apiconventions import caller, errors, page_by_key
from gendan.attachments import services as attachments
from gendan.logistics import permissions as p
from gendan.logistics import scores, selectors, services
from gendan.logistics.models import CashHandover, DeliveryRequest, Driver, Stop, Trip, Vehicle

router = Router(tags=["logistics"])
LIMIT = 100


def _need_any(actor: Any, *perms: str) -> None:
    if not any(actor.can(code) for code in perms):
        require(actor, perms[0])


class PageIn(Schema):
    after: int | None = Field(None, ge=0, le=2**31 - 1)
    limit: int = Field(50, ge=1, le=LIMIT)


class PlatePageIn(Schema):
    after: str | None = Field(None, max_length=20)
    limit: int = Field(50, ge=1, le=LIMIT)


class DayPageIn(PageIn):
    day: date | None = None


# ---- vehicles and drivers ------------------------------------------------------------------------


class VehicleOut(Schema):
    plate: str
    hired: bool
    body: str | None
    capacity_m3: Decimal
    capacity_kg: Decimal
    available_days: str
    active: bool


class VehicleIn(Schema):
    capacity_m3: Decimal = Field(..., gt=0, max_digits=8, decimal_places=2)
    capacity_kg: Decimal = Field(..., gt=0, max_digits=9, decimal_places=1)
    body: str = Field("", max_length=20)
    hired: bool = False
    available_days: str = Field("1234567", max_length=7)
    active: bool = True


class VehiclePage(Schema):
    items: list[VehicleOut]
    next_cursor: str | None


def vehicle_out(v: Vehicle) -> dict[str, Any]:
    return {
        "plate": v.plate,
        "hired": v.hired,
        "body": v.body.code if v.body_id else None,
        "capacity_m3": v.capacity_m3,
        "capacity_kg": v.capacity_kg,
        "available_days": v.available_days,
        "active": v.active,
    }


@router.get("/vehicles", response={200: VehiclePage, **errors(403)})
def list_vehicles(request: HttpRequest, q: Query[PlatePageIn]) -> Any:
    _need_any(caller(request), p.PLAN_DISPATCH, p.MANAGE_FLEET, p.PREPARE_TRIP)
    rows, cursor = page_by_key(
        Vehicle.objects.select_related("body"), key="plate", after=q.after, limit=q.limit
    )
    return {"items": [vehicle_out(v) for v in rows], "next_cursor": cursor}


@router.put("/vehicles/{plate}", response={200: VehicleOut, **errors(403)})
def put_vehicle(request: HttpRequest, plate: str, body: VehicleIn) -> Any:
    v = services.save_vehicle(actor=caller(request), plate=plate, **body.dict())
    return vehicle_out(v)


class DriverOut(Schema):
    username: str
    name: str
    licence: str
    phone: str
    active: bool


class DriverIn(Schema):
    licence: str = Field(..., max_length=40)
    phone: str = Field(..., max_length=40)
    active: bool = True


class DriverPage(Schema):
    items: list[DriverOut]
    next_cursor: str | None


def driver_out(d: Driver) -> dict[str, Any]:
    return {
        "username": d.user.get_username(),
        "name": str(d),
        "licence": d.licence,
        "phone": d.phone,
        "active": d.active,
    }


@router.get("/drivers", response={200: DriverPage, **errors(403)})
def list_drivers(request: HttpRequest, q: Query[PageIn]) -> Any:
    _need_any(caller(request), p.PLAN_DISPATCH, p.MANAGE_FLEET, p.RECEIVE_CASH)
    rows, cursor = page_by_key(
        Driver.objects.select_related("user"), key="id", after=q.after, limit=q.limit
    )
    return {"items": [driver_out(d) for d in rows], "next_cursor": cursor}


@router.put("/drivers/{username}", response={200: DriverOut, **errors(403)})
def put_driver(request: HttpRequest, username: str, body: DriverIn) -> Any:
    d = services.save_driver(actor=caller(request), username=username, **body.dict())
    return driver_out(d)


# ---- delivery requests ---------------------------------------------------------------------------


class RequestOut(Schema):
    id: int
    notice: str
    order: str
    customer: str
    region: str
    day: date
    late: bool
    late_reason: str
    accepted_by: str | None
    cartons: int
    volume_m3: Decimal
    weight_kg: Decimal
    trip: str | None


class RequestIn(Schema):
    notice: str = Field(..., max_length=20)
    day: date
    late_reason: str = Field("", max_length=300)


class RequestPage(Schema):
    items: list[RequestOut]
    next_cursor: str | None


def request_out(r: DeliveryRequest) -> dict[str, Any]:
    customer = r.notice.order.customer
    return {
        "id": r.pk,
        "notice": r.notice.number,
        "order": r.notice.order.number,
        "customer": customer.code,
        "region": customer.region,
        "day": r.day,
        "late": r.late,
        "late_reason": r.late_reason,
        "accepted_by": r.accepted_by.get_username() if r.accepted_by_id else None,
        "cartons": r.cartons,
        "volume_m3": r.volume_m3,
        "weight_kg": r.weight_kg,
        "trip": r.stop.trip.number if r.stop_id else None,
    }


@router.get("/requests", response={200: RequestPage, **errors(403)})
def list_requests(request: HttpRequest, q: Query[DayPageIn]) -> Any:
    _need_any(caller(request), p.PLAN_DISPATCH, p.REQUEST_DELIVERY, p.PREPARE_TRIP)
    day = q.day or timezone.localdate() + timedelta(days=1)
    rows, cursor = page_by_key(selectors.requests_of(day), key="id", after=q.after, limit=q.limit)
    return {"items": [request_out(r) for r in rows], "next_cursor": cursor}


@router.post("/requests", response={201: RequestOut, **errors(403, 404, 409)})
def post_request(request: HttpRequest, body: RequestIn) -> Any:
    r = services.request_delivery(actor=caller(request), **body.dict())
    r = selectors.requests_of(r.day).get(pk=r.pk)
    return Status(201, request_out(r))


# ---- trips ---------------------------------------------------------------------------------------


class StopOut(Schema):
    id: int
    seq: int
    customer: str
    address: str
    contact_phone: str
    notices: list[str]
    status: str
    received_by: str
    unloaded: bool
    installed: bool
    problem_kind: str
    problem_reason: str


class TripOut(Schema):
    number: str
    day: date
    vehicle: str
    driver: str
    departure: time
    region: str
    status: str
    volume_m3: Decimal
    weight_kg: Decimal
    cartons: int
    stops: list[StopOut]


class TripPage(Schema):
    items: list[TripOut]
    next_cursor: str | None


class TripIn(Schema):
    day: date
    vehicle: str = Field(..., max_length=20)
    driver: str = Field(..., max_length=150)
    departure: time
    notices: list[str] = Field(..., max_length=200)


class NoticesIn(Schema):
    notices: list[str] = Field(..., max_length=200)


def stop_out(s: Stop) -> dict[str, Any]:
    return {
        "id": s.pk,
        "seq": s.seq,
        "customer": s.customer.code,
        "address": s.address,
        "contact_phone": s.contact_phone,
        "notices": [r.notice.number for r in s.requests.all()],
        "status": s.status,
        "received_by": s.received_by,
        "unloaded": s.unloaded,
        "installed": s.installed,
        "problem_kind": s.problem_kind,
        "problem_reason": s.problem_reason,
    }


def trip_out(t: Trip, load: Any) -> dict[str, Any]:
    return {
        "number": t.number,
        "day": t.day,
        "vehicle": t.vehicle.plate,
        "driver": t.driver.user.get_username(),
        "departure": t.departure,
        "region": t.region,
        "status": t.status,
        "volume_m3": load.volume_m3 if load else Decimal("0"),
        "weight_kg": load.weight_kg if load else Decimal("0"),
        "cartons": load.cartons if load else 0,
        "stops": [stop_out(s) for s in t.stops.all()],
    }


def _trips_answer(trips: list[Trip], cursor: str | None) -> dict[str, Any]:
    loads = selectors.trip_loads(trips)
    return {"items": [trip_out(t, loads.get(t.pk)) for t in trips], "next_cursor": cursor}


@router.get("/trips", response={200: TripPage, **errors(403)})
def list_trips(request: HttpRequest, q: Query[DayPageIn]) -> Any:
    _need_any(caller(request), p.PLAN_DISPATCH, p.PREPARE_TRIP)
    day = q.day or timezone.localdate() + timedelta(days=1)
    rows, cursor = page_by_key(selectors.trips_of(day), key="id", after=q.after, limit=q.limit)
    return _trips_answer(rows, cursor)


def _one_trip(number: str) -> dict[str, Any]:
    trip = Trip.objects.get(number=number)
    return _trips_answer(list(selectors.trips_of(trip.day).filter(pk=trip.pk)), None)["items"][0]


@router.post("/trips", response={201: TripOut, **errors(403, 409)})
def post_trip(request: HttpRequest, body: TripIn) -> Any:
    trip = services.plan_trip(actor=caller(request), **body.dict())
    return Status(201, _one_trip(trip.number))


@router.post("/trips/{number}/add", response={200: TripOut, **errors(403, 404, 409)})
def add_to_trip(request: HttpRequest, number: str, body: NoticesIn) -> Any:
    services.add_to_trip(actor=caller(request), trip=number, notices=body.notices)
    return _one_trip(number)


@router.post("/trips/{number}/prepare", response={200: TripOut, **errors(403, 404, 409)})
def prepare_trip(request: HttpRequest, number: str) -> Any:
    services.prepare_trip(actor=caller(request), trip=number)
    return _one_trip(number)


@router.post("/trips/{number}/depart", response={200: TripOut, **errors(403, 404, 409)})
def depart_trip(request: HttpRequest, number: str) -> Any:
    services.depart_trip(actor=caller(request), trip=number)
    return _one_trip(number)


# ---- the driver's stops --------------------------------------------------------------------------


class DriverStopOut(StopOut):
    trip: str
    departure: time
    #: the single named exception to the price rule (docs/decisions.md): what the driver is to
    #: collect at their own stop
    cash_to_collect: Decimal


class DriverStopPage(Schema):
    items: list[DriverStopOut]
    next_cursor: str | None


class DeliverIn(Schema):
    received_by: str = Field(..., max_length=100)
    cash_collected: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    cash_note: str = Field("", max_length=300)
    unloaded: bool = True
    installed: bool = False


class ProblemIn(Schema):
    kind: str = Field(..., max_length=10)
    reason: str = Field(..., max_length=300)


class StopPhotoOut(Schema):
    id: int
    name: str


@router.get("/driver/stops", response={200: DriverStopPage, **errors(403)})
def my_stops(request: HttpRequest, q: Query[PageIn]) -> Any:
    actor = caller(request)
    require(actor, p.DRIVE)
    qs = selectors.driver_stops(actor).prefetch_related("requests__notice")
    rows, cursor = page_by_key(qs, key="id", after=q.after, limit=q.limit)
    cash = selectors.cash_by_stop(rows)
    items = [
        {
            **stop_out(s),
            "trip": s.trip.number,
            "departure": s.trip.departure,
            "cash_to_collect": cash.get(s.pk, Decimal("0")),
        }
        for s in rows
    ]
    return {"items": items, "next_cursor": cursor}


def _driver_stop(actor: Any, stop_id: int) -> dict[str, Any]:
    s = selectors.driver_stops(actor).prefetch_related("requests__notice").get(pk=stop_id)
    return {
        **stop_out(s),
        "trip": s.trip.number,
        "departure": s.trip.departure,
        "cash_to_collect": selectors.cash_to_collect(s),
    }


@router.post("/stops/{stop_id}/photos", response={201: StopPhotoOut, **errors(403, 404, 413)})
def post_photo(request: HttpRequest, stop_id: int, file: File[UploadedFile]) -> Any:
    a = attachments.attach_file(
        actor=caller(request),
        model="logistics.stop",
        key=str(stop_id),
        file=file,
        name=file.name or "",
    )
    return Status(201, {"id": a.pk, "name": a.name})


@router.post("/stops/{stop_id}/deliver", response={200: DriverStopOut, **errors(403, 404, 409)})
def deliver(request: HttpRequest, stop_id: int, body: DeliverIn) -> Any:
    actor = caller(request)
    services.deliver_stop(actor=actor, stop=stop_id, **body.dict())
    return _driver_stop(actor, stop_id)


@router.post("/stops/{stop_id}/problem", response={200: DriverStopOut, **errors(403, 404, 409)})
def problem(request: HttpRequest, stop_id: int, body: ProblemIn) -> Any:
    actor = caller(request)
    services.report_problem(actor=actor, stop=stop_id, kind=body.kind, reason=body.reason)
    return _driver_stop(actor, stop_id)


# ---- cash handed in ------------------------------------------------------------------------------


class CashOut(Schema):
    driver: str
    day: date
    collected: Decimal
    received: Decimal | None
    difference: Decimal | None
    reason: str


class CashPage(Schema):
    items: list[CashOut]
    next_cursor: str | None


class CashIn(Schema):
    driver: str = Field(..., max_length=150)
    day: date
    received: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    reason: str = Field("", max_length=300)


def _cash_out(
    driver: Driver, day: date, collected: Decimal, h: CashHandover | None
) -> dict[str, Any]:
    return {
        "driver": driver.user.get_username(),
        "day": day,
        "collected": collected,
        "received": h.received if h else None,
        "difference": h.difference if h else None,
        "reason": h.reason if h else "",
    }


@router.get("/cash", response={200: CashPage, **errors(403)})
def list_cash(request: HttpRequest) -> Any:
    actor = caller(request)
    _need_any(actor, p.RECEIVE_CASH, p.PLAN_DISPATCH)
    require(actor, Perm.VIEW_PRICES)
    rows = selectors.cash_to_receive()
    return {
        "items": [_cash_out(r.driver, r.day, r.collected, r.handover) for r in rows],
        "next_cursor": None,
    }


@router.post("/cash", response={201: CashOut, **errors(403, 409)})
def post_cash(request: HttpRequest, body: CashIn) -> Any:
    h = services.record_cash_handover(actor=caller(request), **body.dict())
    return Status(201, _cash_out(h.driver, h.day, h.collected, h))


# ---- driver scores -------------------------------------------------------------------------------


class ScoreOut(Schema):
    driver: str
    stops: int
    on_time: int
    problems: dict[str, int]
    damages: int
    cash_days: int
    complaints: int  # transit-damage complaints on the driver's deliveries
    marks: int
    score: Decimal


class ScoresOut(Schema):
    month: str
    formula: str
    rows: list[ScoreOut]


class MarkIn(Schema):
    driver: str = Field(..., max_length=150)
    month: str = Field(..., pattern=r"^\d{4}-\d{2}$")
    points: int = Field(..., ge=-20, le=20)
    note: str = Field(..., max_length=300)


@router.get("/scores", response={200: ScoresOut, **errors(403)})
def driver_scores(request: HttpRequest, month: str = "") -> Any:
    require(caller(request), p.VIEW_DRIVER_SCORES)
    first = scores.month_of(month)
    rows = scores.monthly(first)
    return {
        "month": first.strftime("%Y-%m"),
        "formula": str(scores.FORMULA),
        "rows": [
            {
                "driver": r.driver.user.get_username(),
                "stops": r.stops,
                "on_time": r.on_time,
                "problems": r.problems,
                "damages": r.damages,
                "cash_days": r.cash_days,
                "complaints": r.complaints,
                "marks": r.marks,
                "score": r.score,
            }
            for r in rows
        ],
    }


@router.post("/scores/marks", response={201: ScoresOut, **errors(403)})
def post_mark(request: HttpRequest, body: MarkIn) -> Any:
    actor = caller(request)
    services.mark_driver(
        actor=actor,
        driver=body.driver,
        month=scores.month_of(body.month),
        points=body.points,
        note=body.note,
    )
    return Status(201, driver_scores(request, body.month))
