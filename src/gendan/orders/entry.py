"""What an order is entered with, checked before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext

from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind
from gendan.orders.inputs import (
    FIRST_DATE,
    LAST_DATE,
    MAX_AMOUNT,
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    PRICE_PLACES,
)

CENT = Decimal("0.01")


@dataclass
class LineInput:
    product: str  # product code
    quantity: int
    unit_price: Decimal
    colour: str = ""
    size: str = ""
    packs: int = 0
    special_material: str = ""
    packing_requirement: str = ""


@dataclass
class CheckedLine:
    product: Product
    quantity: int
    unit_price: Decimal
    amount: Decimal
    colour: str
    size: str
    packs: int
    special_material: str
    packing_requirement: str


@dataclass
class Problems:
    """Field errors gathered before raising once: the user sees them all at once."""

    errors: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(where, message)

    def raise_if_any(self) -> None:
        if self.errors:
            first = next(iter(self.errors.items()))
            raise DomainError(
                "invalid_order",
                gettext("The order has errors: %(where)s: %(message)s")
                % {"where": first[0], "message": first[1]},
                kind=Kind.INVALID,
                details={"fields": self.errors},
            )


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def check_dates(problems: Problems, contract_date: date | None, delivery_date: date | None) -> None:
    if contract_date is None:
        problems.add("contract_date", gettext("The contract date is required."))
    if delivery_date is None:
        problems.add("delivery_date", gettext("The delivery date is required."))
    for name, day in (("contract_date", contract_date), ("delivery_date", delivery_date)):
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            problems.add(
                name,
                gettext("The date must be from %(first)s to %(last)s.")
                % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
            )
    if contract_date and delivery_date and delivery_date < contract_date:
        problems.add("delivery_date", gettext("The delivery date is before the contract date."))


def check_lines(
    problems: Problems,
    lines: list[LineInput],
    products_of: Callable[[set[str]], Mapping[str, Product]] | None = None,
) -> list[CheckedLine]:
    """The lines checked; their products read by code (``products_of`` when the caller looked
    them up already: the import, once per workbook)."""
    if not lines:
        problems.add("lines", gettext("An order needs at least one line."))
        return []
    codes = {line.product for line in lines}
    products = (
        products_of(codes)
        if products_of is not None
        else {p.code: p for p in Product.objects.filter(code__in=codes)}
    )
    checked = []
    for i, line in enumerate(lines, start=1):
        where = f"lines[{i}]"
        product = products.get(line.product)
        if product is None:
            problems.add(
                f"{where}.product",
                gettext("Unknown product code “%(code)s”.") % {"code": line.product},
            )
        elif not product.active:
            problems.add(
                f"{where}.product",
                gettext("Product “%(code)s” is no longer sold.") % {"code": line.product},
            )
        qty = _int(line.quantity)
        if qty is None or not 1 <= qty <= MAX_QUANTITY:
            problems.add(
                f"{where}.quantity",
                gettext("The quantity must be a whole number of at least 1 and at most %(max)s.")
                % {"max": f"{MAX_QUANTITY:,}"},
            )
            qty = None
        price = _decimal(line.unit_price)
        if (
            price is None
            or not 0 <= price <= MAX_UNIT_PRICE
            or -price.as_tuple().exponent > PRICE_PLACES  # type: ignore[operator]
        ):
            problems.add(
                f"{where}.unit_price",
                gettext(
                    "The unit price must be a number of at least 0 and at most %(max)s, with at most %(places)s decimal places."
                )
                % {"max": f"{MAX_UNIT_PRICE:,}", "places": PRICE_PLACES},
            )
            price = None
        packs = _int(line.packs)
        if packs is None or not 0 <= packs <= MAX_QUANTITY:
            problems.add(
                f"{where}.packs",
                gettext("Packs must be a whole number of at least 0 and at most %(max)s.")
                % {"max": f"{MAX_QUANTITY:,}"},
            )
            packs = None
        amount = money(price * qty) if price is not None and qty is not None else None
        if amount is not None and amount > MAX_AMOUNT:
            problems.add(
                f"{where}.quantity",
                gettext(
                    "The line's amount (quantity × unit price) would be %(amount)s; at most %(max)s is possible."
                )
                % {"amount": f"{amount:,}", "max": f"{MAX_AMOUNT:,}"},
            )
            amount = None
        if product is not None and amount is not None and packs is not None:
            assert qty is not None and price is not None
            checked.append(
                CheckedLine(
                    product=product,
                    quantity=qty,
                    unit_price=price,
                    amount=amount,
                    colour=line.colour or product.colour,
                    size=line.size or product.size,
                    packs=packs,
                    special_material=line.special_material,
                    packing_requirement=line.packing_requirement,
                )
            )
    total = sum((c.amount for c in checked), Decimal(0))
    if total > MAX_AMOUNT:
        problems.add(
            "lines",
            gettext("The order's total would be %(total)s; at most %(max)s is possible.")
            % {"total": f"{total:,}", "max": f"{MAX_AMOUNT:,}"},
        )
    return checked


def _int(value: Any) -> int | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None
