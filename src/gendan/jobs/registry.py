"""The periodic jobs, declared by the app that owns them (in its AppConfig.ready()).

    registry.register(Job(
        name="reports.daily_sales",
        label=_("Daily sales list"),
        schedule=Daily(at=time(18, 0)),
        run=daily_sales.run,          # run(period) -> dict, inside the claim's transaction
    ))

A schedule turns a moment into the period it belongs to: `Daily(at=time(2, 30))` has one period
per local day (key "2026-05-01"), due from 02:30 in the project's time zone (Asia/Shanghai by
default); `Every(minutes=15)` has one period per quarter of an hour of the local day (key
"2026-05-01T10:15"). The scheduler enqueues the latest period that is due; the run is claimed once
per (job, period), so a scheduler that was down catches up once, never twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime  # aware, in the project's time zone
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()


class Schedule(Protocol):
    def due(self, now: datetime) -> Period:
        """The latest period whose start is at or before `now`."""
        ...

    def period(self, key: str) -> Period:
        """The period of a key this schedule made."""
        ...

    def describe(self) -> str: ...


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True)
class Daily:
    """Once a local day, due from `at` (wall-clock time in the project's time zone)."""

    at: time

    def due(self, now: datetime) -> Period:
        local = _local(now)
        day = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        return self.period(day.isoformat())

    def period(self, key: str) -> Period:
        day = date.fromisoformat(key)
        return Period(key, _at(day, self.at), _at(day + timedelta(days=1), self.at))

    def describe(self) -> str:
        return gettext("daily at %(time)s") % {"time": f"{self.at:%H:%M}"}


@dataclass(frozen=True)
class Every:
    """Every `minutes` minutes, counted from local midnight (so 1440 must be a multiple)."""

    minutes: int

    def __post_init__(self) -> None:
        if not 1 <= self.minutes <= 1440 or 1440 % self.minutes:
            raise ValueError(f"Every(minutes={self.minutes}): must divide a day (1440 minutes)")

    def due(self, now: datetime) -> Period:
        local = _local(now)
        minute = (local.hour * 60 + local.minute) // self.minutes * self.minutes
        start = _at(local.date(), time(minute // 60, minute % 60))
        return self.period(start.strftime("%Y-%m-%dT%H:%M"))

    def period(self, key: str) -> Period:
        naive = datetime.strptime(key, "%Y-%m-%dT%H:%M")
        start = naive.replace(tzinfo=timezone.get_default_timezone())
        return Period(key, start, start + timedelta(minutes=self.minutes))

    def describe(self) -> str:
        return gettext("every %(minutes)d min") % {"minutes": self.minutes}


@dataclass(frozen=True)
class Job:
    name: str  # "<app>.<what>", stable: the runs are kept under it
    label: Any  # translatable
    schedule: Schedule
    run: Callable[[Period], dict[str, Any] | None]  # the work, inside the claim's transaction
    retry_after: timedelta = timedelta(minutes=10)  # a failed run is enqueued again after this
    max_attempts: int = 3
    requeue_after: timedelta = timedelta(hours=1)  # a run still queued (a lost task) is re-sent
    app: str = field(default="", compare=False)


JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Declare a job once; a second job under the same name is a programming error."""
    known = JOBS.get(job.name)
    if known is not None and known != job:
        raise ValueError(f"A periodic job named {job.name!r} is already registered.")
    if len(job.name) > 60:
        raise ValueError(f"Job name {job.name!r} is longer than 60 characters.")
    JOBS[job.name] = job
    return job


def get(name: str) -> Job | None:
    return JOBS.get(name)


def all_jobs() -> list[Job]:
    return sorted(JOBS.values(), key=lambda j: j.name)


@contextmanager
def register_temporarily(*jobs: Job) -> Iterator[None]:
    """For tests: the jobs exist inside the block only (other registered jobs stay)."""
    for job in jobs:
        register(job)
    try:
        yield
    finally:
        for job in jobs:
            JOBS.pop(job.name, None)


@contextmanager
def only(*jobs: Job) -> Iterator[None]:
    """For tests: these jobs and no other exist inside the block."""
    saved = dict(JOBS)
    JOBS.clear()
    try:
        for job in jobs:
            register(job)
        yield
    finally:
        JOBS.clear()
        JOBS.update(saved)
