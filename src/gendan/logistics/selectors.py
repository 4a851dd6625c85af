"""What logistics reads: the day's requests and trips, the driver's own stops of today, the
cash a stop is to collect and what a driver collected in a day, the dispatch suggestion."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gendan.logistics.models import (
    ZERO,
    CashHandover,
    DeliveryRequest,
    Driver,
    Stop,
    StopStatus,
    Trip,
    TripStatus,
)
from gendan.shipping.models import DeliveryNote

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _cents(value: Any) -> Decimal:
    """A sum as money (SQLite adds decimals as floats)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def requests_of(day: date) -> QuerySet[DeliveryRequest]:
    return DeliveryRequest.objects.filter(day=day).select_related(
        "notice__order__customer", "requested_by", "accepted_by", "stop__trip"
    )


def unplanned(day: date) -> QuerySet[DeliveryRequest]:
    return (
        requests_of(day).filter(stop__isnull=True).order_by("notice__order__customer__region", "id")
    )


def trips_of(day: date) -> QuerySet[Trip]:
    return (
        Trip.objects.filter(day=day)
        .select_related("vehicle", "driver__user")
        .prefetch_related(
            Prefetch(
                "stops",
                queryset=Stop.objects.select_related("customer").prefetch_related(
                    Prefetch(
                        "requests",
                        queryset=DeliveryRequest.objects.select_related(
                            "notice__order", "notice__delivery_note"
                        ).prefetch_related("notice__lines__line__product"),
                    )
                ),
            )
        )
        .order_by("departure", "id")
    )


def trip_load(trip: Trip) -> tuple[Decimal, Decimal]:
    sums = DeliveryRequest.objects.filter(stop__trip=trip).aggregate(
        v=Coalesce(Sum("volume_m3"), Value(ZERO), output_field=MONEY),
        w=Coalesce(Sum("weight_kg"), Value(ZERO), output_field=MONEY),
    )
    return sums["v"], sums["w"]


def driver_stops(actor: Any) -> QuerySet[Stop]:
    """The stops of the actor's own trips of today (none for anyone who is not their driver)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Stop.objects.none()
    return Stop.objects.filter(
        trip__driver__user=actor, trip__day=timezone.localdate()
    ).select_related("trip", "customer")


def todays_trips(actor: Any) -> QuerySet[Trip]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Trip.objects.none()
    return trips_of(timezone.localdate()).filter(driver__user=actor)


def cash_to_collect(stop: Stop) -> Decimal:
    """What the stop's delivery notes ask the driver to collect (代收货款)."""
    total = DeliveryNote.objects.filter(notice__delivery_request__stop=stop).aggregate(
        s=Coalesce(Sum("cod_amount"), Value(ZERO), output_field=MONEY)
    )["s"]
    return _cents(total)


def collected_by(driver: Driver, day: date) -> Decimal:
    total = Stop.objects.filter(trip__driver=driver, trip__day=day).aggregate(
        s=Coalesce(Sum("cash_collected"), Value(ZERO), output_field=MONEY)
    )["s"]
    return _cents(total)


def notes_to_reconcile(driver: Driver, day: date) -> list[DeliveryNote]:
    return list(
        DeliveryNote.objects.filter(
            notice__delivery_request__stop__trip__driver=driver,
            notice__delivery_request__stop__trip__day=day,
            notice__delivery_request__stop__status=StopStatus.DELIVERED,
            cod_collected__gt=0,
            cod_reconciled_at__isnull=True,
        )
        .select_related("notice__order")
        .order_by("id")
    )


@dataclass
class CashRow:
    driver: Driver
    day: date
    collected: Decimal
    handover: CashHandover | None = None


def cash_to_receive(limit: int = 50) -> list[CashRow]:
    """Per driver and day: what the stops collected and what the cashier recorded, newest day
    first (two queries)."""
    sums = (
        Stop.objects.filter(status=StopStatus.DELIVERED, cash_collected__gt=0)
        .values("trip__driver", "trip__day")
        .annotate(total=Sum("cash_collected"))
        .order_by("-trip__day", "trip__driver")[:limit]
    )
    rows = list(sums)
    drivers = {
        d.pk: d
        for d in Driver.objects.select_related("user").filter(
            pk__in={r["trip__driver"] for r in rows}
        )
    }
    handovers = {
        (h.driver_id, h.day): h
        for h in CashHandover.objects.filter(driver__in=drivers.keys()).select_related(
            "recorded_by"
        )
    }
    return [
        CashRow(
            drivers[r["trip__driver"]],
            r["trip__day"],
            r["total"],
            handovers.get((r["trip__driver"], r["trip__day"])),
        )
        for r in rows
    ]


def open_cash(limit: int) -> tuple[int, list[CashRow]]:
    rows = [r for r in cash_to_receive(200) if r.handover is None]
    return len(rows), rows[:limit]


def differences(limit: int = 20) -> QuerySet[CashHandover]:
    return (
        CashHandover.objects.exclude(difference=0)
        .select_related("driver__user", "recorded_by")
        .order_by("-day", "-id")[:limit]
    )


@dataclass
class Suggestion:
    region: str
    requests: list[DeliveryRequest] = field(default_factory=list)

    @property
    def volume(self) -> Decimal:
        return sum((r.volume_m3 for r in self.requests), ZERO)

    @property
    def weight(self) -> Decimal:
        return sum((r.weight_kg for r in self.requests), ZERO)


def suggest_trips(day: date) -> list[Suggestion]:
    """The day's unplanned requests grouped by the customer's region: one trip each, to edit."""
    groups: dict[str, Suggestion] = defaultdict(lambda: Suggestion(""))
    for req in unplanned(day):
        region = req.notice.order.customer.region or "—"
        groups[region].region = region
        groups[region].requests.append(req)
    return [groups[k] for k in sorted(groups)]


def trips_to_prepare(day: date) -> QuerySet[Trip]:
    return Trip.objects.filter(day=day, status=TripStatus.PLANNED).select_related(
        "vehicle", "driver__user"
    )


def late_requests(day: date) -> QuerySet[DeliveryRequest]:
    return requests_of(day).filter(late=True)


def stop_for(actor: Any, key: str) -> Stop:
    """A stop for its files: the driver's own of today, or any for whoever plans or sees all."""
    from gendan.errors import not_found

    try:
        pk = int(key)
    except (TypeError, ValueError):
        raise not_found("stop") from None
    if actor is not None and (actor.can("plan_dispatch") or actor.can("receive_driver_cash")):
        qs = Stop.objects.select_related("trip", "customer")
    else:
        qs = driver_stops(actor)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise not_found("stop")
    return found


@dataclass
class TripLoad:
    volume_m3: Decimal
    weight_kg: Decimal
    cartons: int
    cash: Decimal


def trip_loads(trips: list[Trip]) -> dict[int, TripLoad]:
    """Each trip's volume, weight, cartons and cash to collect (two queries)."""
    ids = [t.pk for t in trips]
    out = {
        r["stop__trip"]: TripLoad(
            Decimal(str(r["v"] or 0)).quantize(Decimal("0.001")),
            Decimal(str(r["w"] or 0)).quantize(Decimal("0.1")),
            r["c"] or 0,
            ZERO,
        )
        for r in DeliveryRequest.objects.filter(stop__trip__in=ids)
        .values("stop__trip")
        .annotate(v=Sum("volume_m3"), w=Sum("weight_kg"), c=Sum("cartons"))
        .order_by()
    }
    for r in (
        DeliveryNote.objects.filter(notice__delivery_request__stop__trip__in=ids)
        .values("notice__delivery_request__stop__trip")
        .annotate(s=Sum("cod_amount"))
        .order_by()
    ):
        load = out.get(r["notice__delivery_request__stop__trip"])
        if load is not None:
            load.cash = _cents(r["s"])
    return out


def cash_by_stop(stops: list[Stop]) -> dict[int, Decimal]:
    """What each stop is to collect (one query)."""
    rows = (
        DeliveryNote.objects.filter(notice__delivery_request__stop__in=[s.pk for s in stops])
        .values("notice__delivery_request__stop")
        .annotate(s=Sum("cod_amount"))
        .order_by()
    )
    return {r["notice__delivery_request__stop"]: _cents(r["s"]) for r in rows}


def photo_counts(stops: list[Stop]) -> dict[int, int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from gendan.attachments.models import Attachment

    if not stops:
        return {}
    rows = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Stop),
            object_id__in=[s.pk for s in stops],
            removed_at__isnull=True,
        )
        .values("object_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["object_id"]: r["n"] for r in rows}


def export_shipment_for(actor: Any, key: str) -> Any:
    """An export shipment for its files: for whoever follows export shipments."""
    from gendan.errors import not_found
    from gendan.logistics.models import ExportShipment

    if actor is None or not actor.can("manage_export_shipments"):
        raise not_found("export_shipment")
    found = ExportShipment.objects.select_related("customer").filter(number=key).first()
    if found is None:
        raise not_found("export_shipment")
    return found
