"""The packaging rules of the source, applied when a purchase line is confirmed.

THE RULES (the caps count everything confirmed for a production-notice line's need of the
material, on all its purchase orders, plus the stock taken for it, plus this line: splitting
a purchase does not get past them; the need is the bill of materials', not net of stock):
- regular bags (包装袋) at most 120 % of the need (浮动比例不得超过20%);
- new-print bags (新版包装袋) at most 105 % (不得超过5%), and only once the plate's proof is
  approved;
- cartons (纸箱) never more than the need (不得出现纸箱的浪费), and only once the salesperson has
  confirmed the product's carton spec;
- packaging is bought against a notice line, and only a material of its bill of materials.
The limits are settings (``PURCHASING_BAG_MAX_PERCENT``, ``PURCHASING_NEW_PRINT_MAX_PERCENT``)
with these defaults. A manager may override one line with a reason (services.override_line).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from gendan.errors import Reason
from gendan.purchasing.errors import Code
from gendan.purchasing.models import CAPPED, MaterialClass

HUNDRED = Decimal(100)


def bag_limit() -> Decimal:
    return Decimal(str(getattr(settings, "PURCHASING_BAG_MAX_PERCENT", 120)))


def new_print_limit() -> Decimal:
    return Decimal(str(getattr(settings, "PURCHASING_NEW_PRINT_MAX_PERCENT", 105)))


def limit_of(klass: str) -> Decimal | None:
    """The cap of a class in percent of the need (None: no cap)."""
    if klass == MaterialClass.BAG:
        return bag_limit()
    if klass == MaterialClass.NEW_PRINT_BAG:
        return new_print_limit()
    if klass == MaterialClass.CARTON:
        return HUNDRED
    return None


def _plain(value: Decimal) -> str:
    """A quantity as the same text on every database (no exponent, no trailing zeros)."""
    return f"{value.normalize():f}"


def _n(value: Decimal) -> str:
    return f"{value.normalize():,f}"


@dataclass(frozen=True)
class Figures:
    """What a rule weighs: the need, what was already ordered for it (and taken from stock),
    this line, and the cap."""

    need: Decimal
    before: Decimal
    quantity: Decimal
    limit_percent: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.before + self.quantity

    @property
    def percent(self) -> Decimal:
        if not self.need:
            return Decimal("Infinity") if self.total else Decimal(0)
        return (self.total * HUNDRED / self.need).quantize(Decimal("0.1"))

    @property
    def most(self) -> Decimal:
        """The most that may be ordered in all (the cap in the material's unit)."""
        if self.limit_percent is None:
            return Decimal("Infinity")
        return self.need * self.limit_percent / HUNDRED

    def as_dict(self) -> dict[str, Any]:
        return {
            "need": _plain(self.need),
            "ordered_before": _plain(self.before),
            "this_line": _plain(self.quantity),
            "total": _plain(self.total),
            "percent": _plain(self.percent),
            "limit_percent": _plain(self.limit_percent) if self.limit_percent is not None else None,
            "most": _plain(self.most) if self.limit_percent is not None else None,
        }


def reasons(
    *, klass: str, figures: Figures | None, plate_approved: bool, spec_confirmed: bool
) -> list[Reason]:
    """The coded reasons a line of this class with these figures is refused (empty: allowed).
    ``figures`` is None when the line serves no notice line."""
    if klass not in CAPPED:
        return []
    if figures is None:
        return [
            Reason(
                Code.NEEDS_NOTICE,
                gettext(
                    "Packaging is bought for a production notice's need: say which notice line "
                    "this line serves."
                ),
            )
        ]
    found: list[Reason] = []
    if klass == MaterialClass.NEW_PRINT_BAG and not plate_approved:
        found.append(
            Reason(
                Code.PLATE_NOT_APPROVED,
                gettext("New-print bags are bought only once the plate's proof is approved."),
            )
        )
    if klass == MaterialClass.CARTON and not spec_confirmed:
        found.append(
            Reason(
                Code.CARTON_SPEC_UNCONFIRMED,
                gettext(
                    "Cartons are bought only once the salesperson has confirmed the carton spec "
                    "(shipping mark, packing method, carton quality)."
                ),
            )
        )
    if not figures.need:
        found.append(
            Reason(
                Code.NOT_IN_BOM,
                gettext(
                    "This material is not in the bill of materials of the notice line's product: "
                    "there is no need to buy it for."
                ),
            )
        )
        return found
    if figures.total > figures.most:
        words = {
            "need": _n(figures.need),
            "before": _n(figures.before),
            "qty": _n(figures.quantity),
            "percent": figures.percent,
            "limit": _n(figures.limit_percent or HUNDRED),
            "most": _n(figures.most),
        }
        if klass == MaterialClass.CARTON:
            found.append(
                Reason(
                    Code.CARTON_OVER,
                    gettext(
                        "Cartons are never bought over the need: need %(need)s, already "
                        "ordered %(before)s, this line %(qty)s; at most %(most)s in all."
                    )
                    % words,
                )
            )
        elif klass == MaterialClass.BAG:
            found.append(
                Reason(
                    Code.BAG_OVER,
                    gettext(
                        "Bags at most %(limit)s %% of the need: need %(need)s, already ordered "
                        "%(before)s, this line %(qty)s makes %(percent)s %%; at most %(most)s "
                        "in all."
                    )
                    % words,
                )
            )
        else:
            found.append(
                Reason(
                    Code.NEW_PRINT_OVER,
                    gettext(
                        "New-print bags at most %(limit)s %% of the need: need %(need)s, "
                        "already ordered %(before)s, this line %(qty)s makes %(percent)s %%; at "
                        "most %(most)s in all."
                    )
                    % words,
                )
            )
    return found
