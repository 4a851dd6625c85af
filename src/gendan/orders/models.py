from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gendan.orders.workflow import Status
from gendan.parties.models import Channel

ZERO = Decimal("0")
User = settings.AUTH_USER_MODEL


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"
    DAP = "DAP", "DAP"
    DDP = "DDP", "DDP"


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every write (ETag).")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    held_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    # an order kind declared by another app (gendan.extensions.add_order_kind) may waive some
    # conditions of the order's life, e.g. after-sales' replacement-part order asks no deposit
    kind = models.CharField(_("kind"), max_length=30, default="standard")
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    salesperson = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sold_orders")
    merchandiser = models.ForeignKey(User, on_delete=models.PROTECT, related_name="followed_orders")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    currency = models.CharField(_("currency"), max_length=3)
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=Incoterm.choices, blank=True)
    contract_date = models.DateField(_("contract date"))
    delivery_date = models.DateField(_("delivery date"))
    customer_po = models.CharField(_("customer PO"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    total_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    deposit_percent = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    deposit_due = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    paid_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)

    finance_signed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finance_signed_at = models.DateTimeField(null=True, blank=True)
    manager_signed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    manager_signed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    deposit_requested_at = models.DateTimeField(null=True, blank=True)
    deposit_confirmed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    production_done_at = models.DateTimeField(null=True, blank=True)
    balance_requested_at = models.DateTimeField(null=True, blank=True)
    ready_to_ship_at = models.DateTimeField(null=True, blank=True)
    on_credit = models.BooleanField(default=False)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    hold_reason = models.TextField(blank=True)

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["status", "delivery_date", "id"], name="order_status_due"),
            models.Index(
                fields=["merchandiser", "status", "delivery_date"], name="order_merch_status"
            ),
            models.Index(
                fields=["salesperson", "status", "delivery_date"], name="order_sales_status"
            ),
            models.Index(fields=["customer", "status"], name="order_customer_status"),
            models.Index(fields=["delivery_date", "id"], name="order_due_id"),
            models.Index(fields=["contract_date", "id"], name="order_contract_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="order_paid_gte_0"),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=F("total_amount")), name="order_paid_lte_total"
            ),
            models.CheckConstraint(
                condition=Q(delivery_date__gte=F("contract_date")), name="order_due_after_contract"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def related_model(cls, *path: str) -> type[models.Model]:
        """The model of another app reached from the order by relation names
        (``related_model("shipping_notices", "lines")``): orders reads the documents other
        apps keep about it through the schema's relations, without importing those apps."""
        model: Any = cls
        for name in path:
            model = model._meta.get_field(name).related_model
        return model

    @property
    def both_signed(self) -> bool:
        return self.finance_signed_at is not None and self.manager_signed_at is not None

    @property
    def balance_due(self) -> Decimal:
        return self.total_amount - self.paid_amount

    @property
    def deposit_outstanding(self) -> Decimal:
        return max(ZERO, self.deposit_due - self.paid_amount)

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="order_lines"
    )
    colour = models.CharField(_("colour"), max_length=50, blank=True)
    size = models.CharField(_("size"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    packs = models.PositiveIntegerField(_("packs"), default=0)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    special_material = models.TextField(_("special raw-material requirement"), blank=True)
    packing_requirement = models.TextField(_("packing requirement"), blank=True)
    produced_qty = models.PositiveIntegerField(default=0)
    shipped_qty = models.PositiveIntegerField(default=0)
    delivered_qty = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="line_order_line_no"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_quantity_gte_1"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="line_price_gte_0"),
            models.CheckConstraint(
                condition=Q(shipped_qty__lte=F("quantity")), name="line_shipped_lte_ordered"
            ),
            models.CheckConstraint(
                condition=Q(delivered_qty__lte=F("shipped_qty")), name="line_delivered_lte_shipped"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.line_no}"


class OrderRevision(models.Model):
    """A kept revision of an order: the state it had before an amendment (the signed one is kept)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changes = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order_id", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["order", "revision"], name="revision_order_revision"),
        ]


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    CHECKING = "checking", _("Checking")
    READY = "ready", _("Ready to import")
    INVALID = "invalid", _("Has errors")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class OrderImport(models.Model):
    """One Excel workbook on its way in: checked, then imported, by the background worker.

    The upload's bytes wait here (not on disk) between the check and the confirm; ``confirmed``
    says whether the worker imports after the check (an API upload without ``dry_run``, or the
    page's confirm) or only checks. ``errors`` keeps the first errors of the report (the count of
    all of them in ``error_count``), ``preview`` the rows the page shows, ``annotated`` the file
    back with each bad cell marked."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    name = models.CharField(max_length=255)
    data = models.BinaryField()
    confirmed = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)
    order_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    annotated = models.BinaryField(null=True, blank=True)
    imported = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="orderimport_progress_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)
