"""In a browser: finance opens the aging, drills into the 61-90 bucket and logs the chase; the
regional manager opens yesterday's daily report from Today (on a 390 px phone); a report page
shows its chart and exports to Excel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.exports.models import ExportRecord
from gendan.finance.tests.factories import book, days_ago
from gendan.parties.models import Communication
from gendan.reports import services
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_chases_an_aged_amount_from_the_61_90_bucket(browser_page, world):
    late = book(world.order(customer="STORE01"), booked_on=days_ago(100), shipped_on=days_ago(100))
    book(world.order(customer="STORE01"), booked_on=days_ago(5), shipped_on=days_ago(5))
    page = browser_page
    sign_in(page, "finance")
    page.goto(f"{page.base_url}/finance/receivables/")
    cell = page.locator("tr[data-customer=STORE01] td[data-bucket=d61_90] a")
    with page.expect_navigation():
        cell.click()
    drill = page.locator("[data-testid=drill]")
    expect(drill.locator(f"tr[data-order='{late.number}']")).to_be_visible()
    form = page.locator("[data-testid=chase-form]")
    form.locator("select[name=order]").select_option(late.number)
    form.locator("textarea[name=summary]").fill("电话催款：客户答应周五付款")
    screenshot(page, "finance-aging-drill")
    with page.expect_navigation():
        form.locator("[data-testid=log-chase]").click()
    assert page.locator(".messages li.error").count() == 0
    comm = Communication.objects.get()
    assert (comm.order_id, comm.follow_up_on) == (late.pk, days_ago(0) + timedelta(days=7))


def test_the_regional_manager_opens_yesterday_s_report_from_today(browser_page, world):
    services.assign_region(actor=world.users["manager"], manager="regional", region="华东")
    world.order(customer="STORE01")
    yesterday = timezone.localdate() - timedelta(days=1)
    services.produce_daily_reports(day=yesterday)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "regional")
    page.goto(f"{page.base_url}/")
    link = page.locator(
        f"[data-daily-report='{yesterday.isoformat()}'] [data-testid=open-daily-report]"
    )
    expect(link).to_be_visible()  # drawn by htmx after Today loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        link.click()
    expect(page.locator("[data-testid=daily-report-title]")).to_contain_text(yesterday.isoformat())
    expect(page.locator("[data-testid=daily-report-title]")).to_contain_text("华东")
    screenshot(page, "reports-daily-report-phone")


def test_a_report_page_shows_its_chart_and_exports(browser_page, world):
    world.order(customer="STORE01")
    page = browser_page
    sign_in(page, "manager")
    page.goto(f"{page.base_url}/reports/")
    with page.expect_navigation():
        page.locator("[data-report='reports.workload'] a").click()
    expect(page.locator("[data-testid=chart] svg[role=img]")).to_be_visible()
    expect(page.locator("[data-testid=report-table] tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.locator("[data-testid=export]").click()
    assert download.value.suggested_filename.startswith("workload-")
    assert list(ExportRecord.objects.values_list("what", flat=True)) == ["report_workload"]
    screenshot(page, "reports-workload")
