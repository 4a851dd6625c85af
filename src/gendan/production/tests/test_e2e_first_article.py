"""The first article in a real browser: production sends a sample with a photo from a phone,
the salesperson sees it on Today, rejects it with the deviation and a photo, production sends a
second one, the salesperson approves it; the floor may then report in full."""

from __future__ import annotations

from io import BytesIO

import pytest
from playwright.sync_api import expect

from gendan.orders.workflow import Status
from gendan.production.models import FirstArticle, FirstArticleStatus
from gendan.production.tests.factories import factory, work_orders
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(tmp_path, name: str) -> str:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (320, 240), (180, 140, 90)).save(out, "JPEG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return str(path)


def test_the_salesperson_rejects_then_approves_a_first_article_with_a_photo(
    browser_page, world, tmp_path
):
    factory(world.users["admin"])
    order = world.order(lines=[("FN-101", 100, "300")], to=Status.RELEASED)
    cut = work_orders(order)[0]
    url = f"/production/first-articles/{cut.number}/"
    page = browser_page
    # production, on a phone: the floor's card says the gate, its page takes the photo
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "production")
    page.goto(f"{page.base_url}/production/floor/CUT-1/")
    card = page.locator(f"section[data-work-order='{cut.number}']")
    expect(card.locator("[data-testid=first-article-gate]")).to_contain_text("at most 10")
    card.locator("[data-testid=first-article-gate] a").click()
    page.locator("[data-testid=photos]").set_input_files(jpeg(tmp_path, "sample-1.jpg"))
    page.locator("[data-testid=note]").fill("首件：椅背")
    page.locator("[data-testid=submit-sample]").click()
    expect(page.locator("[data-testid=first-article-status]")).to_have_text(
        "Waiting for the salesperson"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the salesperson finds it on Today and rejects it, with the flaw's photo
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "sales")
    section = page.locator("section[data-section=production_first_articles_mine]")
    section.locator(f"tr[data-work-order='{cut.number}'] a").first.click()
    expect(page.locator("[data-testid=sample-photo]")).to_have_count(1)
    page.locator("[data-testid=reject]").click()  # no deviation: refused, nothing lost
    expect(page.locator("[data-testid=refusal]")).to_contain_text("deviation")
    page.locator("[data-testid=deviation]").fill("扶手高度差 2 cm")
    page.locator("[data-testid=deviation-photos]").set_input_files(jpeg(tmp_path, "flaw.jpg"))
    page.locator("[data-testid=reject]").click()
    expect(page.locator("[data-testid=first-article-status]")).to_have_text(
        "Rejected: back to production"
    )
    screenshot(page, "first-article-rejected")
    # production sends a second sample
    sign_in(page, "production")
    page.goto(page.base_url + url)
    page.locator("[data-testid=photos]").set_input_files(jpeg(tmp_path, "sample-2.jpg"))
    page.locator("[data-testid=submit-sample]").click()
    expect(page.locator("[data-sample]")).to_have_count(2)
    # the salesperson approves it
    sign_in(page, "sales")
    page.goto(page.base_url + url)
    page.locator("[data-testid=approve]").click()
    expect(page.locator("[data-testid=first-article-status]")).to_have_text("Approved")
    assert FirstArticle.objects.get().status == FirstArticleStatus.APPROVED
    screenshot(page, "first-article-approved")
