"""What each action of the order's life takes: one input schema per action, named in the table,
and the bounds of every field an order is entered with.

The API documents and validates each action's body with its schema; the cockpit's forms offer
its fields; the service verb takes the same names as keyword arguments. ``comment`` is the free
note every action but hold and cancel carries (those take a required reason instead).

The bounds below are the one place that says how large a quantity, a price, a date or a text of
an order may be. The API's order schemas (``OrderIn``, ``LineIn``, ``OrderPatch``), the entry
page's forms and the Excel import all take them from here, and the entry rules
(``entry.check_lines``) hold the line amounts and the order total to what the columns store, so
no entry path can store what another refuses, or what a read could not give back. They fit the
model fields on SQLite and PostgreSQL alike: quantities in a 32-bit integer column, prices in
``numeric(12, 4)``, amounts and totals in ``numeric(14, 2)``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

Money = Decimal

# ---- the bounds of an order's fields -----------------------------------------------------------

#: a line's quantity and packs: whole numbers up to a hundred million (PositiveIntegerField)
MAX_QUANTITY = 100_000_000
#: a unit price: numeric(12, 4), so at most 8 digits before the point and 4 after
PRICE_DIGITS = 12
PRICE_PLACES = 4
MAX_UNIT_PRICE = Decimal("99999999.9999")
#: a line's amount and an order's total: numeric(14, 2)
AMOUNT_DIGITS = 14
AMOUNT_PLACES = 2
MAX_AMOUNT = Decimal("999999999999.99")
#: the lines of one order
MAX_LINES = 500
#: contract and delivery dates: this century (date arithmetic on them stays in range)
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)
#: texts (the column's max_length where there is one)
MAX_CODE = 40  # product code; a customer code is at most 30
MAX_CUSTOMER_CODE = 30
MAX_USERNAME = 150
MAX_COLOUR = 50
MAX_SIZE = 100
MAX_CUSTOMER_PO = 60
MAX_REQUIREMENT = 2000  # special raw-material and packing requirements
MAX_NOTES = 4000
MAX_REASON = 2000

Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
Packs = Annotated[int, Field(ge=0, le=MAX_QUANTITY)]
UnitPrice = Annotated[
    Decimal, Field(ge=0, le=MAX_UNIT_PRICE, max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES)
]
OrderDate = Annotated[date, Field(ge=FIRST_DATE, le=LAST_DATE)]


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


class NewDateIn(ActionIn):
    """The delivery date the customer accepted, and the file of their confirmation (an
    attachment of the order; the newest one attached since the date was last agreed, when
    left out)."""

    new_date: OrderDate
    confirmation: int | None = Field(None, ge=1)


class ReasonIn(Schema):
    """Hold and cancel say why."""

    reason: str = Field("", max_length=2000)


def fields_of(schema: type[Schema]) -> tuple[str, ...]:
    """The parameters a form offers (the comment is every action's own)."""
    return tuple(name for name in schema.model_fields if name != "comment")


def required_fields(schema: type[Schema]) -> tuple[str, ...]:
    return tuple(name for name, f in schema.model_fields.items() if f.is_required())
