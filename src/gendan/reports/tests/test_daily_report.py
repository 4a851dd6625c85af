"""The evening's daily report: produced by the periodic job once per (region, day), kept as it
was, mailed once through the outbox (a real local SMTP server), shown on the regional
manager's Today; regions assigned by the sales manager only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.errors import DomainError
from gendan.finance.tests.factories import book, days_ago
from gendan.jobs.services import run_job
from gendan.outbox.models import MailMessage
from gendan.reports import services
from gendan.reports.contributions import JOB
from gendan.reports.models import DailyReport, RegionAssignment

pytestmark = pytest.mark.django_db


def assign(world, region: str = "华东"):
    return services.assign_region(actor=world.users["manager"], manager="regional", region=region)


def test_only_the_sales_manager_assigns_regions_and_only_to_regional_managers(world):
    with pytest.raises(DomainError) as denied:
        services.assign_region(actor=world.users["sales"], manager="regional", region="华东")
    assert denied.value.kind == "forbidden"
    with pytest.raises(DomainError) as wrong:
        services.assign_region(actor=world.users["manager"], manager="merch", region="华东")
    assert wrong.value.code == "reports_not_a_regional_manager"
    assert not RegionAssignment.objects.exists()
    made = assign(world)
    assert (made.manager.username, made.region) == ("regional", "华东")
    assert assign(world).pk == made.pk  # again: the same assignment


def test_the_job_produces_keeps_and_mails_the_report_once(
    world, smtp, django_capture_on_commit_callbacks
):
    assign(world)
    day = days_ago(1)
    store = world.order(customer="STORE01")
    book(store, booked_on=day, shipped_on=day)
    world.order(customer="EXP001")
    with django_capture_on_commit_callbacks(execute=True):
        run = run_job(job=JOB, period=day.isoformat())
    assert run.result == {"day": day.isoformat(), "produced": ["*", "华东"], "mailed": 2}
    east = DailyReport.objects.get(day=day, region="华东")
    assert east.mailed_to == ["regional"]
    assert [s["number"] for s in east.data["shipments"]["to_stores"]] == [store.number]
    assert DailyReport.objects.get(day=day, region="").mailed_to == ["manager"]
    assert sorted(r for rcpt, _m in smtp.mails for r in rcpt) == [
        "manager@gendan.example",
        "regional@gendan.example",
    ]
    subjects = sorted(m["Subject"] for _r, m in smtp.mails)
    assert subjects == sorted(
        [f"日报表 {day:%Y-%m-%d} · 华东", f"日报表 {day:%Y-%m-%d} · 全部区域"]
    )
    # a second run of the same day (another worker, a retry) changes nothing and mails nobody
    with django_capture_on_commit_callbacks(execute=True):
        assert run_job(job=JOB, period=day.isoformat()) is None
        assert services.produce_daily_reports(day=day)["produced"] == []
    assert len(smtp.mails) == 2
    assert MailMessage.objects.filter(template="daily_report").count() == 2


def test_a_kept_report_opens_again_as_it_was_and_on_the_regional_manager_s_today(
    client, world, django_capture_on_commit_callbacks
):
    assign(world)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.produce_daily_reports(day=yesterday)
    world.order(customer="STORE01")  # after the report: not in it
    client.force_login(world.users["regional"])
    page = client.get(
        reverse("web:reports_daily_report", args=[yesterday.isoformat()]) + "?region=华东"
    )
    assert page.status_code == 200
    assert "kept as it was" in page.content.decode() or "按原样保存" in page.content.decode()
    section = client.get(reverse("web:reports_today_section", args=["reports_daily"]))
    assert section.status_code == 200
    assert f'data-daily-report="{yesterday.isoformat()}"'.encode() in section.content
    today = client.get(reverse("web:today"))
    assert b'data-section="reports_daily"' in today.content


def test_the_day_s_complaints_are_a_part_of_the_report_its_page_and_its_mail(
    client, world, smtp, django_capture_on_commit_callbacks
):
    from gendan.aftersales.models import Complaint
    from gendan.aftersales.services import log_complaint

    assign(world)
    yesterday = timezone.localdate() - timedelta(days=1)
    logged = log_complaint(
        actor=world.users["service"],
        customer="STORE01",
        kind="quality",
        description="湿巾破损",
        quantity=3,
    )
    log_complaint(  # today's: not yesterday's report
        actor=world.users["service"], customer="STORE01", kind="quality", description="x"
    )
    Complaint.objects.filter(pk=logged.pk).update(logged_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.produce_daily_reports(day=yesterday)
    east = DailyReport.objects.get(day=yesterday, region="华东")
    part = east.data["parts"]["aftersales.complaints"]
    assert (part["count"], part["by_kind"]) == (1, {"quality": 1})
    assert [c["number"] for c in part["list"]] == [logged.number]
    body = next(
        m.get_payload(decode=True).decode() for _r, m in smtp.mails if "华东" in m["Subject"]
    )
    assert "当日客户投诉: 1" in body
    client.force_login(world.users["regional"])
    page = client.get(
        reverse("web:reports_daily_report", args=[yesterday.isoformat()]) + "?region=华东"
    )
    assert f'data-complaint="{logged.number}"' in page.content.decode()
