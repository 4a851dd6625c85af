"""Tomorrow's plan in a real browser: the merchandiser proposes it and changes a quantity with
the reason, then the merchandiser, the workshop supervisor and the packing supervisor each
confirm it; a supervisor cannot confirm for the other; the page says who and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.demodata import DEMO_PASSWORD
from gendan.production.demo import _posts
from gendan.production.models import DayPlan
from gendan.production.tests.factories import factory, released_order, work_orders
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_merchandiser_and_the_two_supervisors_agree_tomorrows_plan(browser_page, world):
    factory(world.users["admin"])
    _posts(DEMO_PASSWORD)  # the logins workshop and packing, with their posts
    order = released_order(world)
    cut = work_orders(order)[0]
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = f"/production/plans/CUT-1/?day={tomorrow.isoformat()}"
    page = browser_page
    sign_in(page, "merch")
    page.goto(page.base_url + url)
    page.locator("[data-testid=propose]").click()
    row = page.locator(f"tr[data-work-order='{cut.number}']")
    row.locator("input[name=planned_qty]").fill("70")
    row.locator("input[name=note]").fill("换型两小时")
    row.locator("button[type=submit]").click()
    row = page.locator(f"tr[data-work-order='{cut.number}']")
    expect(row.locator("input[name=planned_qty]")).to_have_value("70")
    page.locator("[data-confirm=merchandiser] button").click()
    expect(page.locator("[data-confirm=merchandiser]")).to_contain_text("李跟单")
    # the packing supervisor cannot confirm for the workshop
    sign_in(page, "packing")
    page.goto(page.base_url + url)
    page.locator("[data-confirm=workshop_supervisor] button").click()
    expect(page.locator("[data-confirm=workshop_supervisor] button")).to_be_visible()
    page.locator("[data-confirm=packing_supervisor] button").click()
    expect(page.locator("[data-confirm=packing_supervisor]")).to_contain_text("周主任")
    sign_in(page, "workshop")
    page.goto(page.base_url + url)
    page.locator("[data-confirm=workshop_supervisor] button").click()
    expect(page.locator("[data-testid=plan-state]")).to_contain_text("Confirmed by all three")
    screenshot(page, "day-plan-confirmed")
    plan = DayPlan.objects.get()
    assert plan.confirmed and plan.items.get(work_order=cut).planned_qty == 70
    assert (plan.merchandiser.username, plan.workshop_supervisor.username) == ("merch", "workshop")
