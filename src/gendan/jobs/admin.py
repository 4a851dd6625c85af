"""The runs of the periodic jobs, for the administrator: when, which, outcome, how long."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gendan.jobs import registry
from gendan.jobs.models import JobRun


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
