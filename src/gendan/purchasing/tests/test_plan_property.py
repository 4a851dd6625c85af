"""The purchase plan never proposes less than the uncovered need (less the free supply) and
never buys what is already on order (hypothesis, on the plan's arithmetic)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from gendan.purchasing.needs import Need
from gendan.purchasing.plan import make_plan

QTY = st.integers(min_value=0, max_value=5000).map(Decimal)


@st.composite
def needs(draw):
    materials = [SimpleNamespace(pk=i, klass="bag") for i in range(1, 4)]
    out = []
    for i in range(draw(st.integers(min_value=0, max_value=12))):
        out.append(
            Need(
                notice_line_id=i + 1,
                notice=f"PN-{i}",
                order=f"SO-{i}",
                order_id=i,
                product="P",
                material=draw(st.sampled_from(materials)),
                need=draw(QTY),
                ordered=draw(QTY),
                allocated=draw(QTY),
                needed_on=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 30))),
            )
        )
    free = {m.pk: draw(QTY) for m in materials}
    return out, free


@settings(max_examples=200, deadline=None)
@given(needs())
def test_the_plan_covers_exactly_the_uncovered_need_and_never_what_is_on_order(case):
    found, free = case
    rows = make_plan(found, free)
    for material in {n.material.pk for n in found}:
        uncovered = sum((n.uncovered for n in found if n.material.pk == material), Decimal(0))
        to_buy = sum((r.to_buy for r in rows if r.need.material.pk == material), Decimal(0))
        assert to_buy == max(Decimal(0), uncovered - free[material])
    for r in rows:
        assert Decimal(0) <= r.to_buy <= r.need.need - r.need.ordered - r.need.allocated
        assert r.to_buy + r.from_supply == r.need.uncovered
