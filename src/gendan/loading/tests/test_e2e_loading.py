"""The loading walk in a real browser: plan a demo shipment from its shipping notice, watch the
plan run, see the pictures, print the loading sheet, count with one carton missing (refused),
correct it, close the loading."""

from __future__ import annotations

import threading

import pytest

from gendan.jobs.tests.worker_thread import run_worker_until
from gendan.loading.models import LoadingPlan, LoadingStatus
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker_soon() -> threading.Thread:
    """The worker, started while the page waits, until the plan is taken."""
    return run_worker_until(lambda: LoadingPlan.objects.exclude(status="queued").exists())


def test_plan_print_count_with_an_error_and_close(browser_page, world, notices):
    page = browser_page
    first = notices[0]
    sign_in(page, "merch")
    # from the order's cockpit, the shipping notice offers to plan its loading
    from gendan.shipping.models import ShippingNotice

    notice = ShippingNotice.objects.select_related("order").get(number=first)
    page.goto(page.base_url + f"/orders/{notice.order.number}/")
    page.click(f"tr[data-notice='{first}'] [data-testid=plan-loading-link]")
    assert page.locator(f"input[name=notices][value='{first}']").is_checked()
    page.check(f"input[name=notices][value='{notices[1]}']")  # the other order of the container
    page.select_option("select[name=container]", "40HQ")
    page.select_option("select[name=time_limit]", "5")
    worker = run_worker_soon()
    page.click("[data-testid=plan-loading]")
    # the page polls the progress until the worker is done, then shows the plan
    page.wait_for_selector("[data-testid=plan-status][data-status=done]", timeout=120_000)
    worker.join(timeout=60)
    plan = LoadingPlan.objects.get()
    assert page.locator("[data-testid=picture-3d] svg").count() == 1
    assert page.locator("[data-testid=picture-side] svg").count() == 1
    assert page.locator("[data-testid=container-cartons]").inner_text() == "700"
    assert page.locator("[data-testid=all-loaded]").is_visible()
    walls = plan.containers[0]["walls"]
    assert page.locator("tr[data-wall]").count() == len(walls)
    screenshot(page, "loading-plan")

    # the loading sheet prints and downloads as a PDF
    page.click("[data-testid=loading-sheet]")
    assert "装柜单" in page.locator("[data-testid=loading-sheet-body]").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=loading-sheet-pdf]")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000

    # the warehouse counts wall by wall on a phone; wall 1 is one carton short
    sign_in(page, "warehouse")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/loading/{plan.number}/count/")
    for wall in walls:
        row = page.locator(f"form[data-count-row='{wall['number']}']")
        counted = wall["count"] - 1 if wall["number"] == 1 else wall["count"]
        row.locator("[data-testid=count-input]").fill(str(counted))
        row.locator("[data-testid=save-count]").click()
        page.wait_for_selector(
            f"form[data-count-row='{wall['number']}'] [data-testid=difference]"
            f"[data-difference='{counted - wall['count']}']"
        )
    short = page.locator("form[data-count-row='1'] [data-testid=difference]")
    assert short.get_attribute("data-difference") == "-1"  # shown at once
    assert page.locator("[data-testid=count-check]").get_attribute("data-matches") == "false"
    screenshot(page, "loading-count")

    # closing is refused while wall 1 differs
    page.goto(page.base_url + f"/loading/{plan.number}/")
    page.click("[data-testid=close-loading]")
    assert page.locator("ul.messages").inner_text().strip() != ""
    assert page.locator("[data-testid=loading-status]").get_attribute("data-status") == "open"
    assert LoadingPlan.objects.get().loading_status == LoadingStatus.OPEN

    # the recount of wall 1 matches; the loading closes
    page.goto(page.base_url + f"/loading/{plan.number}/count/")
    row = page.locator("form[data-count-row='1']")
    row.locator("[data-testid=count-input]").fill(str(walls[0]["count"]))
    row.locator("[data-testid=save-count]").click()
    page.wait_for_selector("[data-testid=count-check][data-matches=true]")
    page.goto(page.base_url + f"/loading/{plan.number}/")
    page.click("[data-testid=close-loading]")
    page.wait_for_selector("[data-testid=loading-closed]")
    assert LoadingPlan.objects.get().loading_status == LoadingStatus.CLOSED
