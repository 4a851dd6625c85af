"""What each action of the order's life takes: one input schema per action, named in the table.

The API documents and validates each action's body with its schema; the cockpit's forms offer
its fields; the service verb takes the same names as keyword arguments. ``comment`` is the free
note every action but hold and cancel carries (those take a required reason instead).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

Money = Decimal


class ActionIn(Schema):
    """An action without parameters: only an optional comment."""

    comment: str = Field("", max_length=2000)


class PaymentIn(ActionIn):
    """A receipt finance confirms: the amount (what is owed when left out), the bank reference
    and the day the money arrived."""

    amount: Money | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    reference: str = Field("", max_length=100)
    received_on: date | None = None


class ShippingNoticeIn(ActionIn):
    """The quantities per order line id to put on the notice (all that is left when left out)."""

    lines: dict[int, int] | None = None
    ship_date: date | None = None


class NoticeIn(ActionIn):
    """The shipping notice the step is for (the only one that fits, when left out)."""

    notice: str | None = Field(None, max_length=20)


class DeliveryNoteIn(NoticeIn):
    cod_amount: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class DeliveryIn(NoticeIn):
    received_by: str = Field("", max_length=100)
    proof_reference: str = Field("", max_length=200)
    cod_collected: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class CodCountIn(NoticeIn):
    """The cash the cashier counted from the driver; it must match what was collected."""

    amount: Money = Field(gt=0, max_digits=14, decimal_places=2)


class ReasonIn(Schema):
    """Hold and cancel say why."""

    reason: str = Field("", max_length=2000)


def fields_of(schema: type[Schema]) -> tuple[str, ...]:
    """The parameters a form offers (the comment is every action's own)."""
    return tuple(name for name in schema.model_fields if name != "comment")


def required_fields(schema: type[Schema]) -> tuple[str, ...]:
    return tuple(name for name, f in schema.model_fields.items() if f.is_required())
