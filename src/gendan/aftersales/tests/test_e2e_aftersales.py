"""The issue's walk in a browser: a salesperson requests a sample; the merchandiser, on a 390 px
phone, cannot mark it sent before filing a photo, files one, sends it and confirms the receipt;
customer service logs a complaint with a photo, the sales manager confirms it, the merchandiser
issues a replacement-part order that is released to production without a deposit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from gendan.aftersales.models import Complaint, Sample
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_a_sample_and_a_complaint_walk_to_their_ends(browser_page, world, tmp_path: Path):
    picture = tmp_path / "sample.png"
    Image.new("RGB", (60, 40), "white").save(picture)
    page = browser_page
    # the salesperson requests a sample
    sign_in(page, "sales")
    page.goto(f"{page.base_url}/aftersales/samples/")
    page.locator("[data-testid=new-sample]").click()
    page.locator("[data-testid=customer]").select_option("DIST01")
    page.locator("[data-testid=product]").select_option("BC-101")
    page.locator("[data-testid=purpose]").fill("新客户试用")
    submit(page, "[data-testid=request-sample]")
    sample = Sample.objects.get()
    # the merchandiser, on the phone
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/aftersales/samples/{sample.number}/")
    submit(page, "button[data-action=accept]")
    submit(page, "button[data-action=made]")
    submit(page, "button[data-action=review]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("button[data-action=send]").is_disabled()
    expect(page.locator("[data-reasons-for=send]")).to_contain_text("Photograph the sample")
    screenshot(page, "aftersales-sample-no-photo")
    page.locator("[data-testid=photo-input]").set_input_files(str(picture))
    submit(page, "[data-testid=upload-photo]")
    expect(page.locator("[data-testid=photo-count]")).to_have_text("1")
    page.locator("[data-testid=courier]").fill("顺丰")
    page.locator("[data-testid=tracking]").fill("SF123456")
    submit(page, "button[data-action=send]")
    expect(page.locator("[data-testid=sample-status]")).to_have_attribute("data-status", "sent")
    page.locator("[data-testid=received-by]").fill("王店长")
    submit(page, "button[data-action=received]")
    assert Sample.objects.get().status == "received"
    # customer service logs a complaint with a photo
    order = world.order(customer="DIST01", lines=[("BC-101", 100, "12")], to=Status.DELIVERED)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "service")
    page.goto(f"{page.base_url}/aftersales/complaints/")
    page.locator("[data-testid=new-complaint]").click()
    page.locator("[data-testid=customer]").select_option("DIST01")
    page.locator("[data-testid=order]").fill(order.number)
    page.locator("[data-testid=line-no]").fill("1")
    page.locator("[data-testid=quantity]").fill("5")
    page.locator("[data-testid=description]").fill("湿巾包装破损")
    page.locator("[data-testid=photo-input]").set_input_files(str(picture))
    submit(page, "[data-testid=log-complaint]")
    complaint = Complaint.objects.get()
    expect(page.locator("[data-testid=photo-count]")).to_have_text("1")
    # the sales manager confirms it
    sign_in(page, "manager")
    page.goto(f"{page.base_url}/aftersales/complaints/{complaint.number}/")
    submit(page, "button[data-action=confirm]")
    expect(page.locator("[data-testid=complaint-status]")).to_have_attribute(
        "data-status", "confirmed"
    )
    # the merchandiser issues the replacement-part order
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/aftersales/complaints/{complaint.number}/")
    page.locator("[data-testid=new-replacement]").click()
    submit(page, "[data-testid=issue-replacement]")
    replacement = Order.objects.get(kind="replacement")
    assert (replacement.status, replacement.total_amount) == (Status.SUBMITTED, 0)
    # the sales manager signs it on the cockpit: no second signature is asked
    sign_in(page, "manager")
    page.goto(f"{page.base_url}/orders/{replacement.number}/")
    submit(page, "button[data-action=sign_manager]")
    assert Order.objects.get(pk=replacement.pk).status == Status.SIGNED
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/orders/{replacement.number}/")
    expect(page.locator("[data-panel=aftersales_order]")).to_contain_text(complaint.number)
    submit(page, "button[data-action=release]")
    released = Order.objects.get(pk=replacement.pk)
    assert released.released_at is not None and released.deposit_confirmed_at is None
    screenshot(page, "aftersales-replacement-released")
