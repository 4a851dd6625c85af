from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ProductionNotice(models.Model):
    """生产通知单: what is not in stock, released to production planning."""

    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="production_notices"
    )
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class ProductionNoticeLine(models.Model):
    notice = models.ForeignKey(ProductionNotice, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="notice_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="notice_line_qty_gte_1")
        ]
