"""Prospects (寻找客户: companies not yet customers) with their source, contacts, products of
interest, owner and status, and the log of contacts with them (copied to the customer's
communication log when won); and stock offers (零散客户) of finished goods that wait in the
warehouse, to scattered and store customers, with the order that followed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gendan.parties.models import Channel, CommunicationKind

User = settings.AUTH_USER_MODEL


class ProspectSource(models.TextChoices):
    FAIR = "fair", _("Trade fair")
    REFERRAL = "referral", _("Referral")
    WEBSITE = "website", _("Website or platform")
    COLD = "cold", _("Cold call or visit")
    OTHER = "other", pgettext_lazy("source", "Other")


class ProspectStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("prospect", "New")
    CONTACTED = "contacted", _("Contacted")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    QUOTED = "quoted", _("Quoted")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


#: the statuses a prospect may move to from each (won and lost are the ends)
NEXT = {
    ProspectStatus.NEW: {"contacted", "sample_sent", "quoted", "lost"},
    ProspectStatus.CONTACTED: {"sample_sent", "quoted", "lost"},
    ProspectStatus.SAMPLE_SENT: {"contacted", "quoted", "lost"},
    ProspectStatus.QUOTED: {"contacted", "sample_sent", "lost"},
}
#: from which statuses a prospect may be won
WINNABLE = {ProspectStatus.CONTACTED, ProspectStatus.SAMPLE_SENT, ProspectStatus.QUOTED}


class Prospect(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=ProspectSource.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.DOMESTIC
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="prospects")
    status = models.CharField(
        _("status"), max_length=12, choices=ProspectStatus.choices, default=ProspectStatus.NEW
    )
    lost_reason = models.TextField(_("why lost"), blank=True)
    customer = models.OneToOneField(
        "parties.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prospect",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "status"], name="prospect_owner_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="lost") | ~Q(lost_reason=""), name="prospect_lost_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="won") | Q(customer__isnull=False),
                name="prospect_won_has_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ProspectContact(models.Model):
    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProspectNote(models.Model):
    """A call, e-mail, visit... with a prospect: its communication log until it is a customer."""

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(_("kind"), max_length=10, choices=CommunicationKind.choices)
    summary = models.TextField(_("summary"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    communication = models.ForeignKey(
        "parties.Communication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]


class StockOffer(models.Model):
    """Stock that waited, offered to a scattered or store customer who bought the product
    before; logged in the customer's communication log, mailed where there is an address."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="stock_offers"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity offered"))
    stock_age_days = models.PositiveIntegerField(_("days in stock"), default=0)
    note = models.TextField(_("note"), blank=True)
    communication = models.ForeignKey(
        "parties.Communication", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mailed_to = models.CharField(_("mailed to"), max_length=500, blank=True)
    offered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(default=timezone.now)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["product", "offered_at"], name="offer_product_at")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="offer_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return self.number
