"""A supervisor on a 390 px phone reports a shortfall: refused without a reason, what was
typed kept; accepted with one; the merchandiser's Today shows the order behind plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.production.models import DailyReport
from gendan.production.tests.factories import factory, released_order, work_orders
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_on_a_phone_reports_a_shortfall_with_its_reason(browser_page, world):
    factory(world.users["admin"])
    order = released_order(world)
    cut = work_orders(order)[0]
    yesterday = timezone.localdate() - timedelta(days=1)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "production")
    page.goto(f"{page.base_url}/production/floor/CUT-1/?day={yesterday.isoformat()}")
    card = page.locator(f"section[data-work-order='{cut.number}']")
    expect(card.locator("[data-testid=planned]")).to_have_text("80")
    # the card fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card.locator("[data-testid=good]").fill("50")
    card.locator("textarea[name=note]").fill("")
    card.locator("[data-testid=report]").click()
    card = page.locator(f"section[data-work-order='{cut.number}']")
    expect(card.locator("[data-testid=refusal]")).to_contain_text("30 below the day's plan of 80")
    expect(card.locator("[data-testid=good]")).to_have_value("50")  # nothing typed is lost
    assert DailyReport.objects.count() == 0
    screenshot(page, "production-floor-refused")
    card.locator("[data-testid=slip-reason]").select_option("machine")
    card.locator("[data-testid=note]").fill("锯片断了，换刀两小时")
    card.locator("[data-testid=report]").click()
    card = page.locator(f"section[data-work-order='{cut.number}']")
    expect(card.locator("[data-testid=reported]")).to_contain_text("50 good")
    report = DailyReport.objects.get()
    assert (report.good_qty, report.planned_qty, report.slip_reason) == (50, 80, "machine")
    # the merchandiser sees the order behind plan, with the reason, on Today
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "merch")
    section = page.locator("section[data-section=production_behind_plan]")
    expect(section.locator(f"tr[data-order='{order.number}'] [data-testid=behind]")).to_have_text(
        "30"
    )
    expect(section.locator("[data-testid=reason]")).to_contain_text("Machine breakdown")
