"""The domain event log: every business fact, append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    ORDER_CREATED = "order.created", _("Order created")
    ORDER_AMENDED = "order.amended", _("Order amended")
    ORDER_TRANSITION = "order.transition", _("Order status changed")
    ORDER_SIGNED = "order.signed", _("Order signed")
    PAYMENT_RECORDED = "payment.recorded", _("Payment recorded")
    STOCK_RESERVED = "stock.reserved", _("Stock reserved")
    STOCK_RELEASED = "stock.released", _("Reservation released")
    STOCK_ADJUSTED = "stock.adjusted", _("Stock adjusted")
    NOTICE_ISSUED = "production.notice_issued", _("Production notice issued")
    PRODUCTION_DONE = "production.done", _("Production done")
    SHIPPING_NOTICE_ISSUED = "shipping.notice_issued", _("Shipping notice issued")
    OUTBOUND_SLIP_ISSUED = "shipping.slip_issued", _("Outbound slip issued")
    DELIVERY_NOTE_ISSUED = "shipping.delivery_note_issued", _("Delivery note issued")
    GOODS_SHIPPED = "shipping.shipped", _("Goods shipped")
    GOODS_DELIVERED = "shipping.delivered", _("Goods delivered")
    COD_RECONCILED = "shipping.cod_reconciled", _("Cash on delivery reconciled")
    COMMUNICATION_LOGGED = "communication.logged", _("Communication logged")
    COMMUNICATION_DONE = "communication.done", _("Follow-up done")
    CUSTOMER_CHANGED = "customer.changed", _("Customer changed")
    PRODUCT_CHANGED = "product.changed", _("Product changed")
    TOKEN_ISSUED = "token.issued", _("API token issued")
    ORDERS_IMPORTED = "orders.imported", _("Orders imported")
    DATA_EXPORTED = "data.exported", _("Data exported")


def kind_label(code: str) -> Any:
    """The words of an event kind: the kernel's own, or those the owning app declared."""
    if code in EventKind.values:
        return EventKind(code).label
    from gendan import extensions

    return extensions.event_kind_label(code)


class AppendOnlyError(Exception):
    pass


class Event(models.Model):
    # the kernel's kinds (EventKind) and those other apps declare (gendan.extensions)
    kind = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    customer = models.ForeignKey(
        "parties.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    # the record the fact is about, whatever its app (a purchase order, a sample, a trip...);
    # order and customer stay as their own indexed columns for the cockpit and the reviews
    subject_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.CharField(max_length=40, blank=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    comment = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["order", "at"], name="event_order_at"),
            models.Index(fields=["customer", "at"], name="event_customer_at"),
            models.Index(fields=["kind", "at"], name="event_kind_at"),
            models.Index(fields=["subject_type", "subject_id", "at"], name="event_subject_at"),
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Events are append-only.")

    def get_kind_display(self) -> Any:
        return kind_label(self.kind)
