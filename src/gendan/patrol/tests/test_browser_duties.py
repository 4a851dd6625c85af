"""The issue's walk in a browser: the merchandiser issues, prints and countersigns the sales
contract of a signed order; QC, on a 390 px phone, raises an exception on the order in a few
taps with a photo, and it is on the merchandiser's Today; the salesperson reads a product's
selling points and takes a prospect from new to won."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from gendan.catalog.models import Product
from gendan.contracts.models import SalesContract
from gendan.orders.workflow import Status
from gendan.patrol.models import ProductionException
from gendan.prospects.models import Prospect
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_contract_exception_and_prospect_walk(browser_page, world, tmp_path: Path):
    picture = tmp_path / "scan.png"
    Image.new("RGB", (60, 40), "white").save(picture)
    order = world.order(to=Status.SIGNED)
    Product.objects.filter(code="BC-101").update(
        selling_points_zh="纯水配方\n加厚珍珠纹", selling_points_en="Pure water\nThick weave"
    )
    page = browser_page
    # the merchandiser: the contract from the cockpit, its PDF, the countersigned copy
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/orders/{order.number}/")
    submit(page, "[data-testid=issue-contract]")
    contract = SalesContract.objects.get()
    expect(page.locator("[data-testid=contract-document]")).to_contain_text("SALES CONTRACT")
    with page.expect_download() as download:
        page.locator("[data-testid=contract-pdf]").click()
    assert download.value.suggested_filename == f"{contract.number}.pdf"
    page.locator("[data-testid=countersigned-input]").set_input_files(str(picture))
    submit(page, "[data-testid=attach-countersigned]")
    expect(page.locator("[data-testid=contract-status]")).to_have_attribute(
        "data-status", "countersigned"
    )
    # QC on the floor, on the phone: a few taps
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "qc")
    page.goto(f"{page.base_url}/patrol/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[data-testid=kind-quality]").check()
    page.locator("[data-testid=description]").fill("封口不严")
    page.locator("[data-testid=order]").fill(order.number)
    page.locator("[data-testid=photo]").set_input_files(str(picture))
    screenshot(page, "patrol-raise-phone")
    submit(page, "[data-testid=raise]")
    exc = ProductionException.objects.get()
    expect(page.locator("[data-testid=photo-count]")).to_have_text("1")
    # on the merchandiser's Today (the section loads after the page)
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/")
    expect(
        page.locator(f"[data-section=patrol_open_exceptions] [data-exception='{exc.number}']")
    ).to_be_visible()
    # the salesperson: selling points, then a prospect from new to won
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "sales")
    page.goto(f"{page.base_url}/products/BC-101/")
    expect(page.locator("[data-testid=selling-points]")).to_contain_text("Thick weave")
    page.goto(f"{page.base_url}/prospects/")
    page.locator("[data-testid=new-prospect]").click()
    page.locator("[data-testid=prospect-name]").fill("成都宝宝乐")
    page.locator("[data-testid=contact-name]").fill("刘老板")
    submit(page, "[data-testid=add-prospect]")
    expect(page.locator("[data-testid=prospect-status]")).to_have_attribute("data-status", "new")
    page.locator("[data-testid=log-summary]").fill("展会后回访")
    submit(page, "[data-testid=log-contact]")
    expect(page.locator("[data-testid=prospect-status]")).to_have_attribute(
        "data-status", "contacted"
    )
    page.locator("[data-testid=win-code]").fill("CD01")
    submit(page, "[data-testid=win]")
    expect(page.locator("[data-testid=prospect-customer]")).to_contain_text("CD01")
    assert Prospect.objects.get().customer.code == "CD01"
