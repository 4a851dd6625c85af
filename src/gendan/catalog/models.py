from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gendan.codes import code_validator


class Product(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    series = models.CharField(_("series"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    spec = models.CharField(_("spec"), max_length=200, blank=True)
    size = models.CharField(_("size"), max_length=100, blank=True)
    colour = models.CharField(_("colour"), max_length=50, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    units_per_carton = models.PositiveIntegerField(_("units per carton"), default=1)
    carton_length_cm = models.DecimalField(
        _("carton length (cm)"), max_digits=7, decimal_places=1, default=0
    )
    carton_width_cm = models.DecimalField(
        _("carton width (cm)"), max_digits=7, decimal_places=1, default=0
    )
    carton_height_cm = models.DecimalField(
        _("carton height (cm)"), max_digits=7, decimal_places=1, default=0
    )
    carton_gross_weight_kg = models.DecimalField(
        _("carton gross weight (kg)"), max_digits=8, decimal_places=2, default=0
    )
    # How a real carton may be handled when it is loaded (装柜).
    upright_only = models.BooleanField(
        _("this side up"),
        default=False,
        help_text=_("Only turned about the vertical axis, never laid on its side."),
    )
    stack_limit = models.PositiveSmallIntegerField(
        _("stacking limit (cartons)"),
        null=True,
        blank=True,
        help_text=_("The most cartons that may stand on one carton; empty = no limit."),
    )
    max_load_kg = models.DecimalField(
        _("weight it may carry (kg)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fragile = models.BooleanField(_("fragile (nothing on top)"), default=False)
    active = models.BooleanField(_("active"), default=True)
    # 卖点: a short list the order-entry clerk answers the customer with, one point a line
    selling_points_zh = models.TextField(_("selling points (Chinese)"), blank=True)
    selling_points_en = models.TextField(_("selling points (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(units_per_carton__gte=1), name="product_units_per_carton_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def selling_points(self, language: str = "") -> list[str]:
        """The selling points in the language (Chinese for zh*, else English; the other when
        one is empty), one a line."""
        from django.utils.translation import get_language

        chinese = (language or get_language() or "").lower().startswith("zh")
        first, second = (
            (self.selling_points_zh, self.selling_points_en)
            if chinese
            else (self.selling_points_en, self.selling_points_zh)
        )
        return [x.strip() for x in (first or second).splitlines() if x.strip()]
