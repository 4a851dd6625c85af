"""The runs of the periodic jobs, for the administrator: when, which, outcome, how long."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gendan.jobs import registry, selectors
from gendan.jobs.models import JobRun, WorkerHeartbeat


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = (
        "job",
        "job_label",
        "period",
        "status",
        "attempts",
        "enqueued_at",
        "started_at",
        "finished_at",
        "duration_ms",
    )
    list_filter = ("status", "job")
    search_fields = ("job", "period")
    date_hierarchy = "enqueued_at"
    readonly_fields = [f.name for f in JobRun._meta.fields]
    list_per_page = 100

    @admin.display(description=_("what it does"))
    def job_label(self, run: JobRun) -> Any:
        job = registry.get(run.job)
        return f"{job.label} ({job.schedule.describe()})" if job else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """The background workers: each one's last heartbeat, and whether it has gone stale."""

    list_display = (
        "worker_id",
        "state",
        "hostname",
        "pid",
        "beat_at",
        "task_id",
        "tasks_done",
        "tasks_failed",
        "restarts",
        "last_error_at",
        "started_at",
    )
    list_filter = ("hostname",)
    readonly_fields = [f.name for f in WorkerHeartbeat._meta.fields]

    @admin.display(description=_("state"))
    def state(self, beat: WorkerHeartbeat) -> Any:
        if beat.stopped_at is not None:
            return _("stopped")
        return _("stale") if selectors.is_stale(beat) else _("ok")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
