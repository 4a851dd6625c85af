"""What the reports app keeps: the regions each regional manager answers for, and the daily
reports (日报表) as they were produced, one per (region, day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: the region of the company-wide daily report (for the sales managers)
ALL_REGIONS = ""


class RegionAssignment(models.Model):
    """A regional manager (省区经理) answers for a region (the customers' ``region``)."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_assignments"
    )
    region = models.CharField(_("region"), max_length=100)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region", "manager_id"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "region"], name="region_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.manager_id}"


class DailyReport(models.Model):
    """The day's report of a region ("" = the whole company) as produced that evening: kept as
    it was, so any past day can be opened again."""

    region = models.CharField(_("region"), max_length=100, blank=True)
    day = models.DateField(_("day"))
    data = models.JSONField(default=dict)
    produced_at = models.DateTimeField(default=timezone.now)
    mailed_to = models.JSONField(default=list, blank=True)  # usernames

    class Meta:
        ordering = ["-day", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], name="daily_report_region_day")
        ]
        indexes = [models.Index(fields=["day", "region"], name="daily_report_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.region or '*'}"
