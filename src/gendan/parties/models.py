from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gendan.codes import code_validator


class Channel(models.TextChoices):
    EXPORT = "export", _("Export")
    DOMESTIC = "domestic", _("Domestic")
    STORE = "store", _("Store")
    SCATTERED = "scattered", _("Scattered customer")


class Customer(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    deposit_percent = models.DecimalField(
        _("deposit percentage"), max_digits=5, decimal_places=2, default=Decimal("30")
    )
    credit_days = models.PositiveIntegerField(_("credit terms (days)"), default=0)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("salesperson"),
    )
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_percent__gte=0) & Q(deposit_percent__lte=100),
                name="customer_deposit_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__gte=0), name="customer_credit_limit_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    im = models.CharField(_("chat account"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    supplies = models.CharField(_("what they supply"), max_length=300, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=7)
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CommunicationKind(models.TextChoices):
    CALL = "call", _("Call")
    LETTER = "letter", _("Letter")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    VISIT = "visit", _("Visit")


class Communication(models.Model):
    """A call, letter, fax, e-mail, chat or visit with a customer (客户来电、来函、传真)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="communications")
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communications",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommunicationKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    summary = models.TextField(_("summary"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["follow_up_on", "done"], name="comm_follow_up"),
            models.Index(fields=["customer", "occurred_at"], name="comm_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.customer_id}"
