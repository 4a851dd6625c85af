"""The issue's walk in a browser: a supervisor's report of a shortfall on the floor turns an
order late; the salesperson finds the warning among the notifications and the reasons on the
order's cockpit and attaches the customer's acceptance of a later date; the sales manager agrees
it (``agree_new_date``); the merchandiser's Today shows the order with its new date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.attachments.tests.samples import FAX_PDF
from gendan.forecast import contributions, services
from gendan.forecast.models import OrderForecast, Risk
from gendan.forecast.tests.test_forecast import TODAY
from gendan.jobs import registry
from gendan.orders.workflow import Status
from gendan.production.models import SlipReason
from gendan.production.services import reports
from gendan.production.tests.factories import approve_first_articles, factory, work_orders
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_shortfall_reported_on_the_floor_warns_the_salesperson(browser_page, world):
    factory(world.users["admin"])
    order = world.order(
        lines=[("FN-101", 400, "300")], to=Status.RELEASED, delivery=TODAY + timedelta(days=18)
    )
    approve_first_articles(world, order)
    cut, asm, _pack = work_orders(order)
    for d in (3, 2):  # two days of 组装 at half its plan, already reported
        kw = dict(actor=world.users["production"], day=TODAY - timedelta(days=d), hours=8)
        reports.record_report(work_order=cut.number, good_qty=80, **kw)
        reports.record_report(
            work_order=asm.number, good_qty=20, slip_reason=SlipReason.STAFFING, note="请假", **kw
        )
    services.refresh(today=TODAY)
    assert OrderForecast.objects.get(order=order).risk == Risk.ON_TIME

    page = browser_page
    sign_in(page, "production")
    yesterday = TODAY - timedelta(days=1)
    page.goto(f"{page.base_url}/production/floor/ASM-1/?day={yesterday.isoformat()}")
    card = page.locator(f"section[data-work-order='{asm.number}']")
    card.locator("[data-testid=good]").fill("20")
    card.locator("[data-testid=slip-reason]").select_option("staffing")
    card.locator("[data-testid=note]").fill("三人请假")
    card.locator("[data-testid=report]").click()
    expect(
        page.locator(f"section[data-work-order='{asm.number}'] [data-testid=reported]")
    ).to_contain_text("20")

    # the scheduler's next "orders just changed" run
    job = registry.JOBS["forecast.touched"]
    contributions.touched(job.schedule.due(timezone.now()))
    assert OrderForecast.objects.get(order=order).risk == Risk.LATE

    sign_in(page, "sales")
    page.goto(f"{page.base_url}/notifications/")
    expect(page.locator("main")).to_contain_text(order.number)
    page.goto(f"{page.base_url}/orders/{order.number}/")
    panel = page.locator("section[data-panel=forecast]")
    expect(panel.locator("[data-testid=forecast]")).to_have_attribute("data-risk", "late")
    expect(panel.locator("[data-testid=reasons]")).to_contain_text("ASM-1")
    screenshot(page, "forecast-cockpit-late")
    # the customer accepts a later date: the salesperson attaches their confirmation
    page.locator("[data-testid=attach-file]").set_input_files(
        files=[{"name": "客户确认新交期.pdf", "mimeType": "application/pdf", "buffer": FAX_PDF}]
    )
    page.locator("[data-testid=attach-submit]").click()
    expect(page.locator("[data-testid=attachment-list]")).to_contain_text("客户确认新交期.pdf")

    # the sales manager's one signature makes it the agreed date (one day past the expected
    # shipment: still at risk, so the order stays on the merchandiser's list)
    new_date = OrderForecast.objects.get(order=order).expected_date + timedelta(days=1)
    sign_in(page, "manager")
    page.goto(f"{page.base_url}/orders/{order.number}/")
    form = page.locator("form[data-action-form=agree_new_date]")
    form.locator("input[name=new_date]").fill(new_date.isoformat())
    form.locator("button[data-action=agree_new_date]").click()
    expect(page.locator("main")).to_contain_text(new_date.isoformat())
    order.refresh_from_db()
    assert (order.delivery_date, order.status) == (new_date, Status.RELEASED)

    sign_in(page, "merch")
    section = page.locator("section[data-section=forecast_at_risk]")
    row = section.locator(f"tr[data-order='{order.number}']")
    expect(row).to_contain_text("ASM-1")
    expect(row).to_contain_text(new_date.strftime("%m-%d"))
    expected = OrderForecast.objects.get(order=order).expected_date
    expect(row.locator("[data-testid=expected]")).to_have_text(expected.strftime("%m-%d"))
