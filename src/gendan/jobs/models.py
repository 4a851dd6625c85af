"""One row per (job, period): the claim that makes a periodic job run once, and its outcome."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    job = models.CharField(_("job"), max_length=60)
    period = models.CharField(_("period"), max_length=20)
    status = models.CharField(
        _("outcome"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-enqueued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="jobrun_once_per_period"),
        ]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="jobrun_status_enqueued")]

    def __str__(self) -> str:
        return f"{self.job} {self.period} ({self.status})"


class WorkerHeartbeat(models.Model):
    """One row per running `gendan worker`: it writes `beat_at` every few seconds while its loop
    takes tasks (or runs one), so a worker that stopped taking tasks shows as stale (/healthz,
    the admin's list of workers)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    task_id = models.CharField(_("running task"), max_length=64, blank=True)
    tasks_done = models.PositiveIntegerField(_("tasks run"), default=0)
    tasks_failed = models.PositiveIntegerField(_("tasks failed"), default=0)
    restarts = models.PositiveIntegerField(_("loop restarts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"
