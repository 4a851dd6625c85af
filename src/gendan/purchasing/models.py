"""Purchasing (采购): materials and their stock, bills of materials, carton specs, plates for
new-print bags, purchase orders with their lines, the supplier's shipments (in transit) and
the receipts. Quantities are decimals in the material's unit; prices are purchase prices."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL
QTY = {"max_digits": 14, "decimal_places": 3}


class MaterialClass(models.TextChoices):
    RAW = "raw", _("Raw material")
    SPECIAL_RAW = "special_raw", _("Special raw material")
    BAG = "bag", _("Bag (包装袋)")
    NEW_PRINT_BAG = "new_print_bag", _("New-print bag (新版包装袋)")
    CARTON = "carton", _("Carton (纸箱)")
    LABEL = "label", _("Label")
    OTHER = "other", _("Other")


#: the classes counted in whole pieces (their need is rounded up)
COUNTED = frozenset(
    {MaterialClass.BAG, MaterialClass.NEW_PRINT_BAG, MaterialClass.CARTON, MaterialClass.LABEL}
)
#: the classes whose purchase is capped by a production notice's need
CAPPED = frozenset({MaterialClass.BAG, MaterialClass.NEW_PRINT_BAG, MaterialClass.CARTON})


class Material(models.Model):
    """物料: a raw material or a packaging item, its unit, its usual supplier and reorder data."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    klass = models.CharField(_("class"), max_length=20, choices=MaterialClass.choices)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    supplier = models.ForeignKey(
        "parties.Supplier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("usual supplier"),
    )
    reorder_level = models.DecimalField(_("reorder level"), default=Decimal(0), **QTY)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=7)
    standard_price = models.DecimalField(
        _("standard price"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MaterialStock(models.Model):
    """The stock of a material in a warehouse (the product warehouses of inventory)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="stocks")
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="material_stocks"
    )
    on_hand = models.DecimalField(_("on hand"), default=Decimal(0), **QTY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["material", "warehouse"], name="material_stock_uniq"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="material_stock_gte_0"),
        ]


class MoveReason(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue to production")
    ADJUST = "adjust", _("Adjustment")


class MaterialMove(models.Model):
    """A change of a material's stock: a receipt, an issue, an adjustment (slow-moving material
    is material with stock and no move for N days)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="moves")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(**QTY)
    reason = models.CharField(max_length=10, choices=MoveReason.choices)
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["material", "at"], name="material_move_at")]


class BomLine(models.Model):
    """One line of a product's bill of materials: the material, how much per unit of product,
    and the scrap allowance (a percentage added to the need)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="bom")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="bom_lines")
    per_unit = models.DecimalField(_("quantity per unit"), max_digits=14, decimal_places=6)
    scrap_percent = models.DecimalField(
        _("scrap allowance (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "material__code"]
        constraints = [
            models.UniqueConstraint(fields=["product", "material"], name="bom_product_material"),
            models.CheckConstraint(condition=Q(per_unit__gt=0), name="bom_per_unit_gt_0"),
            models.CheckConstraint(
                condition=Q(scrap_percent__gte=0) & Q(scrap_percent__lte=100),
                name="bom_scrap_range",
            ),
        ]


class CartonSpec(models.Model):
    """箱规 of a product: inner size, wall, units per carton, and what goes on and in it
    (唛头, 装法, 品质). Cartons are bought only once the salesperson has confirmed it; any change
    asks for a new confirmation."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, related_name="carton_spec"
    )
    inner_length_mm = models.PositiveIntegerField(_("inner length (mm)"))
    inner_width_mm = models.PositiveIntegerField(_("inner width (mm)"))
    inner_height_mm = models.PositiveIntegerField(_("inner height (mm)"))
    wall = models.CharField(_("wall"), max_length=100, blank=True)
    units_per_carton = models.PositiveIntegerField(_("units per carton"))
    shipping_mark = models.CharField(_("shipping mark (唛头)"), max_length=500, blank=True)
    packing_method = models.CharField(_("packing method (装法)"), max_length=500, blank=True)
    carton_quality = models.CharField(_("carton quality (品质)"), max_length=200, blank=True)
    sample_requested = models.BooleanField(_("sample carton requested (样箱)"), default=False)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(units_per_carton__gte=1), name="carton_spec_units_gte_1"
            )
        ]

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class PlateStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    PROOF_SENT = "proof_sent", _("Proof sent")
    APPROVED = "approved", _("Proof approved")
    READY = "ready", _("Plate ready")


class Plate(models.Model):
    """制版 for a new-print bag: a task with its supplier and dates (proof sent, proof approved
    by the salesperson, plate ready). New-print bags are bought only once the proof is approved."""

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="plates")
    supplier = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=PlateStatus.choices, default=PlateStatus.ORDERED
    )
    due_on = models.DateField(_("plate due"))
    proof_sent_on = models.DateField(_("proof sent"), null=True, blank=True)
    approved_on = models.DateField(_("proof approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ready_on = models.DateField(_("plate ready"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    @property
    def number(self) -> str:
        return f"PL-{self.pk}"


class PoStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseOrder(models.Model):
    """采购单: a supplier, its lines, the orders they serve (through the lines' notice lines)."""

    number = models.CharField(max_length=20, unique=True)
    supplier = models.ForeignKey(
        "parties.Supplier", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    status = models.CharField(max_length=10, choices=PoStatus.choices, default=PoStatus.OPEN)
    note = models.CharField(_("note"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class LineStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class PurchaseLine(models.Model):
    """One line of a purchase order: a material, a quantity, a unit price, a promised date, and
    the production-notice line whose need it serves (packaging always serves one). Confirming
    it applies the packaging rules; a manager may override them for this line with a reason."""

    po = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField()
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="po_lines")
    notice_line = models.ForeignKey(
        "production.ProductionNoticeLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_lines",
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    promised_on = models.DateField(_("promised date"))
    status = models.CharField(max_length=10, choices=LineStatus.choices, default=LineStatus.DRAFT)
    shipped_qty = models.DecimalField(_("shipped"), default=Decimal(0), **QTY)
    received_qty = models.DecimalField(_("received"), default=Decimal(0), **QTY)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=500, blank=True)
    override_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    fully_received_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["po", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["po", "line_no"], name="purchase_line_no"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="purchase_line_qty_gt_0"),
            models.CheckConstraint(
                condition=Q(received_qty__lte=F("quantity")), name="purchase_received_lte_qty"
            ),
            models.CheckConstraint(
                condition=Q(shipped_qty__lte=F("quantity")), name="purchase_shipped_lte_qty"
            ),
        ]
        indexes = [
            models.Index(fields=["notice_line", "material"], name="purchase_line_need"),
            models.Index(fields=["status", "promised_on"], name="purchase_line_due"),
        ]

    @property
    def open_qty(self) -> Decimal:
        return self.quantity - self.received_qty

    @property
    def in_transit(self) -> Decimal:
        return max(Decimal(0), self.shipped_qty - self.received_qty)


class Allocation(models.Model):
    """Stock taken for a production notice line's need of a material: it counts against the
    need (and the caps) like what is ordered for it."""

    notice_line = models.ForeignKey(
        "production.ProductionNoticeLine", on_delete=models.CASCADE, related_name="+"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="allocations")
    quantity = models.DecimalField(**QTY)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_qty_gt_0")
        ]


class Shipment(models.Model):
    """The supplier shipped part of a line (发货): in transit until it is received."""

    line = models.ForeignKey(PurchaseLine, on_delete=models.CASCADE, related_name="shipments")
    quantity = models.DecimalField(**QTY)
    shipped_on = models.DateField(_("shipped on"))
    expected_on = models.DateField(_("expected arrival"))
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expected_on", "id"]


class Receipt(models.Model):
    """收货: part or all of a line, on a day, into a warehouse, with its incoming check (a
    failed lot goes back to the supplier and counts neither as received nor as stock)."""

    line = models.ForeignKey(PurchaseLine, on_delete=models.CASCADE, related_name="receipts")
    quantity = models.DecimalField(**QTY)
    received_on = models.DateField(_("received on"))
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("incoming check passed"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_qty_gt_0")]
