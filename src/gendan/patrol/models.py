"""The production exceptions register (生产异常): what the workshop patrol saw (on a line, an
order or a work order, with phone photos as attachments), its kind, who must act by when, what
was done and who closed it; and the day's report it explained, when it became a slip reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class ExceptionKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    MATERIAL = "material", _("Material")
    MACHINE = "machine", _("Machine")
    METHOD = "method", _("Method")
    PEOPLE = "people", _("People")
    SAFETY = "safety", _("Safety")


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ProductionException(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN
    )
    description = models.TextField(_("what was seen"))
    line = models.ForeignKey(
        "production.ProductionLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_order = models.ForeignKey(
        "production.WorkOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"), default=timezone.localdate)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("act by"), null=True, blank=True)
    action_taken = models.TextField(_("what was done"), blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    daily_report = models.ForeignKey(
        "production.DailyReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="patrol_status_due"),
            models.Index(fields=["day", "kind"], name="patrol_day_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=False)
                | Q(order__isnull=False)
                | Q(work_order__isnull=False),
                name="patrol_exception_where",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(action_taken="")),
                name="patrol_closed_with_action",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == ExceptionStatus.OPEN
