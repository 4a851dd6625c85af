"""The administrator reads the job runs in /admin/: when, which, outcome, how long."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.jobs.models import JobRun, RunStatus


@pytest.mark.django_db
def test_the_admin_lists_the_runs_in_a_bounded_number_of_queries(client, users):
    now = timezone.now()
    for i in range(30):
        JobRun.objects.create(
            job="jobs.housekeeping",
            period=f"2026-04-{i + 1:02d}",
            status=RunStatus.DONE if i % 3 else RunStatus.FAILED,
            enqueued_at=now - timedelta(days=i),
            duration_ms=120 + i,
        )
    client.force_login(users["admin"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/admin/jobs/jobrun/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026-04-30" in body and "日常清理" in body  # the label, in the default language
    assert len(ctx.captured_queries) == 8, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_only_staff_reads_the_runs(client, users):
    client.force_login(users["manager"])
    assert client.get("/admin/jobs/jobrun/").status_code == 302
