"""Every report page answers, shows its chart and table, exports through the export log, and
reads the same number of queries for 10 and for 30 orders; price-blind roles get no amount."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.exports.models import ExportRecord
from gendan.finance.tests.factories import at, book, days_ago

pytestmark = pytest.mark.django_db

SHEETS = ("on_time", "late", "workload", "slow_moving", "capacity")
PAGES = [f"web:reports_{k}" for k in SHEETS] + [
    "web:reports_index",
    "web:reports_daily_sales",
    "web:reports_daily_reports",
    "web:finance_aging",
]


def orders(world, n: int) -> None:
    from gendan.orders.models import Order

    for i in range(n):
        o = world.order(customer=("STORE01", "EXP001", "DIST01")[i % 3])
        if i % 2:
            book(o, booked_on=days_ago(40 + i), shipped_on=days_ago(35 + i))
            Order.objects.filter(pk=o.pk).update(
                status="delivered", delivered_at=at(o.delivery_date - timedelta(days=i % 3))
            )


def login(client, world, who: str = "manager"):
    client.force_login(world.users[who])
    return client


@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_for_the_sales_manager(client, world, name):
    orders(world, 4)
    response = login(client, world).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("key", SHEETS)
def test_a_report_page_shows_a_chart_and_exports_through_the_log(client, world, key):
    orders(world, 4)
    c = login(client, world)
    page = c.get(reverse(f"web:reports_{key}"))
    assert b'role="img"' in page.content
    assert b'data-testid="report-table"' in page.content
    response = c.get(reverse("web:reports_xlsx", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    log = ExportRecord.objects.get()
    assert (log.what, log.actor, log.fmt) == (f"report_{key}", world.users["manager"], "xlsx")


@pytest.mark.parametrize(
    "name", [f"web:reports_{k}" for k in SHEETS] + ["web:finance_aging", "web:reports_daily_sales"]
)
def test_query_count_does_not_grow_with_the_data(client, world, name):
    c = login(client, world)
    orders(world, 10)
    c.get(reverse(name))  # warm the caches of the session and the permissions
    with CaptureQueriesContext(connection) as ten:
        assert c.get(reverse(name)).status_code == 200
    orders(world, 20)
    with CaptureQueriesContext(connection) as thirty:
        assert c.get(reverse(name)).status_code == 200
    assert len(thirty) == len(ten)


@pytest.mark.parametrize("who", ["production", "warehouse", "qc", "driver"])
def test_price_blind_roles_get_no_sales_report_and_no_amount(client, world, who):
    orders(world, 4)
    c = login(client, world, who)
    for name in ("web:reports_daily_sales", "web:reports_daily_reports", "web:finance_aging"):
        assert c.get(reverse(name)).status_code == 403
    for key in SHEETS:
        page = c.get(reverse(f"web:reports_{key}"))
        if page.status_code == 200:
            assert b"CNY" not in page.content and b"USD" not in page.content


def test_the_index_lists_every_app_s_reports(client, world):
    page = login(client, world, "admin").get(reverse("web:reports_index"))
    for key in (
        "finance.aging",
        "reports.daily_sales",
        "reports.on_time",
        "reports.capacity",
        "production.slips",
        "production.plan_progress",
    ):
        assert f'data-report="{key}"'.encode() in page.content


def test_daily_sales_totals_are_summed_in_the_database(client, world):
    from gendan.reports.selectors import daily_sales

    made = [world.order(customer=c) for c in ("STORE01", "STORE01", "EXP001")]
    sales = daily_sales(world.users["manager"], timezone.localdate(), per_page=2)
    assert sales.count == 3
    by_currency = {t.currency: (t.orders, t.amount) for t in sales.per_currency}
    assert by_currency == {
        "CNY": (2, made[0].total_amount + made[1].total_amount),
        "USD": (1, made[2].total_amount),
    }
    assert {(t.key, t.orders) for t in sales.per_region} == {("华东", 2), ("欧洲", 1)}
    assert [o.number for o in sales.orders] == [made[0].number, made[1].number]
    assert [len(o.lines) for o in sales.orders] == [3, 3]
    assert sales.pages == 2
