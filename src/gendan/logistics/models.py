"""Shipping logistics (出货、车辆调度): the company's vehicles and drivers, the delivery requests of
shipping notices (confirmed the day before), the dispatch of a day in trips and stops, the
driver's proof of delivery and cash collected, the cash handed in to the cashier, and the
merchandiser's marks on a driver's month."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL
ZERO = Decimal("0")


class Vehicle(models.Model):
    """A vehicle of the company or a hired one; its body type from the loading app's truck types,
    its capacity by volume and by weight, the weekdays it is available (1 = Monday)."""

    plate = models.CharField(_("plate"), max_length=20, unique=True)
    hired = models.BooleanField(_("hired"), default=False)
    body = models.ForeignKey(
        "loading.ContainerType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("body type"),
    )
    capacity_m3 = models.DecimalField(_("capacity (m³)"), max_digits=8, decimal_places=2)
    capacity_kg = models.DecimalField(_("capacity (kg)"), max_digits=9, decimal_places=1)
    available_days = models.CharField(_("available weekdays"), max_length=7, default="1234567")
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plate"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_m3__gt=0) & Q(capacity_kg__gt=0), name="vehicle_capacity_gt_0"
            )
        ]

    def __str__(self) -> str:
        return self.plate

    def available_on(self, day: object) -> bool:
        return str(day.isoweekday()) in self.available_days  # type: ignore[attr-defined]


class Driver(models.Model):
    """A user with the driver role, their licence and the phone the stops call."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="driver_profile")
    licence = models.CharField(_("licence"), max_length=40)
    phone = models.CharField(_("phone"), max_length=40)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return getattr(self.user, "display_name", "") or self.user.get_username()


class DeliveryRequest(models.Model):
    """A shipping notice asks for a delivery day. Requests for tomorrow close at the cut-off of
    today; a late one exists only when the merchandiser accepted it with a reason."""

    notice = models.OneToOneField(
        "shipping.ShippingNotice", on_delete=models.CASCADE, related_name="delivery_request"
    )
    day = models.DateField(_("delivery day"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(_("after the cut-off"), default=False)
    late_reason = models.CharField(_("reason accepted late"), max_length=300, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    volume_m3 = models.DecimalField(max_digits=10, decimal_places=3, default=ZERO)
    weight_kg = models.DecimalField(max_digits=10, decimal_places=1, default=ZERO)
    cartons = models.PositiveIntegerField(default=0)
    stop = models.ForeignKey(
        "Stop", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["day", "stop"], name="delivery_request_day")]

    def __str__(self) -> str:
        return f"{self.notice} {self.day}"


class TripStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("trip", "Planned")
    PREPARED = "prepared", _("Prepared the day before")
    DEPARTED = "departed", _("Left")
    DONE = "done", pgettext_lazy("trip", "Done")


class Trip(models.Model):
    """One vehicle, one driver, one departure time, ordered stops."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    day = models.DateField(_("day"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="trips")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="trips")
    departure = models.TimeField(_("departure"))
    region = models.CharField(_("region"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TripStatus.choices, default=TripStatus.PLANNED
    )
    planned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    prepared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    departed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "departure", "id"]
        indexes = [models.Index(fields=["day", "status"], name="trip_day_status")]

    def __str__(self) -> str:
        return self.number


class StopStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("stop", "Open")
    DELIVERED = "delivered", pgettext_lazy("stop", "Delivered")
    PROBLEM = "problem", _("Problem")


class ProblemKind(models.TextChoices):
    REFUSED = "refused", _("Refused by the customer")
    DAMAGED = "damaged", _("Goods damaged")
    NOBODY = "nobody", _("Nobody there")
    OTHER = "other", _("Other")


class Stop(models.Model):
    """The delivery notes for one address on a trip, and what happened there."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stops")
    seq = models.PositiveIntegerField(_("order"))
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="+")
    address = models.TextField(_("address"), blank=True)
    contact_phone = models.CharField(_("contact's phone"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StopStatus.choices, default=StopStatus.OPEN
    )
    received_by = models.CharField(_("received by"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    unloaded = models.BooleanField(_("unloaded"), default=False)
    installed = models.BooleanField(_("installed"), default=False)
    cash_collected = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    cash_note = models.CharField(_("why the cash differs"), max_length=300, blank=True)
    problem_kind = models.CharField(
        _("problem"), max_length=10, choices=ProblemKind.choices, blank=True
    )
    problem_reason = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["trip", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "seq"], name="stop_trip_seq"),
            models.CheckConstraint(condition=Q(cash_collected__gte=0), name="stop_cash_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.trip}#{self.seq}"


class CashHandover(models.Model):
    """What the cashier received from a driver for a day, against what the stops collected."""

    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="handovers")
    day = models.DateField(_("day"))
    collected = models.DecimalField(max_digits=14, decimal_places=2)
    received = models.DecimalField(max_digits=14, decimal_places=2)
    difference = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["driver", "day"], name="handover_driver_day"),
            models.CheckConstraint(condition=Q(received__gte=0), name="handover_received_gte_0"),
        ]


class ScoreMark(models.Model):
    """The merchandiser's manual mark on a driver's month (plus or minus points), with a note."""

    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="marks")
    month = models.DateField(_("month"))  # the first day of the month
    points = models.IntegerField(_("points"))
    note = models.CharField(_("note"), max_length=300)
    marked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "id"]


class Forwarder(models.Model):
    """A freight forwarder (货代) the export shipments are booked with, and its contact."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ExportStepKind(models.TextChoices):
    BOOKING = "booking", _("Booking (订舱)")
    INSPECTION = "inspection", _("Inspection (报检)")
    CUSTOMS = "customs", _("Customs declaration (报关)")
    DOCUMENTS = "documents", _("Documents (制单)")
    FX_SETTLEMENT = "fx_settlement", _("FX settlement (结汇)")
    FX_VERIFICATION = "fx_verification", _("FX verification (收汇核销)")
    TAX_REFUND = "tax_refund", _("Tax refund (退税)")


class ExportShipment(models.Model):
    """One booking: the shipping notices of one or more export orders going together."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="+")
    forwarder = models.ForeignKey(
        Forwarder, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    vessel_voyage = models.CharField(_("vessel / voyage"), max_length=100, blank=True)
    etd = models.DateField(_("ETD"))
    containers = models.CharField(_("container numbers"), max_length=300, blank=True)
    notices = models.ManyToManyField("shipping.ShippingNotice", related_name="export_shipments")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class ExportStep(models.Model):
    """A step of the export checklist: its owner, its due date (from the ETD), done by whom."""

    shipment = models.ForeignKey(ExportShipment, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=ExportStepKind.choices)
    seq = models.PositiveSmallIntegerField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["shipment", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "kind"], name="export_step_once")
        ]
        indexes = [models.Index(fields=["done_at", "due_on"], name="export_step_due")]
