"""The working hours of a line on a day: its shifts, weekly days off, the company's holidays and
the line's own exceptions (an exception wins over everything else)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, IntegerField, Value

from gendan.production.models import CompanyHoliday, LineCalendarException, ProductionLine


def hours_on(
    line: ProductionLine,
    day: date,
    *,
    holidays: set[date],
    exceptions: dict[tuple[int, date], Decimal],
) -> Decimal:
    """Hours ``line`` works on ``day`` given the company holidays and the lines' exceptions."""
    if (line.pk, day) in exceptions:
        return exceptions[(line.pk, day)]
    if day in holidays or day.weekday() in (line.days_off or []):
        return Decimal("0")
    return Decimal(line.shifts_per_day) * line.hours_per_shift


def calendar_facts(
    lines: Iterable[ProductionLine], start: date, end: date
) -> tuple[set[date], dict[tuple[int, date], Decimal]]:
    """The holidays and exceptions between ``start`` and ``end`` (one query: a holiday is a
    row with no line)."""
    ids = [line.pk for line in lines]
    holidays_qs = (
        CompanyHoliday.objects.filter(day__range=(start, end))
        .annotate(
            line_ref=Value(None, output_field=IntegerField()),
            worked=Value(Decimal("0"), output_field=DecimalField(max_digits=4, decimal_places=2)),
        )
        .values_list("line_ref", "day", "worked")
        .order_by()
    )
    exceptions_qs = (
        LineCalendarException.objects.filter(line_id__in=ids, day__range=(start, end))
        .values_list("line_id", "day", "hours")
        .order_by()
    )
    holidays: set[date] = set()
    exceptions: dict[tuple[int, date], Decimal] = {}
    for line_id, day, hours in holidays_qs.union(exceptions_qs, all=True):
        if line_id is None:
            holidays.add(day)
        else:
            exceptions[(line_id, day)] = Decimal(hours)
    return holidays, exceptions


def line_hours(line: ProductionLine, day: date) -> Decimal:
    holidays, exceptions = calendar_facts([line], day, day)
    return hours_on(line, day, holidays=holidays, exceptions=exceptions)
