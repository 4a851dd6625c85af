"""Finance's stable error codes (the payment gates' codes are the order workflow's)."""

from __future__ import annotations


class Code:
    AMOUNT_REQUIRED = "finance_amount_required"
    REASON_REQUIRED = "finance_reason_required"
    WRONG_CUSTOMER = "finance_order_of_another_customer"
    SOURCE_REUSED = "finance_source_ref_reused"
    SUMMARY_REQUIRED = "finance_summary_required"
    BAD_RANGE = "finance_bad_date_range"
    RANGE_TOO_LONG = "finance_date_range_too_long"
