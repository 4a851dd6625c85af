from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")
    COD = "cod", _("Cash on delivery")


class Payment(models.Model):
    """Money received against an order, confirmed by finance (or the cashier for COD)."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order_id", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0")
        ]
        indexes = [models.Index(fields=["received_on"], name="payment_received_on")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class CreditNoteStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, waiting for finance")
    CONFIRMED = "confirmed", _("Confirmed by finance")


class CreditNote(models.Model):
    """Money the company owes back to a customer (贷项通知单), e.g. for a complaint: issued by the
    one who decided it, confirmed by finance; only a confirmed note reduces the receivable.

    ``source`` and ``source_ref`` say what asked for it (``aftersales.complaint`` / ``CP-...``):
    issuing again for the same source reference returns the note already issued."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="credit_notes"
    )
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    reason = models.TextField(_("reason"))
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CreditNoteStatus.choices,
        default=CreditNoteStatus.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_amount_gt_0"),
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~Q(source_ref=""),
                name="credit_note_source_ref",
            ),
            models.CheckConstraint(
                condition=Q(status="issued", confirmed_at__isnull=True)
                | Q(status="confirmed", confirmed_at__isnull=False, confirmed_on__isnull=False),
                name="credit_note_confirmed_stamped",
            ),
        ]
        indexes = [models.Index(fields=["customer", "status"], name="credit_note_customer")]

    def __str__(self) -> str:
        return self.number
