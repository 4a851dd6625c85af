"""Two (four) workers run the evening's daily-report job for the same day at the same moment:
each report is made once and mailed once. Real threads with their own connections, as
jobs/tests/test_concurrency.py; PostgreSQL only (SQLite serialises every write)."""

from __future__ import annotations

import pytest
from django.conf import settings

from gendan.finance.tests.factories import days_ago
from gendan.jobs.models import JobRun, RunStatus
from gendan.jobs.services import run_job
from gendan.jobs.tests.test_concurrency import in_parallel
from gendan.outbox.models import MailMessage
from gendan.reports import services
from gendan.reports.contributions import JOB
from gendan.reports.models import DailyReport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="parallel writers need PostgreSQL: SQLite serialises every write on the whole file",
    ),
]


def test_four_workers_at_once_make_and_mail_each_report_once(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    services.assign_region(actor=world.users["manager"], manager="regional", region="华东")
    world.order(customer="STORE01")
    day = days_ago(1).isoformat()
    results = in_parallel(*[lambda: run_job(job=JOB, period=day)] * 4)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(r is not None for r in results) == 1
    assert sorted(DailyReport.objects.values_list("region", flat=True)) == ["", "华东"]
    assert sorted(MailMessage.objects.values_list("to_address", flat=True)) == [
        "manager@gendan.example",
        "regional@gendan.example",
    ]
    run = JobRun.objects.get(job=JOB)
    assert (run.status, run.attempts) == (RunStatus.DONE, 1)
