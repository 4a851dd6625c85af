"""The patrol app's stable error codes."""

from __future__ import annotations


class Code:
    BAD_INPUT = "patrol_bad_input"
    CLOSED = "patrol_exception_closed"
    NO_ACTION = "patrol_no_action_taken"
    NO_REPORT = "patrol_no_daily_report"
    NOT_SHORT = "patrol_report_not_short"
