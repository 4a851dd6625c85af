"""The stored forecast through its services: a shortfall reported on the floor makes an order
late with its reason, its salesperson and merchandiser are told once per change (a real local
SMTP server), the jobs refresh what a fact touched and everything nightly, and the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.forecast import contributions, selectors, services
from gendan.forecast.models import OrderForecast, Risk
from gendan.jobs import registry
from gendan.jobs.models import JobRun
from gendan.jobs.services import run_job
from gendan.notifications.models import Notification
from gendan.orders.workflow import Status
from gendan.production.models import SlipReason
from gendan.production.services import reports
from gendan.production.tests.factories import approve_first_articles, factory, work_orders
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def short_days(world, order, days=3):
    """开料 on plan, 组装 at half its plan for ``days`` days (staff short)."""
    cut, asm, _pack = work_orders(order)
    for d in range(days, 0, -1):
        day = TODAY - timedelta(days=d)
        kw = dict(actor=world.users["production"], day=day)
        reports.record_report(work_order=cut.number, good_qty=80, hours=8, **kw)
        reports.record_report(
            work_order=asm.number,
            good_qty=20,
            hours=8,
            slip_reason=SlipReason.STAFFING,
            note="请假",
            **kw,
        )


def test_a_shortfall_on_the_floor_turns_the_order_late_and_tells_its_people_once(
    world, floor, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.refresh(today=TODAY)
    row = OrderForecast.objects.get(order=floor)
    assert (first.forecast, first.warned, row.risk) == (1, 0, Risk.ON_TIME)
    assert smtp.mails == []

    short_days(world, floor)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.refresh(today=TODAY, orders=[floor.pk])
    row.refresh_from_db()
    assert (second.warned, row.risk) == (1, Risk.LATE)
    assert row.margin < 0 and row.expected_date > floor.delivery_date
    assert row.reasons[0]["zh"] == "ASM-1近3天只完成计划的50%（人手不足）"
    assert (
        row.reasons[0]["en"] == "ASM-1 made only 50% of plan over the last 3 days (staff shortages)"
    )

    # refreshed again, nothing new: nobody is told twice
    with django_capture_on_commit_callbacks(execute=True):
        third = services.refresh(today=TODAY)
    assert third.warned == 0
    sales, merch = world.users["sales"], world.users["merch"]
    assert sorted(rcpt[0] for rcpt, _m in smtp.mails) == sorted([sales.email, merch.email])
    mail = smtp.mails[0][1]
    assert floor.number in mail["Subject"]
    assert "50%" in mail.get_content()
    assert set(
        Notification.objects.filter(kind="mail.forecast_warning").values_list("user", flat=True)
    ) == {sales.pk, merch.pk}
    assert Event.objects.filter(order=floor, kind="forecast.warned").count() == 1
    assert row.history.count() == 2  # created, then turned late


def test_the_jobs_refresh_what_was_touched_and_everything_once_a_night(world, floor):
    job = registry.JOBS["forecast.touched"]
    short_days(world, floor, days=1)
    out = contributions.touched(job.schedule.due(timezone.now()))
    assert out["orders"] == 1 and OrderForecast.objects.filter(order=floor).exists()
    day = TODAY.isoformat()
    run_job(job="forecast.nightly", period=day)
    run_job(job="forecast.nightly", period=day)
    assert JobRun.objects.filter(job="forecast.nightly", period=day).count() == 1


def test_someone_without_the_order_sees_no_forecast_of_it(world, floor):
    services.refresh(today=TODAY)
    assert selectors.forecasts(world.users["merch"]).count() == 1
    other = world.users.get("merch2") or world.users["finance"]
    assert selectors.at_risk(other).count() == 0


def _orders(world, n):
    for _ in range(n):
        order = world.order(lines=[("FN-101", 40, "300")], to=Status.RELEASED)
        approve_first_articles(world, order)
    services.refresh(today=TODAY)


def _pages(client, user) -> tuple[int, int, bytes]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as list_page:
        assert client.get("/forecast/").status_code == 200
    with CaptureQueriesContext(connection) as section:
        assert client.get("/forecast/today/").status_code == 200
    xlsx = client.get("/forecast/?format=xlsx")
    assert xlsx.status_code == 200
    return len(list_page.captured_queries), len(section.captured_queries), xlsx.content[:2]


def test_pages_cost_the_same_queries_for_ten_and_thirty_orders(world, client):
    factory(world.users["admin"])
    _orders(world, 10)
    ten = _pages(client, world.users["merch"])
    _orders(world, 20)
    thirty = _pages(client, world.users["merch"])
    assert ten == thirty and ten[2] == b"PK"
    order = OrderForecast.objects.select_related("order").first().order
    panel = client.get(f"/forecast/orders/{order.number}/")
    assert panel.status_code == 200 and b'data-testid="expected"' in panel.content
