"""The export log (导出记录): every file of data that left the system, who took it and what."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    ORDERS = "orders", _("Order list")
    COUNTING_ERRORS = "counting_errors", _("Counting-error register")
    DOCUMENT = "document", _("Order document")
    LOADING_SHEET = "loading_sheet", _("Loading sheet")
    EXPORT_LOG = "export_log", _("Export log")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    PDF = "pdf", "PDF"


class AppendOnlyError(Exception):
    pass


class ExportRecord(models.Model):
    at = models.DateTimeField(_("exported at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exported by"),
    )
    what = models.CharField(_("what"), max_length=40, choices=ExportKind.choices)
    fmt = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="export_at"),
            models.Index(fields=["actor", "at"], name="export_actor_at"),
            models.Index(fields=["what", "at"], name="export_what_at"),
        ]

    def __str__(self) -> str:
        return f"{self.what}.{self.fmt} by {self.actor_id} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The export log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("The export log is append-only.")
