"""Stable error and reason codes of the order spine (the API's `code`)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gendan import prices


class Code(StrEnum):
    WRONG_STATUS = "wrong_status"
    PERMISSION_DENIED = "permission_denied"
    NO_LINES = "no_lines"
    ZERO_TOTAL = "zero_total"
    ALREADY_SIGNED = "already_signed"
    NOT_SIGNED = "not_signed"
    NO_DEPOSIT_DUE = "no_deposit_due"
    DEPOSIT_NOT_RECEIVED = "deposit_not_received"
    NO_BALANCE_DUE = "no_balance_due"
    OVERPAYMENT = "overpayment"
    AMOUNT_REQUIRED = "amount_required"
    NO_CREDIT_TERMS = "no_credit_terms"
    CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"
    NOTHING_TO_SHIP = "nothing_to_ship"
    NO_OPEN_NOTICE = "no_open_notice"
    SLIP_MISSING = "outbound_slip_missing"
    DELIVERY_NOTE_MISSING = "delivery_note_missing"
    SLIP_EXISTS = "outbound_slip_exists"
    DELIVERY_NOTE_EXISTS = "delivery_note_exists"
    NOTHING_TO_DELIVER = "nothing_to_deliver"
    NO_COD_TO_RECONCILE = "no_cod_to_reconcile"
    COD_MISMATCH = "cod_mismatch"
    NOT_DELIVERED = "not_delivered"
    NOT_PAID = "not_paid"
    COD_UNRECONCILED = "cod_unreconciled"
    REASON_REQUIRED = "reason_required"
    GOODS_SHIPPED = "goods_shipped"
    STALE = "stale_version"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_LINE = "invalid_line"
    INVALID_DATES = "invalid_dates"
    UNKNOWN_ACTION = "unknown_action"
    UNKNOWN_REFERENCE = "unknown_reference"
    ASSIGN_NOT_ALLOWED = "assign_not_allowed"
    NEW_DATE_INVALID = "new_date_invalid"
    CONFIRMATION_MISSING = "confirmation_missing"


# the codes whose message carries an amount, and what those who may not see prices read instead
prices.declare(
    {
        Code.DEPOSIT_NOT_RECEIVED: _("Deposit not received."),
        Code.NOT_PAID: _("Not paid in full."),
        Code.OVERPAYMENT: _("The amount is more than is still owed."),
        Code.CREDIT_LIMIT_EXCEEDED: _("Credit limit exceeded."),
        Code.COD_MISMATCH: _("The cash counted differs from what the driver collected."),
    },
    payload_keys=("total", "amount", "paid", "cod_amount", "cod_collected"),
)
