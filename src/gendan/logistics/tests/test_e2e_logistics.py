"""The issue's walk in a browser: the merchandiser's request for today is refused (the cut-off),
then accepted with a reason, and the day's trip planned from the suggestion; the warehouse marks
it prepared and sends it off; the driver, on a 390 px phone, delivers both stops with a photo and
collects the cash; the cashier records the cash one short and sees the difference."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from gendan.logistics import services
from gendan.logistics.models import CashHandover, Stop, Trip
from gendan.logistics.tests.test_dispatch import notice_of, ready
from gendan.shipping.models import DeliveryNote
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_plan_prepare_deliver_with_cash_and_hand_it_in_short(browser_page, world, tmp_path: Path):
    from django.utils import timezone

    u = world.users
    services.save_vehicle(actor=u["merch"], plate="粤A12345", capacity_m3="10", capacity_kg="2000")
    services.save_driver(actor=u["merch"], username="driver", licence="L1", phone="139")
    cod, plain = ready(world, "STORE01"), ready(world, "DIST01")
    today = timezone.localdate()
    services.request_delivery(
        actor=u["merch"], notice=notice_of(plain), day=today, late_reason="补货"
    )
    picture = tmp_path / "signed.png"
    Image.new("RGB", (60, 40), "white").save(picture)
    page = browser_page
    # the merchandiser asks today's delivery: refused, then accepted with a reason
    sign_in(page, "merch")
    page.goto(f"{page.base_url}/logistics/dispatch/?day={today.isoformat()}")
    page.locator("[data-testid=new-request]").click()
    page.locator("[data-testid=request-notice]").fill(notice_of(cod))
    page.locator("[data-testid=request-day]").fill(today.isoformat())
    submit(page, "[data-testid=request-submit]")
    expect(page.locator("[data-testid=refusal]")).to_be_visible()
    page.locator("[data-testid=late-reason]").fill("客户急需")
    submit(page, "[data-testid=request-submit]")
    expect(page.locator("[data-testid=late]").filter(has_text="客户急需")).to_have_count(1)
    # one suggested trip per region (two regions): plan each with the van
    submit(page, "form[data-suggestion] >> nth=0 >> [data-testid=plan-trip]")
    submit(page, "form[data-suggestion] >> nth=0 >> [data-testid=plan-trip]")
    assert Trip.objects.count() == 2
    assert Stop.objects.count() == 2
    # the warehouse prepares it and sends it off
    sign_in(page, "warehouse")
    page.goto(f"{page.base_url}/logistics/dispatch/?day={today.isoformat()}")
    for _trip in range(2):
        submit(page, "[data-testid=prepare-trip] >> nth=0")
    expect(page.locator("[data-testid=trip-status][data-status=prepared]")).to_have_count(2)
    for _trip in range(2):
        submit(page, "[data-testid=depart-trip] >> nth=0")
    expect(page.locator("[data-testid=trip-status][data-status=departed]")).to_have_count(2)
    # the driver on the phone: two stops, a photo each, the cash at the store
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "driver")
    page.goto(f"{page.base_url}/logistics/driver/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    owed = DeliveryNote.objects.get(notice__order=cod).cod_amount
    for stop in Stop.objects.order_by("trip", "seq"):
        box = page.locator(f"[data-stop='{stop.pk}']")
        cash = box.locator("[data-testid=cash-to-collect]").inner_text()
        box.locator("[data-testid=received-by]").fill("王店长")
        box.locator("[data-testid=photos]").set_input_files(str(picture))
        box.locator("[data-testid=cash-collected]").fill(cash)
        screenshot(page, "logistics-driver-stop")
        submit(page, f"[data-stop='{stop.pk}'] [data-testid=deliver]")
        expect(page.locator(f"[data-stop='{stop.pk}']")).to_have_attribute(
            "data-status", "delivered"
        )
    assert {s.status for s in Stop.objects.all()} == {"delivered"}
    # the cashier counts one short and gives the reason
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "cashier")
    page.goto(f"{page.base_url}/logistics/cash/")
    page.locator("[data-testid=received]").fill(str(owed - 1))
    submit(page, "[data-testid=record-cash]")
    expect(page.locator("[data-testid=refusal]")).to_contain_text(f"{owed}")
    page.locator("[data-testid=reason]").fill("少一元")
    submit(page, "[data-testid=record-cash]")
    expect(page.locator("[data-testid=difference]")).to_have_text("-1.00")
    assert CashHandover.objects.get().difference == Decimal("-1.00")
