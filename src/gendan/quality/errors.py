"""The quality app's stable error codes."""

from __future__ import annotations


class Code:
    FINAL_MISSING = "quality_final_inspection_missing"
    FINAL_FAILED = "quality_final_inspection_failed"
    NOT_PRODUCED = "quality_order_not_produced"
    BAD_COUNT = "quality_bad_count"
    BAD_DEFECT_KIND = "quality_bad_defect_kind"
    BAD_SUBJECT = "quality_bad_subject"
    BAD_PLAN = "quality_bad_plan"
    NOT_CONCEDABLE = "quality_not_concedable"
    REASON_REQUIRED = "quality_reason_required"
    RECEIPT_INSPECTED = "quality_receipt_inspected"
