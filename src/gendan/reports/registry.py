"""The reports index (报表目录): every report of every app, in one page.

An app declares its reports in its own ``AppConfig.ready()``:

    from gendan.reports import registry
    registry.add_report(
        key="production.slips", title=_("Slip reasons"), description=_("..."),
        url_name="web:production_slips", perms=(...), app="production", group=_("Production"),
    )

The index (``reports:index``) lists those the user may open.

An app also adds a part to the evening's daily report (日报表) of a region, e.g. after-sales'
complaints of the day:

    registry.add_daily_part(
        key="aftersales.complaints", title=_("Complaints of the day"), build=complaints_part,
        template="aftersales/_daily_part.html", app="aftersales",
    )

``build(day, region)`` returns plain JSON (kept in the report as produced) with a ``count``; the
template renders it as ``part`` on the report's page, and the mail says the title and the count.

The module is plain data and imports no model, so any app may import it whatever its place in
INSTALLED_APPS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Report:
    key: str  # "<app>.<what>", stable
    title: Any
    description: Any
    url_name: str  # a page without URL arguments
    app: str
    group: Any  # the index's heading it sits under
    perms: tuple[str, ...] = ()  # any of them; empty = every signed-in user
    order: int = 100

    def visible_to(self, user: Any) -> bool:
        return not self.perms or any(user.can(p) for p in self.perms)


REPORTS: dict[str, Report] = {}


def add_report(
    *,
    key: str,
    title: Any,
    description: Any,
    url_name: str,
    app: str,
    group: Any,
    perms: tuple[str, ...] = (),
    order: int = 100,
) -> Report:
    if key in REPORTS:
        raise ValueError(f"report {key!r} is registered twice")
    if "." not in key or not key.startswith(f"{app}."):
        raise ValueError(f"report key {key!r} must start with its app's name ({app}.)")
    report = Report(key, title, description, url_name, app, group, tuple(perms), order)
    REPORTS[key] = report
    return report


@dataclass(frozen=True)
class DailyPart:
    key: str  # "<app>.<what>", stable: the key of its data in a kept report
    title: Any
    build: Callable[[date, str], dict[str, Any]]  # (day, region or "") -> JSON with a "count"
    template: str
    app: str
    order: int = 100


DAILY_PARTS: dict[str, DailyPart] = {}


def add_daily_part(
    *,
    key: str,
    title: Any,
    build: Callable[[date, str], dict[str, Any]],
    template: str,
    app: str,
    order: int = 100,
) -> DailyPart:
    if key in DAILY_PARTS:
        raise ValueError(f"daily report part {key!r} is registered twice")
    if not key.startswith(f"{app}."):
        raise ValueError(f"daily report part {key!r} must start with its app's name ({app}.)")
    part = DailyPart(key, title, build, template, app, order)
    DAILY_PARTS[key] = part
    return part


def daily_parts() -> list[DailyPart]:
    return sorted(DAILY_PARTS.values(), key=lambda p: (p.order, p.key))


def reports_for(user: Any) -> list[Report]:
    return sorted(
        (r for r in REPORTS.values() if r.visible_to(user)), key=lambda r: (r.order, r.key)
    )


@contextmanager
def temporarily(*reports: Report) -> Iterator[None]:
    """For tests: these reports are in the index inside the block only."""
    saved = dict(REPORTS)
    for r in reports:
        REPORTS[r.key] = r
    try:
        yield
    finally:
        REPORTS.clear()
        REPORTS.update(saved)
