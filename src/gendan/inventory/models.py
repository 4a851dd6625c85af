from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    """Finished goods of one product in one warehouse; reserved never exceeds on hand."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="stock_levels"
    )
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)

    class Meta:
        ordering = ["product_id", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="stock_product_warehouse"
            ),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_lte_on_hand"
            ),
        ]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    CONSUMED = "consumed", _("Shipped")


class Reservation(models.Model):
    """Stock set aside for an order line (现货预留)."""

    line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="reservations"
    )
    stock = models.ForeignKey(StockLevel, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    consumed = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consumed__lte=F("quantity")), name="reservation_consumed_lte_qty"
            ),
        ]

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.consumed if self.status == ReservationStatus.ACTIVE else 0


class MoveReason(models.TextChoices):
    ADJUSTMENT = "adjustment", _("Adjustment")
    PRODUCED = "produced", _("Produced")
    SHIPPED = "shipped", _("Shipped")


class StockMove(models.Model):
    stock = models.ForeignKey(StockLevel, on_delete=models.PROTECT, related_name="moves")
    quantity = models.IntegerField()
    reason = models.CharField(max_length=20, choices=MoveReason.choices)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
