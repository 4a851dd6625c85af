"""The forecast's plain data: what is known on a morning (lines with their calendars and their
recent reports, open work orders with what remains of each step, material and outsourcing dates,
the order's delivery date) and what the engine answers (expected dates, risk, margin, reasons)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Calendar:
    """Working hours per day: ``hours`` on a working day, 0 on a weekly day off or a holiday;
    an exception (hours that day, 0 = closed) wins over everything."""

    hours: float = 8.0
    days_off: frozenset[int] = frozenset({6})  # 0 = Monday
    holidays: frozenset[date] = frozenset()
    exceptions: Mapping[date, float] = field(default_factory=dict)

    def hours_on(self, day: date) -> float:
        if day in self.exceptions:
            return self.exceptions[day]
        if day in self.holidays or day.weekday() in self.days_off:
            return 0.0
        return self.hours

    def working(self, day: date) -> bool:
        return self.hours_on(day) > 0

    def add_working_days(self, day: date, days: int) -> date:
        """The ``days``-th working day after ``day`` (``day`` itself when 0)."""
        while days > 0:
            day += timedelta(days=1)
            if self.working(day):
                days -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.working(day):
                count += 1
        return count


@dataclass(frozen=True)
class DayReport:
    """One report of a line's day as the floor wrote it: planned, good, the slip reason."""

    day: date
    planned: int
    good: int
    reason: str = ""  # the production app's slip reason code, "" when on plan


@dataclass(frozen=True)
class Line:
    code: str
    name: str  # as the floor says it: 缝制2线
    calendar: Calendar
    recent: tuple[DayReport, ...] = ()  # the last reports, any order


@dataclass(frozen=True)
class Step:
    """One routing step of a notice line (a work order): on a line at a standard rate, or
    outsourced (back on ``expected_back`` if sent, else ``lead_days`` after it can start)."""

    key: str  # the work order's number
    name: str  # 缝制
    remaining: int
    line: str | None = None  # a line code; None for an outsourced or unrouted step
    rate: float | None = None  # standard units per hour
    outsourced: bool = False
    expected_back: date | None = None
    lead_days: int = 0
    started: bool = False  # some good reported already


@dataclass(frozen=True)
class Chain:
    """The steps of one notice line in their order, and the day its materials are in hand."""

    key: str
    steps: tuple[Step, ...]
    material_ready: date | None = None  # None or a day <= today: in hand
    material: str = ""  # what is awaited, as the merchandiser calls it (包装袋)
    material_ordered: bool = True  # False: not on order yet (``material_ready`` a guess)


@dataclass(frozen=True)
class OrderInput:
    number: str
    delivery: date
    chains: tuple[Chain, ...]
    ship_days: int = 2  # working days from production done to shipment (balance, QC, loading)


@dataclass(frozen=True)
class Settings:
    window: int = 5  # working days of reports that make a line's demonstrated rate
    long_window: int = 0  # > 0: the rate is the lower of the two windows' (slips come back)
    min_reports: int = 3  # fewer report days: the standard rate stands
    at_risk_margin: int = 2  # working days of margin under which an order is at risk
    slow_below: float = 0.95  # a line below this share of plan is named as a reason


class Risk(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    LATE = "late"


@dataclass(frozen=True)
class Reason:
    code: str  # slow_line, material, outsourced, queue, holiday, past_due, no_rate
    params: Mapping[str, object]
    delay: float = 0.0  # working days it costs, for the order of the reasons

    def text(self, language: str = "zh") -> str:
        from gendan.engines.forecast.wording import word

        return word(self, language)


@dataclass(frozen=True)
class StepForecast:
    key: str
    start: date
    finish: date


@dataclass(frozen=True)
class Forecast:
    number: str
    delivery: date
    production_done: date
    expected: date  # the expected shipment
    margin: int  # working days from expected to delivery (negative: late)
    risk: Risk
    reasons: tuple[Reason, ...]
    steps: tuple[StepForecast, ...] = ()
