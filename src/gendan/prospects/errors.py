"""The prospects app's stable error codes."""

from __future__ import annotations


class Code:
    BAD_INPUT = "prospects_bad_input"
    WRONG_STEP = "prospects_wrong_status"
    LOST_NEEDS_REASON = "prospects_lost_needs_reason"
    NOT_SCATTERED = "prospects_offer_not_scattered"
    NOT_IN_STOCK = "prospects_offer_not_in_stock"
    ORDER_NOT_FOLLOWING = "prospects_order_does_not_follow"
    ALREADY_LINKED = "prospects_offer_already_linked"
