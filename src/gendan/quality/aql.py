"""Sampling by ISO 2859-1, general inspection level II, single sampling, normal inspection.

The lot size gives a code letter, the letter a sample size; the AQL column gives the acceptance
number (Ac; the lot is rejected at Ac + 1 defectives). The standard's arrows ("use the first
plan below / above") are resolved here: the cell after Ac 0 points up to it, the cell before
Ac 1 points down to it, and past the column's last number (21) the plan above is used. A sample
larger than the lot means the whole lot is inspected. Plain data, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: (largest lot size of the letter, code letter, sample size)
LETTERS: list[tuple[int, str, int]] = [
    (8, "A", 2),
    (15, "B", 3),
    (25, "C", 5),
    (50, "D", 8),
    (90, "E", 13),
    (150, "F", 20),
    (280, "G", 32),
    (500, "H", 50),
    (1200, "J", 80),
    (3200, "K", 125),
    (10000, "L", 200),
    (35000, "M", 315),
    (150000, "N", 500),
    (500000, "P", 800),
    (10**12, "Q", 1250),
]
#: the acceptance numbers along a column, after its Ac 0 cell and the two arrows
AC_SERIES = [1, 2, 3, 5, 7, 10, 14, 21]
#: per AQL (percent defective), the code letter where its column's Ac 0 plan stands
ZERO_AT: dict[Decimal, int] = {
    Decimal("0.65"): 5,
    Decimal("1.0"): 4,
    Decimal("1.5"): 3,
    Decimal("2.5"): 2,
    Decimal("4.0"): 1,
    Decimal("6.5"): 0,
}
LEVELS = sorted(ZERO_AT)


@dataclass(frozen=True)
class SamplingPlan:
    lot_size: int
    letter: str
    sample_size: int
    accept: int  # Ac: at most this many defectives in the sample and the lot passes

    @property
    def reject(self) -> int:
        return self.accept + 1


def letter_index(lot_size: int) -> int:
    for i, (upto, _, _) in enumerate(LETTERS):
        if lot_size <= upto:
            return i
    return len(LETTERS) - 1


def plan_for(lot_size: int, aql: Decimal) -> SamplingPlan:
    """The sampling plan of a lot at an AQL of the table (ValueError otherwise)."""
    if lot_size < 1:
        raise ValueError("a lot has at least one unit")
    key = Decimal(aql).normalize()
    zero = next((z for level, z in ZERO_AT.items() if level.normalize() == key), None)
    if zero is None:
        raise ValueError(f"AQL {aql} is not in the table")
    i = letter_index(lot_size)
    k = i - zero
    if k <= 1:  # before the Ac 0 cell (arrow down), on it, or the arrow up after it
        use, accept = zero, 0
    elif k == 2:  # the arrow down to Ac 1
        use, accept = zero + 3, 1
    elif k - 3 < len(AC_SERIES):
        use, accept = i, AC_SERIES[k - 3]
    else:  # past the column's last number: the plan above
        use, accept = zero + 2 + len(AC_SERIES), AC_SERIES[-1]
    use = min(use, len(LETTERS) - 1)
    _, letter, sample = LETTERS[use]
    return SamplingPlan(lot_size, letter, min(sample, lot_size), accept)
