"""Stable error codes of the outbox (the API's `code`)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NO_RECIPIENT = "no_recipient"
    UNKNOWN_TEMPLATE = "unknown_template"
    NO_CONTACT_ADDRESS = "no_contact_address"
