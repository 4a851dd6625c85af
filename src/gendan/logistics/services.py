"""Every write of logistics: vehicles and drivers; a shipping notice's delivery request (closed
for tomorrow at the cut-off today, unless the merchandiser accepts it late with a reason); the
day's trips and their stops within the vehicle's volume and weight; the warehouse's "prepared
the day before" and the departure (the notices ship through shipping's own verb); the driver's
proof of delivery with the cash collected, or a problem; the cash handed in to the cashier.

A refusal changes nothing; every write keeps its history and an event on the timeline. The
order's own steps (ship, deliver, reconcile the cash on delivery) are shipping's verbs, each its
own durable transaction: logistics checks first, calls them, then writes its own rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import require, verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.attachments.selectors import files_of
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.loading.models import ContainerType
from gendan.logistics import permissions as p
from gendan.logistics import selectors
from gendan.logistics.errors import Code
from gendan.logistics.models import (
    ZERO,
    CashHandover,
    DeliveryRequest,
    Driver,
    ProblemKind,
    ScoreMark,
    Stop,
    StopStatus,
    Trip,
    TripStatus,
    Vehicle,
)
from gendan.notifications.services import notify
from gendan.numbering.services import next_number
from gendan.orders.selectors import visible_orders
from gendan.shipping import services as shipping
from gendan.shipping.models import ShippingNotice, ShippingStatus
from gendan.timeline.services import record

TEXT = 300
CENT = Decimal("0.01")


def _text(value: str | None, limit: int = TEXT) -> str:
    return (value or "").strip()[:limit]


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


def _refused(code: str, message: str, **details: Any) -> DomainError:
    return DomainError(code, message, kind=Kind.REFUSED, details=details)


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise invalid(Code.BAD_INPUT, gettext("Enter an amount."), field=field) from None
    if amount < 0 or amount > Decimal("99999999.99"):
        raise invalid(Code.BAD_INPUT, gettext("The amount must not be negative."), field=field)
    return amount


# ---- vehicles and drivers ------------------------------------------------------------------------


@verb(p.MANAGE_FLEET)
def save_vehicle(
    *,
    actor: Any,
    plate: str,
    capacity_m3: Decimal | str,
    capacity_kg: Decimal | str,
    body: str = "",
    hired: bool = False,
    available_days: str = "1234567",
    active: bool = True,
) -> Vehicle:
    """A vehicle by its plate (created or changed)."""
    plate = _text(plate, 20).upper()
    if not plate:
        raise invalid(Code.BAD_INPUT, gettext("The plate is required."), field="plate")
    try:
        volume, weight = Decimal(str(capacity_m3)), Decimal(str(capacity_kg))
    except InvalidOperation:
        volume = weight = ZERO
    if volume <= 0 or weight <= 0 or volume > 1000 or weight > 100_000:
        raise invalid(
            Code.BAD_INPUT,
            gettext("The capacity by volume and by weight must be positive."),
            field="capacity_m3",
        )
    days = "".join(sorted({d for d in available_days if d in "1234567"}))
    body_type = None
    if body:
        body_type = ContainerType.objects.filter(code=body).first()
        if body_type is None:
            raise invalid(
                Code.BAD_INPUT,
                gettext("Unknown body type “%(code)s”.") % {"code": body},
                field="body",
            )
    with transaction.atomic(durable=True):
        vehicle = Vehicle.objects.select_for_update().filter(plate=plate).first() or Vehicle(
            plate=plate
        )
        vehicle.capacity_m3, vehicle.capacity_kg = volume, weight
        vehicle.body, vehicle.hired, vehicle.available_days, vehicle.active = (
            body_type,
            hired,
            days,
            active,
        )
        _save(vehicle, actor)
        record(kind=p.FLEET_CHANGED, actor=actor, subject=vehicle, payload={"vehicle": plate})
    return vehicle


@verb(p.MANAGE_FLEET)
def save_driver(
    *, actor: Any, username: str, licence: str, phone: str, active: bool = True
) -> Driver:
    """A user with the driver role becomes (or stays) a driver of the dispatch."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.groups.filter(name="driver").exists():
        raise invalid(
            Code.BAD_INPUT,
            gettext("“%(u)s” is not a user with the driver role.") % {"u": username},
            field="username",
        )
    if not _text(licence, 40) or not _text(phone, 40):
        raise invalid(
            Code.BAD_INPUT, gettext("The licence and the phone are required."), field="licence"
        )
    with transaction.atomic(durable=True):
        driver = Driver.objects.select_for_update().filter(user=user).first() or Driver(user=user)
        driver.licence, driver.phone, driver.active = _text(licence, 40), _text(phone, 40), active
        _save(driver, actor)
        record(kind=p.FLEET_CHANGED, actor=actor, subject=driver, payload={"driver": username})
    return driver


# ---- delivery requests and the day-before rule ----------------------------------------------------


def cutoff() -> time:
    """The configured cut-off (GENDAN_DISPATCH_CUTOFF, "HH:MM", default 17:00)."""
    raw = str(getattr(settings, "GENDAN_DISPATCH_CUTOFF", "17:00") or "17:00")
    try:
        hours, minutes = raw.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return time(17, 0)


def closes_at(day: date) -> datetime:
    """When requests for `day` close: the cut-off of the day before, local time."""
    return timezone.make_aware(datetime.combine(day - timedelta(days=1), cutoff()))


def lateness(day: date, now: datetime | None = None) -> str:
    """Why a request for `day` made `now` is late ("" when it is in time)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if day <= today:
        return gettext(
            "Deliveries for today are not planned on the day: ask for tomorrow or later."
        )
    if now >= closes_at(day):
        return gettext(
            "Requests for %(day)s closed at %(time)s yesterday; the merchandiser may accept it "
            "late with a reason."
        ) % {"day": day.isoformat(), "time": cutoff().strftime("%H:%M")}
    return ""


@dataclass(frozen=True)
class Load:
    cartons: int
    volume_m3: Decimal
    weight_kg: Decimal


def notice_load(notice: ShippingNotice) -> Load:
    """Cartons from each line's product (units per carton), their volume and gross weight."""
    cartons, volume, weight = 0, Decimal("0"), Decimal("0")
    for nl in notice.lines.select_related("line__product"):
        product = nl.line.product
        count = -(-nl.quantity // max(1, product.units_per_carton))
        cartons += count
        volume += (
            count
            * product.carton_length_cm
            * product.carton_width_cm
            * product.carton_height_cm
            / Decimal(1_000_000)
        )
        weight += count * product.carton_gross_weight_kg
    return Load(cartons, volume.quantize(Decimal("0.001")), weight.quantize(Decimal("0.1")))


@verb(p.REQUEST_DELIVERY)
def request_delivery(
    *, actor: Any, notice: str, day: date, late_reason: str = "", now: datetime | None = None
) -> DeliveryRequest:
    """A shipping notice asks for a delivery day. For tomorrow, before the cut-off today; later
    (or for today) only with the merchandiser's reason, recorded on the request."""
    found = (
        ShippingNotice.objects.select_related("order__customer")
        .filter(number=notice, order__in=visible_orders(actor))
        .first()
    )
    if found is None:
        raise not_found("shipping_notice")
    if found.status not in (ShippingStatus.ISSUED, ShippingStatus.SHIPPED):
        raise _refused(Code.WRONG_STEP, gettext("This shipping notice is delivered or cancelled."))
    late = lateness(day, now)
    reason = _text(late_reason)
    if day < timezone.localdate(now or timezone.now()):
        raise invalid(Code.BAD_INPUT, gettext("The delivery day is in the past."), field="day")
    if late and not reason:
        raise _refused(Code.AFTER_CUTOFF, late, cutoff=cutoff().strftime("%H:%M"))
    if late:
        require(actor, p.ACCEPT_LATE_DELIVERY)
    load = notice_load(found)
    with transaction.atomic(durable=True):
        existing = DeliveryRequest.objects.select_for_update().filter(notice=found).first()
        if existing is not None and existing.stop_id is not None:
            raise _refused(
                Code.ALREADY_REQUESTED,
                gettext("This notice is already on a trip; take it off first."),
            )
        req = existing or DeliveryRequest(notice=found)
        req.day, req.requested_by, req.requested_at = day, actor, timezone.now()
        req.late, req.late_reason = bool(late), reason if late else ""
        req.accepted_by = actor if late else None
        req.cartons, req.volume_m3, req.weight_kg = load.cartons, load.volume_m3, load.weight_kg
        _save(req, actor)
        record(
            kind=p.DELIVERY_REQUESTED,
            actor=actor,
            order=found.order,
            subject=req,
            comment=reason if late else "",
            payload={"notice": found.number, "day": day.isoformat(), "late": bool(late)},
        )
    return req


# ---- the dispatch plan ---------------------------------------------------------------------------


def _capacity_check(vehicle: Vehicle, volume: Decimal, weight: Decimal) -> None:
    over = []
    if volume > vehicle.capacity_m3:
        over.append(
            gettext("volume %(load)s m³ over the %(cap)s m³ of %(plate)s")
            % {"load": volume, "cap": vehicle.capacity_m3, "plate": vehicle.plate}
        )
    if weight > vehicle.capacity_kg:
        over.append(
            gettext("weight %(load)s kg over the %(cap)s kg of %(plate)s")
            % {"load": weight, "cap": vehicle.capacity_kg, "plate": vehicle.plate}
        )
    if over:
        raise _refused(
            Code.OVER_CAPACITY,
            gettext("Past the vehicle's capacity: %(what)s.") % {"what": "; ".join(over)},
            volume_m3=str(volume),
            weight_kg=str(weight),
            capacity_m3=str(vehicle.capacity_m3),
            capacity_kg=str(vehicle.capacity_kg),
        )


def _requests_for(day: date, notices: Iterable[str]) -> list[DeliveryRequest]:
    wanted = list(dict.fromkeys(n for n in notices if n))
    if not wanted:
        raise invalid(
            Code.BAD_INPUT, gettext("Choose at least one delivery request."), field="notices"
        )
    found = list(
        DeliveryRequest.objects.select_for_update(of=("self",))
        .select_related("notice__order__customer")
        .filter(day=day, notice__number__in=wanted)
        .order_by("notice__order__customer__code", "id")
    )
    missing = set(wanted) - {r.notice.number for r in found}
    if missing:
        raise invalid(
            Code.BAD_INPUT,
            gettext("No request for %(day)s on %(n)s.")
            % {"day": day, "n": ", ".join(sorted(missing))},
            field="notices",
        )
    taken = [r.notice.number for r in found if r.stop_id is not None]
    if taken:
        raise _refused(
            Code.ALREADY_REQUESTED,
            gettext("Already on a trip: %(n)s.") % {"n": ", ".join(taken)},
        )
    return found


def _stop_for(trip: Trip, req: DeliveryRequest, actor: Any) -> Stop:
    customer = req.notice.order.customer
    stop = next((s for s in trip.stops.all() if s.customer_id == customer.pk), None)
    if stop is None:
        contact = customer.contacts.exclude(phone="").order_by("id").first()
        seq = (trip.stops.aggregate(m=Max("seq"))["m"] or 0) + 1
        stop = Stop(
            trip=trip,
            seq=seq,
            customer=customer,
            address=customer.address,
            contact_phone=contact.phone if contact else "",
        )
        _save(stop, actor)
    return stop


@verb(p.PLAN_DISPATCH)
def plan_trip(
    *,
    actor: Any,
    day: date,
    vehicle: str,
    driver: str,
    departure: time,
    notices: Iterable[str],
) -> Trip:
    """A trip of `day`: the vehicle, the driver, the departure and a stop per customer of the
    chosen requests; refused past the vehicle's volume or weight, with the figures."""
    car = Vehicle.objects.filter(plate=vehicle, active=True).first()
    if car is None:
        raise invalid(Code.BAD_INPUT, gettext("Choose a vehicle."), field="vehicle")
    if not car.available_on(day):
        raise _refused(
            Code.WRONG_STEP, gettext("%(plate)s is not available that day.") % {"plate": car.plate}
        )
    person = (
        Driver.objects.filter(user__username=driver, active=True).select_related("user").first()
    )
    if person is None:
        raise invalid(Code.BAD_INPUT, gettext("Choose a driver."), field="driver")
    with transaction.atomic(durable=True):
        reqs = _requests_for(day, notices)
        _capacity_check(
            car, sum((r.volume_m3 for r in reqs), ZERO), sum((r.weight_kg for r in reqs), ZERO)
        )
        regions = sorted(
            {r.notice.order.customer.region for r in reqs if r.notice.order.customer.region}
        )
        trip = Trip(
            number=next_number("TR"),
            day=day,
            vehicle=car,
            driver=person,
            departure=departure,
            region="、".join(regions)[:100],
            planned_by=actor,
        )
        _save(trip, actor)
        _add(trip, reqs, actor)
        record(
            kind=p.TRIP_PLANNED,
            actor=actor,
            subject=trip,
            payload={
                "trip": trip.number,
                "day": day.isoformat(),
                "notices": [r.notice.number for r in reqs],
            },
        )
    return trip


def _add(trip: Trip, reqs: list[DeliveryRequest], actor: Any) -> None:
    for req in reqs:
        req.stop = _stop_for(trip, req, actor)
        _save(req, actor)


def _trip_for_update(number: str) -> Trip:
    trip = (
        Trip.objects.select_for_update()
        .select_related("vehicle", "driver__user")
        .filter(number=number)
        .first()
    )
    if trip is None:
        raise not_found("trip")
    return trip


@verb(p.PLAN_DISPATCH)
def add_to_trip(*, actor: Any, trip: str, notices: Iterable[str]) -> Trip:
    """More requests on a planned trip (by hand), within its capacity."""
    with transaction.atomic(durable=True):
        found = _trip_for_update(trip)
        if found.status != TripStatus.PLANNED:
            raise _refused(Code.WRONG_STEP, gettext("Only a planned trip takes more goods."))
        reqs = _requests_for(found.day, notices)
        volume, weight = selectors.trip_load(found)
        _capacity_check(
            found.vehicle,
            volume + sum((r.volume_m3 for r in reqs), ZERO),
            weight + sum((r.weight_kg for r in reqs), ZERO),
        )
        _add(found, reqs, actor)
        record(
            kind=p.TRIP_PLANNED,
            actor=actor,
            subject=found,
            payload={"trip": found.number, "added": [r.notice.number for r in reqs]},
        )
    return found


@verb(p.PLAN_DISPATCH)
def take_off_trip(*, actor: Any, notice: str) -> DeliveryRequest:
    """A request back to the day's unplanned ones (a planned trip only); an empty stop goes."""
    with transaction.atomic(durable=True):
        req = (
            DeliveryRequest.objects.select_for_update(of=("self",))
            .select_related("stop__trip")
            .filter(notice__number=notice, stop__isnull=False)
            .first()
        )
        if req is None or req.stop is None:
            raise not_found("delivery_request")
        stop = req.stop
        if stop.trip.status != TripStatus.PLANNED:
            raise _refused(Code.WRONG_STEP, gettext("Only a planned trip gives goods back."))
        req.stop = None
        _save(req, actor)
        if not stop.requests.exists():
            stop.delete()
        record(
            kind=p.TRIP_PLANNED,
            actor=actor,
            subject=stop.trip,
            payload={"trip": stop.trip.number, "removed": notice},
        )
    return req


@verb(p.PREPARE_TRIP)
def prepare_trip(*, actor: Any, trip: str) -> Trip:
    """The warehouse has the trip's goods ready the day before (备货完成)."""
    with transaction.atomic(durable=True):
        found = _trip_for_update(trip)
        if found.status != TripStatus.PLANNED:
            raise _refused(Code.WRONG_STEP, gettext("This trip is not waiting to be prepared."))
        found.status, found.prepared_by, found.prepared_at = (
            TripStatus.PREPARED,
            actor,
            timezone.now(),
        )
        _save(found, actor)
        record(kind=p.TRIP_PREPARED, actor=actor, subject=found, payload={"trip": found.number})
    return found


@verb(p.PREPARE_TRIP)
def depart_trip(*, actor: Any, trip: str) -> Trip:
    """The vehicle leaves: each notice not yet shipped ships through shipping's verb (its outbound
    slip and delivery note must be there), then the trip is on its way."""
    found = Trip.objects.filter(number=trip).first()
    if found is None:
        raise not_found("trip")
    if found.status != TripStatus.PREPARED:
        raise _refused(Code.WRONG_STEP, gettext("Only a prepared trip leaves."))
    notices = list(
        ShippingNotice.objects.filter(delivery_request__stop__trip=found)
        .select_related("order", "outbound_slip", "delivery_note")
        .order_by("id")
    )
    to_ship = [n for n in notices if n.status == ShippingStatus.ISSUED]
    missing = [
        n.number
        for n in to_ship
        if not hasattr(n, "outbound_slip") or not hasattr(n, "delivery_note")
    ]
    if missing:
        raise _refused(
            Code.WRONG_STEP,
            gettext("Outbound slip or delivery note missing on %(n)s.") % {"n": ", ".join(missing)},
        )
    for notice in to_ship:
        shipping.ship_order(order_number=notice.order.number, actor=actor, notice=notice.number)
    with transaction.atomic(durable=True):
        found = _trip_for_update(trip)
        if found.status != TripStatus.PREPARED:
            raise _refused(Code.WRONG_STEP, gettext("Only a prepared trip leaves."))
        found.status, found.departed_at = TripStatus.DEPARTED, timezone.now()
        _save(found, actor)
        record(kind=p.TRIP_DEPARTED, actor=actor, subject=found, payload={"trip": found.number})
    return found


# ---- the driver's stops ---------------------------------------------------------------------------


def _own_stop(actor: Any, stop: int) -> Stop:
    found = selectors.driver_stops(actor).select_for_update(of=("self",)).filter(pk=stop).first()
    if found is None:
        raise not_found("stop")
    return found


@verb(p.DRIVE)
def deliver_stop(
    *,
    actor: Any,
    stop: int,
    received_by: str,
    cash_collected: Decimal | str = ZERO,
    cash_note: str = "",
    unloaded: bool = True,
    installed: bool = False,
) -> Stop:
    """Proof of delivery at a stop of the driver's trip of today: who received, the photo(s)
    of the signed delivery note already attached, unloaded/installed, the cash collected. A stop
    is delivered once; cash other than what is to collect needs the driver's reason."""
    received_by = _text(received_by, 100)
    collected = _money(cash_collected or "0", "cash_collected")
    note = _text(cash_note)
    with transaction.atomic(durable=True):
        found = _own_stop(actor, stop)
        if found.status != StopStatus.OPEN:
            raise _refused(
                Code.ALREADY_DELIVERED, gettext("This stop is already delivered or reported.")
            )
        if found.trip.status != TripStatus.DEPARTED:
            raise _refused(Code.WRONG_STEP, gettext("The trip has not left the warehouse yet."))
        if not received_by:
            raise invalid(
                Code.BAD_INPUT, gettext("Who received the goods is required."), field="received_by"
            )
        if not files_of(found).exists():
            raise invalid(
                Code.BAD_INPUT, gettext("Add a photo of the signed delivery note."), field="photos"
            )
        expected = selectors.cash_to_collect(found)
        if collected != expected and not note:
            raise invalid(
                Code.CASH_DIFFERENCE,
                gettext("Cash to collect here: %(expected)s. %(got)s entered: say why it differs.")
                % {"expected": expected, "got": collected},
                field="cash_collected",
                expected=str(expected),
            )
        notes = list(
            ShippingNotice.objects.filter(delivery_request__stop=found)
            .select_related("order", "delivery_note")
            .order_by("id")
        )
    shares = _shares(
        collected,
        [n.delivery_note.cod_amount if hasattr(n, "delivery_note") else ZERO for n in notes],
    )
    for notice, share in zip(notes, shares, strict=True):
        if notice.status == ShippingStatus.SHIPPED:
            shipping.confirm_delivery(
                order_number=notice.order.number,
                actor=actor,
                notice=notice.number,
                received_by=received_by,
                proof_reference=f"{found.trip.number}#{found.seq}",
                cod_collected=share,
            )
    with transaction.atomic(durable=True):
        done = Stop.objects.select_for_update().get(pk=found.pk)
        if done.status != StopStatus.OPEN:
            raise _refused(
                Code.ALREADY_DELIVERED, gettext("This stop is already delivered or reported.")
            )
        done.status, done.delivered_at, done.received_by = (
            StopStatus.DELIVERED,
            timezone.now(),
            received_by,
        )
        done.unloaded, done.installed, done.cash_collected, done.cash_note = (
            unloaded,
            installed,
            collected,
            note,
        )
        _save(done, actor)
        for notice in notes:
            record(
                kind=p.STOP_DELIVERED,
                actor=actor,
                order=notice.order,
                subject=done,
                payload={"trip": found.trip.number, "stop": found.seq, "notice": notice.number},
            )
        _close_trip_if_done(done.trip_id, actor)
    return done


def _shares(collected: Decimal, owed: list[Decimal]) -> list[Decimal]:
    """The cash collected at a stop split over its notes in order of what each is owed; what is
    left over goes to the last."""
    shares, left = [], collected
    for i, amount in enumerate(owed):
        share = left if i == len(owed) - 1 else min(left, amount)
        shares.append(share)
        left -= share
    return shares


def _close_trip_if_done(trip_id: int, actor: Any) -> None:
    if not Stop.objects.filter(trip_id=trip_id, status=StopStatus.OPEN).exists():
        trip = Trip.objects.get(pk=trip_id)
        trip.status = TripStatus.DONE
        _save(trip, actor)


@verb(p.DRIVE)
def report_problem(*, actor: Any, stop: int, kind: str, reason: str) -> Stop:
    """A stop that could not be delivered (refused, damaged, nobody there), with the reason."""
    if kind not in ProblemKind.values:
        raise invalid(Code.BAD_INPUT, gettext("Choose what went wrong."), field="problem_kind")
    reason = _text(reason)
    if not reason:
        raise invalid(Code.BAD_INPUT, gettext("Say what happened."), field="problem_reason")
    with transaction.atomic(durable=True):
        found = _own_stop(actor, stop)
        if found.status != StopStatus.OPEN:
            raise _refused(
                Code.ALREADY_DELIVERED, gettext("This stop is already delivered or reported.")
            )
        found.status, found.problem_kind, found.problem_reason = StopStatus.PROBLEM, kind, reason
        found.delivered_at = timezone.now()
        _save(found, actor)
        orders = {r.notice.order for r in found.requests.select_related("notice__order")}
        for order in orders:
            record(
                kind=p.STOP_PROBLEM,
                actor=actor,
                order=order,
                subject=found,
                comment=reason,
                payload={"trip": found.trip.number, "stop": found.seq, "problem": kind},
            )
        notify(
            users=[found.trip.planned_by],
            kind=p.STOP_PROBLEM,
            text=gettext("Problem at stop %(seq)s of %(trip)s: %(reason)s")
            % {"seq": found.seq, "trip": found.trip.number, "reason": reason},
            actor=actor,
        )
        _close_trip_if_done(found.trip_id, actor)
    return found


# ---- cash handed in ---------------------------------------------------------------------------------


@verb(p.RECEIVE_CASH)
def record_cash_handover(
    *, actor: Any, driver: str, day: date, received: Decimal | str, reason: str = ""
) -> CashHandover:
    """The cashier counts what a driver hands in for a day against what the stops collected; a
    difference needs its reason and is told to the merchandiser and finance. With no difference,
    each delivery note's cash on delivery is reconciled on its order (shipping's verb)."""
    require(actor, Perm.VIEW_PRICES)
    person = Driver.objects.select_related("user").filter(user__username=driver).first()
    if person is None:
        raise invalid(Code.BAD_INPUT, gettext("Choose a driver."), field="driver")
    counted = _money(received, "received")
    reason = _text(reason)
    with transaction.atomic(durable=True):
        if CashHandover.objects.filter(driver=person, day=day).exists():
            raise _refused(
                Code.CASH_RECORDED, gettext("This driver's cash of that day is already recorded.")
            )
        collected = selectors.collected_by(person, day)
        difference = counted - collected
        if difference and not reason:
            raise invalid(
                Code.CASH_DIFFERENCE,
                gettext("The stops collected %(collected)s; %(counted)s counted: give the reason.")
                % {"collected": collected, "counted": counted},
                field="reason",
                expected=str(collected),
            )
        handover = CashHandover(
            driver=person,
            day=day,
            collected=collected,
            received=counted,
            difference=difference,
            reason=reason,
            recorded_by=actor,
        )
        _save(handover, actor)
        record(
            kind=p.CASH_HANDED_IN,
            actor=actor,
            subject=handover,
            comment=reason,
            payload={
                "driver": driver,
                "day": day.isoformat(),
                "short": difference < 0,
                "over": difference > 0,
            },
        )
        if difference:
            planners = {
                t.planned_by
                for t in Trip.objects.filter(driver=person, day=day).select_related("planned_by")
            }
            finance = User.objects.filter(groups__name="finance", is_active=True)
            notify(
                users=[*planners, *finance],
                kind=p.CASH_HANDED_IN,
                text=gettext(
                    "Cash handed in by %(driver)s for %(day)s differs from what was collected: %(reason)s"
                )
                % {"driver": person, "day": day.isoformat(), "reason": reason},
                actor=actor,
            )
    if not difference:
        for note in selectors.notes_to_reconcile(person, day):
            shipping.reconcile_cod(
                order_number=note.notice.order.number,
                actor=actor,
                amount=note.cod_collected,
                notice=note.notice.number,
            )
    return handover


# ---- the merchandiser's marks -----------------------------------------------------------------------


@verb(p.MARK_DRIVER)
def mark_driver(*, actor: Any, driver: str, month: date, points: int, note: str) -> ScoreMark:
    """Plus or minus points on a driver's month, with the note that says why."""
    person = Driver.objects.filter(user__username=driver).first()
    if person is None:
        raise invalid(Code.BAD_INPUT, gettext("Choose a driver."), field="driver")
    if not isinstance(points, int) or not -20 <= points <= 20 or points == 0:
        raise invalid(Code.BAD_INPUT, gettext("Points from -20 to 20, not 0."), field="points")
    note = _text(note)
    if not note:
        raise invalid(Code.BAD_INPUT, gettext("Say why."), field="note")
    with transaction.atomic(durable=True):
        mark = ScoreMark.objects.create(
            driver=person, month=month.replace(day=1), points=points, note=note, marked_by=actor
        )
        record(
            kind=p.DRIVER_MARKED,
            actor=actor,
            subject=mark,
            comment=note,
            payload={"driver": driver, "month": month.strftime("%Y-%m"), "points": points},
        )
    return mark
