"""The logistics app's stable error codes."""

from __future__ import annotations


class Code:
    BAD_INPUT = "logistics_bad_input"
    AFTER_CUTOFF = "logistics_after_cutoff"
    ALREADY_REQUESTED = "logistics_already_requested"
    OVER_CAPACITY = "logistics_over_capacity"
    WRONG_STEP = "logistics_wrong_step"
    ALREADY_DELIVERED = "logistics_already_delivered"
    NOT_YOUR_TRIP = "logistics_not_your_trip"
    CASH_DIFFERENCE = "logistics_cash_difference"
    CASH_RECORDED = "logistics_cash_recorded"
