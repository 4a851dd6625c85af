from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class ShippingStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class ShippingNotice(models.Model):
    """出运通知单, printed in three copies: warehouse, finance, merchandiser."""

    COPIES = ("warehouse", "finance", "merchandiser")

    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="shipping_notices"
    )
    status = models.CharField(
        max_length=10, choices=ShippingStatus.choices, default=ShippingStatus.ISSUED
    )
    ship_date = models.DateField(_("ship date"))
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    shipped_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class ShippingNoticeLine(models.Model):
    notice = models.ForeignKey(ShippingNotice, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="shipping_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipping_line_qty_gte_1")
        ]


class OutboundSlip(models.Model):
    """出库单, issued by finance: the goods may leave."""

    number = models.CharField(max_length=20, unique=True)
    notice = models.OneToOneField(
        ShippingNotice, on_delete=models.CASCADE, related_name="outbound_slip"
    )
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)


class DeliveryNote(models.Model):
    """送货单 for the customer; proof of delivery and any cash the driver collected."""

    number = models.CharField(max_length=20, unique=True)
    notice = models.OneToOneField(
        ShippingNotice, on_delete=models.CASCADE, related_name="delivery_note"
    )
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    cod_amount = models.DecimalField(
        _("cash to collect"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.CharField(_("received by"), max_length=100, blank=True)
    proof_reference = models.CharField(_("proof of delivery"), max_length=200, blank=True)
    cod_collected = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    cod_reconciled_at = models.DateTimeField(null=True, blank=True)
    cod_reconciled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(cod_amount__gte=0), name="delivery_cod_gte_0"),
            models.CheckConstraint(
                condition=Q(cod_collected__gte=0), name="delivery_collected_gte_0"
            ),
        ]
