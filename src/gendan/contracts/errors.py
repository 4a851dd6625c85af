"""The contracts app's stable error codes."""

from __future__ import annotations


class Code:
    NOT_SIGNED = "contracts_order_not_signed"
    NOT_CURRENT = "contracts_not_current"
    ALREADY_COUNTERSIGNED = "contracts_already_countersigned"
    BAD_INPUT = "contracts_bad_input"
    COUNTERSIGNED_MISSING = "contracts_countersigned_missing"
