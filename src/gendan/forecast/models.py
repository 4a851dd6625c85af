"""The stored forecast of an open order: its expected dates, risk, margin and reasons, and what
its people were last told (so that a warning goes out once per change, not every refresh)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Risk(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")


#: the order of the risks, worst first (the list's sort)
RANK = {Risk.LATE: 0, Risk.AT_RISK: 1, Risk.ON_TIME: 2}


class OrderForecast(models.Model):
    """交期预测: one row per order with open work orders, rewritten by each refresh. ``steps``
    holds each work order's expected start and finish ({number: [start, finish]})."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="delivery_forecast"
    )
    delivery_date = models.DateField(_("delivery date"))  # the date it was forecast against
    production_done = models.DateField(_("production done"))
    expected_date = models.DateField(_("expected shipment"))
    margin = models.SmallIntegerField(_("margin (working days)"))
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, db_index=True)
    rank = models.PositiveSmallIntegerField(default=2)  # 0 late, 1 at risk, 2 on time
    reasons = models.JSONField(default=list)  # [{"code", "zh", "en"}], the weightiest first
    steps = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    # what the salesperson and merchandiser were last told: a new warning when the risk worsens
    # or the expected date moves by more than GENDAN_FORECAST_WARN_DAYS from it
    warned_risk = models.CharField(max_length=8, choices=Risk.choices, blank=True)
    warned_expected = models.DateField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["computed_at", "steps"])

    class Meta:
        indexes = [models.Index(fields=["rank", "margin", "id"], name="forecast_rank_margin")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.risk} {self.expected_date}"

    def reason_texts(self, language: str) -> list[str]:
        key = "zh" if language.startswith("zh") else "en"
        return [r[key] for r in self.reasons]
