"""In a real browser: attach a customer's fax and a photo on the order's cockpit, see the
thumbnail, download the fax, remove the photo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gendan.attachments.tests.samples import FAX_PDF
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attach_see_download_and_remove_on_the_cockpit(browser_page, world, tmp_path):
    from PIL import Image

    order = world.order()
    fax = tmp_path / "customer-fax.pdf"
    fax.write_bytes(FAX_PDF)
    photo = tmp_path / "first-article.jpg"
    Image.new("RGB", (1200, 900), (30, 90, 160)).save(photo, "JPEG")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    sign_in(page, "qc")
    page.goto(page.base_url + f"/orders/{order.number}/")
    panel = page.locator("[data-testid=attachments-panel]")
    assert panel.locator("[data-testid=no-attachments]").is_visible()
    assert page.get_attribute("[data-testid=attach-photo]", "capture") == "environment"
    page.set_input_files("[data-testid=attach-file]", str(fax))
    page.click("[data-testid=attach-submit]")
    page.wait_for_selector("[data-testid=attachment-download]:has-text('customer-fax.pdf')")
    page.set_input_files("[data-testid=attach-photo]", str(photo))
    page.click("[data-testid=attach-submit]")
    page.wait_for_selector("[data-testid=attachment-thumbnail]")
    # (expect, not a wait_for_function string: the pages' CSP allows no eval)
    expect(page.locator("[data-testid=attachment-thumbnail]")).to_have_js_property(
        "naturalWidth", 320
    )
    screenshot(page, "attachments-phone")
    with page.expect_download() as download_info:
        page.click("[data-testid=attachment-download]:has-text('customer-fax.pdf')")
    download = download_info.value
    assert download.suggested_filename == "customer-fax.pdf"
    assert open(download.path(), "rb").read() == FAX_PDF
    # a bad file is refused inside the panel, the list is kept
    bad = tmp_path / "invoice.pdf"
    bad.write_bytes(b"MZ" + b"\x00" * 100)
    page.set_input_files("[data-testid=attach-file]", str(bad))
    page.click("[data-testid=attach-submit]")
    page.wait_for_selector("[data-testid=attachment-error]")
    assert page.locator("[data-attachment]").count() == 2
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(
        "li:has([data-testid=attachment-thumbnail]) [data-testid=attachment-remove]"
    ).click()
    expect(page.locator("[data-attachment]")).to_have_count(1)
