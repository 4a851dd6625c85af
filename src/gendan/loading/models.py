"""Loading (装柜/配载): container and vehicle types, loading plans, the count check (点数) and
the register of counting errors."""

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


class VehicleKind(models.TextChoices):
    CONTAINER = "container", _("Container")
    TRUCK = "truck", _("Truck")


class ContainerType(models.Model):
    """A container or truck body, inside sizes in millimetres, payload in kilograms. ``cost``
    is what one of them costs to ship (any currency, the same for every type): the planner
    compares it when asked for the cheapest set."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=VehicleKind.choices)
    inside_length_mm = models.PositiveIntegerField(_("inside length (mm)"))
    inside_width_mm = models.PositiveIntegerField(_("inside width (mm)"))
    inside_height_mm = models.PositiveIntegerField(_("inside height (mm)"))
    door_width_mm = models.PositiveIntegerField(_("door width (mm)"))
    door_height_mm = models.PositiveIntegerField(_("door height (mm)"))
    max_payload_kg = models.PositiveIntegerField(_("maximum payload (kg)"))
    # How far the load's centre of gravity may lie from the middle of the length.
    balance_tolerance_mm = models.PositiveIntegerField(
        _("balance tolerance (mm)"), null=True, blank=True
    )
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=Decimal("1"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "inside_length_mm", "inside_height_mm", "code"]
        verbose_name = _("container type")
        verbose_name_plural = _("container types")
        constraints = [
            models.CheckConstraint(
                condition=Q(inside_length_mm__gt=0)
                & Q(inside_width_mm__gt=0)
                & Q(inside_height_mm__gt=0)
                & Q(door_width_mm__gt=0)
                & Q(door_height_mm__gt=0)
                & Q(max_payload_kg__gt=0),
                name="container_type_positive_sizes",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def volume_m3(self) -> Decimal:
        mm3 = self.inside_length_mm * self.inside_width_mm * self.inside_height_mm
        return (Decimal(mm3) / Decimal(10**9)).quantize(Decimal("0.01"))


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Planning")
    DONE = "done", pgettext_lazy("loading plan status", "Planned")
    FAILED = "failed", _("Failed")


class LoadingStatus(models.TextChoices):
    OPEN = "open", _("Loading open")
    CLOSED = "closed", _("Loading closed")


class LoadingPlan(models.Model):
    """A loading plan for the goods of one or more shipping notices, and the loading it guides.

    ``containers`` holds the engine's result, one entry per container (see
    ``loading.planning.container_result``); ``left_behind`` what does not fit. The plan itself
    is computed by a background task; ``progress`` (0..1) tells how far it is."""

    number = models.CharField(max_length=20, unique=True)
    notices = models.ManyToManyField("shipping.ShippingNotice", related_name="loading_plans")
    container_type = models.ForeignKey(
        ContainerType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the cheapest set of containers of the kind."),
    )
    kind = models.CharField(max_length=20, choices=VehicleKind.choices)
    keep_orders_together = models.BooleanField(default=False)
    time_limit_s = models.PositiveSmallIntegerField(default=5)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    progress = models.FloatField(default=0)
    error = models.TextField(blank=True)
    containers = models.JSONField(default=list, blank=True)
    left_behind = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    loading_status = models.CharField(
        max_length=20, choices=LoadingStatus.choices, default=LoadingStatus.OPEN
    )
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the merchandiser closed the loading although the counts differ.
    accepted_difference = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="loadingplan_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="loadingplan_progress_0_1"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_planned(self) -> bool:
        return self.status == PlanStatus.DONE

    @property
    def is_closed(self) -> bool:
        return self.loading_status == LoadingStatus.CLOSED


class LoadingItem(models.Model):
    """Cartons of one order line to load (from a shipping notice, or picked before any notice
    to see what a booking needs): the engine's carton type ``index``."""

    plan = models.ForeignKey(LoadingPlan, on_delete=models.CASCADE, related_name="items")
    index = models.PositiveSmallIntegerField()
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    notice_line = models.ForeignKey(
        "shipping.ShippingNoticeLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    cartons = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan", "index"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "index"], name="loadingitem_plan_index"),
        ]


class LoadingCount(models.Model):
    """What the warehouse counted going in: one wall of one container (``wall`` set), or one
    product in one container (``product`` set). A recount replaces the figure; the history
    keeps every earlier one with who and when."""

    plan = models.ForeignKey(LoadingPlan, on_delete=models.CASCADE, related_name="counts")
    container = models.PositiveSmallIntegerField()
    wall = models.PositiveSmallIntegerField(null=True, blank=True)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counted = models.PositiveIntegerField()
    counted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "container", "wall", "product"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wall__isnull=True, product__isnull=False)
                | Q(wall__isnull=False, product__isnull=True),
                name="loadingcount_wall_or_product",
            ),
            models.UniqueConstraint(
                fields=["plan", "container", "wall"],
                condition=Q(wall__isnull=False),
                name="loadingcount_one_per_wall",
            ),
            models.UniqueConstraint(
                fields=["plan", "container", "product"],
                condition=Q(product__isnull=False),
                name="loadingcount_one_per_product",
            ),
        ]


class ErrorSource(models.TextChoices):
    CUSTOMER_RECEIPT = "customer_receipt", _("Customer's receipt")
    RECOUNT = "recount", _("Recount")
    OTHER = "other", _("Other")


class CountingError(models.Model):
    """A counting error found after loading, recorded against the person who counted, with
    the penalty the company configured (GENDAN_COUNTING_ERROR_PENALTY)."""

    plan = models.ForeignKey(LoadingPlan, on_delete=models.PROTECT, related_name="counting_errors")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="counting_errors")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=30, choices=ErrorSource.choices)
    expected = models.PositiveIntegerField()
    actual = models.PositiveIntegerField()
    penalty = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "recorded_at"], name="countingerror_person")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(expected=models.F("actual")), name="counting_error_differs"
            ),
            models.CheckConstraint(
                condition=Q(penalty__gte=0), name="counting_error_penalty_gte_0"
            ),
        ]

    @property
    def difference(self) -> int:
        return self.actual - self.expected
