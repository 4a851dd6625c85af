"""Stable error and reason codes of loading (the API's `code`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from gendan import prices
from gendan.errors import DomainError, Kind


class Code(StrEnum):
    NO_NOTICES = "no_notices"
    NOTICE_NOT_OPEN = "notice_not_open"
    NO_CARTON_SIZE = "no_carton_size"
    UNKNOWN_CONTAINER_TYPE = "unknown_container_type"
    INVALID_TIME_LIMIT = "invalid_time_limit"
    NOT_PLANNED = "not_planned"
    LOADING_CLOSED = "loading_closed"
    UNKNOWN_CONTAINER = "unknown_container"
    UNKNOWN_WALL = "unknown_wall"
    PRODUCT_NOT_IN_PLAN = "product_not_in_plan"
    WALL_OR_PRODUCT = "wall_or_product"
    NOT_COUNTED = "not_counted"
    COUNT_DIFFERS = "count_differs"
    NOT_ALL_LOADED = "not_all_loaded"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_PERSON = "unknown_person"
    NO_DIFFERENCE = "no_difference"
    INVALID_CONTAINER_TYPE = "invalid_container_type"
    UNKNOWN_ORDER = "unknown_order"
    ORDER_FINISHED = "order_finished"


def refuse(code: str, message: str, **details: Any) -> DomainError:
    """A refusal of loading (409): the request is well formed, the state does not allow it."""
    return DomainError(code, message, kind=Kind.REFUSED, details=details)


# the penalty of a counting error is an amount (its event's payload carries it), and so is what
# a container type costs to ship (the API's container types, their history)
prices.declare(payload_keys=("penalty", "cost"))
