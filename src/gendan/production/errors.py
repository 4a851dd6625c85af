"""The production app's stable error codes."""

from __future__ import annotations


class Code:
    WORK_ORDERS_OPEN = "production_work_orders_open"
    UNKNOWN_WORK_ORDER = "production_unknown_work_order"
    WORK_ORDER_CLOSED = "production_work_order_closed"
    BEYOND_PREDECESSOR = "production_beyond_predecessor"
    BEYOND_QUANTITY = "production_beyond_quantity"
    SLIP_REASON_REQUIRED = "production_slip_reason_required"
    SLIP_NOTE_REQUIRED = "production_slip_note_required"
    BAD_QUANTITY = "production_bad_quantity"
    REPORT_EXISTS = "production_report_exists"
    NO_REPORT = "production_no_report"
    FUTURE_DAY = "production_future_day"
    NOTHING_TO_CLOSE = "production_nothing_to_close"
    REASON_REQUIRED = "production_reason_required"
    INVALID_MASTER_DATA = "production_invalid_master_data"
    DUPLICATE = "production_duplicate"
    PLAN_CONFIRMED = "production_plan_confirmed"
    WRONG_POST = "production_wrong_post"
    SCHEDULE_MOVE_REFUSED = "production_schedule_move_refused"
    NO_SCHEDULE = "production_no_schedule"
