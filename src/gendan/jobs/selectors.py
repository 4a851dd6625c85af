"""Reads of the jobs app: whether the background workers are taking tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from gendan.jobs.models import WorkerHeartbeat

# Rows of workers silent for longer than this are forgotten (a machine that went away).
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class WorkerHealth:
    status: str  # "ok": a worker beats; "stale": none has beaten lately; "absent": none runs
    fresh: int
    stale: int
    last_beat: datetime | None

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "fresh": self.fresh,
            "stale": self.stale,
            "last_beat": self.last_beat.isoformat() if self.last_beat else None,
        }


def stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(seconds=settings.GENDAN_WORKER_STALE_SECONDS)


def is_stale(beat: WorkerHeartbeat, now: datetime | None = None) -> bool:
    return beat.stopped_at is None and beat.beat_at < stale_before(now)


def worker_health(now: datetime | None = None) -> WorkerHealth:
    """The running workers (not stopped, heard of within a day): fresh or stale."""
    now = now or timezone.now()
    beats = list(
        WorkerHeartbeat.objects.filter(stopped_at=None, beat_at__gte=now - FORGET_AFTER)
        .values_list("beat_at", flat=True)
        .order_by("-beat_at")
    )
    cut = stale_before(now)
    fresh = sum(1 for b in beats if b >= cut)
    status = "ok" if fresh else ("stale" if beats else "absent")
    return WorkerHealth(status, fresh, len(beats) - fresh, beats[0] if beats else None)
