"""The reports app's stable error codes."""

from __future__ import annotations


class Code:
    BAD_DAY = "reports_bad_day"
    BAD_RANGE = "reports_bad_range"
    UNKNOWN_REGION = "reports_unknown_region"
    NOT_A_REGIONAL_MANAGER = "reports_not_a_regional_manager"
