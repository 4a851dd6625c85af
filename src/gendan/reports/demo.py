"""The demo's reports: the regional manager answers for 华东 (the store's region), and
yesterday's daily reports were produced by the evening job and mailed (the demo's worker
writes the mails under var/mail)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from gendan.finance import demo as finance_demo
from gendan.jobs.services import run_job
from gendan.reports import services
from gendan.reports.contributions import JOB


def seed(users: dict[str, Any]) -> None:
    finance_demo.seed_receivables(users)
    services.assign_region(actor=users["manager"], manager="regional", region="华东")
    yesterday = timezone.localdate() - timedelta(days=1)
    run_job(job=JOB, period=yesterday.isoformat())
