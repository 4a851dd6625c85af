"""Small problems for the schedule engine's tests: a weekday calendar, and random factories."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from gendan.engines.schedule import Horizon, Line, Problem, Step, WorkOrder

MONDAY = dt.date(2027, 1, 4)


def day(n: int) -> dt.date:
    """The n-th day from the Monday the horizon starts."""
    return MONDAY + dt.timedelta(days=n)


def weekdays(weeks: int = 1, minutes: int = 480, off: tuple[int, ...] = ()) -> dict[dt.date, int]:
    """Working minutes on Monday to Friday, none on the days in ``off``."""
    return {day(n): minutes for n in range(7 * weeks) if day(n).weekday() < 5 and n not in off}


def work_order(
    wo_id: str,
    steps: tuple[Step, ...],
    *,
    quantity: int = 60,
    due: int = 4,
    ready: int = 0,
) -> WorkOrder:
    return WorkOrder(wo_id, f"SO-{wo_id}", day(due), day(ready), quantity, steps)


@st.composite
def problems(draw: st.DrawFn, busy: bool = False) -> Problem:
    """A random factory; ``busy``: more work due sooner, so that orders compete for the lines."""
    weeks = draw(st.integers(1, 2))
    kinds = ["cut", "sew", "pack"][: draw(st.integers(1, 3))]
    lines = []
    for i in range(draw(st.integers(len(kinds), 4))):
        kind = kinds[i] if i < len(kinds) else draw(st.sampled_from(kinds))
        calendar = {
            day(n): minutes
            for n in range(7 * weeks)
            if (minutes := draw(st.sampled_from([0, 0, 240, 450, 480, 960]))) > 0
        }
        lines.append(Line(f"L{i}", kind, calendar))
    orders = []
    for n in range(draw(st.integers(3, 10) if busy else st.integers(1, 8))):
        steps = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.integers(0, 5)) == 0:
                steps.append(Step.outsource("print", draw(st.integers(1, 3))))
            else:
                steps.append(
                    Step(draw(st.sampled_from(kinds)), draw(st.sampled_from([15.0, 40.0, 120.0])))
                )
        orders.append(
            WorkOrder(
                f"W{n}",
                f"SO{n // 2}",
                day(draw(st.integers(0, 4) if busy else st.integers(-2, 7 * weeks))),
                day(draw(st.integers(0, 2) if busy else st.integers(-3, 5))),
                draw(st.integers(100, 900) if busy else st.integers(1, 400)),
                tuple(steps),
            )
        )
    return Problem(tuple(lines), tuple(orders), Horizon(MONDAY, weeks))
