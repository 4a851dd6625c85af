"""QC on a 390 px phone fails the final inspection; the merchandiser's cockpit refuses the
shipping notice with the reason; a re-inspection passes and the notice is issued."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gendan.orders.workflow import Status
from gendan.quality.models import Inspection
from gendan.quality.tests.factories import plan
from gendan.shipping.models import ShippingNotice
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def inspect_on_the_phone(page, number: str, **defects: str) -> None:
    page.goto(f"{page.base_url}/quality/orders/{number}/")
    expect(page.locator("[data-testid=sampling]")).to_contain_text("sample 20")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for kind, count in defects.items():
        page.locator(f"[data-testid=defect-{kind}]").fill(count)
    with page.expect_navigation():
        page.locator("[data-testid=record]").click()


def test_qc_fails_the_final_inspection_then_a_re_inspection_opens_the_notice(browser_page, world):
    plan(world)
    order = world.order(lines=[("FN-101", 100, "300")], to=Status.READY_TO_SHIP)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "qc")
    inspect_on_the_phone(page, order.number, appearance="2", packing="1")
    expect(page.locator("[data-testid=final-gate]")).to_contain_text("Final inspection failed")
    assert Inspection.objects.get(order=order).result == "failed"
    screenshot(page, "quality-final-failed")
    # the merchandiser cannot issue the shipping notice, and is told why
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/orders/{order.number}/")
    assert page.locator("button[data-action=issue_shipping_notice]").is_disabled()
    expect(page.locator("[data-reasons-for=issue_shipping_notice]")).to_contain_text(
        "Final inspection failed"
    )
    assert ShippingNotice.objects.filter(order=order).count() == 0
    # QC inspects again: the goods pass
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "qc")
    inspect_on_the_phone(page, order.number)
    expect(page.locator("[data-testid=final-gate]")).to_contain_text("may be issued")
    # and the merchandiser issues the notice
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/orders/{order.number}/")
    form = page.locator("form[data-action-form=issue_shipping_notice]")
    with page.expect_navigation():
        form.locator("button[data-action=issue_shipping_notice]").click()
    assert page.locator(".messages li.error").count() == 0
    assert ShippingNotice.objects.filter(order=order).count() == 1
