"""Purchasing's named permissions and event kinds (declared through gendan.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

VIEW = "view_purchasing"
MANAGE_MATERIALS = "manage_materials"
PURCHASE = "purchase_materials"
RECEIVE = "receive_materials"
CONFIRM_PACKING = "confirm_packing"
OVERRIDE = "override_packaging_rule"
VIEW_COSTS = "view_purchase_prices"

#: event kinds
PO_CREATED = "purchasing.po_created"
LINE_CONFIRMED = "purchasing.line_confirmed"
LINE_OVERRIDDEN = "purchasing.line_overridden"
LINE_AMENDED = "purchasing.line_amended"
PO_CANCELLED = "purchasing.po_cancelled"
SHIPPED = "purchasing.shipped"
RECEIVED = "purchasing.received"
SPEC_SAVED = "purchasing.carton_spec_saved"
SPEC_CONFIRMED = "purchasing.carton_spec_confirmed"
PLATE_CHANGED = "purchasing.plate_changed"
MASTER_CHANGED = "purchasing.master_data_changed"
STOCK_TAKEN = "purchasing.stock_taken"

#: the roles that read purchasing's pages
READERS = {
    "purchaser",
    "merchandiser",
    "salesperson",
    "sales_manager",
    "finance",
    "warehouse",
    "production",
    "regional_manager",
}


def register() -> None:
    add = extensions.add_permission
    add(code=VIEW, label=_("See materials and purchasing"), roles=READERS, app="purchasing")
    add(
        code=MANAGE_MATERIALS,
        label=_("Edit materials, bills of materials, suppliers and plates"),
        roles={"purchaser", "merchandiser"},
        app="purchasing",
    )
    add(
        code=PURCHASE,
        label=_("Buy materials (purchase orders)"),
        roles={"purchaser", "merchandiser"},
        app="purchasing",
    )
    add(
        code=RECEIVE,
        label=_("Record material shipments and receipts"),
        roles={"purchaser", "warehouse"},
        app="purchasing",
    )
    add(
        code=CONFIRM_PACKING,
        label=_("Confirm carton specs and approve plate proofs"),
        roles={"salesperson", "sales_manager"},
        app="purchasing",
    )
    add(
        code=OVERRIDE,
        label=_("Override a packaging rule on one purchase line"),
        roles={"sales_manager"},
        app="purchasing",
    )
    add(
        code=VIEW_COSTS,
        label=_("See purchase prices"),
        roles={"purchaser", "finance", "sales_manager", "regional_manager"},
        app="purchasing",
    )
    kind = extensions.add_event_kind
    kind(code=PO_CREATED, label=_("Purchase order created"), app="purchasing")
    kind(code=LINE_CONFIRMED, label=_("Purchase line confirmed"), app="purchasing")
    kind(code=LINE_OVERRIDDEN, label=_("Packaging rule overridden"), app="purchasing")
    kind(code=LINE_AMENDED, label=_("Purchase line amended"), app="purchasing")
    kind(code=PO_CANCELLED, label=_("Purchase order cancelled"), app="purchasing")
    kind(code=SHIPPED, label=_("Material shipped by the supplier"), app="purchasing")
    kind(code=RECEIVED, label=_("Material received"), app="purchasing")
    kind(code=SPEC_SAVED, label=_("Carton spec saved"), app="purchasing")
    kind(code=SPEC_CONFIRMED, label=_("Carton spec confirmed"), app="purchasing")
    kind(code=PLATE_CHANGED, label=_("Plate changed"), app="purchasing")
    kind(code=MASTER_CHANGED, label=_("Purchasing master data changed"), app="purchasing")
    kind(code=STOCK_TAKEN, label=_("Material stock taken for a notice"), app="purchasing")
