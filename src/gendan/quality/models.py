"""Quality (品质): inspection plans per product family, inspections with their sampling, defects
and result, and the concessions the sales manager accepts after a failed final inspection."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class InspectionKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming material")
    IN_PROCESS = "in_process", _("In-process")
    FINAL = "final", _("Final")
    OUTSOURCED = "outsourced", _("Outsourced receipt")


class Method(models.TextChoices):
    AQL = "aql", _("AQL sampling")
    CHECKLIST = "checklist", _("Checklist")


class Result(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class DefectKind(models.TextChoices):
    APPEARANCE = "appearance", _("Appearance (外观)")
    DIMENSION = "dimension", _("Dimension (尺寸)")
    FUNCTION = "function", _("Function (功能)")
    MATERIAL = "material", _("Material (材质)")
    PACKING = "packing", _("Packing (包装)")
    LABELLING = "labelling", _("Labelling (标识)")
    SOILING = "soiling", _("Soiling (脏污)")
    OTHER = "other", _("Other (其他)")


class InspectionPlan(models.Model):
    """What a product family (the products' series, as production's routings) must pass: a
    final inspection or not (an order of a family with one gets no shipping notice before it
    passed), an in-process one or not, by AQL sampling or by a checklist."""

    family = models.CharField(_("product family (series)"), max_length=100, unique=True)
    final_required = models.BooleanField(_("final inspection required"), default=True)
    in_process_required = models.BooleanField(_("in-process inspection required"), default=False)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default="aql")
    aql = models.DecimalField(_("AQL"), max_digits=4, decimal_places=2, null=True, blank=True)
    checklist = models.JSONField(_("checklist items"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="aql", aql__isnull=False) | Q(method="checklist"),
                name="inspection_plan_aql_has_level",
            )
        ]

    def __str__(self) -> str:
        return self.family


class Inspection(models.Model):
    """One inspection: of an order (final, in-process), of a receipt from an outsourced step, or
    of any other record (``subject``: the purchasing issue's incoming material). Its sampling
    (lot, sample, Ac) or its checklist, the defects found by kind, the result, who and when;
    photos are attachments of it."""

    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    work_order = models.ForeignKey(
        "production.WorkOrder", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    receipt = models.ForeignKey(
        "production.OutsourceReceipt",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    aql = models.DecimalField(_("AQL"), max_digits=4, decimal_places=2, null=True, blank=True)
    lot_size = models.PositiveIntegerField(_("lot size"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    accept_number = models.PositiveIntegerField(_("acceptance number (Ac)"), default=0)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)  # [{item, ok}]
    defects = models.JSONField(_("defects by kind"), default=dict, blank=True)  # kind -> count
    defective = models.PositiveIntegerField(_("defectives"), default=0)
    result = models.CharField(_("result"), max_length=6, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    inspector = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    inspected_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-inspected_at", "-id"]
        indexes = [models.Index(fields=["order", "kind"], name="inspection_order_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_size__lte=models.F("lot_size")),
                name="inspection_sample_lte_lot",
            )
        ]

    def __str__(self) -> str:
        return f"QC-{self.pk}"

    @property
    def number(self) -> str:
        return f"QC-{self.pk}"


class Concession(models.Model):
    """让步接收: the sales manager accepts an order's goods after a failed final inspection, with
    a reason (who and when kept); it opens the shipping notice's gate."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="concession"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    accepted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
