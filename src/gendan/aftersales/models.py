"""Samples (样品) and their steps, new-product campaigns to the stores, complaints (客户投诉) with the
sales manager's decision, and their resolutions (补件单, exchange), with the team assignment
that says which sales manager answers for a salesperson's customers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class TeamAssignment(models.Model):
    """A salesperson's sales manager (业务经理): who confirms their customers' complaints."""

    salesperson = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="team_assignment"
    )
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="team_members")

    def __str__(self) -> str:
        return f"{self.salesperson} -> {self.manager}"


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("sample", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("sample", "Accepted")
    MADE = "made", _("Made")
    REVIEWED = "reviewed", _("Reviewed")
    SENT = "sent", pgettext_lazy("sample", "Sent")
    RECEIVED = "received", _("Received by the customer")
    FEEDBACK = "feedback", _("Feedback given")
    CANCELLED = "cancelled", _("Cancelled")


class SampleSource(models.TextChoices):
    STOCK = "stock", _("From stock")
    MADE = "made", _("Made (打样)")


class Campaign(models.Model):
    """A new product sent as a sample to every store (专卖店) of a region, or of all."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    region = models.CharField(_("region"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity per store"), default=1)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class Sample(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SampleStatus.choices, default=SampleStatus.REQUESTED
    )
    customer = models.ForeignKey(
        "parties.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="samples"
    )
    prospect = models.CharField(_("prospect"), max_length=200, blank=True)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="samples"
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    merchandiser = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=SampleSource.choices, blank=True)
    making_started_on = models.DateField(null=True, blank=True)
    made_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    courier = models.CharField(_("courier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    received_by = models.CharField(_("received by"), max_length=100, blank=True)
    receipt_confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="samples"
    )
    kept = models.BooleanField(_("kept sample (留样)"), default=False)
    kept_where = models.CharField(_("kept where"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "needed_by"], name="sample_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | ~Q(prospect=""),
                name="sample_customer_or_prospect",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="sample_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def to_whom(self) -> str:
        return self.customer.name if self.customer_id else self.prospect


class ComplaintKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    WRONG_GOODS = "wrong_goods", _("Wrong goods")
    COUNT = "count", _("Count short or over")
    TRANSIT_DAMAGE = "transit_damage", _("Damaged in transit")
    LATE = "late", pgettext_lazy("complaint", "Late")
    OTHER = "other", _("Other")


class ComplaintStatus(models.TextChoices):
    LOGGED = "logged", _("Waiting for the sales manager")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", pgettext_lazy("complaint", "Rejected")
    CLOSED = "closed", _("Closed")


class Complaint(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.LOGGED
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="complaints"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    line = models.ForeignKey(
        "orders.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity affected"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ComplaintKind.choices)
    cause_code = models.CharField(_("cause code"), max_length=40, blank=True)
    description = models.TextField(_("description"))
    communication = models.ForeignKey(
        "parties.Communication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who is asked to confirm (the salesperson's sales manager); any may when none
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # a count complaint (数量不符) found by the customer: the error it put in loading's register
    counting_error = models.OneToOneField(
        "loading.CountingError",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "logged_at"], name="complaint_status_at")]

    def __str__(self) -> str:
        return self.number


class ResolutionKind(models.TextChoices):
    REPLACEMENT = "replacement", _("Replacement-part order (补件单)")
    EXCHANGE = "exchange", _("Exchange")
    CREDIT_NOTE = "credit_note", _("Credit note")


class ExchangeStep(models.TextChoices):
    RETURNED = "returned", _("Goods returned by the customer")
    RECEIVED = "received", _("Returned goods received")
    INSPECTED = "inspected", _("Returned goods inspected")
    REPLACED = "replaced", _("Replacement sent")


class Resolution(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="resolutions")
    kind = models.CharField(_("kind"), max_length=20, choices=ResolutionKind.choices)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    note = models.TextField(blank=True)
    order = models.OneToOneField(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacement_for",
    )
    credit_note = models.OneToOneField(
        "finance.CreditNote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_resolution",
    )
    returned_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    inspected_on = models.DateField(null=True, blank=True)
    replaced_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["closed_at", "due_on"], name="resolution_open_due")]

    def __str__(self) -> str:
        return f"{self.complaint.number} {self.kind}"
