"""Master data of production: lines and their calendars, capacities, company holidays and
routings. Every write names its actor; the rows' history (simple-history) says who changed
what, and a timeline event records the fact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.codes import CODE_PATTERN
from gendan.errors import DomainError, invalid, not_found
from gendan.production import permissions as p
from gendan.production.errors import Code
from gendan.production.models import (
    CompanyHoliday,
    LineCalendarException,
    LineCapacity,
    ProductionLine,
    Routing,
    RoutingStep,
)
from gendan.timeline.services import record

LINE_FIELDS = ("name", "kind", "shifts_per_day", "hours_per_shift", "days_off", "active")


def _bad(message: str, field: str) -> DomainError:
    return invalid(Code.INVALID_MASTER_DATA, message, field=field)


def _decimal(value: Any, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _bad(gettext("Not a number."), field) from exc
    if not number.is_finite() or not low <= number <= high:
        raise _bad(
            gettext("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}, field
        )
    return number


def _check_line(values: dict[str, Any]) -> None:
    import re

    code = values.get("code", "x")
    if not re.fullmatch(CODE_PATTERN, code or "") or len(code) > 20:
        raise _bad(gettext("Letters, digits, “-”, “_” and “.”, up to 20."), "code")
    if "name" in values and not str(values["name"]).strip():
        raise _bad(gettext("A name is required."), "name")
    if "kind" in values and not str(values["kind"]).strip():
        raise _bad(gettext("A kind of line is required (cutting, sewing, packing...)."), "kind")
    if "shifts_per_day" in values and not 0 <= int(values["shifts_per_day"]) <= 3:
        raise _bad(gettext("Between 0 and 3 shifts a day."), "shifts_per_day")
    if "hours_per_shift" in values:
        values["hours_per_shift"] = _decimal(
            values["hours_per_shift"], "hours_per_shift", low=Decimal(0), high=Decimal(12)
        )
    if "days_off" in values:
        days = sorted({int(d) for d in values["days_off"] or []})
        if any(not 0 <= d <= 6 for d in days):
            raise _bad(gettext("Days off are weekdays 0 (Monday) to 6 (Sunday)."), "days_off")
        values["days_off"] = days


def _event(actor: Any, subject: Any, what: str, payload: dict[str, Any]) -> None:
    record(kind=p.MASTER_DATA, actor=actor, subject=subject, payload={"what": what, **payload})


@verb(p.MANAGE_LINES)
def create_line(
    *,
    code: str,
    name: str,
    kind: str,
    actor: Any,
    shifts_per_day: int = 1,
    hours_per_shift: Decimal = Decimal("8"),
    days_off: Iterable[int] = (5, 6),
    active: bool = True,
) -> ProductionLine:
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "kind": kind,
        "shifts_per_day": shifts_per_day,
        "hours_per_shift": hours_per_shift,
        "days_off": list(days_off),
        "active": active,
    }
    _check_line(values)
    with transaction.atomic(durable=True):
        if ProductionLine.objects.filter(code=code).exists():
            raise invalid(
                Code.DUPLICATE,
                gettext("Line %(code)s exists already.") % {"code": code},
                field="code",
            )
        line = ProductionLine(**values)
        line._history_user = actor  # type: ignore[attr-defined]
        line.save()
        _event(actor, line, "line", {"line": code})
    return line


@verb(p.MANAGE_LINES)
def update_line(*, code: str, actor: Any, **changes: Any) -> ProductionLine:
    values = {k: v for k, v in changes.items() if k in LINE_FIELDS}
    _check_line(values)
    with transaction.atomic(durable=True):
        line = ProductionLine.objects.select_for_update().filter(code=code).first()
        if line is None:
            raise not_found("production_line")
        for key, value in values.items():
            setattr(line, key, value)
        line._history_user = actor  # type: ignore[attr-defined]
        line.save()
        _event(actor, line, "line", {"line": code, "changed": sorted(values)})
    return line


@verb(p.MANAGE_LINES)
def set_line_exception(
    *, line: str, day: date, hours: Decimal, actor: Any, note: str = ""
) -> LineCalendarException:
    """The line works ``hours`` on ``day`` whatever its calendar says (0: closed)."""
    worked = _decimal(hours, "hours", low=Decimal(0), high=Decimal(24))
    with transaction.atomic(durable=True):
        target = ProductionLine.objects.filter(code=line).first()
        if target is None:
            raise not_found("production_line")
        exception, _ = LineCalendarException.objects.update_or_create(
            line=target, day=day, defaults={"hours": worked, "note": note[:200]}
        )
        _event(
            actor, target, "exception", {"line": line, "day": day.isoformat(), "hours": str(worked)}
        )
    return exception


@verb(p.MANAGE_LINES)
def set_holiday(*, day: date, name: str, actor: Any) -> CompanyHoliday:
    if not name.strip():
        raise _bad(gettext("A name is required."), "name")
    with transaction.atomic(durable=True):
        holiday, _ = CompanyHoliday.objects.update_or_create(day=day, defaults={"name": name[:100]})
        _event(actor, holiday, "holiday", {"day": day.isoformat(), "name": name})
    return holiday


@verb(p.MANAGE_LINES)
def set_capacity(*, line: str, family: str, units_per_hour: Decimal, actor: Any) -> LineCapacity:
    rate = _decimal(units_per_hour, "units_per_hour", low=Decimal("0.01"), high=Decimal(10**7))
    if not family.strip():
        raise _bad(gettext("A product family (series) is required."), "family")
    with transaction.atomic(durable=True):
        target = ProductionLine.objects.filter(code=line).first()
        if target is None:
            raise not_found("production_line")
        capacity, _ = LineCapacity.objects.update_or_create(
            line=target, family=family, defaults={"units_per_hour": rate}
        )
        _event(actor, target, "capacity", {"line": line, "family": family, "rate": str(rate)})
    return capacity


def _step(routing: Routing, seq: int, raw: Mapping[str, Any]) -> RoutingStep:
    from gendan.parties.models import Supplier

    field = f"steps[{seq}]"
    name = str(raw.get("name") or "").strip()
    if not name:
        raise _bad(gettext("Step %(n)s needs a name.") % {"n": seq}, field)
    if raw.get("outsourced"):
        supplier = Supplier.objects.filter(code=raw.get("supplier") or "").first()
        if supplier is None:
            raise _bad(gettext("Step %(n)s is outsourced: name its supplier.") % {"n": seq}, field)
        days = raw.get("lead_time_days")
        if days is None or not 0 <= int(days) <= 365:
            raise _bad(
                gettext("Step %(n)s is outsourced: give its lead time in days.") % {"n": seq},
                field,
            )
        return RoutingStep(
            routing=routing,
            seq=seq,
            name=name,
            line_kind=str(raw.get("line_kind") or ""),
            outsourced=True,
            supplier=supplier,
            lead_time_days=int(days),
        )
    kind = str(raw.get("line_kind") or "").strip()
    if not kind:
        raise _bad(gettext("Step %(n)s needs the kind of line it runs on.") % {"n": seq}, field)
    rate = _decimal(raw.get("rate_per_hour"), field, low=Decimal("0.01"), high=Decimal(10**7))
    return RoutingStep(routing=routing, seq=seq, name=name, line_kind=kind, rate_per_hour=rate)


@verb(p.MANAGE_LINES)
def save_routing(*, family: str, name: str, steps: list[Mapping[str, Any]], actor: Any) -> Routing:
    """The routing of a product family (the products' series), its steps in order: replaces the
    steps it had. Work orders already issued keep the steps they were issued with."""
    if not family.strip():
        raise _bad(gettext("A product family (series) is required."), "family")
    if not steps:
        raise _bad(gettext("A routing needs at least one step."), "steps")
    with transaction.atomic(durable=True):
        routing = Routing.objects.select_for_update().filter(family=family).first()
        routing = routing or Routing(family=family)
        routing.name = name
        routing._history_user = actor  # type: ignore[attr-defined]
        routing.save()
        rows = [_step(routing, i, raw) for i, raw in enumerate(steps, start=1)]
        RoutingStep.objects.filter(routing=routing).delete()
        try:
            RoutingStep.objects.bulk_create(rows)
        except IntegrityError as exc:  # the constraint holds what _step checks
            raise _bad(gettext("A step is neither made in house nor outsourced."), "steps") from exc
        _event(actor, routing, "routing", {"family": family, "steps": [r.name for r in rows]})
    return routing
