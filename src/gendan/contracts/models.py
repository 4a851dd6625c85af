"""The sales contract (销售合同) of a signed order: one version per revision of the order, the
content frozen when issued, and the customer's countersigned copy (an attachment) with its date;
and a customer's contract terms (whether a countersigned contract is needed before release)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class ContractTerms(models.Model):
    """What a customer's contracts say beyond the order, and whether the order waits for the
    countersigned contract before it is released to production."""

    customer = models.OneToOneField(
        "parties.Customer", on_delete=models.CASCADE, related_name="contract_terms"
    )
    needs_countersigned = models.BooleanField(
        _("countersigned contract needed before release"), default=False
    )
    quality_terms = models.TextField(_("quality terms"), blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return str(self.customer_id)


class ContractStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, waiting for the customer")
    COUNTERSIGNED = "countersigned", _("Countersigned by the customer")


class SalesContract(models.Model):
    number = models.CharField(_("number"), max_length=30, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="contracts")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.ISSUED
    )
    #: what the contract says, frozen when issued: a later revision makes a new version
    content = models.JSONField(default=dict)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    countersigned_on = models.DateField(_("countersigned on"), null=True, blank=True)
    countersigned_file = models.ForeignKey(
        "attachments.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "version"], name="contract_order_version"),
            models.CheckConstraint(
                condition=Q(status="issued") | Q(countersigned_on__isnull=False),
                name="contract_countersigned_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def signed(self) -> bool:
        return self.status == ContractStatus.COUNTERSIGNED
