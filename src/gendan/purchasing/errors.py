"""The purchasing app's stable error codes. None carries an amount: the packaging rules'
refusals give quantities and percentages, never a price."""

from __future__ import annotations


class Code:
    BAG_OVER = "purchasing_bag_over_limit"
    NEW_PRINT_OVER = "purchasing_new_print_over_limit"
    PLATE_NOT_APPROVED = "purchasing_plate_not_approved"
    CARTON_OVER = "purchasing_carton_over_need"
    CARTON_SPEC_UNCONFIRMED = "purchasing_carton_spec_unconfirmed"
    NEEDS_NOTICE = "purchasing_packaging_needs_notice"
    NOT_IN_BOM = "purchasing_material_not_in_bom"
    OVER_RECEIPT = "purchasing_over_receipt"
    OVER_SHIPMENT = "purchasing_over_shipment"
    REASON_REQUIRED = "purchasing_reason_required"
    BAD_QUANTITY = "purchasing_bad_quantity"
    BAD_INPUT = "purchasing_bad_input"
    LINE_STATE = "purchasing_line_state"
    PO_CANCELLED = "purchasing_po_cancelled"
    PO_HAS_RECEIPTS = "purchasing_po_has_receipts"
    BELOW_RECEIVED = "purchasing_below_received"
    MIXED_SUPPLIERS = "purchasing_mixed_suppliers"
    PLATE_STATE = "purchasing_plate_state"
    NO_CARTON_SPEC = "purchasing_no_carton_spec"
    NOT_ENOUGH_STOCK = "purchasing_not_enough_stock"
