"""The after-sales app's stable error codes."""

from __future__ import annotations


class Code:
    SAMPLE_NO_PHOTO = "aftersales_sample_no_photo"
    SAMPLE_WRONG_STEP = "aftersales_sample_wrong_step"
    SAMPLE_NOT_REVIEWED = "aftersales_sample_not_reviewed"
    BAD_INPUT = "aftersales_bad_input"
    COMPLAINT_NOT_CONFIRMED = "aftersales_complaint_not_confirmed"
    COMPLAINT_REJECTED = "aftersales_complaint_rejected"
    COMPLAINT_DECIDED = "aftersales_complaint_decided"
    NOT_THE_MANAGER = "aftersales_not_the_manager"
    RESOLUTION_WRONG_STEP = "aftersales_resolution_wrong_step"
    RESOLUTION_OPEN_ORDER = "aftersales_replacement_not_delivered"
    COMPLAINT_OPEN_RESOLUTIONS = "aftersales_open_resolutions"
    CREDIT_NOTE_UNCONFIRMED = "aftersales_credit_note_unconfirmed"
    NOT_A_COUNT_COMPLAINT = "aftersales_not_a_count_complaint"
    COUNT_ALREADY_RECORDED = "aftersales_count_already_recorded"
    PLAN_NOT_OF_ORDER = "aftersales_plan_not_of_the_order"
